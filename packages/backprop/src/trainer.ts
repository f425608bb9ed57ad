import { gatherRows, gatherTargets } from './batches.ts';
import type { Dataset } from './dataset.ts';
import { datasetFingerprint, datasetIssues } from './dataset-check.ts';
import { EpochTracker, initialTrackerState, trackedMetric } from './early-stopping.ts';
import { TrainingError } from './errors.ts';
import { EventLoopYielder } from './event-loop.ts';
import type { Kernel } from './kernels/kernel.ts';
import { selectKernel } from './kernels/select.ts';
import { countCorrect, type EpochMetrics } from './metrics.ts';
import type { EpochReport, RunOptions, TrainOutcome } from './run-reports.ts';
import { Network } from './network.ts';
import { applyNormalization, fitNormalization } from './normalization.ts';
import { allocCodes } from './one-hot.ts';
import { Optimizer } from './optimizer.ts';
import { Rng } from './rng.ts';
import type { Normalization, SavedModel } from './saved-model.ts';
import type { ModelSpec } from './spec.ts';
import { splitRows } from './split.ts';
import { decodeState, encodeState, type DataIdentity, type SavedState, type TrainingProgress } from './state.ts';
import type { TrainingConfig } from './training-config.ts';
import { validateJob } from './validate.ts';
import { checkWeightShapes } from './weight-shapes.ts';
import { regressionMetrics, sumErrors, totalSquares } from './regression-metrics.ts';

export type { EpochMetrics } from './metrics.ts';
export type { EpochReport, RunOptions, StepReport, TrainOutcome } from './run-reports.ts';

export interface TrainerOptions {
  spec: ModelSpec;
  training: TrainingConfig;
  data: Dataset;
  /** Default: selectKernel(). */
  kernel?: Kernel;
  /** Start from these weights instead of the seeded initialisation (shapes must match). */
  initialWeights?: SavedModel;
  /** Input standardisation fitted elsewhere (a preprocessing): used as given instead of fitting one. */
  normalization?: Normalization | null;
}

/** Let timers, messages and aborts through at least this often. */
const YIELD_EVERY_MS = 50;

/**
 * Trains a dense network on a dataset with batched backprop. Deterministic: the same spec, data,
 * config and kernel give bit-identical weights, also across saveState → restore at any step boundary.
 */
export class Trainer {
  readonly backend: string;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  private readonly spec: ModelSpec;
  private readonly training: TrainingConfig;
  private readonly data: Dataset;
  private readonly identity: DataIdentity;
  private readonly normalization: Normalization | null;
  private readonly network: Network;
  private readonly optimizer: Optimizer;
  private readonly rng: Rng;
  private readonly progress: TrainingProgress;
  private readonly tracker: EpochTracker;
  /** Normalised features, rows×inputSize. */
  private readonly x: Float32Array;
  private readonly train: Uint32Array;
  private readonly validation: Uint32Array;
  /** Row order of the epoch in progress: the training rows, shuffled per epoch. */
  private readonly permutation: Uint32Array;
  /** Minibatch inputs (batch×inputSize), targets (batch×outputs) and row weights (batch; only with data.weights). */
  private readonly batchX: Float32Array;
  private readonly batchY: Float32Array;
  private readonly batchWeights: Float32Array | undefined;
  /** Width of x's rows: inputSize, less the one-hot blocks given as codes (data.oneHot). */
  private readonly denseWidth: number;
  /** Minibatch codes per one-hot block (only with data.oneHot). */
  private readonly batchCodes: Int32Array[] | undefined;
  /** Regression: target units per unit of y (y was standardised), and Σ(y − ȳ)² of each split in target units. */
  private readonly targetStd: number;
  private readonly trainTotalSquares: number;
  private readonly validationTotalSquares: number;
  /** Weights and biases of the best epoch, interleaved per layer like `parameters`. */
  private readonly bestWeights: Float32Array[];
  private running = false;

