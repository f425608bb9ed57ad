// An independent reader of Trainyard's safetensors weights and a plain float64 forward pass: the oracle the
// scenario tests evaluate downloaded weights with, sharing no code with the engine.

export interface ReferenceLayer {
  /** out×in, row-major */
  weight: Float32Array;
  bias: Float32Array;
  out: number;
  in: number;
  activation: string;
}

export interface ReferenceModel {
  layers: ReferenceLayer[];
  normalization: { mean: number[]; std: number[] } | null;
  metadata: Record<string, string>;
}

interface TensorInfo {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export function readSafetensors(bytes: Uint8Array): ReferenceModel {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const data = bytes.subarray(8 + headerLength);
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const architecture = JSON.parse(metadata.architecture) as { inputSize: number; layers: { units: number; activation: string }[] };
  const tensor = (name: string): { values: Float32Array; shape: number[] } => {
    const info = header[name] as TensorInfo | undefined;
    if (!info || info.dtype !== 'F32') throw new Error(`tensor ${name} missing or not F32`);
    const [begin, end] = info.data_offsets;
    const copy = data.slice(begin, end);
    return { values: new Float32Array(copy.buffer, 0, (end - begin) / 4), shape: info.shape };
  };
  let fanIn = architecture.inputSize;
  const layers = architecture.layers.map((layer, i) => {
    const weight = tensor(`layers.${i}.weight`);
    const bias = tensor(`layers.${i}.bias`);
    if (weight.shape[0] !== layer.units || weight.shape[1] !== fanIn || bias.shape[0] !== layer.units) {
      throw new Error(`layer ${i}: weight ${weight.shape} / bias ${bias.shape} do not match ${layer.units}×${fanIn}`);
    }
    const result = { weight: weight.values, bias: bias.values, out: layer.units, in: fanIn, activation: layer.activation };
    fanIn = layer.units;
    return result;
  });
  const normalization = metadata.normalization ? (JSON.parse(metadata.normalization) as { mean: number[]; std: number[] }) : null;
  return { layers, normalization, metadata };
}

/** One row through the network, in float64. */
export function forward(model: ReferenceModel, row: ArrayLike<number>): number[] {
  let a = Array.from(row, (value, j) => (model.normalization ? (value - model.normalization.mean[j]) / model.normalization.std[j] : value));
  for (const layer of model.layers) {
    const z = new Array<number>(layer.out);
    for (let i = 0; i < layer.out; i++) {
      let sum = layer.bias[i];
      for (let j = 0; j < layer.in; j++) sum += layer.weight[i * layer.in + j] * a[j];
      z[i] = sum;
    }
    a = activate(layer.activation, z);
  }
  return a;
}

function activate(activation: string, z: number[]): number[] {
  switch (activation) {
    case 'linear': return z;
    case 'relu': return z.map((v) => Math.max(0, v));
    case 'leaky_relu': return z.map((v) => (v > 0 ? v : 0.01 * v));
    case 'sigmoid': return z.map((v) => 1 / (1 + Math.exp(-v)));
    case 'tanh': return z.map(Math.tanh);
    case 'softmax': {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((s, v) => s + v, 0);
      return e.map((v) => v / sum);
    }
    default: throw new Error(`unknown activation ${activation}`);
  }
}

/** Share of rows whose arg-max output (or sigmoid > 0.5) is the label. */
export function accuracy(model: ReferenceModel, x: Float32Array, y: Float32Array, rowIndices: ArrayLike<number>, features: number): number {
  let correct = 0;
  for (let i = 0; i < rowIndices.length; i++) {
    const r = rowIndices[i];
    const out = forward(model, x.subarray(r * features, (r + 1) * features));
    const predicted = out.length === 1 ? (out[0] > 0.5 ? 1 : 0) : out.indexOf(Math.max(...out));
    if (predicted === y[r]) correct += 1;
  }
  return correct / rowIndices.length;
}

/** Mean cross-entropy −log p(label) over the rows (softmax outputs). */
export function crossEntropy(model: ReferenceModel, x: Float32Array, y: Float32Array, rowIndices: ArrayLike<number>, features: number): number {
  let total = 0;
  for (let i = 0; i < rowIndices.length; i++) {
    const r = rowIndices[i];
    total -= Math.log(forward(model, x.subarray(r * features, (r + 1) * features))[y[r]]);
  }
  return total / rowIndices.length;
}
