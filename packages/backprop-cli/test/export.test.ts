// `backprop export` on weights `backprop train` wrote from penguins.json as published: the ONNX model runs in ONNX
// Runtime on the file's raw rows and gives the engine's predict() on encodeRows() of the same rows.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, predict, type SavedModel } from '@trainyard/backprop';
import { exportOnnx } from '@trainyard/onnx';
import { encodeRows, type FittedPreprocessing } from '@trainyard/tabular';
import { backprop, expectRejected, expectSummary } from './run-backprop.ts';
import { PENGUINS } from './vega-data.ts';

/** The contract: |onnx − predict| ≤ 1e-5 · max(1, |predict|). */
const TOLERANCE = 1e-5;

const dir = mkdtempSync(join(tmpdir(), 'backprop-export-'));
const rows = JSON.parse(readFileSync(PENGUINS, 'utf8')) as Record<string, string | number | null>[];

function trainPenguins(name: string, training: object, ...flags: string[]): SavedModel {
  const job = { dataset: PENGUINS, model: { layers: [{ units: 16, activation: 'relu' }, { units: name === 'mass' ? 1 : 3, activation: name === 'mass' ? 'linear' : 'softmax' }] }, training };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(job));
  expectSummary(backprop(['train', `${name}.json`, '--out', `${name}.safetensors`, ...flags], { cwd: dir }));
  return decodeSafetensors(new Uint8Array(readFileSync(join(dir, `${name}.safetensors`))));
}

/** Exports with the bin: exit 0, one JSON line naming the file and its size. */
function exportWithBin(name: string): Uint8Array {
  const run = backprop(['export', `${name}.safetensors`, '--onnx', `${name}.onnx`], { cwd: dir });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  const onnx = new Uint8Array(readFileSync(join(dir, `${name}.onnx`)));
  expect(JSON.parse(run.stdout)).toEqual({ onnx: `${name}.onnx`, bytes: onnx.byteLength });
  return onnx;
}

/** What a client sends: float32 [N, 1] per number column (NaN for gaps), string [N, 1] per category ('' for missing). */
function feedsOf(preprocessing: FittedPreprocessing): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const { name, type } of preprocessing.columns) {
    const values = rows.map((row) => row[name]);
    if (type === 'number') feeds[name] = new Tensor('float32', Float32Array.from(values, (v) => (v === null || v === undefined ? NaN : Number(v))), [rows.length, 1]);
    else if (type === 'category') feeds[name] = new Tensor('string', values.map((v) => (v === null || v === undefined ? '' : String(v))), [rows.length, 1]);
    else throw new Error(`penguins has no ${type} column (${name})`);
  }
  return feeds;
}

/** Runs the ONNX model on every raw row and checks it against predict(); the largest relative difference. */
async function expectAgreement(model: SavedModel, onnx: Uint8Array): Promise<{ difference: number; labels?: string[] }> {
  const preprocessing = model.preprocessing as FittedPreprocessing;
  const encoded = encodeRows(preprocessing, rows);
  if ('problems' in encoded) throw new Error(`the rows do not encode: ${JSON.stringify(encoded.problems)}`);
  const reference = predict(model, encoded.x, rows.length);
  const session = await InferenceSession.create(onnx);
  try {
    expect([...session.inputNames].sort()).toEqual(preprocessing.columns.map((column) => column.name).sort());
    const result = await session.run(feedsOf(preprocessing));
    const outputs = result.outputs.data as Float32Array;
    expect(result.outputs.dims).toEqual([rows.length, model.architecture.layers.at(-1)!.units]);
    let difference = 0;
    for (let i = 0; i < reference.length; i++) difference = Math.max(difference, Math.abs(outputs[i] - reference[i]) / Math.max(1, Math.abs(reference[i])));
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
    return { difference, ...(result.label ? { labels: Array.from(result.label.data as string[]) } : {}) };
  } finally {
    await session.release();
  }
}

describe('backprop export --onnx', () => {
  it('exports a penguins classifier that ONNX Runtime runs on the raw rows as predict() does, labels included', async () => {
    const model = trainPenguins('species', { epochs: 30, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, testSplit: 0.2, seed: 7 }, '--target', 'Species');
    const onnx = exportWithBin('species');
    expect(Buffer.from(onnx).equals(exportOnnx(model))).toBe(true); // the bin adds nothing of its own
    const { labels } = await expectAgreement(model, onnx);
    // The label is the arg-max class of predict()'s outputs, and right for nearly every penguin.
    const encoded = encodeRows(model.preprocessing as FittedPreprocessing, rows) as { x: Float32Array };
    const reference = predict(model, encoded.x, rows.length);
    const argMax = rows.map((_, r) => model.classes![[0, 1, 2].reduce((best, j) => (reference[r * 3 + j] > reference[r * 3 + best] ? j : best), 0)]);
    expect(labels).toEqual(argMax);
    expect(labels!.filter((label, r) => label === rows[r].Species).length / rows.length).toBeGreaterThan(0.9);
  });

  it('exports a regression on the same file in the target\'s units (body mass in grams)', async () => {
    const model = trainPenguins('mass', { epochs: 30, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 3 }, '--target', 'Body Mass (g)', '--task', 'regression');
    expect(model.preprocessing?.target).toBeDefined();
    const { labels } = await expectAgreement(model, exportWithBin('mass'));
    expect(labels).toBeUndefined();
  });

  it('refuses, on one line with exit 2 and no file written, what it cannot read or export', () => {
    const run = (...args: string[]) => backprop(args, { cwd: dir });
    expectRejected(run('export', 'nowhere.safetensors', '--onnx', 'nowhere.onnx'), /^backprop: cannot read weights nowhere\.safetensors: ENOENT\n$/);
    writeFileSync(join(dir, 'not-weights.safetensors'), '{"layers": []}');
    expectRejected(run('export', 'not-weights.safetensors', '--onnx', 'not-weights.onnx'), /^backprop: not-weights\.safetensors is not weights backprop can read: /);

    // A feature column named like a graph output: weights the exporter refuses.
    const lines = ['label,size,kind', ...Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'a' : 'b'},${i},${i % 2 ? 'odd' : 'even'}`)];
    writeFileSync(join(dir, 'clash.csv'), lines.join('\n'));
    writeFileSync(join(dir, 'clash.json'), JSON.stringify({ dataset: 'clash.csv', model: { layers: [{ units: 2, activation: 'softmax' }] }, training: { epochs: 2 } }));
    expectSummary(run('train', 'clash.json', '--out', 'clash.safetensors', '--target', 'kind'));
    expectRejected(run('export', 'clash.safetensors', '--onnx', 'clash.onnx'), /^backprop: cannot export clash\.safetensors to ONNX: .*"label" has the name of a graph output/);

    expectRejected(run('export', 'clash.safetensors'), /--onnx <model\.onnx> is required/);
    expectRejected(run('export', '--onnx', 'x.onnx'), /export takes one weights file, got 0/);
    expectRejected(run('export', 'clash.safetensors', '--out', 'x.onnx'), /Unknown option '--out'/);
    for (const name of ['nowhere.onnx', 'not-weights.onnx', 'clash.onnx', 'x.onnx']) expect(existsSync(join(dir, name)), name).toBe(false);
  });

  it('is listed in --help', () => {
    const help = backprop(['--help'], { cwd: dir });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: backprop export <model.safetensors> --onnx <model.onnx>');
  });
});
