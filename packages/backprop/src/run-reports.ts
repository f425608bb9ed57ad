import type { EpochMetrics } from './metrics.ts';

// What Trainer.run takes and tells: its options, the per-step and per-epoch reports, the outcome.

export interface StepReport {
  /** 1-based epoch in progress. */
  epoch: number;
  /** Steps done in all, this one included. */
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Mean training loss of the epoch so far. */
  loss: number;
}

export interface EpochReport extends EpochMetrics {
  /** Completed epochs, this one included. */
  epoch: number;
  epochs: number;
  step: number;
  samplesPerSecond: number;
  /** This epoch is the best so far by the tracked metric (early stopping's, else valLoss when validating, else loss). */
  best: boolean;
}

export interface RunOptions {
  /** Checked before every step; once aborted, run returns 'aborted'. */
  signal?: AbortSignal;
  /** After every step; awaited only when it returns a promise. saveState is valid here. */
  onStep?: (report: StepReport) => void | Promise<void>;
  /** After every epoch (metrics and early stopping done); awaited. saveState is valid here. */
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  /** Pause (outcome 'paused') once this many steps are done in all. */
  stopAfterSteps?: number;
}

export interface TrainOutcome {
  status: 'completed' | 'stopped_early' | 'aborted' | 'paused';
  epochsRun: number;
  steps: number;
  /** The last completed epoch's metrics. */
  metrics: EpochMetrics | null;
  /** Training rows per second over this run. */
  samplesPerSecond: number;
  stoppedEarly: boolean;
  backend: string;
}
