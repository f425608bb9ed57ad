-- Dataset columns in chunks: a typed column's values are stored as a run of chunks (each a bounded number of
-- rows), never one value near PostgreSQL's 1 GB field limit. Additive only: columns stored before keep their
-- single "data" value and read as one chunk; new columns leave "data" null and write their chunks here.

-- AlterTable
ALTER TABLE "dataset_columns" ALTER COLUMN "data" DROP NOT NULL;

-- CreateTable
CREATE TABLE "dataset_column_chunks" (
    "datasetId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "chunk" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "dataset_column_chunks_pkey" PRIMARY KEY ("datasetId","position","chunk")
);

-- AddForeignKey
ALTER TABLE "dataset_column_chunks" ADD CONSTRAINT "dataset_column_chunks_datasetId_position_fkey" FOREIGN KEY ("datasetId", "position") REFERENCES "dataset_columns"("datasetId", "position") ON DELETE CASCADE ON UPDATE CASCADE;
