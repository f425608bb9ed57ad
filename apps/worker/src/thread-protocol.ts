// Messages between the worker's main thread (database, queue, lock renewal) and its training thread
// (the engine). Byte arrays travel as transferred buffers, never copied twice.
import type { Dataset, EpochReport, KernelOptions, ModelSpec, TrainingConfig, TrainOutcome } from '@trainyard/backprop';
import type { FeatureSelection, ModelEvaluation, StoredColumn, TableMeta } from '@trainyard/tabular';

/** Where the training thread gets its rows: a built-in by name, or an uploaded dataset's stored arrays. */
export type ThreadDataset =
  /** `data`, when given, is the built-in as the worker process loaded it (see training-plan.ts). */
  | { kind: 'builtin'; name: string; data?: Dataset }
  | {
      kind: 'stored';
      task: 'classification' | 'regression';
      features: string[];
      target: string;
      classes?: string[];
      rows: number;
      /** rows×features float32 LE */
      x: Uint8Array;
      /** rows float32 LE */
      y: Uint8Array;
    }
  /** An upload stored as typed columns. */
  | { kind: 'columns'; meta: TableMeta; rows: number; columns: StoredColumn[] };

/** workerData of the training thread. */
export interface ThreadInput {
  spec: ModelSpec;
  training: TrainingConfig;
  dataset: ThreadDataset;
  /** The job's `features` selection over the dataset's feature columns. */
  features: FeatureSelection;
  /** safetensors of the initialWeights snapshot. */
  initialWeights: Uint8Array | null;
  /** Trainer.saveState() bytes of the checkpoint to resume from. */
  resumeState: Uint8Array | null;
  /** A replay trains on the original's backend and threads; null: this worker's own choice. */
  kernel: KernelOptions | null;
  /** A sweep trial's ASHA rungs: after these epochs training waits until the main thread has recorded them (and decided). */
  rungs?: number[];
  /** Periodic snapshot every N completed epochs. */
  snapshotEveryEpochs: number;
  /** Longest time between two checkpoints inside an epoch. */
  checkpointIntervalMs: number;
  /** Longest time between two progress messages inside an epoch. */
  progressIntervalMs: number;
}

/**
 * How far the thread may run ahead of the database: the main thread writes whatever arrived during its
 * last write in one transaction, so small messages (metric points) are cheap to queue; snapshot and state
 * bytes bound the memory a slow database can make the worker hold.
 */
export const MAX_UNWRITTEN_MESSAGES = 20_000;
export const MAX_UNWRITTEN_BYTES = 256 * 1024 * 1024;

/** The best epoch so far: its report and its model as safetensors. */
export interface BestModel {
  report: EpochReport;
  weights: Uint8Array;
}

/** Main → thread: stop at the next step boundary; `count` recorded messages were written. */
/** `keepModel`: the stop ends the job with the weights trained so far (a pruned sweep trial). */
export type ToThread = { type: 'train'; input: ThreadInput } | { type: 'stop'; keepModel?: boolean } | { type: 'ack'; count: number };

/** Thread → main. */
export type FromThread =
  | {
      type: 'started';
      backend: string;
      threads: number;
      epoch: number;
      step: number;
      stepsPerEpoch: number;
      totalSteps: number;
      /** Step of the checkpoint training resumed from; null when it started from scratch. */
      resumedFromStep: number | null;
      /** Why a checkpoint could not be used (training then restarted from scratch). */
      restartReason: string | null;
    }
  | { type: 'progress'; epoch: number; step: number; samplesPerSecond: number }
  | { type: 'stepMetrics'; epoch: number; step: number; loss: number }
  | {
      type: 'checkpoint';
      epoch: number;
      step: number;
      state: Uint8Array;
      /** The best epoch's model, when it changed since it was last sent. */
      best: BestModel | null;
    }
  | {
      type: 'epoch';
      report: EpochReport;
      /** Resume point at the end of this epoch, when it is a checkpoint (one per checkpoint interval, and the last epoch). */
      state: Uint8Array | null;
      /** The best epoch's model (sent with a checkpoint, when it changed since it was last sent). */
      best: BestModel | null;
      /** safetensors of the model when a periodic snapshot is due. */
      periodic: Uint8Array | null;
    }
  | {
      type: 'done';
      outcome: TrainOutcome;
      /** safetensors of the final model (null when stopped before the end, unless the stop kept the model). */
      final: Uint8Array | null;
      epoch: number;
      step: number;
      /** Resume point where training stopped. */
      state: Uint8Array;
      /** The best epoch's model, when it changed since it was last sent. */
      best: BestModel | null;
      /** The final model on the held-out rows (with `final`). */
      evaluation: ModelEvaluation | null;
    }
  | { type: 'failed'; code: string; message: string }
  /** A pooled thread has loaded its modules and waits for a `train` message. */
  | { type: 'ready' };
