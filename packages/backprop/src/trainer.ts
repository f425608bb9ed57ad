import { countCorrect, gatherRows, gatherTargets } from './batches.ts';
import type { Dataset } from './dataset.ts';
import { TrainingError } from './errors.ts';
import type { Kernel } from './kernels/kernel.ts';
import { selectKernel } from './kernels/select.ts';
import { Network } from './network.ts';
import { applyNormalization, fitNormalization } from './normalization.ts';
import { Optimizer } from './optimizer.ts';
import { Rng } from './rng.ts';
import type { Normalization, SavedModel } from './saved-model.ts';
import type { ModelSpec } from './spec.ts';
import { splitRows } from './split.ts';
import { decodeState, encodeState, type TrainingState } from './state.ts';
import type { EarlyStoppingMetric, TrainingConfig } from './training-config.ts';
import { validateJob } from './validate.ts';

export interface TrainerOptions {
  spec: ModelSpec;
  training: TrainingConfig;
  data: Dataset;
  kernel?: Kernel;
  initialWeights?: SavedModel;
}
export interface StepReport { epoch: number; step: number; stepsPerEpoch: number; totalSteps: number; loss: number }
export interface EpochMetrics { loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number }
export interface EpochReport extends EpochMetrics { epoch: number; epochs: number; step: number; samplesPerSecond: number; best: boolean }
export interface RunOptions {
  signal?: AbortSignal;
  onStep?: (report: StepReport) => void | Promise<void>;
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  stopAfterSteps?: number;
}
export interface TrainOutcome {
  status: 'completed' | 'stopped_early' | 'aborted' | 'paused';
  epochsRun: number;
  steps: number;
  metrics: EpochMetrics | null;
  samplesPerSecond: number;
  stoppedEarly: boolean;
  backend: string;
}

/** Let timers, messages and aborts through at least this often. */
const YIELD_EVERY_MS = 50;

/** Trains a dense network on a dataset with batched backprop; stops and resumes bit-identically at any step. */
export class Trainer {
  readonly backend: string;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  private readonly network: Network;
  private readonly optimizer: Optimizer;
  private readonly x: Float32Array;
  private readonly train: Uint32Array;
  private readonly validation: Uint32Array;
  private readonly batchX: Float32Array;
  private readonly batchY: Float32Array;
  private state: TrainingState;

