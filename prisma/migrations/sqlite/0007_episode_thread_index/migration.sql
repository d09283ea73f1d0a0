-- CreateIndex
CREATE INDEX "Episode_platform_threadRef_idx" ON "Episode"("platform", "threadRef");
