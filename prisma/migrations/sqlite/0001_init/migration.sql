-- CreateTable
CREATE TABLE "Home" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "configJson" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HomeChannel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "homeId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channelRef" TEXT NOT NULL,
    CONSTRAINT "HomeChannel_homeId_fkey" FOREIGN KEY ("homeId") REFERENCES "Home" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Staff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "homeId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Staff_homeId_fkey" FOREIGN KEY ("homeId") REFERENCES "Home" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StaffIdentity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "staffId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    CONSTRAINT "StaffIdentity_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Child" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "homeId" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "planJson" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Child_homeId_fkey" FOREIGN KEY ("homeId") REFERENCES "Home" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Episode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "homeId" TEXT NOT NULL,
    "childId" TEXT NOT NULL,
    "openChildId" TEXT,
    "status" TEXT NOT NULL,
    "classification" TEXT NOT NULL,
    "riskLevel" TEXT NOT NULL,
    "riskFactorsJson" TEXT NOT NULL DEFAULT '[]',
    "isDrill" BOOLEAN NOT NULL DEFAULT false,
    "drillSpeed" INTEGER NOT NULL DEFAULT 1,
    "openedAt" DATETIME NOT NULL,
    "openedByStaffId" TEXT NOT NULL,
    "lastSeenAt" DATETIME,
    "lastSeenPlace" TEXT,
    "lastSeenBy" TEXT,
    "clothing" TEXT,
    "withWhom" TEXT,
    "platform" TEXT NOT NULL,
    "threadRef" TEXT,
    "policeReportedAt" DATETIME,
    "policeReference" TEXT,
    "policeOfficer" TEXT,
    "policeGrade" TEXT,
    "policeReviewAt" DATETIME,
    "returnedAt" DATETIME,
    "returnJson" TEXT,
    "policeToldOfReturnAt" DATETIME,
    "safeAndWellAt" DATETIME,
    "riskAssessmentUpdated" DATETIME,
    "rhiStatus" TEXT NOT NULL DEFAULT 'none',
    "rhiOfferedAt" DATETIME,
    "rhiHeldAt" DATETIME,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Episode_homeId_fkey" FOREIGN KEY ("homeId") REFERENCES "Home" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Episode_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChecklistItemState" (
    "episodeId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "byStaffId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("episodeId", "itemId"),
    CONSTRAINT "ChecklistItemState_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LogEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "episodeId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "authorStaffId" TEXT,
    "authorName" TEXT NOT NULL,
    "authorRole" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "dataJson" TEXT NOT NULL DEFAULT '{}',
    "platform" TEXT,
    "platformMessageId" TEXT,
    "amendsEntryId" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "LogEntry_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ClassificationChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "episodeId" TEXT NOT NULL,
    "classification" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "byStaffId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    CONSTRAINT "ClassificationChange_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RiskChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "episodeId" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "factorsJson" TEXT NOT NULL DEFAULT '[]',
    "source" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "byStaffId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    CONSTRAINT "RiskChange_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "episodeId" TEXT NOT NULL,
    "party" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "method" TEXT,
    "response" TEXT,
    "reason" TEXT,
    "at" DATETIME NOT NULL,
    "byStaffId" TEXT NOT NULL,
    CONSTRAINT "Notification_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContactAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "episodeId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "byStaffId" TEXT NOT NULL,
    CONSTRAINT "ContactAttempt_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "episodeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL DEFAULT '{}',
    "requestedByStaffId" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "decidedByStaffId" TEXT,
    "decidedAt" DATETIME,
    "note" TEXT,
    CONSTRAINT "Approval_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Ping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "homeId" TEXT NOT NULL,
    "episodeId" TEXT,
    "rule" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" DATETIME,
    "sentAt" DATETIME,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Ping_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "Episode" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "receivedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "homeId" TEXT NOT NULL,
    "episodeId" TEXT,
    "platform" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "cardKey" TEXT,
    "payloadJson" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "resultRef" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);

-- CreateIndex
CREATE INDEX "HomeChannel_homeId_idx" ON "HomeChannel"("homeId");

-- CreateIndex
CREATE UNIQUE INDEX "HomeChannel_platform_channelRef_key" ON "HomeChannel"("platform", "channelRef");

-- CreateIndex
CREATE INDEX "Staff_homeId_idx" ON "Staff"("homeId");

-- CreateIndex
CREATE INDEX "StaffIdentity_staffId_idx" ON "StaffIdentity"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffIdentity_platform_platformUserId_key" ON "StaffIdentity"("platform", "platformUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Child_homeId_alias_key" ON "Child"("homeId", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "Episode_openChildId_key" ON "Episode"("openChildId");

-- CreateIndex
CREATE INDEX "Episode_homeId_status_idx" ON "Episode"("homeId", "status");

-- CreateIndex
CREATE INDEX "Episode_childId_idx" ON "Episode"("childId");

-- CreateIndex
CREATE INDEX "LogEntry_episodeId_platformMessageId_idx" ON "LogEntry"("episodeId", "platformMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "LogEntry_episodeId_seq_key" ON "LogEntry"("episodeId", "seq");

-- CreateIndex
CREATE INDEX "ClassificationChange_episodeId_at_idx" ON "ClassificationChange"("episodeId", "at");

-- CreateIndex
CREATE INDEX "RiskChange_episodeId_at_idx" ON "RiskChange"("episodeId", "at");

-- CreateIndex
CREATE INDEX "Notification_episodeId_party_idx" ON "Notification"("episodeId", "party");

-- CreateIndex
CREATE INDEX "ContactAttempt_episodeId_at_idx" ON "ContactAttempt"("episodeId", "at");

-- CreateIndex
CREATE INDEX "Approval_episodeId_status_idx" ON "Approval"("episodeId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Ping_key_key" ON "Ping"("key");

-- CreateIndex
CREATE INDEX "Ping_status_dueAt_idx" ON "Ping"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Ping_episodeId_status_idx" ON "Ping"("episodeId", "status");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_episodeId_cardKey_idx" ON "OutboxMessage"("episodeId", "cardKey");
