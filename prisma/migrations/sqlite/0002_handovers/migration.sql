-- CreateTable
CREATE TABLE "Handover" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "homeId" TEXT NOT NULL,
    "shiftAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "acceptedByStaffId" TEXT,
    "acceptedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "Handover_homeId_shiftAt_key" ON "Handover"("homeId", "shiftAt");
