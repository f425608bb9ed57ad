import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeSafetensors, type SavedModel } from '@trainyard/backprop';
import { exportOnnx, OnnxExportError } from '@trainyard/onnx';
import { CliError } from './cli-error.ts';
import { readBytes } from './read-file.ts';

export const EXPORT_USAGE = `usage: backprop export <model.safetensors> --onnx <model.onnx>

  <model.safetensors>  weights as backprop train writes them or the service serves them (GET /v1/jobs/:id/weights)
  --onnx               where to write the ONNX model: one input per feature column, named as the column, [N, 1]
                       (float for numbers and booleans, NaN = missing; string for categories, "" = missing; double
                       Unix seconds for dates), the preprocessing inside; outputs "outputs" and, for classes, "label"

One JSON line to stdout: { "onnx", "bytes" }. Exit codes: 0 written, 2 an unreadable file or weights that cannot
become an ONNX graph (the reason on one line), 1 unexpected failure.`;

function parseExportArgs(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: { onnx: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split(/\n|\. To specify/)[0]} (see backprop export --help)`);
  }
}

/** `backprop export …`: the exit code. */
export function exportModel(args: string[]): number {
  const { values, positionals } = parseExportArgs(args);
  if (values.help) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`export takes one weights file, got ${positionals.length} (see backprop export --help)`);
  if (!values.onnx) throw new CliError('--onnx <model.onnx> is required');
  const path = positionals[0];
  const onnx = toOnnx(readModel(path), path);
  try {
    writeFileSync(values.onnx, onnx);
  } catch (error) {
    throw new CliError(`cannot write ${values.onnx}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  process.stdout.write(`${JSON.stringify({ onnx: values.onnx, bytes: onnx.byteLength })}\n`);
  return 0;
}

function readModel(path: string): SavedModel {
  const bytes = readBytes(path, 'weights');
  try {
    return decodeSafetensors(bytes);
  } catch (error) {
    throw new CliError(`${path} is not weights backprop can read: ${(error as Error).message}`);
  }
}

function toOnnx(model: SavedModel, path: string): Uint8Array {
  try {
    return exportOnnx(model);
  } catch (error) {
    if (error instanceof OnnxExportError) throw new CliError(`cannot export ${path} to ONNX: ${error.message}`);
    throw error;
  }
}
