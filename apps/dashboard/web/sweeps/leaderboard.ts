import type { Objective, Trial } from './types.ts';

/**
 * A sweep's trials by job id, ranked as `GET /v1/sweeps/:id/trials` ranks them: by the objective towards its
 * goal, ties and trials without a value by trial index, those without a value last. Fed by events and polls alike
 * (the latest row of a trial wins), so the page's table is the API's leaderboard without re-reading it.
 */
export class Leaderboard {
  private readonly trials = new Map<string, Trial>();
  private ranked: Trial[] | null = [];

  constructor(private goal: Objective['goal']) {}

  get size(): number {
    return this.trials.size;
  }

  setGoal(goal: Objective['goal']): void {
    if (goal !== this.goal) this.ranked = null;
    this.goal = goal;
  }

  /** Keeps the row; answers whether it changed what the board shows. */
  upsert(trial: Trial): boolean {
    const previous = this.trials.get(trial.jobId);
    if (previous !== undefined && JSON.stringify(previous) === JSON.stringify(trial)) return false;
    this.trials.set(trial.jobId, trial);
    this.ranked = null;
    return true;
  }

  /** Replaces every row (a full re-read of the leaderboard). */
  reset(trials: Trial[]): void {
    this.trials.clear();
    for (const trial of trials) this.trials.set(trial.jobId, trial);
    this.ranked = null;
  }

  /** Best first. */
  rows(): Trial[] {
    this.ranked ??= [...this.trials.values()].sort(compareTrials(this.goal));
    return this.ranked;
  }
}

export function compareTrials(goal: Objective['goal']): (a: Trial, b: Trial) => number {
  const sign = goal === 'minimize' ? 1 : -1;
  return (a, b) => {
    if (a.value === null || b.value === null) return a.value === null && b.value === null ? a.trial - b.trial : a.value === null ? 1 : -1;
    return sign * (a.value - b.value) || a.trial - b.trial;
  };
}
