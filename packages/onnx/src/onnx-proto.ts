import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

// ONNX's own schema (onnx/onnx.proto, Apache-2.0, committed verbatim): protobufjs encodes what it declares.
const root = protobuf.parse(readFileSync(new URL('../proto/onnx.proto', import.meta.url), 'utf8'), { keepCase: true }).root;

export const ModelProto = root.lookupType('onnx.ModelProto');

const dataTypes = root.lookupEnum('onnx.TensorProto.DataType').values;

/** The element types this exporter uses, with their TensorProto.DataType numbers. */
export type ElementType = 'FLOAT' | 'DOUBLE' | 'INT64' | 'STRING' | 'BOOL';

export function dataType(type: ElementType): number {
  return dataTypes[type];
}
