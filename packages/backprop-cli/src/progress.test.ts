import { describe, expect, it } from 'vitest';
import { Progress } from './progress.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
}

const step = { epoch: 1, step: 5, stepsPerEpoch: 10, totalSteps: 20, loss: 0.5 };
const epoch = { epoch: 1, epochs: 2, step: 10, loss: 0.25, accuracy: 0.9, valLoss: 0.3, valAccuracy: 0.875, samplesPerSecond: 1234.4, best: true };

describe('progress on stderr', () => {
  it('without a terminal: no bar, one plain line per epoch', () => {
    const { written, stream: out } = stream(false);
    const progress = new Progress(out);
    progress.step(step);
    progress.epoch(epoch);
    progress.finish();
    expect(written).toEqual(['epoch 1/2  loss 0.2500  acc 0.9000  val_loss 0.3000  val_acc 0.8750  1234 samples/s\n']);
  });

  it('on a terminal: a redrawn bar, cleared before each epoch line and at the end', () => {
    const { written, stream: out } = stream(true);
    const progress = new Progress(out);
    progress.step(step);
    expect(written[0]).toBe(`\r[${'#'.repeat(8)}${'.'.repeat(22)}] 25.0%  epoch 1  step 5/20  loss 0.5000`);
    progress.epoch({ ...epoch, accuracy: undefined, valLoss: undefined, valAccuracy: undefined });
    expect(written.slice(1)).toEqual(['\r\x1b[K', 'epoch 1/2  loss 0.2500  1234 samples/s\n']);
    progress.finish();
    expect(written).toHaveLength(3);
  });
});
