import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

export const TaskSchema = Type.Enum(['classification', 'regression']);
export const DatasetFormatSchema = Type.Enum(['csv', 'json']);

const name = Type.String({ minLength: 1, maxLength: 200 });
const target = Type.String({ minLength: 1, maxLength: 200, description: 'The label column (a CSV header name, a JSON key)' });

/** `POST /v1/datasets` with a JSON body: the table travels inside `content`. */
export const DatasetJsonUpload = Type.Object(
  {
    name,
    format: DatasetFormatSchema,
    content: Type.Union([
      Type.String({ description: 'CSV text with a header row, or JSON text of an array of objects' }),
      Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'The rows, for format "json"' }),
    ]),
    target,
    task: TaskSchema,
  },
  { additionalProperties: false },
);
export type DatasetJsonUpload = Static<typeof DatasetJsonUpload>;

/** The text fields of a multipart upload (beside its `file` part); format defaults from the file name. */
export const DatasetMultipartFields = Type.Object(
  {
    name: Type.Optional(name),
    format: Type.Optional(DatasetFormatSchema),
    target,
    task: TaskSchema,
  },
  { additionalProperties: false },
);
export type DatasetMultipartFields = Static<typeof DatasetMultipartFields>;

/** For the OpenAPI document only: multipart bodies are parsed by the route itself. */
export const DatasetMultipartUpload = Type.Object({
  file: Type.String({ format: 'binary', description: 'The CSV or JSON file' }),
  name: Type.Optional(name),
  format: Type.Optional(DatasetFormatSchema),
  target,
  task: TaskSchema,
});

export const DatasetSchema = Type.Object(
  {
    id: Type.String({ description: 'ds_… for uploads, builtin:<name> for built-ins' }),
    name: Type.String(),
    task: TaskSchema,
    rows: Type.Integer(),
    features: Type.Array(Type.String()),
    target: Type.String(),
    classes: Type.Optional(Type.Array(Type.String())),
    sizeBytes: Type.Integer(),
    sha256: Type.String(),
    createdAt: Timestamp,
    builtin: Type.Boolean(),
    description: Type.Optional(Type.String()),
  }
);
export type DatasetResponse = Static<typeof DatasetSchema>;
