// The hand-written init migration against schema.prisma, read by an independent little parser: every table, column
// (order, type, nullability, default), enum, primary key, index and foreign key Prisma would create, with its name.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

interface Field { name: string; type: string; optional: boolean; list: boolean; attributes: string }
interface Model { name: string; table: string; fields: Field[]; blockAttributes: string[] }

const SCALAR_SQL: Record<string, string> = {
  String: 'text', Int: 'integer', BigInt: 'bigint', Float: 'double precision', Boolean: 'boolean',
  Json: 'jsonb', Bytes: 'bytea', DateTime: 'timestamp with time zone',
};

function parseSchema(text: string) {
  const enums = new Map<string, string[]>();
  for (const [, name, body] of text.matchAll(/^enum (\w+) \{([\s\S]*?)^\}/gm)) {
    enums.set(name, body.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('//')));
  }
  const models: Model[] = [];
  for (const [, name, body] of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const lines = body.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('//'));
    const blockAttributes = lines.filter((line) => line.startsWith('@@'));
    const fields = lines.filter((line) => !line.startsWith('@@')).map((line) => {
      const [, fieldName, type, modifier, attributes] = /^(\w+)\s+(\w+)(\?|\[\])?\s*(.*)$/.exec(line)!;
      return { name: fieldName, type, optional: modifier === '?', list: modifier === '[]', attributes };
    });
    const table = /@@map\("(\w+)"\)/.exec(blockAttributes.join(' '))?.[1] ?? name;
    models.push({ name, table, fields, blockAttributes });
  }
  return { enums, models };
}

/** `[tenantId, createdAt(sort: Desc), id]` → ['tenantId', 'createdAt DESC', 'id'] */
function columnList(list: string): string[] {
  return list.split(/,(?![^(]*\))/).map((part) => part.trim()).map((part) => {
    const [, column, args] = /^(\w+)(?:\((.*)\))?$/.exec(part)!;
    return /sort:\s*Desc/.test(args ?? '') ? `${column} DESC` : column;
  });
}

let db: TestDatabase;
let admin: pg.Client;
let schema: ReturnType<typeof parseSchema>;

beforeAll(async () => {
  const path = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
  schema = parseSchema(await readFile(path, 'utf8'));
  db = await createTestDatabase({ prefix: 'sql' });
  admin = new pg.Client({ connectionString: db.url.replace(/\?.*$/, '') });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

const isModel = (type: string) => schema.models.some((model) => model.name === type);

describe('the init migration matches schema.prisma', () => {
  it('has every enum with its values in order', async () => {
    const { rows } = await admin.query(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 GROUP BY t.typname`, [db.schema]);
    expect(new Map(rows.map((row) => [row.name, row.labels]))).toEqual(schema.enums);
  });

  it('has every table with its columns in field order, typed, nullable and defaulted as declared', async () => {
    const { rows } = await admin.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, datetime_precision
         FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_prisma_migrations'
        ORDER BY table_name, ordinal_position`, [db.schema]);
    const expected = schema.models.flatMap((model) => model.fields
      .filter((field) => !field.list && !isModel(field.type))
      .map((field) => {
        const enumType = schema.enums.has(field.type);
        const defaultMatch = /@default\(((?:[^()]|\(\))*)\)/.exec(field.attributes)?.[1];
        return {
          table_name: model.table,
          column_name: field.name,
          data_type: enumType ? 'USER-DEFINED' : SCALAR_SQL[field.type],
          udt_name: enumType ? field.type : expect.any(String),
          is_nullable: field.optional ? 'YES' : 'NO',
          column_default: defaultMatch === undefined ? null
            : defaultMatch === 'autoincrement()' ? expect.stringMatching(/^nextval\(/)
            : defaultMatch === 'now()' ? 'CURRENT_TIMESTAMP'
            : enumType ? `'${defaultMatch}'::${db.schema}."${field.type}"` : defaultMatch,
          datetime_precision: field.type === 'DateTime' ? 3 : null,
        };
      }));
    const byTable = (list: { table_name: string }[]) =>
      [...list].sort((a, b) => a.table_name.localeCompare(b.table_name));
    expect(byTable(rows)).toEqual(byTable(expected).map((row) => expect.objectContaining(row)));
    expect(rows).toHaveLength(expected.length);
  });

  it('has every primary key, unique and plain index, named as Prisma names them', async () => {
    const { rows } = await admin.query(
      `SELECT i.relname AS name, t.relname AS table, ix.indisunique AS unique, ix.indisprimary AS primary,
              (SELECT array_agg(a.attname::text || CASE WHEN ix.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END ORDER BY k)
                 FROM generate_series(1, ix.indnatts) k
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ix.indkey[k - 1]) AS columns
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relname <> '_prisma_migrations'`, [db.schema]);
    const expected = schema.models.flatMap((model) => {
      const indexes = [];
      const idField = model.fields.find((field) => /@id\b/.test(field.attributes));
      for (const field of model.fields.filter((field) => /@unique\b/.test(field.attributes))) {
        indexes.push({ kind: 'unique', columns: [field.name] });
      }
      for (const attribute of model.blockAttributes) {
        const [, kind, list] = /^@@(id|unique|index)\(\[(.*)\]/.exec(attribute) ?? [];
        if (kind) indexes.push({ kind, columns: columnList(list) });
      }
      if (idField) indexes.push({ kind: 'id', columns: [idField.name] });
      return indexes.map(({ kind, columns }) => ({
        name: kind === 'id' ? `${model.table}_pkey`
          : `${model.table}_${columns.map((column) => column.split(' ')[0]).join('_')}_${kind === 'unique' ? 'key' : 'idx'}`,
        table: model.table, unique: kind !== 'index', primary: kind === 'id', columns,
      }));
    });
    const byName = (list: { name: string }[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(rows)).toEqual(byName(expected));
  });

  it('has every foreign key, named as Prisma names them, with the declared referential actions', async () => {
    const { rows } = await admin.query(
      `SELECT c.conname AS name, t.relname AS table, f.relname AS references, c.confdeltype AS on_delete,
              c.confupdtype AS on_update,
              array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i)
                      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.i) AS columns
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' AND n.nspname = $1`, [db.schema]);
    const action: Record<string, string> = { Cascade: 'c', Restrict: 'r', NoAction: 'a', SetNull: 'n', SetDefault: 'd' };
    const expected = schema.models.flatMap((model) => model.fields
      .map((field) => ({ field, relation: /@relation\(fields: \[([^\]]+)\].*?\)/.exec(field.attributes) }))
      .filter(({ relation }) => relation !== null)
      .map(({ field, relation }) => {
        const columns = relation![1].split(',').map((column) => column.trim());
        const onDelete = /onDelete: (\w+)/.exec(relation![0])?.[1] ?? (field.optional ? 'SetNull' : 'Restrict');
        const onUpdate = /onUpdate: (\w+)/.exec(relation![0])?.[1] ?? 'Cascade';
        return {
          name: `${model.table}_${columns.join('_')}_fkey`, table: model.table,
          references: schema.models.find((target) => target.name === field.type)!.table,
          on_delete: action[onDelete], on_update: action[onUpdate], columns,
        };
      }));
    const byName = (list: { name: string }[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(rows)).toEqual(byName(expected));
  });
});
