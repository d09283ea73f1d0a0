-- CreateTable
CREATE TABLE "ExportLog" (
    "id" TEXT NOT NULL,
    "homeId" TEXT NOT NULL,
    "episodeId" TEXT,
    "childId" TEXT,
    "staffId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "detailJson" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "ExportLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportFile" (
    "id" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "takenAt" TIMESTAMP(3),

    CONSTRAINT "ExportFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExportLog_homeId_at_idx" ON "ExportLog"("homeId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ExportFile_tokenHash_key" ON "ExportFile"("tokenHash");

-- CreateIndex
CREATE INDEX "ExportFile_expiresAt_idx" ON "ExportFile"("expiresAt");

-- AddForeignKey
ALTER TABLE "ExportFile" ADD CONSTRAINT "ExportFile_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "ExportLog"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