  /** Throws TrainingError 'invalid_spec' (with every issue) or 'shape_mismatch' (initialWeights). */
  constructor(options: TrainerOptions);
  /** @internal restore's path: the saved state replaces initialisation. */
  constructor(options: TrainerOptions, saved: SavedState);
  constructor(options: TrainerOptions, saved?: SavedState) {
    const { spec, training, data } = options;
    checkJob(spec, training, data);
    const kernel = options.kernel ?? selectKernel();
    this.backend = kernel.name;
    this.spec = structuredClone(spec);
    this.training = structuredClone(training);
    this.data = data;
    this.identity = identify(data);

    const { train, validation } = data.split ?? splitRows(data.rows, training.validationSplit, training.seed);
    this.train = train;
    this.validation = validation;
    this.stepsPerEpoch = Math.ceil(train.length / training.batchSize);
    this.totalSteps = this.stepsPerEpoch * training.epochs;
    this.permutation = new Uint32Array(train.length);

    // Buffers are sized once for the largest batch this run will see, training or validation.
    const batch = Math.min(training.batchSize, Math.max(train.length, validation.length));
    this.network = new Network(this.spec, kernel, batch, data.oneHot?.blocks);
    this.optimizer = new Optimizer(this.training.optimizer, kernel, this.network);
    this.denseWidth = this.network.layers[0].denseInputs;
    this.batchX = kernel.alloc(batch * this.denseWidth);
    this.batchCodes = data.oneHot?.blocks.map(() => allocCodes(kernel, batch));
    this.batchY = kernel.alloc(batch * this.network.output.units);
    this.batchWeights = data.weights ? kernel.alloc(batch) : undefined;
    this.targetStd = data.preprocessing?.target?.std ?? 1;
    this.trainTotalSquares = data.task === 'regression' ? totalSquares(data.y, train) * this.targetStd ** 2 : 0;
    this.validationTotalSquares = data.task === 'regression' ? totalSquares(data.y, validation) * this.targetStd ** 2 : 0;
    this.bestWeights = this.parameters().map((p) => kernel.alloc(p.length));
    this.rng = new Rng(training.seed);
    this.network.initialise(this.rng);

    if (saved) {
      this.normalization = saved.normalization;
      this.progress = saved.progress;
      this.loadSaved(saved);
    } else {
      this.normalization = options.normalization !== undefined ? structuredClone(options.normalization) : this.chooseNormalization(options.initialWeights);
      this.progress = {
        epoch: 0, stepInEpoch: 0, step: 0, lossSum: 0, samples: 0, correct: 0, lastMetrics: null, tracker: initialTrackerState(),
      };
      if (options.initialWeights) this.loadInitialWeights(options.initialWeights);
    }
    this.x = data.oneHot ? normalizeDense(data, this.denseWidth, this.normalization) : applyNormalization(data.x, spec.inputSize, this.normalization);
    this.tracker = new EpochTracker(trackedMetric(training.earlyStopping, validation.length > 0), training.earlyStopping, this.progress.tracker);
  }

  /** Continues a run from saveState() bytes, on the same dataset; TrainingError('bad_state') otherwise. */
  static restore(state: Uint8Array, data: Dataset, kernel?: Kernel): Trainer {
    const saved = decodeState(state);
    const was = saved.data;
    const now = identify(data);
    if (was.rows !== now.rows || was.features !== now.features || was.task !== now.task || was.classes !== now.classes) {
      throw new TrainingError('bad_state', `the saved state was trained on ${was.rows}×${was.features} ${was.task} data, not ${now.rows}×${now.features} ${now.task}`);
    }
    if (was.fingerprint !== now.fingerprint) {
      throw new TrainingError('bad_state', 'the saved state was trained on other data of the same shape (dataset checksum differs)');
    }
    try {
      return new Trainer({ spec: saved.spec, training: saved.training, data, kernel }, saved);
    } catch (error) {
      if (error instanceof TrainingError && error.code === 'invalid_spec') {
        throw new TrainingError('bad_state', `the saved state holds a job that cannot train: ${error.message}`, error.details);
      }
      throw error;
    }
  }

