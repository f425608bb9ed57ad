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

  it('decodes a hand-built two-layer file whose tensors are stored out of order, and an unpadded header', () => {
    // Data section order: layers.1.bias, layers.0.weight, layers.1.weight, layers.0.bias — offsets, not order, place them.
    const header = {
      'layers.1.bias': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      'layers.0.weight': { dtype: 'F32', shape: [3, 2], data_offsets: [8, 32] },
      __metadata__: {
        architecture: JSON.stringify({ inputSize: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }] }),
        normalization: JSON.stringify({ mean: [0.5, -1], std: [2, 0.25] }),
        classes: JSON.stringify(['cat', 'dog']),
        target: JSON.stringify('pet'),
        features: JSON.stringify(['height', 'weight']),
        format: 'pt',
      },
      'layers.1.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [32, 56] },
      'layers.0.bias': { dtype: 'F32', shape: [3], data_offsets: [56, 68] },
    };
    const floats = [9, 10, 1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6, 0.5, 0.25, 0.125];
    const model = decodeSafetensors(handBuilt(header, floats));
    expect(model.architecture).toEqual({ inputSize: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }] });
    expect(Array.from(model.layers[0].weight)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(model.layers[0].bias)).toEqual([0.5, 0.25, 0.125]);
    expect(Array.from(model.layers[1].weight)).toEqual([-1, -2, -3, -4, -5, -6]);
    expect(Array.from(model.layers[1].bias)).toEqual([9, 10]);
    expect(model.normalization).toEqual({ mean: [0.5, -1], std: [2, 0.25] });
    expect(model).toMatchObject({ classes: ['cat', 'dog'], target: 'pet', features: ['height', 'weight'] });
  });

  it('writes what API.md describes: padded header, F32 little-endian tensors in layer order', () => {
    const bytes = Buffer.from(encodeSafetensors(sampleModel()));
    const length = Number(bytes.readBigUInt64LE(0));
    const text = bytes.subarray(8, 8 + length).toString('utf8');
    expect(text).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(text);
    expect(header['layers.0.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header['layers.1.bias']).toEqual({ dtype: 'F32', shape: [2], data_offsets: [48, 56] });
    expect(JSON.parse(header.__metadata__.architecture)).toEqual(sampleModel().architecture);
    expect(JSON.parse(header.__metadata__.normalization)).toEqual({ mean: [1, 2, 3], std: [0.5, 1, 2] });
    const data = bytes.subarray(8 + length);
    expect(data.length).toBe(56);
    expect([0, 1, 2, 3, 4, 5].map((i) => data.readFloatLE(i * 4))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(data.readFloatLE(52)).toBe(3);
  });

  it('leaves normalization out of the metadata when there is none', () => {
    const model = { ...sampleModel(), normalization: null };
    const bytes = Buffer.from(encodeSafetensors(model));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
    expect(header.__metadata__.normalization).toBeUndefined();
    expect(decodeSafetensors(bytes).normalization).toBeNull();
  });

  it('gives the JSON view with weight rows [out][in]', () => {
    const json = savedModelToJson(sampleModel());
    expect(json.layers[0].weight).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(json.layers[1].activation).toBe('softmax');
    expect(json.normalization).toEqual({ mean: [1, 2, 3], std: [0.5, 1, 2] });
  });

  it('gives in the JSON view every name the safetensors metadata holds: classes, target, features, preprocessing, normalization', () => {
    const preprocessing = {
      columns: [{ name: 'size', type: 'number', fill: 2, mean: 2, std: 1, indicator: false }, { name: 'colour', type: 'category', categories: ['red'] }],
      inputs: ['size', 'colour=red', 'colour=other'],
    };
    const bytes = encodeSafetensors({ ...sampleModel(), features: ['size', 'colour=red', 'colour=other'], preprocessing });
    const header = JSON.parse(Buffer.from(bytes).subarray(8, 8 + Number(Buffer.from(bytes).readBigUInt64LE(0))).toString());
    const json = savedModelToJson(decodeSafetensors(bytes));
    for (const key of ['classes', 'target', 'features', 'preprocessing', 'normalization'] as const) {
      expect(json[key], key).toEqual(JSON.parse(header.__metadata__[key]));
    }
    expect(json.preprocessing).toEqual(preprocessing);
  });

  it('leaves out of the JSON view the names a file does not hold', () => {
    const json = savedModelToJson(decodeSafetensors(handBuilt(goodHeader, [0.5, -2, 0.25])));
    expect(Object.keys(json).sort()).toEqual(['layers', 'normalization']);
    expect(json.normalization).toBeNull();
  });

  const malformed: [string, () => Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', () => new Uint8Array(3), /8-byte header length/],
    ['a header length past the end', () => handBuilt(goodHeader, [1, 2, 3], { headerLength: 10_000 }), /runs past the end/],
    ['a header that is not JSON', () => { const b = handBuilt(goodHeader, [1, 2, 3]); b[8] = 0x7b; b[9] = 0x7b; return b; }, /not valid UTF-8 JSON/],
    ['no architecture', () => handBuilt({ ...goodHeader, __metadata__: {} }, [1, 2, 3]), /architecture is missing/],
    ['a bad activation', () => handBuilt({ ...goodHeader, __metadata__: { architecture: JSON.stringify({ inputSize: 2, layers: [{ units: 1, activation: 'gelu' }] }) } }, [1, 2, 3]), /layers\[0\]/],
    ['a missing tensor', () => { const { 'layers.0.bias': _bias, ...rest } = goodHeader; return handBuilt(rest, [1, 2]); }, /"layers.0.bias" is missing/],
    ['an extra tensor', () => handBuilt({ ...goodHeader, extra: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, [1, 2, 3, 4]), /unexpected tensor "extra"/],
    ['a wrong dtype', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F16', shape: [1], data_offsets: [8, 12] } }, [1, 2, 3]), /dtype "F16"; expected F32/],
    ['a wrong shape', () => handBuilt({ ...goodHeader, 'layers.0.weight': { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] } }, [1, 2, 3]), /shape \[2,1\]/],
    ['truncated data', () => handBuilt(goodHeader, [1, 2, 3], { truncate: 2 }), /truncated/],
    ['overlapping tensors', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [1, 2]), /overlaps/],
    ['trailing bytes', () => handBuilt(goodHeader, [1, 2, 3, 4]), /trailing bytes/],
    ['a header that is a JSON array', () => { const json = Buffer.from('[]      '); const b = Buffer.alloc(8); b.writeBigUInt64LE(8n); return new Uint8Array(Buffer.concat([b, json])); }, /must be a JSON object/],
    ['a header length beyond the limit', () => { const b = Buffer.alloc(16); b.writeBigUInt64LE(2n ** 62n); return new Uint8Array(b); }, /exceeds the 100000000-byte limit/],
    ['a header that is not UTF-8', () => { const b = handBuilt(goodHeader, [1, 2, 3]); b[12] = 0xff; return b; }, /not valid UTF-8 JSON/],
    ['no __metadata__', () => { const { __metadata__: _m, ...rest } = goodHeader; return handBuilt(rest, [1, 2, 3]); }, /no __metadata__ object/],
    ['a metadata value that is not a string', () => handBuilt({ ...goodHeader, __metadata__: { architecture, epoch: 3 } }, [1, 2, 3]), /__metadata__.epoch must be a string/],
    ['an architecture that is not JSON', () => handBuilt({ ...goodHeader, __metadata__: { architecture: '{inputSize' } }, [1, 2, 3]), /architecture is not valid JSON/],
    ['a fractional unit count', () => handBuilt({ ...goodHeader, __metadata__: { architecture: JSON.stringify({ inputSize: 2, layers: [{ units: 1.5, activation: 'sigmoid' }] }) } }, [1, 2, 3]), /positive integer/],
    ['softmax before the last layer', () => handBuilt({ ...goodHeader, __metadata__: { architecture: JSON.stringify({ inputSize: 2, layers: [{ units: 1, activation: 'softmax' }, { units: 1, activation: 'linear' }] }) } }, [1, 2, 3]), /softmax is allowed on the last layer only/],
    ['a shape that is not numbers', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F32', shape: ['1'], data_offsets: [8, 12] } }, [1, 2, 3]), /shape \["1"\]/],
    ['offsets with begin after end', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F32', shape: [1], data_offsets: [12, 8] } }, [1, 2, 3]), /begin ≤ end/],
    ['fractional offsets', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F32', shape: [1], data_offsets: [8.5, 12.5] } }, [1, 2, 3, 4]), /non-negative integers/],
    ['a size that disagrees with the shape', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F32', shape: [1], data_offsets: [8, 16] } }, [1, 2, 3, 4]), /spans 8 bytes; shape \[1\] of F32 needs 4/],
    ['unused bytes between tensors', () => handBuilt({ ...goodHeader, 'layers.0.bias': { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, [1, 2, 3, 4]), /4 unused bytes before tensor "layers.0.bias"/],
    ['a NaN weight', () => handBuilt(goodHeader, [1, NaN, 3]), /"layers.0.weight" holds NaN at element 1/],
    ['an infinite bias', () => handBuilt(goodHeader, [1, 2, -Infinity]), /"layers.0.bias" holds -Infinity/],
    ['features that do not match the inputs', () => handBuilt({ ...goodHeader, __metadata__: { architecture, features: JSON.stringify(['a']) } }, [1, 2, 3]), /names 1 features; the architecture has inputSize 2/],
    ['classes that do not match the outputs', () => handBuilt({ ...goodHeader, __metadata__: { architecture, classes: JSON.stringify(['a', 'b', 'c']) } }, [1, 2, 3]), /3 classes; the output layer has 1 units/],
    ['a target that is not a string', () => handBuilt({ ...goodHeader, __metadata__: { architecture, target: '7' } }, [1, 2, 3]), /target must be a JSON string/],
    ['a non-positive std', () => handBuilt({ ...goodHeader, __metadata__: { architecture, normalization: JSON.stringify({ mean: [0, 0], std: [1, 0] }) } }, [1, 2, 3]), /std must be positive/],
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

  it.skipIf(!numpy)('reads a file written by an independent Python writer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
    const file = join(dir, 'from-python.safetensors');
    const script = `
import json, struct, sys, numpy as np
w0 = np.arange(6, dtype='<f4').reshape(3, 2) / 4   # [out=3, in=2]
b0 = np.array([0.1, -0.2, 0.3], dtype='<f4')
w1 = -np.arange(3, dtype='<f4').reshape(1, 3)
b1 = np.array([1e-7], dtype='<f4')
tensors, offset, blobs = {}, 0, []
for name, t in [('layers.0.weight', w0), ('layers.0.bias', b0), ('layers.1.weight', w1), ('layers.1.bias', b1)]:
    raw = t.tobytes()
    tensors[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
    offset += len(raw)
    blobs.append(raw)
tensors['__metadata__'] = {'architecture': json.dumps({'inputSize': 2, 'layers': [{'units': 3, 'activation': 'relu'}, {'units': 1, 'activation': 'sigmoid'}]}),
                           'classes': json.dumps(['no', 'yes'])}
header = json.dumps(tensors).encode()
header += b' ' * (-len(header) % 8)
open(sys.argv[1], 'wb').write(struct.pack('<Q', len(header)) + header + b''.join(blobs))
`;
    writeFileSync(join(dir, 'write.py'), script);
    execFileSync('/usr/bin/python3', [join(dir, 'write.py'), file]);
    const model = decodeSafetensors(new Uint8Array(readFileSync(file)));
    expect(Array.from(model.layers[0].weight)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    expect(Array.from(model.layers[0].bias)).toEqual([0.1, -0.2, 0.3].map(Math.fround));
    expect(Array.from(model.layers[1].weight)).toEqual([-0, -1, -2]);
    expect(model.layers[1].bias[0]).toBe(Math.fround(1e-7));
    expect(model.classes).toEqual(['no', 'yes']);
    expect(model.normalization).toBeNull();
  });
});
