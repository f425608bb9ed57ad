// The graph's contract (API.md, "Preprocessing, ONNX and receipts"), read back from the bytes with ONNX's
// own schema: versions, opsets, input and output names, types and shapes; and the models it refuses.
import { encodeSafetensors, type SavedModel } from '@trainyard/backprop';
import type { FittedPreprocessing } from '@trainyard/tabular';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.ts';
import { OnnxExportError } from './onnx-export-error.ts';
import { dataType, ModelProto } from './onnx-proto.ts';

const preprocessing: FittedPreprocessing = {
  columns: [
    { name: 'height', type: 'number', fill: 1.5, indicator: true, mean: 1.6, std: 0.2 },
    { name: 'active', type: 'boolean', fill: 0.5, indicator: false },
    { name: 'city', type: 'category', categories: ['Oslo', 'Lima'] },
    { name: 'joined', type: 'datetime', parts: ['years', 'year_sin', 'year_cos', 'week_sin', 'week_cos'], fill: 50, indicator: false, mean: 50, std: 3 },
  ],
  inputs: ['height', 'height:missing', 'active', 'city=Oslo', 'city=Lima', 'city:other', 'joined:years', 'joined:year_sin', 'joined:year_cos', 'joined:week_sin', 'joined:week_cos'],
};

function classifier(overrides: Partial<SavedModel> = {}): SavedModel {
  return {
    architecture: { inputSize: 11, layers: [{ units: 2, activation: 'softmax' }] },
    layers: [{ weight: Float32Array.from({ length: 22 }, (_, i) => Math.sin(i)), bias: Float32Array.of(0.1, -0.1) }],
    normalization: { mean: [1.6, 0, 0, 0, 0, 0, 50, 0, 0, 0, 0], std: [0.2, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1] },
    classes: ['stays', 'leaves'],
    target: 'churn',
    preprocessing,
    ...overrides,
  };
}

type Decoded = {
  ir_version: number;
  opset_import: { domain?: string; version: number }[];
  graph: { input: ValueInfo[]; output: ValueInfo[]; node: { op_type: string; domain?: string }[] };
};
type ValueInfo = { name: string; type: { tensor_type: { elem_type: number; shape: { dim: { dim_value?: number; dim_param?: string }[] } } } };

function decode(bytes: Uint8Array): Decoded {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: false }) as Decoded;
}

const signature = (values: ValueInfo[]) => values.map((v) => ({
  name: v.name, type: v.type.tensor_type.elem_type, shape: v.type.tensor_type.shape.dim.map((d) => d.dim_param ?? d.dim_value),
}));