  /** Completed epochs. */
  get epoch(): number {
    return this.progress.epoch;
  }

  /** Steps done in all. */
  get step(): number {
    return this.progress.step;
  }

  get trainRows(): number {
    return this.train.length;
  }

  get validationRows(): number {
    return this.validation.length;
  }

  /**
   * Trains from the current cursor until the last epoch, early stopping, an abort or `stopAfterSteps`.
   * Throws TrainingError('diverged') when a loss becomes NaN or infinite.
   */
  async run(options: RunOptions = {}): Promise<TrainOutcome> {
    if (this.running) throw new Error('Trainer.run is already in progress');
    this.running = true;
    try {
      return await this.loop(options);
    } finally {
      this.running = false;
    }
  }

  /** The whole resumable state, as bytes; valid at any step boundary (in callbacks or after run). */
  saveState(): Uint8Array {
    return encodeState({
      spec: this.spec,
      training: this.training,
      normalization: this.normalization,
      data: this.identity,
      progress: this.progress,
      rng: Array.from(this.rng.state),
      optimizerStep: this.optimizer.t,
      permutation: this.permutation,
      tensors: this.tensors(),
    });
  }

  /** A copy of the current weights, with normalisation and the dataset's labels. */
  model(): SavedModel {
    return this.savedModel(this.parameters());
  }

  /** A copy of the best epoch's weights (see EpochReport.best); null before the first epoch ends. */
  bestModel(): SavedModel | null {
    return this.progress.tracker.best === null ? null : this.savedModel(this.bestWeights);
  }

  private async loop({ signal, onStep, onEpoch, stopAfterSteps }: RunOptions): Promise<TrainOutcome> {
    const p = this.progress;
    const yielder = new EventLoopYielder(YIELD_EVERY_MS);
    const started = performance.now();
    let samples = 0;
    let epochStarted = started;
    let epochSamples = 0;
    const outcome = (status: TrainOutcome['status']): TrainOutcome => ({
      status, epochsRun: p.epoch, steps: p.step, metrics: p.lastMetrics, stoppedEarly: p.tracker.stopped, backend: this.backend,
      samplesPerSecond: samples / Math.max(1e-9, (performance.now() - started) / 1000),
    });
    for (;;) {
      if (signal?.aborted) return outcome('aborted');
      // Also reached right after a restore from a state saved in onStep on an epoch's last step.
      if (p.stepInEpoch === this.stepsPerEpoch) {
        const seconds = Math.max(1e-9, (performance.now() - epochStarted) / 1000);
        const report = await this.endEpoch(epochSamples / seconds, yielder);
        if (onEpoch) await onEpoch(report);
        epochStarted = performance.now();
        epochSamples = 0;
        continue;
      }
      if (p.tracker.stopped) return outcome('stopped_early');
      if (p.epoch >= this.training.epochs) return outcome('completed');
      if (stopAfterSteps !== undefined && p.step >= stopAfterSteps) return outcome('paused');
      if (p.stepInEpoch === 0) this.beginEpoch();
      const rows = this.trainStep();
      samples += rows;
      epochSamples += rows;
      if (onStep) {
        const loss = this.inTargetUnits(p.lossSum / p.samples);
        const pending = onStep({ epoch: p.epoch + 1, step: p.step, stepsPerEpoch: this.stepsPerEpoch, totalSteps: this.totalSteps, loss });
        if (pending) await pending;
      }
      if (yielder.due()) await yielder.yield();
    }
  }

  private beginEpoch(): void {
    this.permutation.set(this.train);
    if (this.training.shuffle) this.rng.shuffle(this.permutation);
  }

