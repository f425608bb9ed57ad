/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", 2020):
 * rungs at minEpochs · reductionFactor^k epochs; a trial reaching a rung continues only if its objective is
 * among the best ⌈n / reductionFactor⌉ of the n trials that have reached that rung so far, itself included.
 * The first trial at a rung always continues; later ones are judged against those before them, never again.
 */
export interface AshaSettings {
  minEpochs: number;
  reductionFactor: number;
}

export type Goal = 'minimize' | 'maximize';

/** The rungs below the trials' last epoch (reaching the last epoch ends a trial anyway). */
export function rungEpochs({ minEpochs, reductionFactor }: AshaSettings, epochs: number): number[] {
  if (!(Number.isInteger(minEpochs) && minEpochs >= 1 && reductionFactor >= 2)) {
    throw new RangeError(`ASHA needs minEpochs ≥ 1 (an integer) and reductionFactor ≥ 2, got ${minEpochs} and ${reductionFactor}`);
  }
  const rungs: number[] = [];
  for (let at = minEpochs; at < epochs; at = Math.round(at * reductionFactor)) rungs.push(at);
  return rungs;
}

/**
 * Whether a trial with `value` at a rung continues, given the values recorded at that rung before it
 * (not including its own). A NaN objective (diverged metric) never continues. Ties count for the trial.
 */
export function continuesAtRung(value: number, earlier: readonly number[], goal: Goal, reductionFactor: number): boolean {
  if (Number.isNaN(value)) return false;
  const better = earlier.filter((other) => !Number.isNaN(other) && (goal === 'minimize' ? other < value : other > value)).length;
  const n = earlier.length + 1;
  return better < Math.ceil(n / reductionFactor);
}
