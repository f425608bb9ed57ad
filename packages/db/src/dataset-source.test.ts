// Datasets through the real-tables migration: an upload stored before it (x/y matrices) still reads, after
// the migration, as the same matrix; a typed one reads back its columns.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeDatasetArrays, loadBuiltin } from '@trainyard/backprop';
import { encodeColumn, sourceTable } from '@trainyard/tabular';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from './client.ts';
import { readDatasetSource, writeDatasetColumns } from './dataset-source.ts';
import { migrate } from './migrate.ts';
import { DEFAULT_MIGRATIONS_DIR } from './migration-files.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const schema = `test_dataset_source_${randomBytes(6).toString('hex')}`;
const url = (() => {
  const u = new URL(DATABASE_URL);
  u.searchParams.set('schema', schema);
  return u.toString();
})();
const prisma = createPrisma({ url });
let folder: string | undefined;

afterAll(async () => {
  await prisma.$disconnect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('datasets across the real-tables migration', () => {
  it('keeps an upload stored as matrices readable, and stores typed columns beside it', async () => {
    // The database as the first release left it: only the init migration.
    folder = await mkdtemp(join(tmpdir(), 'trainyard-init-only-'));
    const [init] = (await readdir(DEFAULT_MIGRATIONS_DIR)).sort();
    await cp(join(DEFAULT_MIGRATIONS_DIR, init), join(folder, init), { recursive: true });
    await migrate({ url, migrationsDir: folder });
    const iris = loadBuiltin('builtin:iris');
    const { x, y } = encodeDatasetArrays(iris);
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(`INSERT INTO tenants (id, name, "webhookSecret") VALUES ('t1', 'old', 's')`);
    await client.query(
      `INSERT INTO datasets (id, "tenantId", name, task, target, features, classes, rows, "sizeBytes", sha256, format, x, y, original)
       VALUES ('ds_old', 't1', 'iris', 'classification', $1, $2, $3, $4, 0, '', 'csv', $5, $6, '')`,
      [iris.target, JSON.stringify(iris.features), JSON.stringify(iris.classes), iris.rows, Buffer.from(x), Buffer.from(y)],
    );
    await client.end();

    const { applied } = await migrate({ url });
    expect(applied.length).toBeGreaterThan(0);
    const old = await readDatasetSource(prisma, 't1', 'ds_old');
    expect(old?.kind).toBe('matrix');
    if (old?.kind !== 'matrix') return;
    expect(old.data.x).toEqual(iris.x);
    expect(old.data.classes).toEqual(iris.classes);
    expect(await readDatasetSource(prisma, 'another tenant', 'ds_old')).toBeNull();

    // A typed upload: its columns, in file order, back as they went in.
    const { table, meta } = sourceTable({ kind: 'matrix', data: iris });
    await prisma.$transaction(async (tx) => {
      await tx.dataset.create({
        data: {
          id: 'ds_new', tenantId: 't1', name: 'iris', task: meta.task, target: meta.target, features: meta.features, classes: meta.classes,
          rows: table.rows, sizeBytes: 0, sha256: '', format: 'csv', original: new Uint8Array(0),
        },
      });
      await writeDatasetColumns(tx, 'ds_new', table.columns.map(encodeColumn));
    });
    const typed = await readDatasetSource(prisma, 't1', 'ds_new');
    expect(typed?.kind).toBe('columns');
    expect(sourceTable(typed!).table).toEqual(table);
  });

  it('stores typed columns in chunks and reads them back as the one-value columns stored before chunks', async () => {
    const iris = loadBuiltin('builtin:iris');
    const { table, meta } = sourceTable({ kind: 'matrix', data: iris });
    const stored = table.columns.map(encodeColumn);
    for (const id of ['ds_chunked', 'ds_one_value']) {
      await prisma.dataset.create({
        data: {
          id, tenantId: 't1', name: 'iris', task: meta.task, target: meta.target, features: meta.features, classes: meta.classes,
          rows: table.rows, sizeBytes: 0, sha256: '', format: 'csv', original: new Uint8Array(0),
        },
      });
    }
    // 64-byte chunks: 8 float64 values or 16 int32 codes each, the last one short (150 rows).
    await prisma.$transaction((tx) => writeDatasetColumns(tx, 'ds_chunked', stored, { chunkBytes: 64 }));
    const chunks = await prisma.datasetColumnChunk.findMany({ where: { datasetId: 'ds_chunked', position: 0 }, orderBy: { chunk: 'asc' } });
    expect(chunks.map((c) => c.rows)).toEqual([...Array.from({ length: 18 }, () => 8), 6]);
    // A column as stored before chunks: the whole column in dataset_columns.data, no chunks.
    await prisma.datasetColumn.createMany({
      data: stored.map((c, position) => ({
        datasetId: 'ds_one_value', position, name: c.name, type: c.type, data: new Uint8Array(c.data),
        ...(c.dictionary === null ? {} : { dictionary: c.dictionary }),
      })),
    });
    const chunked = await readDatasetSource(prisma, 't1', 'ds_chunked');
    const oneValue = await readDatasetSource(prisma, 't1', 'ds_one_value');
    expect(sourceTable(chunked!).table).toEqual(table);
    expect(sourceTable(oneValue!).table).toEqual(table);
    // Deleting the dataset takes its chunks.
    await prisma.dataset.delete({ where: { id: 'ds_chunked' } });
    expect(await prisma.datasetColumnChunk.count({ where: { datasetId: 'ds_chunked' } })).toBe(0);
  });
});

