import { Type, type Static } from 'typebox';
import { EpochMetricsSchema, Nullable, Timestamp } from './common.ts';
import { ActivationSchema } from './jobs.ts';

export const SnapshotKindSchema = Type.Enum(['periodic', 'best', 'final', 'uploaded']);

export const SnapshotSchema = Type.Object({
  id: Type.String(),
  jobId: Nullable(Type.String({ description: 'null for uploaded weights' })),
  epoch: Type.Integer(),
  step: Type.Integer(),
  metrics: Nullable(EpochMetricsSchema),
  sizeBytes: Type.Integer(),
  createdAt: Timestamp,
  kind: SnapshotKindSchema,
});
export type SnapshotResponse = Static<typeof SnapshotSchema>;

const WeightsFormat = Type.Enum(['safetensors', 'json', 'onnx'], {
  default: 'safetensors',
  description: 'safetensors, json, or onnx: one graph from the raw columns (preprocessing included) to outputs and label',
});

export const WeightsQuery = Type.Object(
  { format: Type.Optional(WeightsFormat) },
  { additionalProperties: false },
);
export type WeightsQuery = Static<typeof WeightsQuery>;

export const JobWeightsQuery = Type.Object(
  {
    format: Type.Optional(WeightsFormat),
    which: Type.Optional(Type.Enum(['final', 'best'], { default: 'final', description: 'The final snapshot, or the best epoch\'s' })),
  },
  { additionalProperties: false },
);
export type JobWeightsQuery = Static<typeof JobWeightsQuery>;

/** `?format=json` of a weights download. weight: out×in rows. */
export const WeightsJson = Type.Object({
  layers: Type.Array(
    Type.Object({
      weight: Type.Array(Type.Array(Type.Number())),
      bias: Type.Array(Type.Number()),
      activation: ActivationSchema,
    }),
  ),
  normalization: Nullable(Type.Object({ mean: Type.Array(Type.Number()), std: Type.Array(Type.Number()) })),
  // The names the safetensors __metadata__ holds, when it holds them.
  classes: Type.Optional(Type.Array(Type.String(), { description: 'Class labels in output order (two for one sigmoid unit)' })),
  target: Type.Optional(Type.String({ description: 'The target column' })),
  features: Type.Optional(Type.Array(Type.String(), { description: 'One name per input of the first layer, in order' })),
  preprocessing: Type.Optional(Type.Object(
    {
      columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() }, { additionalProperties: true, description: 'Fitted values: fill, mean, std, indicator, categories, parts' })),
      inputs: Type.Array(Type.String(), { description: 'Names of the encoded inputs, in order' }),
      target: Type.Optional(Type.Object({ mean: Type.Number(), std: Type.Number() }, { description: 'A standardised regression target' })),
    },
    { additionalProperties: true, description: 'Raw columns → inputs, as the service encodes them (see API.md)' },
  )),
});

/** For the OpenAPI document: the binary answers and uploads. */
export const SafetensorsBinary = Type.String({ format: 'binary', description: 'safetensors: layers.<i>.weight [out,in], layers.<i>.bias [out], float32' });
export const SnapshotMultipartUpload = Type.Object({ file: SafetensorsBinary });
