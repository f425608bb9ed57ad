import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, savedModelToJson, WeightsFormatError } from './safetensors.ts';
import type { SavedModel } from './saved-model.ts';

function sampleModel(): SavedModel {
  return {
    architecture: { inputSize: 3, layers: [{ units: 2, activation: 'relu' }, { units: 2, activation: 'softmax' }] },
    layers: [
      { weight: Float32Array.from([1, 2, 3, 4, 5, 6]), bias: Float32Array.from([0.5, -0.5]) },
      { weight: Float32Array.from([-1, 0.25, 7, 8]), bias: Float32Array.from([1e-3, 3]) },
    ],
    normalization: { mean: [1, 2, 3], std: [0.5, 1, 2] },
    classes: ['no', 'yes'],
    target: 'label',
    features: ['a', 'b', 'c'],
  };
}

/** Builds a file by hand from a header object and raw float data, independently of the encoder. */
function handBuilt(header: object, floats: number[], options: { headerLength?: number; truncate?: number } = {}): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const data = Buffer.alloc(floats.length * 4);
  floats.forEach((v, i) => data.writeFloatLE(v, i * 4));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(options.headerLength ?? json.length));
  const file = Buffer.concat([length, json, data]);
  return new Uint8Array(file.subarray(0, file.length - (options.truncate ?? 0)));
}

const architecture = JSON.stringify({ inputSize: 2, layers: [{ units: 1, activation: 'sigmoid' }] });
const goodHeader = {
  __metadata__: { architecture },
  'layers.0.weight': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
  'layers.0.bias': { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
};

describe('safetensors', () => {
  it('round-trips weights and metadata exactly', () => {
    const model = sampleModel();
    const bytes = encodeSafetensors(model);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    expect(decodeSafetensors(bytes)).toEqual(model);
  });

  it('decodes a hand-built file', () => {
    const model = decodeSafetensors(handBuilt(goodHeader, [0.5, -2, 0.25]));
    expect(model.architecture.layers[0]).toEqual({ units: 1, activation: 'sigmoid' });
    expect(Array.from(model.layers[0].weight)).toEqual([0.5, -2]);
    expect(Array.from(model.layers[0].bias)).toEqual([0.25]);
    expect(model.normalization).toBeNull();
  });

  it('gives the JSON view with weight rows [out][in]', () => {
    const json = savedModelToJson(sampleModel());
    expect(json.layers[0].weight).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(json.layers[1].activation).toBe('softmax');
    expect(json.normalization).toEqual({ mean: [1, 2, 3], std: [0.5, 1, 2] });
  });

  const malformed: [string, () => Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', () => new Uint8Array(3), /8-byte header length/],
    ['a header length past the end', () => handBuilt(goodHeader, [1, 2, 3], { headerLength: 10_000 }), /runs past the end/],
    ['a header that is not JSON', () => { const b = handBuilt(goodHeader, [1, 2, 3]); b[8] = 0x7b; b[9] = 0x7b; return b; }, /not valid UTF-8 JSON/],
    ['no architecture', () => handBuilt({ ...goodHeader, __metadata__: {} }, [1, 2, 3]), /architecture is missing/],
    ['a bad activation', () => handBuilt({ ...goodHeader, __metadata__: { architecture: JSON.stringify({ inputSize: 2, layers: [{ units: 1, activation: 'gelu' }] }) } }, [1, 2, 3]), /layers\[0\]/],
    ['a missing tensor', () => { const { 'layers.0.bias': _bias, ...rest } = goodHeader; return handBuilt(rest, [1, 2]); }, /"layers.0.bias" is missing/],
    ['an extra tensor', () => handBuilt({ ...goodHeader, extra: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, [1, 2, 3, 4]), /unexpected tensor "extra"/],
    ['a wrong dtype', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F16', shape: [1], data_offsets: [8, 12] } }, [1, 2, 3]), /dtype F16/],
    ['a wrong shape', () => handBuilt({ ...goodHeader, 'layers.0.weight': { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] } }, [1, 2, 3]), /shape \[2,1\]/],
    ['truncated data', () => handBuilt(goodHeader, [1, 2, 3], { truncate: 2 }), /truncated/],
    ['overlapping tensors', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [1, 2]), /overlaps/],
    ['trailing bytes', () => handBuilt(goodHeader, [1, 2, 3, 4]), /trailing bytes/],
    ['bad normalization', () => handBuilt({ ...goodHeader, __metadata__: { architecture, normalization: JSON.stringify({ mean: [0], std: [1] }) } }, [1, 2, 3]), /normalization/],
  ];
  for (const [what, build, reason] of malformed) {
    it(`rejects ${what} with the reason`, () => {
      const attempt = () => decodeSafetensors(build());
      expect(attempt).toThrow(WeightsFormatError);
      expect(attempt).toThrow(reason);
    });
  }

  const numpy = (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!numpy)('is read by an independent Python reader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
    const file = join(dir, 'model.safetensors');
    writeFileSync(file, encodeSafetensors(sampleModel()));
    const script = `
import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
out = {}
for name, t in header.items():
    if name == '__metadata__': continue
    b, e = t['data_offsets']
    out[name] = np.frombuffer(raw[8 + n + b: 8 + n + e], dtype='<f4').reshape(t['shape']).tolist()
out['arch'] = json.loads(header['__metadata__']['architecture'])
print(json.dumps(out))
`;
    writeFileSync(join(dir, 'read.py'), script);
    const parsed = JSON.parse(execFileSync('/usr/bin/python3', [join(dir, 'read.py'), file]).toString());
    expect(parsed['layers.0.weight']).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(parsed['layers.1.bias'][0]).toBeCloseTo(1e-3, 9);
    expect(parsed.arch.inputSize).toBe(3);
    expect(readFileSync(file).length).toBeGreaterThan(8);
  });
});
