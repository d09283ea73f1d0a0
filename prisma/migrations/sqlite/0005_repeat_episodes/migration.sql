-- AlterTable
ALTER TABLE "Episode" ADD COLUMN "previousEpisodeId" TEXT;

-- A returned episode no longer holds the child's one missing slot: a new report opens a new episode.
UPDATE "Episode" SET "openChildId" = NULL WHERE "status" <> 'open';
