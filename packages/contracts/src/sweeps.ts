import { Type, type Static } from 'typebox';
import { Nullable, Timestamp } from './common.ts';
import { JobStatusSchema, JobSubmitBody } from './jobs.ts';

const Range = Type.Tuple([Type.Number(), Type.Number()]);

/** How one path of the job body varies. */
export const ParameterSpecSchema = Type.Union([
  Type.Object({ values: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
  Type.Object({ uniform: Range }, { additionalProperties: false }),
  Type.Object({ logUniform: Range }, { additionalProperties: false }),
  Type.Object({ intUniform: Range }, { additionalProperties: false }),
]);

export const OBJECTIVE_METRICS = ['valLoss', 'valAccuracy', 'valRmse', 'valR2', 'loss'] as const;

export const ObjectiveSchema = Type.Object(
  { metric: Type.Enum([...OBJECTIVE_METRICS]), goal: Type.Enum(['minimize', 'maximize']) },
  { additionalProperties: false },
);

export const PruningSchema = Type.Object(
  {
    type: Type.Literal('asha'),
    minEpochs: Type.Integer({ minimum: 1, description: 'The first rung' }),
    reductionFactor: Type.Integer({ minimum: 2, maximum: 100, description: 'Rungs at minEpochs · reductionFactor^k; the top 1/reductionFactor continue' }),
  },
  { additionalProperties: false },
);

/** `POST /v1/sweeps`. */
export const SweepSubmitBody = Type.Object(
  {
    base: JobSubmitBody,
    parameters: Type.Record(Type.String({ minLength: 1, maxLength: 200 }), ParameterSpecSchema, {
      description: 'Paths of the job body with dots (training.optimizer.learningRate, model.layers.0.units) → values | uniform | logUniform | intUniform',
    }),
    method: Type.Enum(['grid', 'random']),
    trials: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: the grid\'s size (grid); required for random' })),
    parallelism: Type.Optional(Type.Integer({ minimum: 1, description: 'Trials running at once, across all workers (default 4)' })),
    objective: ObjectiveSchema,
    pruning: Type.Optional(Nullable(PruningSchema)),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Random search seed (default 0)' })),
  },
  { additionalProperties: false },
);
export type SweepSubmitBody = Static<typeof SweepSubmitBody>;

const TrialCounts = Type.Object({
  total: Type.Integer(), queued: Type.Integer(), running: Type.Integer(), succeeded: Type.Integer(),
  failed: Type.Integer(), cancelled: Type.Integer(), pruned: Type.Integer({ description: 'Succeeded trials that pruning stopped' }),
});

export const SweepSchema = Type.Object({
  id: Type.String(),
  status: JobStatusSchema,
  method: Type.Enum(['grid', 'random']),
  dataset: Type.String(),
  parameters: Type.Record(Type.String(), ParameterSpecSchema),
  parallelism: Type.Integer(),
  pruning: Nullable(PruningSchema),
  seed: Type.Integer(),
  trials: TrialCounts,
  objective: ObjectiveSchema,
  best: Nullable(Type.Object({ jobId: Type.String(), value: Type.Number(), parameters: Type.Record(Type.String(), Type.Unknown()) })),
  cancelRequested: Type.Boolean(),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
});
export type SweepResponse = Static<typeof SweepSchema>;

/** One row of `GET /v1/sweeps/:id/trials`, the leaderboard. */
export const TrialSchema = Type.Object({
  jobId: Type.String(),
  trial: Type.Integer({ description: 'Index of the trial in the sweep' }),
  status: JobStatusSchema,
  parameters: Type.Record(Type.String(), Type.Unknown()),
  value: Nullable(Type.Number({ description: 'The objective at the trial\'s end (or its latest epoch while it runs)' })),
  epochs: Type.Integer({ description: 'Epochs completed' }),
  stopReason: Nullable(Type.String()),
});
export type TrialResponse = Static<typeof TrialSchema>;

export const SweepListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    status: Type.Optional(JobStatusSchema),
  },
  { additionalProperties: false },
);
