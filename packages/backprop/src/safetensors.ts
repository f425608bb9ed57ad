import { ACTIVATIONS, type Activation, type ModelSpec } from './spec.ts';
import type { Preprocessing } from './dataset.ts';
import type { LayerWeights, Normalization, SavedModel } from './saved-model.ts';

/** A weights file that cannot be read: the message says what is wrong and where. */
export class WeightsFormatError extends Error {
  readonly code = 'malformed_weights';
  constructor(message: string) {
    super(message);
    this.name = 'WeightsFormatError';
  }
}

/** Upper bound on the JSON header, as in the reference implementation (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/** Typed arrays use the host's byte order; on little-endian hosts tensors are copied as bytes. */
const LITTLE_ENDIAN_HOST = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

interface TensorEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** SavedModel → safetensors: `layers.<i>.weight` [out, in], `layers.<i>.bias` [out], F32 LE, metadata as JSON strings. */
export function encodeSafetensors(model: SavedModel): Uint8Array {
  const header: Record<string, unknown> = {};
  const metadata: Record<string, string> = { architecture: JSON.stringify(model.architecture) };
  if (model.normalization) metadata.normalization = JSON.stringify(model.normalization);
  if (model.classes) metadata.classes = JSON.stringify(model.classes);
  if (model.target !== undefined) metadata.target = JSON.stringify(model.target);
  if (model.features) metadata.features = JSON.stringify(model.features);
  if (model.preprocessing) metadata.preprocessing = JSON.stringify(model.preprocessing);
  header.__metadata__ = metadata;

  let offset = 0;
  const tensors: Float32Array[] = [];
  let inputs = model.architecture.inputSize;
  model.layers.forEach((layer, i) => {
    const units = model.architecture.layers[i].units;
    for (const [name, data, shape] of [
      [`layers.${i}.weight`, layer.weight, [units, inputs]],
      [`layers.${i}.bias`, layer.bias, [units]],
    ] as const) {
      const bytes = data.length * 4;
      header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
      tensors.push(data);
      offset += bytes;
    }
    inputs = units;
  });

  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let position = 8 + json.length;
  for (const tensor of tensors) {
    if (LITTLE_ENDIAN_HOST) out.set(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength), position);
    else for (let i = 0; i < tensor.length; i++) view.setFloat32(position + i * 4, tensor[i], true);
    position += tensor.byteLength;
  }
  return out;
}

/** safetensors → SavedModel, validating header, tensors, shapes and metadata against each other. */
export function decodeSafetensors(bytes: Uint8Array): SavedModel {
  if (bytes.length < 8) throw new WeightsFormatError(`file is ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES) throw new WeightsFormatError(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (8 + headerLength > bytes.length) {
    throw new WeightsFormatError(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  }
  const header = readHeader(bytes.subarray(8, 8 + headerLength));
  const metadata = readMetadata(header.__metadata__);
  const architecture = readArchitecture(metadata);
  const data = bytes.subarray(8 + headerLength);
  const expected = new Set<string>();
  const layers: LayerWeights[] = [];
  const ranges: [number, number, string][] = [];
  let inputs = architecture.inputSize;
  architecture.layers.forEach((layer, i) => {
    const weight = readTensor(header, `layers.${i}.weight`, [layer.units, inputs], data, ranges);
    const bias = readTensor(header, `layers.${i}.bias`, [layer.units], data, ranges);
    expected.add(`layers.${i}.weight`).add(`layers.${i}.bias`);
    layers.push({ weight, bias });
    inputs = layer.units;
  });
  for (const name of Object.keys(header)) {
    if (name !== '__metadata__' && !expected.has(name)) {
      throw new WeightsFormatError(`unexpected tensor "${name}": the architecture has ${architecture.layers.length} layers`);
    }
  }
  checkRanges(ranges, data.length);
  const model: SavedModel = { architecture, layers, normalization: readNormalization(metadata, architecture.inputSize) };
  readLabels(metadata, architecture, model);
  return model;
}

/** The `?format=json` view of a model: the tensors as nested arrays, and every name the safetensors metadata holds. */
export interface SavedModelJson {
  layers: { weight: number[][]; bias: number[]; activation: Activation }[];
  normalization: Normalization | null;
  classes?: string[];
  target?: string;
  features?: string[];
  preprocessing?: Preprocessing;
}

export function savedModelToJson(model: SavedModel): SavedModelJson {
  let inputs = model.architecture.inputSize;
  const layers = model.layers.map((layer, i) => {
    const { units, activation } = model.architecture.layers[i];
    const weight: number[][] = [];
    for (let row = 0; row < units; row++) weight.push(Array.from(layer.weight.subarray(row * inputs, (row + 1) * inputs)));
    inputs = units;
    return { weight, bias: Array.from(layer.bias), activation };
  });
  return {
    layers,
    normalization: model.normalization,
    ...(model.classes ? { classes: model.classes } : {}),
    ...(model.target !== undefined ? { target: model.target } : {}),
    ...(model.features ? { features: model.features } : {}),
    ...(model.preprocessing ? { preprocessing: model.preprocessing } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readHeader(raw: Uint8Array): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    throw new WeightsFormatError(`header is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (!isRecord(header)) throw new WeightsFormatError('header must be a JSON object');
  return header;
}

/** The format stores metadata as string → string; ours are JSON documents inside those strings. */
function readMetadata(value: unknown): Record<string, string> {
  if (!isRecord(value)) throw new WeightsFormatError('header has no __metadata__ object');
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new WeightsFormatError(`__metadata__.${key} must be a string (safetensors metadata maps strings to strings)`);
  }
  return value as Record<string, string>;
}

