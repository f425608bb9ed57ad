// The training thread: runs the engine off the worker's main event loop (which keeps renewing the BullMQ
// lock and writing to PostgreSQL) and reports steps, epochs and the end as messages. A thread started with
// workerData trains that one job and exits; a pooled thread stays warm (its modules and the engine's kernel
// loaded) and trains each job a `train` message brings, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import {
  DatasetError, decodeDatasetArrays, decodeSafetensors, encodeSafetensors, loadBuiltin, selectKernel, Trainer, TrainingError,
  type EpochReport, type Kernel, type SavedModel, type StepReport,
} from '@trainyard/backprop';
import { dataOptionsOf, evaluateModel, prepareSource, type DatasetSource, type FittedPreprocessing, type ModelEvaluation, type TrainingData } from '@trainyard/tabular';
import {
  MAX_UNWRITTEN_BYTES, MAX_UNWRITTEN_MESSAGES,
  type BestModel, type FromThread, type ThreadDataset, type ThreadInput, type ToThread,
} from './thread-protocol.ts';
import { standalone, transferList } from './transfer.ts';

/** An error whose code ends the job (see the error catalogue). */
class ThreadFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const port = parentPort!;
// The job being trained, and its exchange with the main thread (reset by each job's begin()).
let input: ThreadInput;
let stop = new AbortController();
/** A stop that ends the job with the weights it has (a pruned sweep trial). */
let keepModel = false;
/** Byte sizes of the recorded messages the main thread has not written yet, oldest first. */
let unwritten: number[] = [];
let unwrittenBytes = 0;
let caughtUp: (() => void) | null = null;
let drained: (() => void) | null = null;
let rungs = new Set<number>();

function begin(job: ThreadInput): void {
  input = job;
  stop = new AbortController();
  keepModel = false;
  unwritten = [];
  unwrittenBytes = 0;
  caughtUp = drained = null;
  rungs = new Set(job.rungs ?? []);
}
port.on('message', (message: ToThread) => {
  if (message.type === 'train') void runJob(message.input);
  if (message.type === 'stop') {
    keepModel ||= message.keepModel === true;
    stop.abort();
  }
  if (message.type === 'ack') {
    for (const bytes of unwritten.splice(0, message.count)) unwrittenBytes -= bytes;
    if (!behind() && caughtUp) {
      caughtUp();
      caughtUp = null;
    }
    if (unwritten.length === 0 && drained) {
      drained();
      drained = null;
    }
  }
});

const behind = () => unwritten.length > MAX_UNWRITTEN_MESSAGES || unwrittenBytes > MAX_UNWRITTEN_BYTES;

/** Posts a message the main thread records and acknowledges. */
function record(message: FromThread): void {
  post(message);
  const bytes = transferList(...payloads(message)).reduce((sum, buffer) => sum + buffer.byteLength, 0);
  unwritten.push(bytes);
  unwrittenBytes += bytes;
}

/** At a sweep's rung, training waits until everything it reported is written: the rung's decision is taken by then. */
function allWritten(): Promise<void> {
  if (unwritten.length === 0) return Promise.resolve();
  return new Promise((resolve) => (drained = resolve));
}

/** Training pauses (between steps) only while the database is far behind. */
function backpressure(): Promise<void> | undefined {
  if (!behind()) return undefined;
  return new Promise((resolve) => (caughtUp = resolve));
}

function payloads(message: FromThread): (Uint8Array | null)[] {
  switch (message.type) {
    case 'checkpoint':
      return [message.state, message.best?.weights ?? null];
    case 'epoch':
      return [message.state, message.best?.weights ?? null, message.periodic];
    case 'done':
      return [message.state, message.best?.weights ?? null, message.final];
    default:
      return [];
  }
}

function post(message: FromThread): void {
  port.postMessage(message, transferList(...payloads(message)));
}

const encode = (trainer: Trainer) => standalone(encodeSafetensors(trainer.model()));
const saveState = (trainer: Trainer) => standalone(trainer.saveState());