describe('graph contract', () => {
  it('IR 7, opset 13, ai.onnx.ml for the category column; one input per column named as it, typed by column type', () => {
    const model = decode(exportOnnx(classifier()));
    expect(model.ir_version).toBeGreaterThanOrEqual(7);
    expect(model.opset_import).toEqual(expect.arrayContaining([{ domain: '', version: 13 }, { domain: 'ai.onnx.ml', version: 2 }]));
    expect(signature(model.graph.input)).toEqual([
      { name: 'height', type: dataType('FLOAT'), shape: ['N', 1] },
      { name: 'active', type: dataType('FLOAT'), shape: ['N', 1] },
      { name: 'city', type: dataType('STRING'), shape: ['N', 1] },
      { name: 'joined', type: dataType('DOUBLE'), shape: ['N', 1] },
    ]);
    expect(signature(model.graph.output)).toEqual([
      { name: 'outputs', type: dataType('FLOAT'), shape: ['N', 2] },
      { name: 'label', type: dataType('STRING'), shape: ['N'] },
    ]);
    const ml = model.graph.node.filter((node) => node.domain === 'ai.onnx.ml').map((node) => node.op_type);
    expect(ml).toEqual(['LabelEncoder']);
  });

  it('ai.onnx.ml only where needed: a regression over number columns imports ai.onnx and outputs no label', () => {
    const numeric = decode(exportOnnx({
      architecture: { inputSize: 2, layers: [{ units: 1, activation: 'linear' }] },
      layers: [{ weight: Float32Array.of(1, 2), bias: Float32Array.of(0) }],
      normalization: null,
      features: ['a', 'b'],
    }));
    expect(numeric.opset_import).toEqual([{ domain: '', version: 13 }]);
    expect(numeric.graph.output.map((o) => o.name)).toEqual(['outputs']);
  });

  it('runs on zero rows and on one', async () => {
    const session = await InferenceSession.create(exportOnnx(classifier()));
    for (const n of [0, 1]) {
      const result = await session.run({
        height: new Tensor('float32', new Float32Array(n).fill(NaN), [n, 1]),
        active: new Tensor('float32', new Float32Array(n).fill(1), [n, 1]),
        city: new Tensor('string', Array(n).fill('Lima'), [n, 1]),
        joined: new Tensor('float64', new Float64Array(n).fill(1.6e9), [n, 1]),
      });
      expect(result.outputs.dims).toEqual([n, 2]);
      expect(result.label.dims).toEqual([n]);
    }
    await session.release();
  });

  it('values are named after the column even when a column is named like an internal value', async () => {
    const tricky: FittedPreprocessing = {
      columns: [
        { name: 'x:filled', type: 'number', fill: 0, indicator: false, mean: 0, std: 1 },
        { name: 'x', type: 'number', fill: 2, indicator: false, mean: 0, std: 1 },
        { name: 'layers.0.weight', type: 'number', fill: 0, indicator: false, mean: 0, std: 1 },
      ],
      inputs: ['x:filled', 'x', 'layers.0.weight'],
    };
    const model: SavedModel = {
      architecture: { inputSize: 3, layers: [{ units: 1, activation: 'linear' }] },
      layers: [{ weight: Float32Array.of(1, 10, 100), bias: Float32Array.of(0) }], normalization: null, preprocessing: tricky,
    };
    const session = await InferenceSession.create(exportOnnx(model));
    const feed = (v: number) => new Tensor('float32', Float32Array.of(v), [1, 1]);
    const result = await session.run({ 'x:filled': feed(1), x: feed(NaN), 'layers.0.weight': feed(3) });
    expect(Array.from(result.outputs.data as Float32Array)).toEqual([1 + 10 * 2 + 100 * 3]);
    await session.release();
  });

  it('stores weights as raw float32: a 784→128→10 model is within 5% of its safetensors size (the normalisation is stored in double)', () => {
    const layers = [{ units: 128, activation: 'relu' as const }, { units: 10, activation: 'softmax' as const }];
    const large: SavedModel = {
      architecture: { inputSize: 784, layers },
      layers: [
        { weight: Float32Array.from({ length: 128 * 784 }, (_, i) => Math.sin(i)), bias: new Float32Array(128) },
        { weight: Float32Array.from({ length: 10 * 128 }, (_, i) => Math.cos(i)), bias: new Float32Array(10) },
      ],
      normalization: { mean: Array(784).fill(0.1), std: Array(784).fill(0.3) },
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    };
    const onnx = exportOnnx(large).length;
    const safetensors = encodeSafetensors(large).length;
    console.log(`784→128 relu→10 softmax: onnx ${onnx} B, safetensors ${safetensors} B (${(onnx / safetensors).toFixed(3)}×)`);
    expect(onnx).toBeLessThan(safetensors * 1.05);
  });

  it.each([
    ['a column named like an output', { preprocessing: { ...preprocessing, columns: [{ ...preprocessing.columns[0], name: 'label' }, ...preprocessing.columns.slice(1)] } }, /has the name of a graph output/],
    ['two columns of one name', { preprocessing: { ...preprocessing, columns: [preprocessing.columns[0], { ...preprocessing.columns[1], name: 'height' }, ...preprocessing.columns.slice(2)] } }, /appears twice/],
    ['an unknown column type', { preprocessing: { ...preprocessing, columns: [{ name: 'notes', type: 'text' }, ...preprocessing.columns.slice(1)] } }, /ONNX export knows number, boolean, category and datetime/],
    ['a datetime part the engine does not have', { preprocessing: { ...preprocessing, columns: [...preprocessing.columns.slice(0, 3), { ...preprocessing.columns[3], parts: ['years', 'month_sin'] }] } }, /\.parts must be/],
    ['columns that encode to another width', { architecture: { inputSize: 12, layers: [{ units: 2, activation: 'softmax' }] } }, /encode to 11 inputs; the architecture has inputSize 12/],
    ['weights of another shape', { layers: [{ weight: new Float32Array(21), bias: new Float32Array(2) }] }, /layers\.0: weight holds 21 values/],
  ] as [string, Partial<SavedModel>, RegExp][])('refuses %s with OnnxExportError', (_what, overrides, message) => {
    const attempt = () => exportOnnx(classifier(overrides));
    expect(attempt).toThrow(OnnxExportError);
    expect(attempt).toThrow(message);
  });
});