function parseMetadataJson(metadata: Record<string, string>, key: string): unknown {
  try {
    return JSON.parse(metadata[key]);
  } catch {
    throw new WeightsFormatError(`__metadata__.${key} is not valid JSON`);
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function readArchitecture(metadata: Record<string, string>): ModelSpec {
  if (metadata.architecture === undefined) throw new WeightsFormatError('__metadata__.architecture is missing');
  const architecture = parseMetadataJson(metadata, 'architecture');
  if (!isRecord(architecture) || !isPositiveInteger(architecture.inputSize) || !Array.isArray(architecture.layers)) {
    throw new WeightsFormatError('__metadata__.architecture must be { inputSize: positive integer, layers: [...] }');
  }
  const specs: unknown[] = architecture.layers;
  if (specs.length === 0) throw new WeightsFormatError('__metadata__.architecture.layers is empty');
  const layers = specs.map((layer: unknown, i: number) => {
    if (!isRecord(layer) || !isPositiveInteger(layer.units) || !ACTIVATIONS.includes(layer.activation as Activation)) {
      throw new WeightsFormatError(
        `__metadata__.architecture.layers[${i}] must be { units: positive integer, activation: one of ${ACTIVATIONS.join(', ')} }`,
      );
    }
    if (layer.activation === 'softmax' && i !== specs.length - 1) {
      throw new WeightsFormatError(`__metadata__.architecture.layers[${i}]: softmax is allowed on the last layer only`);
    }
    return { units: layer.units, activation: layer.activation as Activation };
  });
  return { inputSize: architecture.inputSize, layers };
}

function readNormalization(metadata: Record<string, string>, inputSize: number): Normalization | null {
  if (metadata.normalization === undefined) return null;
  const value = parseMetadataJson(metadata, 'normalization');
  if (!isRecord(value) || !isFiniteArray(value.mean, inputSize) || !isFiniteArray(value.std, inputSize)) {
    throw new WeightsFormatError(`__metadata__.normalization must be { mean, std }, each ${inputSize} finite numbers`);
  }
  if ((value.std as number[]).some((s) => s <= 0)) throw new WeightsFormatError('__metadata__.normalization.std must be positive');
  return { mean: value.mean as number[], std: value.std as number[] };
}

function isFiniteArray(value: unknown, length: number): boolean {
  return Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function readStringArray(metadata: Record<string, string>, key: string): string[] | undefined {
  if (metadata[key] === undefined) return undefined;
  const value = parseMetadataJson(metadata, key);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new WeightsFormatError(`__metadata__.${key} must be a JSON array of strings`);
  }
  return value;
}

/** Optional names: features (one per input), target, classes (one per output unit, or 2 for one sigmoid unit). */
function readLabels(metadata: Record<string, string>, architecture: ModelSpec, model: SavedModel): void {
  const features = readStringArray(metadata, 'features');
  if (features) {
    if (features.length !== architecture.inputSize) {
      throw new WeightsFormatError(`__metadata__.features names ${features.length} features; the architecture has inputSize ${architecture.inputSize}`);
    }
    model.features = features;
  }
  const classes = readStringArray(metadata, 'classes');
  if (classes) {
    const outputs = architecture.layers[architecture.layers.length - 1].units;
    if (classes.length !== outputs && !(outputs === 1 && classes.length === 2)) {
      throw new WeightsFormatError(`__metadata__.classes lists ${classes.length} classes; the output layer has ${outputs} units`);
    }
    model.classes = classes;
  }
  if (metadata.target !== undefined) {
    const target = parseMetadataJson(metadata, 'target');
    if (typeof target !== 'string') throw new WeightsFormatError('__metadata__.target must be a JSON string');
    model.target = target;
  }
  if (metadata.preprocessing !== undefined) model.preprocessing = readPreprocessing(metadata, architecture.inputSize);
}

/** The shape the engine relies on (columns, one input name per input, a positive target std); the rest is the encoder's. */
function readPreprocessing(metadata: Record<string, string>, inputSize: number): Preprocessing {
  const value = parseMetadataJson(metadata, 'preprocessing');
  const bad = (why: string) => new WeightsFormatError(`__metadata__.preprocessing ${why}`);
  if (!isRecord(value)) throw bad('must be a JSON object { columns, inputs, target? }');
  if (!Array.isArray(value.columns) || !value.columns.every(isRecord)) throw bad('.columns must be an array of objects');
  if (!Array.isArray(value.inputs) || !value.inputs.every((name) => typeof name === 'string')) throw bad('.inputs must be an array of strings');
  if (value.inputs.length !== inputSize) throw bad(`.inputs names ${value.inputs.length} inputs; the architecture has inputSize ${inputSize}`);
  if (value.target !== undefined) {
    const target = value.target;
    if (!isRecord(target) || !Number.isFinite(target.mean) || !(Number.isFinite(target.std) && (target.std as number) > 0)) {
      throw bad('.target must be { mean, std } with a finite mean and a positive std');
    }
  }
  return value as unknown as Preprocessing;
}

function readTensor(header: Record<string, unknown>, name: string, shape: number[], data: Uint8Array, ranges: [number, number, string][]): Float32Array {
  const entry = header[name] as TensorEntry | undefined;
  if (!isRecord(entry)) throw new WeightsFormatError(`tensor "${name}" is missing`);
  if (entry.dtype !== 'F32') throw new WeightsFormatError(`tensor "${name}" has dtype ${JSON.stringify(entry.dtype)}; expected F32`);
  if (!Array.isArray(entry.shape) || entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
    throw new WeightsFormatError(`tensor "${name}" has shape ${JSON.stringify(entry.shape)}; the architecture needs [${shape}]`);
  }
  const offsets = entry.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    throw new WeightsFormatError(`tensor "${name}" needs data_offsets [begin, end] of non-negative integers with begin ≤ end; got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets;
  const count = shape.reduce((a, b) => a * b, 1);
  if (end - begin !== count * 4) {
    throw new WeightsFormatError(`tensor "${name}" spans ${end - begin} bytes; shape [${shape}] of F32 needs ${count * 4}`);
  }
  if (end > data.length) {
    throw new WeightsFormatError(`tensor "${name}" ends at byte ${end} but the data section has ${data.length} bytes (truncated file?)`);
  }
  ranges.push([begin, end, name]);
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN_HOST) new Uint8Array(out.buffer).set(data.subarray(begin, end));
  else {
    const view = new DataView(data.buffer, data.byteOffset + begin, end - begin);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  }
  // NaN or ±Infinity weights cannot come from a finished training run and would poison every prediction.
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(out[i])) throw new WeightsFormatError(`tensor "${name}" holds ${out[i]} at element ${i}; weights must be finite`);
  }
  return out;
}

/** Tensors must tile the data section: no overlap, no gaps, nothing after the last. */
function checkRanges(ranges: [number, number, string][], dataLength: number): void {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [begin, end, name] of sorted) {
    if (begin < cursor) throw new WeightsFormatError(`tensor "${name}" overlaps the tensor before it`);
    if (begin > cursor) throw new WeightsFormatError(`${begin - cursor} unused bytes before tensor "${name}"`);
    cursor = end;
  }
  if (cursor !== dataLength) throw new WeightsFormatError(`${dataLength - cursor} trailing bytes after the last tensor`);
}