async function train(): Promise<void> {
  const initialWeights = readInitialWeights();
  const data = prepare(loadDataset(input.dataset), initialWeights);
  const kernel = chooseKernel();
  const { trainer, resumedFromStep, restartReason } = createTrainer(data, kernel, initialWeights);
  post({
    type: 'started', backend: trainer.backend, threads: kernel.threads, epoch: trainer.epoch, step: trainer.step,
    stepsPerEpoch: trainer.stepsPerEpoch, totalSteps: trainer.totalSteps, resumedFromStep, restartReason,
  });

  const { snapshotEveryEpochs, checkpointIntervalMs, progressIntervalMs } = input;
  const metricsEverySteps = input.training.metricsEverySteps;
  let lastCheckpoint = performance.now();
  let lastProgress = lastCheckpoint;
  let windowStart = lastCheckpoint;
  let windowStep = trainer.step;
  // The best epoch's weights are sent with checkpoints and at the end, not at every improvement: the
  // best snapshot the database holds is never newer than its checkpoint, and a resume stays consistent.
  let bestUnsent: EpochReport | null = null;
  const bestIfUnsent = (): BestModel | null => {
    const report = bestUnsent;
    const model = trainer.bestModel();
    bestUnsent = null;
    return report === null || model === null ? null : { report, weights: standalone(encodeSafetensors(model)) };
  };

  const onStep = (report: StepReport): Promise<void> | undefined => {
    if (metricsEverySteps > 0 && report.step % metricsEverySteps === 0) {
      record({ type: 'stepMetrics', epoch: report.epoch, step: report.step, loss: report.loss });
    }
    const now = performance.now();
    if (now - lastCheckpoint >= checkpointIntervalMs) {
      lastCheckpoint = now;
      record({ type: 'checkpoint', epoch: trainer.epoch, step: report.step, state: saveState(trainer), best: bestIfUnsent() });
    }
    if (now - lastProgress >= progressIntervalMs) {
      const samplesPerSecond = ((report.step - windowStep) * input.training.batchSize * 1000) / Math.max(now - windowStart, 1);
      lastProgress = windowStart = now;
      windowStep = report.step;
      post({ type: 'progress', epoch: trainer.epoch, step: report.step, samplesPerSecond });
    }
    return backpressure();
  };

  const onEpoch = (report: EpochReport): Promise<void> | undefined => {
    if (report.best) bestUnsent = report;
    const now = performance.now();
    // One checkpoint per interval, at the first step or epoch end past it (epochs of a fraction of a second
    // would otherwise write the whole training state several times a second), and at the last epoch.
    const checkpointDue = now - lastCheckpoint >= checkpointIntervalMs || trainer.step === trainer.totalSteps;
    if (checkpointDue) lastCheckpoint = now;
    const periodicDue = snapshotEveryEpochs > 0 && report.epoch % snapshotEveryEpochs === 0;
    record({
      type: 'epoch', report,
      state: checkpointDue ? saveState(trainer) : null,
      best: checkpointDue ? bestIfUnsent() : null,
      periodic: periodicDue ? encode(trainer) : null,
    });
    if (rungs.has(report.epoch)) return allWritten();
    return backpressure();
  };

  const outcome = await trainer.run({ signal: stop.signal, onStep, onEpoch });
  const finished = outcome.status === 'completed' || outcome.status === 'stopped_early' || keepModel;
  const final = finished ? trainer.model() : null;
  post({
    type: 'done', outcome, epoch: trainer.epoch, step: trainer.step,
    final: final ? standalone(encodeSafetensors(final)) : null, state: saveState(trainer), best: bestIfUnsent(),
    // A pruned trial is evaluated only if asked (GET …/evaluation computes it): its sweep has moved on.
    evaluation: final && !(keepModel && outcome.status === 'aborted') ? evaluate(final, data, kernel) : null,
  });
}

/** The final model on the held-out rows; null if that fails (the API evaluates again when asked). */
function evaluate(model: SavedModel, data: TrainingData, kernel: Kernel): ModelEvaluation | null {
  try {
    return evaluateModel(model, data, input.training.seed, kernel);
  } catch {
    return null;
  }
}

/** The table → the engine's dataset: split, preprocessing fitted on the training rows (or the initial weights'), rows encoded. */
function prepare(source: DatasetSource, initialWeights: SavedModel | undefined): TrainingData {
  const { training } = input;
  try {
    return prepareSource(source, dataOptionsOf(training, input.features, initialWeights?.preprocessing as FittedPreprocessing | undefined));
  } catch (error) {
    if (error instanceof DatasetError) throw new ThreadFailure('invalid_spec', `the dataset cannot be prepared for this job: ${error.message}`);
    throw error;
  }
}

