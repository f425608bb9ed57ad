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

export const WeightsQuery = Type.Object(
  { format: Type.Optional(Type.Enum(['safetensors', 'json', 'onnx'], { description: 'safetensors (default), json, or onnx: one graph from the raw columns (preprocessing included) to outputs and label' })) },
  { additionalProperties: false },
);
export type WeightsQuery = Static<typeof WeightsQuery>;

export const JobWeightsQuery = Type.Object(
  {
    format: Type.Optional(Type.Enum(['safetensors', 'json', 'onnx'], { description: 'safetensors (default), json, or onnx: one graph from the raw columns (preprocessing included) to outputs and label' })),
    which: Type.Optional(Type.Enum(['final', 'best'])),
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
});

/** For the OpenAPI document: the binary answers and uploads. */
export const SafetensorsBinary = Type.String({ format: 'binary', description: 'safetensors: layers.<i>.weight [out,in], layers.<i>.bias [out], float32' });
export const SnapshotMultipartUpload = Type.Object({ file: SafetensorsBinary });
