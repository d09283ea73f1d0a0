-- CreateTable
CREATE TABLE "Handover" (
    "id" TEXT NOT NULL,
    "homeId" TEXT NOT NULL,
    "shiftAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "acceptedByStaffId" TEXT,
    "acceptedAt" TIMESTAMP(3),

    CONSTRAINT "Handover_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Handover_homeId_shiftAt_key" ON "Handover"("homeId", "shiftAt");
