import { dataType, ModelProto, type ElementType } from './onnx-proto.ts';

/** Rows are the one symbolic dimension of every input and output. */
export const ROWS = 'N';

type Dimension = number | typeof ROWS;

/** An attribute in the shape ModelProto.fromObject takes (protobufjs names, snake_case as in onnx.proto). */
export interface Attribute {
  name: string;
  type: 'INT' | 'FLOAT' | 'INTS' | 'STRINGS' | 'TENSOR';
  i?: number;
  f?: number;
  ints?: number[];
  strings?: Uint8Array[];
  t?: TensorProto;
}

interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  double_data?: number[];
  int64_data?: number[];
  string_data?: Uint8Array[];
}

interface ValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
}

interface Node {
  op_type: string;
  domain: string;
  name: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
}

const utf8 = new TextEncoder();

export const attribute = {
  int: (name: string, i: number): Attribute => ({ name, type: 'INT', i }),
  float: (name: string, f: number): Attribute => ({ name, type: 'FLOAT', f }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: 'INTS', ints }),
  strings: (name: string, values: string[]): Attribute => ({ name, type: 'STRINGS', strings: values.map((value) => utf8.encode(value)) }),
};

/** Domains and versions the graph imports; ai.onnx.ml only when a node of it is used. */
export const OPSET = { onnx: 13, ml: 2 } as const;
export const ML_DOMAIN = 'ai.onnx.ml';
export const IR_VERSION = 7;

/**
 * Builds one ONNX graph: graph inputs and outputs, constants as initializers, nodes in topological order.
 * Every value gets a unique name derived from a readable hint, so column names never clash with internals.
 */
export class GraphBuilder {
  private readonly names = new Set<string>();
  private readonly nodes: Node[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private usesMl = false;

  /** Names taken before any value exists (the graph outputs), so hints never take them. */
  reserve(...names: string[]): void {
    for (const name of names) this.claim(name);
  }

  /** A graph input of exactly this name. */
  input(name: string, type: ElementType, dims: Dimension[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a reserved name as a graph output; `value` is renamed to it by an Identity node. */
  output(name: string, value: string, type: ElementType, dims: Dimension[]): void {
    this.nodes.push({ op_type: 'Identity', domain: '', name, input: [value], output: [name], attribute: [] });
    this.outputs.push(valueInfo(name, type, dims));
  }

  floats(hint: string, dims: number[], values: ArrayLike<number>): string {
    const data = Float32Array.from(values);
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    data.forEach((v, i) => view.setFloat32(i * 4, v, true)); // raw_data is little-endian
    return this.constant({ name: this.unique(hint), dims, data_type: dataType('FLOAT'), raw_data: raw });
  }

  doubles(hint: string, dims: number[], values: ArrayLike<number>): string {
    return this.constant({ name: this.unique(hint), dims, data_type: dataType('DOUBLE'), double_data: Array.from(values) });
  }

  int64s(hint: string, dims: number[], values: number[]): string {
    return this.constant({ name: this.unique(hint), dims, data_type: dataType('INT64'), int64_data: values });
  }

  strings(hint: string, dims: number[], values: string[]): string {
    return this.constant({ name: this.unique(hint), dims, data_type: dataType('STRING'), string_data: values.map((v) => utf8.encode(v)) });
  }

  /** One node with one output, named after `hint`; returns the output's name. */
  node(op: string, inputs: string[], hint: string, attributes: Attribute[] = [], domain = ''): string {
    const output = this.unique(hint);
    if (domain === ML_DOMAIN) this.usesMl = true;
    this.nodes.push({ op_type: op, domain, name: output, input: inputs, output: [output], attribute: attributes });
    return output;
  }

  /** The model's protobuf bytes. */
  encode(name: string, docString: string): Uint8Array {
    const opsetImport: { domain: string; version: number }[] = [{ domain: '', version: OPSET.onnx }];
    if (this.usesMl) opsetImport.push({ domain: ML_DOMAIN, version: OPSET.ml });
    const model = ModelProto.fromObject({
      ir_version: IR_VERSION,
      opset_import: opsetImport,
      producer_name: 'trainyard',
      doc_string: docString,
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return ModelProto.encode(model).finish();
  }

  private constant(tensor: TensorProto): string {
    this.initializers.push(tensor);
    return tensor.name;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`graph value "${name}" is declared twice`);
    this.names.add(name);
  }

  private unique(hint: string): string {
    let name = hint;
    for (let n = 2; this.names.has(name); n++) name = `${hint}#${n}`;
    this.names.add(name);
    return name;
  }
}

function valueInfo(name: string, type: ElementType, dims: Dimension[]): ValueInfo {
  const dim = dims.map((d) => (d === ROWS ? { dim_param: ROWS } : { dim_value: d as number }));
  return { name, type: { tensor_type: { elem_type: dataType(type), shape: { dim } } } };
}