  /** One minibatch of the epoch in progress: forward, loss and δ, backward, update. Returns its row count. */
  private trainStep(): number {
    const p = this.progress;
    const { batchSize, loss } = this.training;
    const start = p.stepInEpoch * batchSize;
    const rows = Math.min(batchSize, this.train.length - start); // the last batch may be partial
    const outputs = this.network.output.units;
    if (!this.network.kernel.gatherRows?.(this.x, this.denseWidth, this.permutation, start, rows, this.batchX)) {
      gatherRows(this.x, this.denseWidth, this.permutation, start, rows, this.batchX);
    }
    const codes = this.gatherCodes(this.permutation, start, rows);
    gatherTargets(this.data, outputs, this.permutation, start, rows, this.batchY);
    const weights = this.gatherWeights(this.permutation, start, rows);
    const output = this.network.forward(this.batchX, rows, codes);
    const correct = this.data.task === 'classification' ? countCorrect(this.data, output, outputs, this.permutation, start, rows) : 0;
    if (this.data.task === 'regression') this.addErrors(output, rows);
    const fused = this.optimizer.fusedSgd;
    const value = this.network.backward(this.batchX, this.batchY, rows, loss, fused, weights, codes);
    if (!Number.isFinite(value)) {
      throw new TrainingError('diverged', `the training loss became ${value} at epoch ${p.epoch + 1}, step ${p.step + 1}; try a lower learning rate or normalised inputs`);
    }
    this.optimizer.step(fused !== undefined);
    p.lossSum += value * rows;
    p.samples += rows;
    p.correct += correct;
    p.stepInEpoch++;
    p.step++;
    return rows;
  }

  /** Epoch metrics, validation, best-weights bookkeeping and early stopping. */
  private async endEpoch(samplesPerSecond: number, yielder: EventLoopYielder): Promise<EpochReport> {
    const p = this.progress;
    const metrics: EpochMetrics = { loss: this.inTargetUnits(p.lossSum / p.samples) };
    if (this.data.task === 'classification') metrics.accuracy = p.correct / p.samples;
    else Object.assign(metrics, regressionMetrics(p.squaredError ?? 0, p.absoluteError ?? 0, p.samples, this.trainTotalSquares));
    if (this.validation.length > 0) {
      const { loss, accuracy, squaredError, absoluteError } = await this.evaluateRows(this.validation, yielder);
      if (!Number.isFinite(loss)) throw new TrainingError('diverged', `the validation loss became ${loss} after epoch ${p.epoch + 1}`);
      metrics.valLoss = this.inTargetUnits(loss);
      if (accuracy !== undefined) metrics.valAccuracy = accuracy;
      if (this.data.task === 'regression') {
        const { rmse, mae, r2 } = regressionMetrics(squaredError, absoluteError, this.validation.length, this.validationTotalSquares);
        Object.assign(metrics, { valRmse: rmse, valMae: mae, valR2: r2 });
      }
    }
    p.epoch++;
    p.stepInEpoch = 0;
    p.lossSum = 0;
    p.samples = 0;
    p.correct = 0;
    if (this.data.task === 'regression') p.squaredError = p.absoluteError = 0;
    p.lastMetrics = metrics;
    const best = this.tracker.record(metrics, p.epoch, this.training.epochs);
    const parameters = this.parameters();
    if (best) {
      parameters.forEach((w, i) => this.bestWeights[i].set(w));
      p.bestMetrics = metrics;
    }
    if (p.tracker.stopped && this.training.earlyStopping?.restoreBest) {
      parameters.forEach((w, i) => w.set(this.bestWeights[i]));
      // The weights are the best epoch's again, so the metrics reported with them are too.
      p.lastMetrics = p.bestMetrics ?? metrics;
    }
    return { ...metrics, epoch: p.epoch, epochs: this.training.epochs, step: p.step, samplesPerSecond, best };
  }

