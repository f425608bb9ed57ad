-- Real tables: datasets stored as typed columns with their profile, and job evaluations. Additive only:
-- datasets stored before (x/y float32 matrices) keep working; new ones leave x and y null.

-- AlterTable
ALTER TABLE "datasets" ALTER COLUMN "x" DROP NOT NULL,
ALTER COLUMN "y" DROP NOT NULL,
ADD COLUMN "profile" JSONB,
ADD COLUMN "rowsWithoutTarget" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "metric_points" ADD COLUMN "rmse" DOUBLE PRECISION,
ADD COLUMN "mae" DOUBLE PRECISION,
ADD COLUMN "r2" DOUBLE PRECISION,
ADD COLUMN "valRmse" DOUBLE PRECISION,
ADD COLUMN "valMae" DOUBLE PRECISION,
ADD COLUMN "valR2" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "dataset_columns" (
    "datasetId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "dictionary" JSONB,

    CONSTRAINT "dataset_columns_pkey" PRIMARY KEY ("datasetId","position")
);

-- CreateTable
CREATE TABLE "evaluations" (
    "snapshotId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("snapshotId")
);

-- CreateIndex
CREATE INDEX "evaluations_jobId_idx" ON "evaluations"("jobId");

-- AddForeignKey
ALTER TABLE "dataset_columns" ADD CONSTRAINT "dataset_columns_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
