import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from './config.ts';
import { initialTrackerState } from './early-stopping.ts';
import { decodeState, encodeState, type SavedState } from './state.ts';

function sample(): SavedState {
  return {
    spec: { inputSize: 2, layers: [{ units: 3, activation: 'relu' }, { units: 2, activation: 'softmax' }] },
    training: resolveTrainingConfig({ epochs: 4 }, { task: 'classification', outputActivation: 'softmax', outputUnits: 2 }),
    normalization: { mean: [0.1, 1 / 3], std: [1, Math.PI] },
    data: { rows: 10, features: 2, task: 'classification', classes: 2, fingerprint: 0xdeadbeef },
    progress: {
      epoch: 1, stepInEpoch: 2, step: 5, lossSum: 0.1 + 0.2, samples: 7, correct: 3,
      lastMetrics: { loss: 0.5, accuracy: 0.25, valLoss: 0.7, valAccuracy: 0.5 },
      tracker: { ...initialTrackerState(), best: 0.7, bestEpoch: 1 },
    },
    rng: [1, 0xffffffff, 3, 4],
    optimizerStep: 5,
    permutation: Uint32Array.of(3, 1, 7, 0, 5, 2, 6, 4),
    tensors: [Float32Array.of(1.5, -0, NaN, Infinity, 1e-40), new Float32Array(0), Float32Array.from({ length: 9 }, (_, i) => i / 7)],
  };
}

function bits(t: Float32Array): number[] {
  return Array.from(new Uint32Array(t.buffer, t.byteOffset, t.length));
}

describe('training state bytes', () => {
  it('round-trip every field exactly: doubles in the header, float32 bit patterns in the tensors', () => {
    const state = sample();
    const decoded = decodeState(encodeState(state));
    const { tensors, permutation, ...header } = decoded;
    const { tensors: expectedTensors, permutation: expectedPermutation, ...expectedHeader } = state;
    expect(header).toEqual(expectedHeader);
    expect(Array.from(permutation)).toEqual(Array.from(expectedPermutation));
    expect(tensors.map(bits)).toEqual(expectedTensors.map(bits));
  });

  it('start with the magic and version, end with a crc32 of the rest', () => {
    const bytes = encodeState(sample());
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('BPST');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(4, true)).toBe(1);
    expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes.subarray(0, bytes.length - 4)) >>> 0);
  });

  it('decode from an unaligned view of a larger buffer', () => {
    const bytes = encodeState(sample());
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 1);
    expect(decodeState(padded.subarray(1, 1 + bytes.length)).tensors.map(bits)).toEqual(sample().tensors.map(bits));
  });

  it('are refused with a reason when damaged', () => {
    const bytes = encodeState(sample());
    const refused = (b: Uint8Array) => {
      try {
        decodeState(b);
      } catch (error) {
        return error as { code: string; message: string };
      }
      return null;
    };
    expect(refused(bytes.subarray(0, 10))).toMatchObject({ code: 'bad_state', message: expect.stringMatching(/too short/) });
    expect(refused(bytes.subarray(0, bytes.length - 1))).toMatchObject({ code: 'bad_state', message: expect.stringMatching(/checksum/) });
    const flipped = Uint8Array.from(bytes);
    flipped[bytes.length - 20] ^= 1;
    expect(refused(flipped)).toMatchObject({ code: 'bad_state', message: expect.stringMatching(/checksum/) });
    const magic = Uint8Array.from(bytes);
    magic[0] = 0;
    expect(refused(magic)).toMatchObject({ code: 'bad_state', message: expect.stringMatching(/magic/) });
  });

  it('of another format version, or with a header that is not a state, are refused even with a valid checksum', () => {
    const reseal = (b: Uint8Array) => {
      new DataView(b.buffer).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)) >>> 0, true);
      return b;
    };
    const version = Uint8Array.from(encodeState(sample()));
    new DataView(version.buffer).setUint32(4, 2, true);
    expect(() => decodeState(reseal(version))).toThrow(/version 2/);

    const header = new TextEncoder().encode('{"spec":1}');
    const forged = new Uint8Array(12 + 12 + 4);
    const view = new DataView(forged.buffer);
    view.setUint32(0, 0x54535042, true);
    view.setUint32(4, 1, true);
    view.setUint32(8, header.length, true);
    forged.set(header, 12);
    expect(() => decodeState(reseal(forged))).toThrow(/lacks fields/);
  });
});
