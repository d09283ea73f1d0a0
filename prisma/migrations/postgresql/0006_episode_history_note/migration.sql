-- AlterTable
ALTER TABLE "Episode" ADD COLUMN     "historyNote" TEXT;
