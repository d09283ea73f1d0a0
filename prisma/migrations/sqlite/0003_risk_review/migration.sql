-- AlterTable
ALTER TABLE "Child" ADD COLUMN "riskReviewedAt" DATETIME;
