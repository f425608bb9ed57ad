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

/** `training.classWeights`: "balanced" (n / (k · count) per class on the training split) or a weight per label. */
export const ClassWeightsSchema = Type.Union([
  Type.Literal('balanced'),
  Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.Number({ minimum: 0 })),
]);

/** The job's `features`: a subset of the dataset's feature columns. */
export const FeatureSelectionSchema = Type.Union([
  Type.Object({ include: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ exclude: Type.Array(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }),
]);

/** The submitted `training` object: every field optional, the engine fills the rest. */
export const TrainingInputSchema = Type.Object(
  {
    epochs: Type.Optional(Type.Integer({ minimum: 1, default: 20 })),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, default: 32 })),
    optimizer: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.Enum(['sgd', 'adam'], { default: 'adam' })),
          learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Default 0.001 for adam, 0.01 for sgd' })),
          momentum: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0 })),
          nesterov: Type.Optional(Type.Boolean({ default: false })),
          beta1: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9 })),
          beta2: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.999 })),
          epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: 1e-8 })),
          weightDecay: Type.Optional(Type.Number({ minimum: 0, default: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    loss: Type.Optional(Type.With(LossSchema, {
      description: 'Default: cross_entropy after softmax, binary_cross_entropy after sigmoid on a classification, else mse',
    })),
    validationSplit: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.2 })),
    shuffle: Type.Optional(Type.Boolean({ default: true })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, default: 42 })),
    normalize: Type.Optional(Type.Boolean({ default: true, description: 'Standardise each input with the training split\'s mean and std' })),
    earlyStopping: Type.Optional(Type.With(
      Nullable(
        Type.Object(
          {
            metric: Type.Optional(Type.With(EarlyStoppingMetricSchema, { description: 'Default: valLoss with a validation split, else loss' })),
            patience: Type.Optional(Type.Integer({ minimum: 1, default: 10 })),
            minDelta: Type.Optional(Type.Number({ minimum: 0, default: 0 })),
            restoreBest: Type.Optional(Type.Boolean({ default: true })),
          },
          { additionalProperties: false },
        ),
      ),
      { default: null, description: 'null (default): train every epoch' },
    )),
    metricsEverySteps: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Also record metrics every N steps (0: per epoch only)' })),
    testSplit: Type.Optional(Type.Number({ minimum: 0, maximum: 0.5, default: 0, description: 'Stratified hold-out taken before the validation split: never trained on, only evaluated' })),
    classWeights: Type.Optional(Type.With(Nullable(ClassWeightsSchema), { default: null })),
    maxCategories: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 50, description: 'One-hot inputs per category column: its most frequent training values; the rest share one "other" input' })),
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
  // Absent only in jobs stored before real tables; read as 0, null and 50.
  testSplit: Type.Optional(Type.Number()),
  classWeights: Type.Optional(Nullable(ClassWeightsSchema)),
  maxCategories: Type.Optional(Type.Integer()),
});

export const SnapshotPolicySchema = Type.Object(
  {
    everyEpochs: Type.Optional(Type.Integer({ minimum: 1, default: 10, description: 'Periodic snapshot every N epochs' })),
    keep: Type.Optional(Type.Integer({ minimum: 0, default: 5, description: 'Periodic snapshots kept, oldest dropped first' })),
  },
  { additionalProperties: false },
);

export const WebhookEventSchema = Type.Enum(['running', 'succeeded', 'failed', 'cancelled']);
export const WebhookSchema = Type.Object(
  {
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 }),
    events: Type.Optional(Type.Array(WebhookEventSchema, { uniqueItems: true, default: ['succeeded', 'failed', 'cancelled'] })),
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
    features: Type.Optional(Nullable(FeatureSelectionSchema)),
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
    sweep: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only the trials of this sweep' })),
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

/** What a job trained from and on: enough to check it, or to train it again (`POST /v1/jobs/:id/replay`). */
export const ReceiptSchema = Type.Object({
  datasetSha256: Nullable(Type.String({ description: 'SHA-256 of the dataset as uploaded (built-ins: of their arrays)' })),
  resolvedSpec: Type.Object({}, { additionalProperties: true, description: 'The job body with every default filled in (dataset, model, training, features, snapshots, initialWeights)' }),
  seed: Type.Integer(),
  engine: Type.Object({
    version: Nullable(Type.String()),
    backend: Type.String({ description: 'native, wasm or js' }),
    threads: Nullable(Type.Integer({ description: 'GEMM threads of the kernel' })),
  }),
  weightsSha256: Nullable(Type.String({ description: 'SHA-256 of the final snapshot\'s safetensors bytes, once it exists' })),
});
export type Receipt = Static<typeof ReceiptSchema>;