/** This worker's kernel, or for a replay the original's backend and thread count (the worker checked it has that backend). */
function chooseKernel(): Kernel {
  try {
    return selectKernel(input.kernel ?? {});
  } catch (error) {
    if (input.kernel === null) throw error;
    throw new ThreadFailure('backend_unavailable', `the replay needs backend ${input.kernel.backend} with ${input.kernel.threads} threads: ${(error as Error).message}`);
  }
}

function readInitialWeights(): SavedModel | undefined {
  if (!input.initialWeights) return undefined;
  try {
    return decodeSafetensors(input.initialWeights);
  } catch (error) {
    throw new ThreadFailure('bad_initial_weights', `initialWeights: ${(error as Error).message}`);
  }
}

function loadDataset(source: ThreadDataset): DatasetSource {
  if (source.kind === 'columns') return source;
  if (source.kind === 'builtin') {
    if (source.data) return { kind: 'matrix', data: source.data }; // already this thread's own copy (workerData is cloned)
    try {
      return { kind: 'matrix', data: loadBuiltin(source.name) };
    } catch (error) {
      throw new ThreadFailure('dataset_missing', `built-in dataset ${source.name} cannot be loaded: ${(error as Error).message}`);
    }
  }
  const { task, features, target, classes, rows } = source;
  try {
    return { kind: 'matrix', data: decodeDatasetArrays({ task, features, target, rows, ...(classes ? { classes } : {}) }, source.x, source.y) };
  } catch (error) {
    throw new ThreadFailure('dataset_missing', `stored dataset cannot be read: ${(error as Error).message}`);
  }
}

/** Resumes from the checkpoint when there is a usable one, else starts from scratch (or initialWeights). */
function createTrainer(
  data: TrainingData, kernel: Kernel, initialWeights: SavedModel | undefined,
): { trainer: Trainer; resumedFromStep: number | null; restartReason: string | null } {
  let restartReason: string | null = null;
  if (input.resumeState) {
    try {
      const trainer = Trainer.restore(input.resumeState, data.dataset, kernel);
      return { trainer, resumedFromStep: trainer.step, restartReason };
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      // A checkpoint the engine rejects is not fatal: the run is deterministic, so starting over ends the same.
      restartReason = `checkpoint not usable (${error.message}); training restarted from the beginning`;
    }
  }
  // Weights from before preprocessing keep the normalisation they were trained with (the engine's own rule).
  const normalization = initialWeights && !initialWeights.preprocessing ? undefined : data.normalization;
  try {
    const trainer = new Trainer({ spec: input.spec, training: input.training, data: data.dataset, kernel, initialWeights, normalization });
    return { trainer, resumedFromStep: null, restartReason };
  } catch (error) {
    if (error instanceof TrainingError && error.code === 'shape_mismatch') {
      throw new ThreadFailure('bad_initial_weights', `initialWeights do not fit the model: ${error.message}`);
    }
    throw error;
  }
}

/** Maps whatever stopped training to a job error code from the catalogue. */
function toFailure(error: unknown): { code: string; message: string } {
  if (error instanceof ThreadFailure) return { code: error.code, message: error.message };
  if (error instanceof TrainingError) {
    const details = error.details?.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    const message = details ? `${error.message} (${details})` : error.message;
    if (error.code === 'diverged' || error.code === 'invalid_spec') return { code: error.code, message };
    if (error.code === 'shape_mismatch') return { code: 'bad_initial_weights', message };
    return { code: 'internal', message: `${error.code}: ${message}` };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** One job, start to `done` or `failed` (a kernel of its own: kernels hand out buffers they never take back). */
async function runJob(job: ThreadInput): Promise<void> {
  begin(job);
  try {
    await train();
  } catch (error) {
    post({ type: 'failed', ...toFailure(error) });
  }
}

if (workerData) {
  await runJob(workerData as ThreadInput);
  // Nothing else keeps a one-job thread alive: it exits once the last message is flushed.
  port.removeAllListeners('message');
} else {
  post({ type: 'ready' });
}
