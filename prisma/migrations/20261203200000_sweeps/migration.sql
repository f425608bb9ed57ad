-- Sweeps: hyperparameter searches whose trials are ordinary jobs, and ASHA's rung decisions. Additive only.

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "sweepId" TEXT,
ADD COLUMN "trialIndex" INTEGER,
ADD COLUMN "parameters" JSONB,
ADD COLUMN "stopReason" TEXT,
ADD COLUMN "objective" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "sweeps" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "spec" JSONB NOT NULL,
    "trials" JSONB NOT NULL,
    "total" INTEGER NOT NULL,
    "parallelism" INTEGER NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "datasetId" TEXT NOT NULL,
    "datasetSha256" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sweeps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sweep_rungs" (
    "sweepId" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "jobId" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "continues" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sweep_rungs_pkey" PRIMARY KEY ("sweepId","epoch","jobId")
);

-- CreateIndex
CREATE UNIQUE INDEX "jobs_sweepId_trialIndex_key" ON "jobs"("sweepId", "trialIndex");

-- CreateIndex
CREATE INDEX "sweeps_tenantId_createdAt_id_idx" ON "sweeps"("tenantId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "sweeps_status_idx" ON "sweeps"("status");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "sweeps"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sweeps" ADD CONSTRAINT "sweeps_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sweep_rungs" ADD CONSTRAINT "sweep_rungs_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "sweeps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