  /**
   * Mean loss (and accuracy, or squared and absolute errors in target units) over the given rows, in batches
   * through the preallocated buffers; weights untouched.
   */
  private async evaluateRows(rows: Uint32Array, yielder: EventLoopYielder): Promise<{ loss: number; accuracy?: number; squaredError: number; absoluteError: number }> {
    const outputs = this.network.output.units;
    let lossSum = 0;
    let correct = 0;
    let squaredError = 0;
    let absoluteError = 0;
    for (let start = 0; start < rows.length; start += this.network.batchSize) {
      const count = Math.min(this.network.batchSize, rows.length - start);
      gatherRows(this.x, this.denseWidth, rows, start, count, this.batchX);
      const codes = this.gatherCodes(rows, start, count);
      gatherTargets(this.data, outputs, rows, start, count, this.batchY);
      const weights = this.gatherWeights(rows, start, count);
      const output = this.network.forward(this.batchX, count, codes);
      if (this.data.task === 'classification') correct += countCorrect(this.data, output, outputs, rows, start, count);
      else {
        const sums = sumErrors(output, this.batchY, count, this.targetStd);
        squaredError += sums.squared;
        absoluteError += sums.absolute;
      }
      lossSum += this.network.loss(this.batchY, count, this.training.loss, weights) * count;
      if (yielder.due()) await yielder.yield();
    }
    const loss = lossSum / rows.length;
    return this.data.task === 'classification'
      ? { loss, accuracy: correct / rows.length, squaredError, absoluteError }
      : { loss, squaredError, absoluteError };
  }

  /** The row weights of order[start … start + rows) into the batch buffer; undefined when every row weighs 1. */
  private gatherWeights(order: Uint32Array, start: number, rows: number): Float32Array | undefined {
    const weights = this.data.weights;
    const out = this.batchWeights;
    if (!weights || !out) return undefined;
    for (let r = 0; r < rows; r++) out[r] = weights[order[start + r]];
    return out;
  }

  /** Adds a training batch's errors (output rows×1 against batchY), in target units, to the epoch's sums. */
  private addErrors(output: Float32Array, rows: number): void {
    const p = this.progress;
    const { squared, absolute } = sumErrors(output, this.batchY, rows, this.targetStd);
    p.squaredError = (p.squaredError ?? 0) + squared;
    p.absoluteError = (p.absoluteError ?? 0) + absolute;
  }

  /** A loss in y's units → the target's: mse scales with std² when the targets were standardised. */
  private inTargetUnits(loss: number): number {
    return this.data.task === 'regression' && this.training.loss === 'mse' ? loss * this.targetStd ** 2 : loss;
  }

  /** Weight and bias of every layer: [W0, b0, W1, b1, …]. */
  private parameters(): Float32Array[] {
    return this.network.layers.flatMap((layer) => [layer.weight, layer.bias]);
  }

  /** Everything saveState stores besides the header, in a fixed order. */
  private tensors(): Float32Array[] {
    return [...this.parameters(), ...this.optimizer.first, ...this.optimizer.second, ...this.bestWeights];
  }

  private loadSaved(saved: SavedState): void {
    const targets = this.tensors();
    if (saved.tensors.length !== targets.length || saved.tensors.some((t, i) => t.length !== targets[i].length)) {
      throw new TrainingError('bad_state', 'the saved state does not fit its model: tensor count or sizes differ');
    }
    if (saved.permutation.length !== this.permutation.length || saved.permutation.some((row) => row >= this.data.rows)) {
      throw new TrainingError('bad_state', `the saved row order does not fit ${this.train.length} training rows`);
    }
    const { epoch, stepInEpoch, step } = saved.progress;
    if (!(stepInEpoch >= 0 && stepInEpoch <= this.stepsPerEpoch && epoch >= 0 && epoch <= this.training.epochs && step === epoch * this.stepsPerEpoch + stepInEpoch)) {
      throw new TrainingError('bad_state', `the saved cursor (epoch ${epoch}, step ${stepInEpoch} of the epoch, ${step} in all) does not fit ${this.stepsPerEpoch} steps per epoch`);
    }
    targets.forEach((target, i) => target.set(saved.tensors[i]));
    this.permutation.set(saved.permutation);
    this.rng.state.set(saved.rng);
    this.optimizer.t = saved.optimizerStep;
  }