/** `GET /v1/jobs/:id`: the job as the contract describes it. */
export const JobSchema = Type.Object({
  id: Type.String(),
  status: JobStatusSchema,
  dataset: Type.String(),
  model: Type.Object({ inputSize: Type.Integer(), layers: Type.Array(LayerSchema) }),
  training: TrainingConfigSchema,
  features: Nullable(FeatureSelectionSchema),
  inputSize: Type.Integer({ description: 'Encoded inputs of the first layer (one-hot, indicators and datetime parts included)' }),
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
  receipt: Nullable(ReceiptSchema),
  replayOf: Nullable(Type.String({ description: 'A replay: the job it trains again' })),
  reproduces: Nullable(Type.Object(
    { jobId: Type.String(), identical: Type.Boolean({ description: 'Final weights byte for byte equal to that job\'s' }) },
    { description: 'A replay that has succeeded: whether it reproduced the job it replays' },
  )),
  sweep: Nullable(Type.String({ description: 'A sweep\'s trial: the sweep' })),
  parameters: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'A trial\'s parameters, by path' })),
  stopReason: Nullable(Type.Enum(['early_stopping', 'pruned'], { description: 'Why training ended before its last epoch' })),
});
export type JobResponse = Static<typeof JobSchema>;

export const MetricPointSchema = Type.Object({
  epoch: Type.Integer(),
  step: Type.Integer(),
  loss: Type.Number(),
  accuracy: Type.Optional(Type.Number()),
  valLoss: Type.Optional(Type.Number()),
  valAccuracy: Type.Optional(Type.Number()),
  rmse: Type.Optional(Type.Number()),
  mae: Type.Optional(Type.Number()),
  r2: Type.Optional(Type.Number()),
  valRmse: Type.Optional(Type.Number()),
  valMae: Type.Optional(Type.Number()),
  valR2: Type.Optional(Type.Number()),
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
    inputs: Type.Optional(Type.Array(Type.Array(Nullable(Type.Number())), {
      minItems: 1, description: 'Rows of numbers in the order of the job\'s feature columns (null = missing); categories and dates go in `rows`',
    })),
    rows: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), {
      minItems: 1, description: 'Rows as objects of raw values by column name, as in the uploaded file (null or absent = missing)',
    })),
  },
  { additionalProperties: false, description: 'Exactly one of inputs and rows' },
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

const PerClassSchema = Type.Object({ label: Type.String(), precision: Type.Number(), recall: Type.Number(), f1: Type.Number(), support: Type.Integer() });

/** `GET /v1/jobs/:id/evaluation`. */
export const EvaluationSchema = Type.Object({
  jobId: Type.String(),
  snapshotId: Type.String(),
  split: Type.Enum(['test', 'validation', 'train'], { description: 'test when the job held one out (training.testSplit), else validation; train only when the job held out no rows at all' }),
  rows: Type.Integer(),
  classification: Type.Optional(Type.Object({
    accuracy: Type.Number(),
    balancedAccuracy: Type.Number(),
    logLoss: Type.Number(),
    macroF1: Type.Number(),
    weightedF1: Type.Number(),
    rocAuc: Nullable(Type.Number({ description: 'Two classes: the AUC; more: macro one-vs-rest. null when no class has both positives and negatives' })),
    perClass: Type.Array(PerClassSchema),
    confusion: Type.Object({
      labels: Type.Array(Type.String()),
      counts: Type.Array(Type.Array(Type.Integer()), { description: 'counts[i][j]: rows of true class labels[i] predicted as labels[j]' }),
    }),
  })),
  regression: Type.Optional(Type.Object({
    rmse: Type.Number(), mae: Type.Number(), r2: Type.Number(), medianAbsoluteError: Type.Number(),
    predictedVsActual: Type.Optional(Type.Array(Type.Object({ actual: Type.Number(), predicted: Type.Number() }), {
      description: 'An even sample (at most 500) of the evaluated rows, in target units, for a predicted-vs-actual plot',
    })),
  })),
  featureImportance: Type.Array(Type.Object({ feature: Type.String(), importance: Type.Number() }), {
    description: 'Permutation importance per original column: mean drop of accuracy (R² for regression) over 5 seeded shuffles, highest first',
  }),
});
export type EvaluationResponse = Static<typeof EvaluationSchema>;

export const EvaluationQuery = Type.Object(
  { snapshot: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A snapshot of this job (default: final)' })) },
  { additionalProperties: false },
);
