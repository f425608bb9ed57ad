import { resolveTrainingConfig, validateJob, type TrainingConfig, type TrainingInput } from '@trainyard/backprop';
import { ApiError, type ErrorDetail, type JobSubmitBody } from '@trainyard/contracts';
import type { Limits } from '@trainyard/config';
import type { DatasetInfo } from '../datasets/dataset-info.ts';
import type { StoredSpec } from './present.ts';

export const DEFAULT_SNAPSHOT_POLICY = { everyEpochs: 10, keep: 5 } as const;
export const DEFAULT_WEBHOOK_EVENTS = ['succeeded', 'failed', 'cancelled'];

/**
 * The submitted job with every default filled in, checked by the engine (422 `invalid_spec` with every
 * reason) and against the configured limits (422 `limit_exceeded`). `dataset` is null when the id is
 * unknown to this tenant. `fitInputs` gives the number of encoded inputs the job's preprocessing will have
 * (one-hot, indicators and datetime parts counted). Initial weights are checked separately (they need the database).
 */
export async function prepareJob(
  body: JobSubmitBody,
  dataset: DatasetInfo | null,
  limits: Limits,
  fitInputs: (training: TrainingConfig) => Promise<number>,
): Promise<StoredSpec> {
  if (dataset === null) {
    throw new ApiError('invalid_spec', `no dataset ${body.dataset}`, [
      { path: 'dataset', message: 'is not a built-in dataset nor one of your uploads' },
    ]);
  }
  const layers = body.model.layers;
  const output = layers[layers.length - 1];
  const training = resolveTrainingConfig(body.training as TrainingInput | undefined, {
    task: dataset.task,
    outputActivation: output.activation,
    outputUnits: output.units,
  });
  const inputs = await fitInputs(training);
  const inputSize = body.model.inputSize ?? inputs;
  checkModelLimits(inputSize, layers, limits);
  const issues = validateJob({ inputSize, layers }, training, {
    task: dataset.task,
    features: inputs,
    classes: dataset.classes?.length,
    rows: dataset.rows,
  });
  if (issues.length > 0) {
    throw new ApiError('invalid_spec', `the job cannot be trained: ${issues[0].message}`, issues.map(({ path, message }) => ({ path, message })));
  }

  const snapshots = { ...DEFAULT_SNAPSHOT_POLICY, ...body.snapshots };
  checkRunLimits(training.epochs, dataset.rows, snapshots.keep, body.metadata ?? null, limits);

  return {
    model: { inputSize, layers: layers.map(({ units, activation }) => ({ units, activation })) },
    training,
    features: body.features ?? null,
    snapshots,
    metadata: body.metadata ?? null,
    webhook: body.webhook ? { url: body.webhook.url, events: body.webhook.events ?? DEFAULT_WEBHOOK_EVENTS } : null,
    initialWeights: body.initialWeights ?? null,
  };
}

/** Weights and biases of a dense network: Σ (in·out + out). */
export function parameterCount(inputSize: number, layers: { units: number }[]): number {
  let count = 0;
  let fanIn = inputSize;
  for (const layer of layers) {
    count += fanIn * layer.units + layer.units;
    fanIn = layer.units;
  }
  return count;
}

function checkModelLimits(inputSize: number, layers: { units: number }[], limits: Limits): void {
  const problems: ErrorDetail[] = [];
  if (layers.length > limits.maxLayers) {
    problems.push({ path: 'model.layers', message: `${layers.length} layers; at most ${limits.maxLayers} (TRAINYARD_MAX_LAYERS)` });
  }
  layers.forEach((layer, i) => {
    if (layer.units > limits.maxUnitsPerLayer) {
      problems.push({ path: `model.layers[${i}].units`, message: `${layer.units} units; at most ${limits.maxUnitsPerLayer} (TRAINYARD_MAX_UNITS_PER_LAYER)` });
    }
  });
  const parameters = parameterCount(inputSize, layers);
  if (parameters > limits.maxParameters) {
    problems.push({ path: 'model', message: `${parameters} parameters; at most ${limits.maxParameters} (TRAINYARD_MAX_PARAMETERS)` });
  }
  if (problems.length > 0) throw new ApiError('limit_exceeded', 'the model is larger than this service accepts', problems);
}

function checkRunLimits(epochs: number, rows: number, keep: number, metadata: object | null, limits: Limits): void {
  const problems: ErrorDetail[] = [];
  if (epochs > limits.maxEpochs) {
    problems.push({ path: 'training.epochs', message: `${epochs} epochs; at most ${limits.maxEpochs} (TRAINYARD_MAX_EPOCHS)` });
  }
  if (epochs * rows > limits.maxComputeBudget) {
    problems.push({
      path: 'training.epochs',
      message: `epochs × rows = ${epochs} × ${rows} = ${epochs * rows}; at most ${limits.maxComputeBudget} (TRAINYARD_MAX_COMPUTE_BUDGET)`,
    });
  }
  if (keep > limits.maxSnapshotsKeep) {
    problems.push({ path: 'snapshots.keep', message: `${keep}; at most ${limits.maxSnapshotsKeep} (TRAINYARD_MAX_SNAPSHOTS_KEEP)` });
  }
  const metadataBytes = metadata === null ? 0 : Buffer.byteLength(JSON.stringify(metadata));
  if (metadataBytes > limits.maxMetadataBytes) {
    problems.push({ path: 'metadata', message: `${metadataBytes} bytes of JSON; at most ${limits.maxMetadataBytes} (TRAINYARD_MAX_METADATA_BYTES)` });
  }
  if (problems.length > 0) throw new ApiError('limit_exceeded', 'the job asks for more than this service accepts', problems);
}