  constructor(options: TrainerOptions, restored?: { state: TrainingState; tensors: Float32Array[] }) {
    const { spec, training, data } = options;
    const issues = validateJob(spec, training, { task: data.task, features: data.features.length, classes: data.classes?.length, rows: data.rows });
    if (issues.length > 0) throw new TrainingError('invalid_spec', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    const kernel = options.kernel ?? selectKernel();
    this.backend = kernel.name;
    const split = splitRows(data.rows, training.validationSplit, training.seed);
    this.train = split.train;
    this.validation = split.validation;
    this.stepsPerEpoch = Math.ceil(this.train.length / training.batchSize);
    this.totalSteps = this.stepsPerEpoch * training.epochs;
    const batch = Math.min(training.batchSize, Math.max(this.train.length, this.validation.length));
    this.network = new Network(spec, kernel, batch);
    this.optimizer = new Optimizer(training.optimizer, kernel, this.network);
    this.batchX = kernel.alloc(batch * spec.inputSize);
    this.batchY = kernel.alloc(batch * this.network.output.units);
    const rng = new Rng(training.seed);
    this.network.initialise(rng);
    const normalization = restored?.state.normalization ?? this.chooseNormalization(options);
    this.x = applyNormalization(data.x, spec.inputSize, normalization);
    this.state = restored?.state ?? {
      spec, training, normalization, data: { rows: data.rows, features: data.features.length, task: data.task, classes: data.classes ?? null },
      epoch: 0, stepInEpoch: 0, step: 0, lossSum: 0, samples: 0, correct: 0,
      rng: Array.from(rng.state), optimizerStep: 0, best: null, bestEpoch: 0, wait: 0, stopped: false,
      hasBest: false, lastMetrics: null, permutation: new Uint32Array(0),
    };
    this.bestWeights = this.network.layers.flatMap((l) => [kernel.alloc(l.weight.length), kernel.alloc(l.bias.length)]);
    if (restored) this.loadTensors(restored.tensors);
    else if (options.initialWeights) this.loadWeights(options.initialWeights);
    this.data = data;
  }

  private readonly data: Dataset;
  private readonly bestWeights: Float32Array[];

  static restore(bytes: Uint8Array, data: Dataset, kernel?: Kernel): Trainer {
    const { state, tensors } = decodeState(bytes);
    const d = state.data;
    if (d.rows !== data.rows || d.features !== data.features.length || d.task !== data.task || (d.classes?.length ?? 0) !== (data.classes?.length ?? 0)) {
      throw new TrainingError('bad_state', `the saved state was trained on ${d.rows}×${d.features} ${d.task} data, not ${data.rows}×${data.features.length} ${data.task}`);
    }
    return new Trainer({ spec: state.spec, training: state.training, data, kernel }, { state, tensors });
  }

  get epoch(): number { return this.state.epoch; }
  get step(): number { return this.state.step; }
  get trainRows(): number { return this.train.length; }
  get validationRows(): number { return this.validation.length; }

  async run(options: RunOptions = {}): Promise<TrainOutcome> {
    const s = this.state;
    const { training } = s;
    const started = performance.now();
    let lastYield = started;
    let samplesThisRun = 0;
    let epochStarted = started;
    let epochSamples = 0;
    const outcome = (status: TrainOutcome['status']): TrainOutcome => ({
      status, epochsRun: s.epoch, steps: s.step, metrics: s.lastMetrics, backend: this.backend, stoppedEarly: s.stopped,
      samplesPerSecond: samplesThisRun / Math.max(1e-9, (performance.now() - started) / 1000),
    });
    const rng = new Rng(Uint32Array.from(s.rng));
    while (s.epoch < training.epochs && !s.stopped) {
      if (options.signal?.aborted) return outcome('aborted');
      if (options.stopAfterSteps !== undefined && s.step >= options.stopAfterSteps) return outcome('paused');
      if (s.stepInEpoch === 0 && s.samples === 0) this.beginEpoch(rng);
      const rows = this.trainStep();
      s.rng = Array.from(rng.state);
      samplesThisRun += rows;
      epochSamples += rows;
      if (options.onStep) {
        const pending = options.onStep({ epoch: s.epoch + 1, step: s.step, stepsPerEpoch: this.stepsPerEpoch, totalSteps: this.totalSteps, loss: s.lossSum / s.samples });
        if (pending) await pending;
      }
      if (s.stepInEpoch === this.stepsPerEpoch) {
        const seconds = Math.max(1e-9, (performance.now() - epochStarted) / 1000);
        const report = this.endEpoch(epochSamples / seconds);
        if (options.onEpoch) await options.onEpoch(report);
        epochStarted = performance.now();
        epochSamples = 0;
      }
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    return outcome(s.stopped ? 'stopped_early' : 'completed');
  }

  saveState(): Uint8Array {
    const tensors = [
      ...this.network.layers.flatMap((l) => [l.weight, l.bias]),
      ...this.optimizer.first,
      ...this.optimizer.second,
      ...this.bestWeights,
    ];
    return encodeState({ ...this.state, optimizerStep: this.optimizer.t }, tensors);
  }

  model(): SavedModel {
    return this.savedModel(this.network.layers.flatMap((l) => [l.weight, l.bias]));
  }

  bestModel(): SavedModel | null {
    return this.state.hasBest ? this.savedModel(this.bestWeights) : null;
  }

  private savedModel(tensors: Float32Array[]): SavedModel {
    const model: SavedModel = {
      architecture: structuredClone(this.state.spec),
      layers: this.network.layers.map((_, i) => ({ weight: Float32Array.from(tensors[2 * i]), bias: Float32Array.from(tensors[2 * i + 1]) })),
      normalization: this.state.normalization ? structuredClone(this.state.normalization) : null,
      features: [...this.data.features],
      target: this.data.target,
    };
    if (this.data.classes) model.classes = [...this.data.classes];
    return model;
  }

  private chooseNormalization(options: TrainerOptions): Normalization | null {
    if (!options.training.normalize) return null;
    // Fine-tuning keeps the inputs the initial weights were trained on.
    if (options.initialWeights?.normalization) return structuredClone(options.initialWeights.normalization);
    return fitNormalization(options.data.x, options.spec.inputSize, splitRows(options.data.rows, options.training.validationSplit, options.training.seed).train);
  }

  private loadWeights(model: SavedModel): void {
    const expected = this.state.spec;
    if (model.architecture.inputSize !== expected.inputSize || model.layers.length !== this.network.layers.length) {
      throw new TrainingError('shape_mismatch', `initial weights have ${model.layers.length} layers on ${model.architecture.inputSize} inputs; the model has ${this.network.layers.length} layers on ${expected.inputSize}`);
    }
    this.network.layers.forEach((layer, i) => {
      const given = model.layers[i];
      if (given.weight.length !== layer.weight.length || given.bias.length !== layer.bias.length) {
        const units = model.architecture.layers[i]?.units ?? given.bias.length;
        throw new TrainingError('shape_mismatch', `layer ${i}: initial weights are [${units}, ${given.weight.length / Math.max(1, units)}], the model needs [${layer.units}, ${layer.inputs}]`);
      }
      layer.weight.set(given.weight);
      layer.bias.set(given.bias);
    });
  }

  private loadTensors(tensors: Float32Array[]): void {
    const targets = [
      ...this.network.layers.flatMap((l) => [l.weight, l.bias]),
      ...this.optimizer.first,
      ...this.optimizer.second,
      ...this.bestWeights,
    ];
    if (tensors.length !== targets.length || tensors.some((t, i) => t.length !== targets[i].length)) {
      throw new TrainingError('bad_state', 'the saved state does not fit this model: tensor count or sizes differ');
    }
    targets.forEach((target, i) => target.set(tensors[i]));
    this.optimizer.t = this.state.optimizerStep;
  }

  private beginEpoch(rng: Rng): void {
    const permutation = Uint32Array.from(this.train);
    if (this.state.training.shuffle) rng.shuffle(permutation);
    this.state.permutation = permutation;
  }

  /** One minibatch: forward, backward, update. Returns its row count. */
  private trainStep(): number {
    const s = this.state;
    const start = s.stepInEpoch * s.training.batchSize;
    const rows = Math.min(s.training.batchSize, this.train.length - start);
    const outputs = this.network.output.units;
    gatherRows(this.x, s.spec.inputSize, s.permutation, start, rows, this.batchX);
    gatherTargets(this.data, outputs, s.permutation, start, rows, this.batchY);
    const output = this.network.forward(this.batchX, rows);
    if (this.data.task === 'classification') s.correct += countCorrect(this.data, output, outputs, s.permutation, start, rows);
    const loss = this.network.backward(this.batchX, this.batchY, rows, s.training.loss);
    if (!Number.isFinite(loss)) {
      throw new TrainingError('diverged', `the loss became ${loss} at epoch ${s.epoch + 1}, step ${s.step + 1}; try a lower learning rate or normalised inputs`);
    }
    this.optimizer.step();
    s.lossSum += loss * rows;
    s.samples += rows;
    s.stepInEpoch++;
    s.step++;
    return rows;
  }

  private endEpoch(samplesPerSecond: number): EpochReport {
    const s = this.state;
    const metrics: EpochMetrics = { loss: s.lossSum / s.samples };
    if (this.data.task === 'classification') metrics.accuracy = s.correct / s.samples;
    if (this.validation.length > 0) Object.assign(metrics, this.evaluate(this.validation));
    s.epoch++;
    s.stepInEpoch = 0;
    s.lossSum = 0;
    s.samples = 0;
    s.correct = 0;
    s.lastMetrics = metrics;
    const best = this.track(metrics);
    return { ...metrics, epoch: s.epoch, epochs: s.training.epochs, step: s.step, samplesPerSecond, best };
  }

  /** Best-epoch bookkeeping and early stopping; returns whether this epoch is the best so far. */
  private track(metrics: EpochMetrics): boolean {
    const s = this.state;
    const stopping = s.training.earlyStopping;
    const metric: EarlyStoppingMetric = stopping?.metric ?? (this.validation.length > 0 ? 'valLoss' : 'loss');
    const value = metrics[metric] ?? metrics.loss;
    const higherIsBetter = metric === 'accuracy' || metric === 'valAccuracy';
    const minDelta = stopping?.minDelta ?? 0;
    const improved = s.best === null || (higherIsBetter ? value > s.best + minDelta : value < s.best - minDelta);
    if (improved) {
      s.best = value;
      s.bestEpoch = s.epoch;
      s.wait = 0;
      s.hasBest = true;
      this.network.layers.forEach((l, i) => {
        this.bestWeights[2 * i].set(l.weight);
        this.bestWeights[2 * i + 1].set(l.bias);
      });
    } else s.wait++;
    if (stopping && s.wait >= stopping.patience && s.epoch < s.training.epochs) {
      s.stopped = true;
      if (stopping.restoreBest) {
        this.network.layers.forEach((l, i) => {
          l.weight.set(this.bestWeights[2 * i]);
          l.bias.set(this.bestWeights[2 * i + 1]);
        });
      }
    }
    return improved;
  }

  /** Loss (and accuracy) over the given rows, in batches, without touching the weights. */
  private evaluate(rows: Uint32Array): { valLoss: number; valAccuracy?: number } {
    const s = this.state;
    const outputs = this.network.output.units;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows.length; start += this.network.batchSize) {
      const count = Math.min(this.network.batchSize, rows.length - start);
      gatherRows(this.x, s.spec.inputSize, rows, start, count, this.batchX);
      gatherTargets(this.data, outputs, rows, start, count, this.batchY);
      const output = this.network.forward(this.batchX, count);
      if (this.data.task === 'classification') correct += countCorrect(this.data, output, outputs, rows, start, count);
      lossSum += this.network.loss(this.batchY, count, s.training.loss) * count;
    }
    const result: { valLoss: number; valAccuracy?: number } = { valLoss: lossSum / rows.length };
    if (this.data.task === 'classification') result.valAccuracy = correct / rows.length;
    return result;
  }
}
