import { Type, type Static, type TSchema } from 'typebox';

/** ISO-8601 UTC time, e.g. 2025-01-31T12:00:00.000Z. */
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 UTC time' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorDetailSchema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'JSON path of the offending value, e.g. model.layers[1].activation' })),
    row: Type.Optional(Type.Integer({ description: 'Dataset row (1-based, header excluded)' })),
    column: Type.Optional(Type.String({ description: 'Dataset column' })),
    message: Type.String(),
    count: Type.Optional(Type.Integer({ description: 'How many values or rows have this problem (data errors are summarised per column and problem)' })),
    examples: Type.Optional(Type.Array(Type.Integer(), { description: 'Some of those rows (1-based)' })),
  }
);

/** The one error shape of every non-2xx answer. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code from the error catalogue' }),
      message: Type.String(),
      details: Type.Optional(Type.Array(ErrorDetailSchema)),
    }),
  }
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** Every list route pages this way: newest first, `nextCursor` goes into `?after=`. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    hasMore: Type.Boolean(),
    nextCursor: Nullable(Type.String({ description: 'Pass as ?after= for the next page; null on the last page' })),
  });

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, description: 'Page size: default TRAINYARD_PAGE_SIZE_DEFAULT (20), at most TRAINYARD_PAGE_SIZE_MAX (100)' })),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Cursor from the previous page' })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

/** At most 100 characters: Fastify's router answers 400 for a longer path parameter before any route. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export type IdParams = Static<typeof IdParams>;

/** Metrics of one epoch (or step): accuracy for classification, val* when a validation split exists. */
export const EpochMetricsSchema = Type.Object({
  loss: Type.Number(),
  accuracy: Type.Optional(Type.Number()),
  valLoss: Type.Optional(Type.Number()),
  valAccuracy: Type.Optional(Type.Number()),
  rmse: Type.Optional(Type.Number({ description: 'Regression, in the target\'s units' })),
  mae: Type.Optional(Type.Number()),
  r2: Type.Optional(Type.Number()),
  valRmse: Type.Optional(Type.Number()),
  valMae: Type.Optional(Type.Number()),
  valR2: Type.Optional(Type.Number()),
});
export type EpochMetrics = Static<typeof EpochMetricsSchema>;

/** Every metric besides the loss that a point or a job may carry, in the order they are shown. */
export const METRIC_NAMES = ['accuracy', 'valLoss', 'valAccuracy', 'rmse', 'mae', 'r2', 'valRmse', 'valMae', 'valR2'] as const;
