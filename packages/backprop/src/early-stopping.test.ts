import { describe, expect, it } from 'vitest';
import { loadBuiltin } from './data/builtins.ts';
import { EpochTracker, initialTrackerState, trackedMetric } from './early-stopping.ts';
import type { SavedModel } from './saved-model.ts';
import type { ModelSpec } from './spec.ts';
import { makeTrainer, sameWeights } from './testing/trainers.ts';
import type { EarlyStoppingConfig } from './training-config.ts';

const stopping = (overrides: Partial<EarlyStoppingConfig>): EarlyStoppingConfig => ({ metric: 'valLoss', patience: 2, minDelta: 0, restoreBest: true, ...overrides });

describe('EpochTracker', () => {
  it('counts epochs without an improvement larger than minDelta, and stops after patience of them', () => {
    const tracker = new EpochTracker('loss', stopping({ metric: 'loss', patience: 2, minDelta: 0.1 }), initialTrackerState());
    const bests = [1, 0.95, 0.85, 0.8, 0.9].map((loss, i) => tracker.record({ loss }, i + 1, 10));
    // 0.95 is within minDelta of 1; 0.85 improves on 1 by more; 0.8 and 0.9 do not improve on 0.85 by 0.1.
    expect(bests).toEqual([true, false, true, false, false]);
    expect(tracker.state).toEqual({ best: 0.85, bestEpoch: 3, wait: 2, stopped: true });
  });

  it('prefers higher accuracy, and never stops on the last epoch (training ends anyway)', () => {
    const tracker = new EpochTracker('valAccuracy', stopping({ metric: 'valAccuracy', patience: 1 }), initialTrackerState());
    expect(tracker.record({ loss: 1, valAccuracy: 0.5 }, 1, 3)).toBe(true);
    expect(tracker.record({ loss: 1, valAccuracy: 0.7 }, 2, 3)).toBe(true);
    expect(tracker.record({ loss: 1, valAccuracy: 0.6 }, 3, 3)).toBe(false);
    expect(tracker.state.stopped).toBe(false);
  });

  it('only tracks the best epoch when early stopping is off', () => {
    const tracker = new EpochTracker('valLoss', null, initialTrackerState());
    for (let epoch = 1; epoch <= 20; epoch++) tracker.record({ loss: 1, valLoss: 1 + epoch }, epoch, 100);
    expect(tracker.state).toMatchObject({ best: 2, bestEpoch: 1, stopped: false });
  });

  it('watches valLoss by default when validating, else loss; validation metrics fall back to their training twins', () => {
    expect(trackedMetric(null, true)).toBe('valLoss');
    expect(trackedMetric(null, false)).toBe('loss');
    expect(trackedMetric(stopping({ metric: 'valAccuracy' }), false)).toBe('accuracy');
    expect(trackedMetric(stopping({ metric: 'valLoss' }), false)).toBe('loss');
    expect(trackedMetric(stopping({ metric: 'accuracy' }), true)).toBe('accuracy');
  });
});

describe('early stopping in training', () => {
  const iris = loadBuiltin('iris');
  const layers: ModelSpec['layers'] = [{ units: 16, activation: 'tanh' }, { units: 3, activation: 'softmax' }];

  async function run(restoreBest: boolean) {
    const trainer = makeTrainer(iris, layers, { epochs: 500, optimizer: { type: 'adam', learningRate: 0.05 }, earlyStopping: { metric: 'valLoss', patience: 3, restoreBest } });
    const valLosses: number[] = [];
    const models: SavedModel[] = [];
    const outcome = await trainer.run({ onEpoch: (r) => void (valLosses.push(r.valLoss!), models.push(trainer.model())) });
    return { trainer, outcome, valLosses, models };
  }

  it('stops patience epochs after the best one and returns to its weights', async () => {
    const { trainer, outcome, valLosses, models } = await run(true);
    expect(outcome).toMatchObject({ status: 'stopped_early', stoppedEarly: true });
    expect(outcome.epochsRun).toBe(valLosses.length);
    expect(outcome.epochsRun).toBeLessThan(500);
    const bestEpoch = valLosses.indexOf(Math.min(...valLosses));
    expect(valLosses.length - 1 - bestEpoch).toBe(3);
    // onEpoch of the stopping epoch already sees the restored weights, so compare with the best epoch's copy.
    expect(sameWeights(trainer.model(), models[bestEpoch])).toBe(true);
    expect(sameWeights(trainer.bestModel()!, models[bestEpoch])).toBe(true);
    // The outcome describes the weights it returns: the best epoch's.
    expect(outcome.metrics!.valLoss).toBe(valLosses[bestEpoch]);
  });

  it('keeps the last weights when restoreBest is false', async () => {
    const { trainer, models, valLosses, outcome } = await run(false);
    expect(outcome.metrics!.valLoss).toBe(valLosses[valLosses.length - 1]);
    const bestEpoch = valLosses.indexOf(Math.min(...valLosses));
    expect(sameWeights(trainer.model(), models[models.length - 1])).toBe(true);
    expect(sameWeights(trainer.model(), models[bestEpoch])).toBe(false);
    expect(sameWeights(trainer.bestModel()!, models[bestEpoch])).toBe(true);
  });
});
