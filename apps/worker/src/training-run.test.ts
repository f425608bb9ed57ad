import { decodeSafetensors, encodeSafetensors, resolveTrainingConfig, type SavedModel } from '@trainyard/backprop';
import { describe, expect, it } from 'vitest';
import type { FromThread, ThreadInput } from './thread-protocol.ts';
import { TrainingRun } from './training-run.ts';

const EPOCHS = 6;
const INPUT: ThreadInput = {
  spec: { inputSize: 4, layers: [{ units: 6, activation: 'tanh' }, { units: 3, activation: 'softmax' }] },
  training: resolveTrainingConfig({ epochs: EPOCHS, batchSize: 16, seed: 5 }, { task: 'classification', outputActivation: 'softmax', outputUnits: 3 }),
  dataset: { kind: 'builtin', name: 'iris' },
  features: null,
  initialWeights: null,
  resumeState: null,
  kernel: null,
  snapshotEveryEpochs: 2,
  checkpointIntervalMs: 60_000,
  progressIntervalMs: 60_000,
};

/** Drives a thread like the processor does: every recorded message acknowledged; `onMessage` may stop it. */
async function drain(run: TrainingRun, onMessage: (message: FromThread) => void = () => {}): Promise<FromThread[]> {
  const messages: FromThread[] = [];
  try {
    for await (const message of run.messages()) {
      messages.push(message);
      onMessage(message);
      if (message.type === 'epoch' || message.type === 'checkpoint' || message.type === 'stepMetrics') run.acknowledge();
    }
  } finally {
    await run.terminate();
  }
  return messages;
}

const bits = (model: SavedModel) => Buffer.concat(model.layers.flatMap((l) => [Buffer.from(l.weight.buffer, l.weight.byteOffset, l.weight.byteLength), Buffer.from(l.bias.buffer, l.bias.byteOffset, l.bias.byteLength)]));

describe('TrainingRun (the training thread)', () => {
  it('reports started, each epoch in order with periodic and best weights, then done with the final weights', async () => {
    const messages = await drain(new TrainingRun(INPUT));
    expect(messages[0]).toMatchObject({ type: 'started', epoch: 0, step: 0, resumedFromStep: null });
    const epochs = messages.filter((m) => m.type === 'epoch');
    expect(epochs.map((m) => m.report.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(epochs.map((m) => m.periodic !== null)).toEqual([false, true, false, true, false, true]);
    // Within one checkpoint interval only the last epoch is a checkpoint; the best model comes with it.
    expect(epochs.map((m) => m.state !== null)).toEqual([false, false, false, false, false, true]);
    const best = epochs.at(-1)!.best!;
    expect(best.report.best).toBe(true);
    expect(decodeSafetensors(best.weights).architecture).toEqual(INPUT.spec);
    const done = messages.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.outcome.status).toBe('completed');
    expect(decodeSafetensors(done.final!).architecture).toEqual(INPUT.spec);
  });

  it('stops at a step boundary on request and resumes from the state it reports to the same bits', async () => {
    // Long enough (a few hundred ms) that the stop, sent at the first epoch's report, arrives mid-run.
    const long: ThreadInput = { ...INPUT, training: { ...INPUT.training, epochs: 1000 } };
    const uninterrupted = (await drain(new TrainingRun(long))).at(-1)!;
    const run = new TrainingRun(long);
    const stopped = (await drain(run, (m) => m.type === 'epoch' && m.report.epoch === 1 && run.stop())).at(-1)!;
    expect(stopped).toMatchObject({ type: 'done', final: null, outcome: { status: 'aborted' } });
    if (stopped.type !== 'done' || uninterrupted.type !== 'done') return;
    expect(stopped.step).toBeLessThan(uninterrupted.step);

    const resumed = await drain(new TrainingRun({ ...long, resumeState: stopped.state }));
    expect(resumed[0]).toMatchObject({ type: 'started', resumedFromStep: stopped.step });
    const end = resumed.at(-1)!;
    if (end.type !== 'done') throw new Error(`resumed run ended with ${JSON.stringify(end)}`);
    expect(bits(decodeSafetensors(end.final!)).equals(bits(decodeSafetensors(uninterrupted.final!)))).toBe(true);
  });

  it('fails with bad_initial_weights when the weights do not fit the model', async () => {
    const wrong = encodeSafetensors({
      architecture: { inputSize: 4, layers: [{ units: 2, activation: 'softmax' }] },
      layers: [{ weight: new Float32Array(8), bias: new Float32Array(2) }],
      normalization: null,
    });
    const messages = await drain(new TrainingRun({ ...INPUT, initialWeights: wrong }));
    expect(messages.at(-1)).toMatchObject({ type: 'failed', code: 'bad_initial_weights' });
  });
});
