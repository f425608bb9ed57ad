import { Type, type Static } from 'typebox';
import { EpochMetricsSchema, Nullable, Timestamp } from './common.ts';

export const ActivationSchema = Type.Enum(['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'], {
  description: 'softmax is valid on the last layer only',
});
export const LossSchema = Type.Enum(['mse', 'cross_entropy', 'binary_cross_entropy']);
export const JobStatusSchema = Type.Enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export const TERMINAL_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
const EarlyStoppingMetricSchema = Type.Enum(['loss', 'valLoss', 'accuracy', 'valAccuracy']);

export const LayerSchema = Type.Object(
  { units: Type.Integer({ minimum: 1 }), activation: ActivationSchema },
  { additionalProperties: false },
);

/** The submitted `training` object: every field optional, the engine fills the rest. */
export const TrainingInputSchema = Type.Object(
  {
    epochs: Type.Optional(Type.Integer({ minimum: 1 })),
    batchSize: Type.Optional(Type.Integer({ minimum: 1 })),
    optimizer: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.Enum(['sgd', 'adam'])),
          learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          momentum: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
          nesterov: Type.Optional(Type.Boolean()),
          beta1: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
          beta2: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
          epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          weightDecay: Type.Optional(Type.Number({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    loss: Type.Optional(LossSchema),
    validationSplit: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
    shuffle: Type.Optional(Type.Boolean()),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    normalize: Type.Optional(Type.Boolean()),
    earlyStopping: Type.Optional(
      Nullable(
        Type.Object(
          {
            metric: Type.Optional(EarlyStoppingMetricSchema),
            patience: Type.Optional(Type.Integer({ minimum: 1 })),
            minDelta: Type.Optional(Type.Number({ minimum: 0 })),
            restoreBest: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    metricsEverySteps: Type.Optional(Type.Integer({ minimum: 0, description: 'Also record metrics every N steps (0: per epoch only)' })),
  },
  { additionalProperties: false },
);
export type TrainingInput = Static<typeof TrainingInputSchema>;

/** The `training` object with every default filled in (the engine's TrainingConfig). */
export const TrainingConfigSchema = Type.Object({
  epochs: Type.Integer(),
  batchSize: Type.Integer(),
  optimizer: Type.Object({
    type: Type.Enum(['sgd', 'adam']),
    learningRate: Type.Number(),
    momentum: Type.Number(),
    nesterov: Type.Boolean(),
    beta1: Type.Number(),
    beta2: Type.Number(),
    epsilon: Type.Number(),
    weightDecay: Type.Number(),
  }),
  loss: LossSchema,
  validationSplit: Type.Number(),
  shuffle: Type.Boolean(),
  seed: Type.Integer(),
  normalize: Type.Boolean(),
  earlyStopping: Nullable(
    Type.Object({ metric: EarlyStoppingMetricSchema, patience: Type.Integer(), minDelta: Type.Number(), restoreBest: Type.Boolean() }),
  ),
  metricsEverySteps: Type.Integer(),
});

export const SnapshotPolicySchema = Type.Object(
  {
    everyEpochs: Type.Optional(Type.Integer({ minimum: 1, description: 'Periodic snapshot every N epochs (default 10)' })),
    keep: Type.Optional(Type.Integer({ minimum: 0, description: 'Periodic snapshots kept, oldest dropped first (default 5)' })),
  },
  { additionalProperties: false },
);

export const WebhookEventSchema = Type.Enum(['running', 'succeeded', 'failed', 'cancelled']);
export const WebhookSchema = Type.Object(
  {
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 }),
    events: Type.Optional(Type.Array(WebhookEventSchema, { uniqueItems: true, description: 'Default: succeeded, failed, cancelled' })),
  },
  { additionalProperties: false },
);

/** `POST /v1/jobs`. */
export const JobSubmitBody = Type.Object(
  {
    dataset: Type.String({ minLength: 1, maxLength: 200, description: 'A dataset id: ds_… or builtin:<name>' }),
    model: Type.Object(
      {
        inputSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Defaults to the dataset\'s feature count' })),
        layers: Type.Array(LayerSchema, { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
    training: Type.Optional(TrainingInputSchema),
    snapshots: Type.Optional(SnapshotPolicySchema),
    initialWeights: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'A snapshot id to start from' }))),
    webhook: Type.Optional(Nullable(WebhookSchema)),
    metadata: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true, description: 'Client data, returned as given' }))),
  },
  { additionalProperties: false },
);
export type JobSubmitBody = Static<typeof JobSubmitBody>;

export const JobQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    status: Type.Optional(JobStatusSchema),
    dataset: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type JobQuery = Static<typeof JobQuery>;

export const ProgressSchema = Type.Object({
  epoch: Type.Integer({ description: 'Completed epochs' }),
  epochs: Type.Integer(),
  step: Type.Integer({ description: 'Completed steps' }),
  steps: Type.Integer({ description: 'Total steps (0 until the job starts)' }),
  fraction: Type.Number({ minimum: 0, maximum: 1 }),
});

/** `GET /v1/jobs/:id`: the job as the contract describes it. */
export const JobSchema = Type.Object({
  id: Type.String(),
  status: JobStatusSchema,
  dataset: Type.String(),
  model: Type.Object({ inputSize: Type.Integer(), layers: Type.Array(LayerSchema) }),
  training: TrainingConfigSchema,
  snapshots: Type.Object({ everyEpochs: Type.Integer(), keep: Type.Integer() }),
  metadata: Nullable(Type.Object({}, { additionalProperties: true })),
  initialWeights: Nullable(Type.String()),
  webhook: Nullable(Type.Object({ url: Type.String(), events: Type.Array(Type.String()) })),
  progress: ProgressSchema,
  metrics: Nullable(EpochMetricsSchema),
  samplesPerSecond: Nullable(Type.Number()),
  backend: Nullable(Type.String({ description: 'The engine kernel that trained it' })),
  stoppedEarly: Type.Boolean(),
  cancelRequested: Type.Boolean(),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  bestSnapshot: Nullable(Type.String({ description: 'Snapshot id of the best epoch so far' })),
  finalSnapshot: Nullable(Type.String({ description: 'Snapshot id of the final weights' })),
});
export type JobResponse = Static<typeof JobSchema>;

export const MetricPointSchema = Type.Object({
  epoch: Type.Integer(),
  step: Type.Integer(),
  loss: Type.Number(),
  accuracy: Type.Optional(Type.Number()),
  valLoss: Type.Optional(Type.Number()),
  valAccuracy: Type.Optional(Type.Number()),
  at: Timestamp,
});
export type MetricPointResponse = Static<typeof MetricPointSchema>;

export const MetricsQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'Only points with a larger step' })),
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type MetricsQuery = Static<typeof MetricsQuery>;

export const PredictBody = Type.Object(
  {
    inputs: Type.Array(Type.Array(Type.Number()), { minItems: 1, description: 'Rows of raw feature values, in dataset order' }),
  },
  { additionalProperties: false },
);
export type PredictBody = Static<typeof PredictBody>;

export const PredictQuery = Type.Object(
  { snapshot: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A snapshot of this job (default: final)' })) },
  { additionalProperties: false },
);

export const PredictResponse = Type.Object({
  outputs: Type.Array(Type.Array(Type.Number())),
  labels: Type.Optional(Type.Array(Type.String(), { description: 'Predicted class label per row (classification)' })),
  snapshot: Type.String({ description: 'The snapshot whose weights answered' }),
});
