-- AlterTable
ALTER TABLE "Child" ADD COLUMN     "riskReviewedAt" TIMESTAMP(3);
