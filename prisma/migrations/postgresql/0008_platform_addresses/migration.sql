-- CreateTable
CREATE TABLE "PlatformAddress" (
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "valueJson" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlatformAddress_pkey" PRIMARY KEY ("platform","kind","key")
);