  /** Fine-tuning keeps the normalisation the initial weights were trained with; otherwise fit on the training rows. */
  /** Each one-hot block's codes of rows order[start … start + count), or undefined without data.oneHot. */
  private gatherCodes(order: Uint32Array, start: number, count: number): Int32Array[] | undefined {
    const all = this.data.oneHot?.codes;
    const out = this.batchCodes;
    if (all === undefined || out === undefined) return undefined;
    for (let b = 0; b < all.length; b++) {
      const from = all[b];
      const to = out[b];
      for (let r = 0; r < count; r++) to[r] = from[order[start + r]];
    }
    return out;
  }

  private chooseNormalization(initialWeights: SavedModel | undefined): Normalization | null {
    if (!this.training.normalize) return null;
    if (initialWeights?.normalization) return structuredClone(initialWeights.normalization);
    if (this.data.oneHot) {
      throw new TrainingError('invalid_spec', 'one-hot inputs given as codes cannot have their normalisation fitted: give the preprocessing\'s (normalization) or train with normalize: false');
    }
    return fitNormalization(this.data.x, this.spec.inputSize, this.train);
  }

  private loadInitialWeights(model: SavedModel): void {
    checkWeightShapes(model, this.spec);
    this.network.layers.forEach((layer, i) => {
      layer.weight.set(model.layers[i].weight);
      layer.bias.set(model.layers[i].bias);
    });
  }

  private savedModel(parameters: Float32Array[]): SavedModel {
    const model: SavedModel = {
      architecture: structuredClone(this.spec),
      layers: this.network.layers.map((_, i) => ({ weight: Float32Array.from(parameters[2 * i]), bias: Float32Array.from(parameters[2 * i + 1]) })),
      normalization: this.normalization ? structuredClone(this.normalization) : null,
      features: [...this.data.features],
      target: this.data.target,
    };
    if (this.data.preprocessing) model.preprocessing = structuredClone(this.data.preprocessing);
    if (this.data.classes) model.classes = [...this.data.classes];
    return model;
  }
}

/** Every problem of spec, config and data at once, as TrainingError('invalid_spec'). */
function checkJob(spec: ModelSpec, training: TrainingConfig, data: Dataset): void {
  let issues = validateJob(spec, training, { task: data.task, features: data.features.length, classes: data.classes?.length, rows: data.rows });
  if (issues.length === 0) issues = datasetIssues(data, spec);
  if (issues.length > 0) {
    throw new TrainingError('invalid_spec', `the job cannot be trained: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
}

/**
 * x of a dataset with one-hot codes, normalised: allowed only where the blocks' inputs are left as they
 * are (mean 0, std 1, as a preprocessing's normalisation has them), so that it equals normalising the
 * materialised x. The dense columns take their own mean and std.
 */
function normalizeDense(data: Dataset, denseWidth: number, normalization: Normalization | null): Float32Array {
  if (!normalization) return data.x;
  const covered = new Uint8Array(data.features.length);
  for (const b of data.oneHot!.blocks) covered.fill(1, b.offset, b.offset + b.levels);
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < covered.length; j++) {
    if (covered[j] === 0) {
      mean.push(normalization.mean[j]);
      std.push(normalization.std[j]);
    } else if (normalization.mean[j] !== 0 || normalization.std[j] !== 1) {
      throw new TrainingError('invalid_spec', `one-hot input ${data.features[j]} is given as codes and cannot be standardised (mean ${normalization.mean[j]}, std ${normalization.std[j]})`);
    }
  }
  return applyNormalization(data.x, denseWidth, { ...normalization, mean, std });
}

function identify(data: Dataset): DataIdentity {
  return { rows: data.rows, features: data.features.length, task: data.task, classes: data.classes?.length ?? 0, fingerprint: datasetFingerprint(data) };
}
