-- Receipts and replay: what a job trained from and on, and whether a replay reproduced it. Additive only:
-- jobs stored before have nulls, and their receipt shows what is known.

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "datasetSha256" TEXT,
ADD COLUMN "engineVersion" TEXT,
ADD COLUMN "threads" INTEGER,
ADD COLUMN "weightsSha256" TEXT,
ADD COLUMN "replayOf" TEXT,
ADD COLUMN "reproducesIdentical" BOOLEAN;
