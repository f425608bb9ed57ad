// Job.spec as the API stores it, checked again by the worker: the queue says "train this id", never "trust this".
import { FeatureSelectionSchema, LayerSchema, TrainingConfigSchema } from '@trainyard/contracts';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { JobFailure } from './job-failure.ts';

export const StoredJobSpecSchema = Type.Object({
  model: Type.Object({
    inputSize: Type.Optional(Type.Integer({ minimum: 1 })),
    layers: Type.Array(LayerSchema, { minItems: 1 }),
  }),
  training: TrainingConfigSchema,
  snapshots: Type.Object({ everyEpochs: Type.Integer({ minimum: 1 }), keep: Type.Integer({ minimum: 0 }) }),
  initialWeights: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  features: Type.Optional(Type.Union([FeatureSelectionSchema, Type.Null()])),
});
export type StoredJobSpec = Static<typeof StoredJobSpecSchema>;

const validator = Compile(StoredJobSpecSchema);

export function parseStoredSpec(spec: unknown): StoredJobSpec {
  if (validator.Check(spec)) return spec;
  const details = validator.Errors(spec).map((error) => ({
    path: error.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(spec)',
    message: error.message,
  }));
  throw new JobFailure('invalid_spec', `the stored job spec is not valid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
}
