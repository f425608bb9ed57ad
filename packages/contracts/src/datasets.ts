import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

export const TaskSchema = Type.Enum(['classification', 'regression']);
export const DatasetFormatSchema = Type.Enum(['csv', 'json', 'jsonl', 'parquet'], {
  description: 'Without it the service tells formats apart by content; gzip around any of them is recognised by its bytes',
});
export const ColumnTypeSchema = Type.Enum(['number', 'boolean', 'datetime', 'category', 'text']);
export const ColumnOverrideSchema = Type.Enum(['number', 'boolean', 'datetime', 'category', 'text', 'ignore']);

const name = Type.String({ minLength: 1, maxLength: 200 });
const target = Type.String({ minLength: 1, maxLength: 200, description: 'The label column (a CSV header name, a JSON key)' });
const task = Type.Optional(TaskSchema);
const taskDescription = 'Optional: a number target with more than 20 distinct values, or any non-integer value, is regression; any other is classification';

/** `columns` on upload: a type per column name, overriding what the service infers. */
export const ColumnOverrides = Type.Record(Type.String({ minLength: 1, maxLength: 200 }), ColumnOverrideSchema, {
  description: 'Per-column type overrides, e.g. { "zip": "category", "id": "ignore" }',
});
export type ColumnOverrides = Static<typeof ColumnOverrides>;

/** `POST /v1/datasets` with a JSON body: the table travels inside `content`. */
export const DatasetJsonUpload = Type.Object(
  {
    name,
    format: Type.Enum(['csv', 'json', 'jsonl'], { description: 'How `content` is written (Parquet files go as multipart or a raw body)' }),
    content: Type.Union([
      Type.String({ description: 'CSV text with a header row, JSON text of an array of objects, or JSON Lines' }),
      Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'The rows, for format "json"' }),
    ]),
    target,
    task: Type.Optional(TaskSchema),
    columns: Type.Optional(ColumnOverrides),
  },
  { additionalProperties: false },
);
export type DatasetJsonUpload = Static<typeof DatasetJsonUpload>;

/** The text fields of a multipart upload (beside its `file` part); format defaults from the content. */
export const DatasetMultipartFields = Type.Object(
  {
    name: Type.Optional(name),
    format: Type.Optional(DatasetFormatSchema),
    target,
    task,
    columns: Type.Optional(Type.String({ maxLength: 100_000, description: 'ColumnOverrides as a JSON string' })),
  },
  { additionalProperties: false },
);
export type DatasetMultipartFields = Static<typeof DatasetMultipartFields>;

/** For the OpenAPI document only: multipart bodies are parsed by the route itself. */
export const DatasetMultipartUpload = Type.Object({
  file: Type.String({ format: 'binary', description: 'The file: CSV, JSON, JSON Lines or Parquet, optionally gzip-compressed' }),
  name: Type.Optional(name),
  format: Type.Optional(DatasetFormatSchema),
  target,
  task: Type.Optional(TaskSchema),
  columns: Type.Optional(Type.String({ description: 'ColumnOverrides as a JSON string, e.g. {"zip":"category"}' })),
}, { description: taskDescription });

export const ColumnProfileSchema = Type.Object({
  name: Type.String(),
  type: ColumnTypeSchema,
  role: Type.Enum(['feature', 'target', 'ignored']),
  missing: Type.Integer(),
  distinct: Type.Integer({ description: 'Distinct non-missing values' }),
  mean: Type.Optional(Type.Number()),
  std: Type.Optional(Type.Number()),
  min: Type.Optional(Type.Number({ description: 'For datetime columns: Unix seconds' })),
  max: Type.Optional(Type.Number()),
  topValues: Type.Optional(Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }), { description: 'At most 10, most frequent first' })),
});
export type ColumnProfileResponse = Static<typeof ColumnProfileSchema>;

export const DatasetSchema = Type.Object(
  {
    id: Type.String({ description: 'ds_… for uploads, builtin:<name> for built-ins' }),
    name: Type.String(),
    task: TaskSchema,
    rows: Type.Integer(),
    features: Type.Array(Type.String(), { description: 'Feature columns, in file order' }),
    target: Type.String(),
    classes: Type.Optional(Type.Array(Type.String())),
    sizeBytes: Type.Integer(),
    sha256: Type.String(),
    createdAt: Timestamp,
    builtin: Type.Boolean(),
    description: Type.Optional(Type.String()),
    columns: Type.Optional(Type.Array(ColumnProfileSchema, { description: 'The column profile, in file order' })),
    rowsWithoutTarget: Type.Optional(Type.Integer({ description: 'Rows whose target is missing: kept, never trained on' })),
  }
);
export type DatasetResponse = Static<typeof DatasetSchema>;
