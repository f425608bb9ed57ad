import type { EpochMetrics } from './metrics.ts';
import type { EarlyStoppingConfig, EarlyStoppingMetric } from './training-config.ts';

/** What the tracker carries from epoch to epoch; plain numbers so it serialises with the training state. */
export interface TrackerState {
  /** The best value of the metric so far (null before the first epoch). */
  best: number | null;
  /** Completed-epoch number (1-based) that reached `best`. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** Early stopping has ended training. */
  stopped: boolean;
}

export function initialTrackerState(): TrackerState {
  return { best: null, bestEpoch: 0, wait: 0, stopped: false };
}

/**
 * The metric that picks the best epoch: early stopping's, else valLoss when validating, else loss.
 * A validation metric falls back to its training twin when the split left no validation rows.
 */
export function trackedMetric(stopping: EarlyStoppingConfig | null, validating: boolean): EarlyStoppingMetric {
  const metric = stopping?.metric ?? (validating ? 'valLoss' : 'loss');
  if (validating) return metric;
  if (metric === 'valLoss') return 'loss';
  if (metric === 'valAccuracy') return 'accuracy';
  return metric;
}

/** Best-epoch tracking and the patience counter of early stopping. */
export class EpochTracker {
  private readonly higherIsBetter: boolean;

  constructor(
    readonly metric: EarlyStoppingMetric,
    private readonly stopping: EarlyStoppingConfig | null,
    readonly state: TrackerState,
  ) {
    this.higherIsBetter = metric === 'accuracy' || metric === 'valAccuracy';
  }

  /**
   * Records the metrics of completed epoch `epoch` (of `epochs`); returns whether it is the best so far.
   * Sets `state.stopped` when patience runs out before the last epoch.
   */
  record(metrics: EpochMetrics, epoch: number, epochs: number): boolean {
    const state = this.state;
    const value = metrics[this.metric];
    if (value === undefined) throw new Error(`epoch metrics lack ${this.metric}`);
    const minDelta = this.stopping?.minDelta ?? 0;
    const improved = state.best === null || (this.higherIsBetter ? value > state.best + minDelta : value < state.best - minDelta);
    if (improved) {
      state.best = value;
      state.bestEpoch = epoch;
      state.wait = 0;
    } else {
      state.wait++;
    }
    if (this.stopping && state.wait >= this.stopping.patience && epoch < epochs) state.stopped = true;
    return improved;
  }
}
