import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, loadBuiltin, parseCsv, type Dataset, type SavedModel } from '@trainyard/backprop';
import { splitRows } from '@trainyard/tabular';
import { forward, predictedClass } from './reference-model.ts';
import { backprop as run, BIN, expectRejected, expectSummary, type Summary } from './run-backprop.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
const backprop = (...args: string[]) => run(args, { cwd: dir });

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const train = (spec: string, out: string, ...extra: string[]): Summary => expectSummary(backprop('train', spec, '--out', out, ...extra));

/**
 * Accuracy and mean squared error (in the target's units) of the model over the rows the service holds out for
 * validation: the stratified split of @trainyard/tabular (no test split).
 */
function onValidationRows(model: SavedModel, data: Dataset, validationSplit: number, seed: number) {
  const classes = data.task === 'classification' ? data.y : undefined;
  const rows = splitRows({ rows: data.rows, classes, testSplit: 0, validationSplit, seed }).validation;
  const n = data.features.length;
  const target = model.preprocessing?.target;
  let correct = 0;
  let squared = 0;
  for (const r of rows) {
    const out = forward(model, data.x.subarray(r * n, (r + 1) * n));
    correct += predictedClass(out) === data.y[r] ? 1 : 0;
    squared += ((target ? out[0] * target.std + target.mean : out[0]) - data.y[r]) ** 2;
  }
  return { accuracy: correct / rows.length, mse: squared / rows.length, rows: rows.length };
}

describe('backprop train', { timeout: 120_000 }, () => {
  it('trains builtin:xor to 100% and writes weights that reproduce the reported validation accuracy', () => {
    const spec = writeJson('xor.json', {
      dataset: 'builtin:xor',
      model: { layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
      training: { epochs: 25, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.05 }, seed: 3 },
      snapshots: { everyEpochs: 5 }, webhook: null, metadata: { note: 'ignored locally' },
    });
    const summary = train(spec, 'xor.safetensors');
    expect(summary.epochsRun).toBe(25);
    expect(summary.stoppedEarly).toBe(false);
    expect(summary.metrics.valAccuracy).toBe(1);
    const model = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'xor.safetensors'))));
    expect(model.architecture).toEqual({ inputSize: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }] });
    expect(model.classes).toEqual(['0', '1']);
    expect(onValidationRows(model, loadBuiltin('xor'), 0.2, 3).accuracy).toBe(summary.metrics.valAccuracy);
  });

  it('trains builtin:iris; the file carries normalisation and names, and gives the reported accuracy', () => {
    const spec = writeJson('iris.json', {
      dataset: 'builtin:iris',
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
      training: { epochs: 60, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, validationSplit: 0.3 },
    });
    const summary = train(spec, 'iris.safetensors');
    expect(summary.metrics.valAccuracy).toBeGreaterThanOrEqual(0.9);
    const model = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'iris.safetensors'))));
    expect(model.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(model.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(model.target).toBe('species');
    expect(model.normalization?.mean).toHaveLength(4);
    const check = onValidationRows(model, loadBuiltin('iris'), 0.3, 42);
    expect(check.rows).toBe(45);
    expect(check.accuracy).toBe(summary.metrics.valAccuracy);
  });

  it('trains on a CSV file given by a path relative to the spec, with --target and --task', () => {
    // Two string-labelled clusters; the label column sits between the features.
    const lines = ['a,kind,b'];
    for (let i = 0; i < 60; i++) {
      const side = i % 2;
      lines.push(`${side * 4 + Math.sin(i)},${side ? '"big, round"' : 'small'},${side * -3 + Math.cos(i)}`);
    }
    writeFileSync(join(dir, 'clusters.csv'), `${lines.join('\r\n')}\r\n`);
    const spec = writeJson('clusters.json', {
      dataset: 'clusters.csv',
      model: { layers: [{ units: 1, activation: 'sigmoid' }] },
      training: { epochs: 30, batchSize: 8, optimizer: { type: 'sgd', learningRate: 0.5, momentum: 0.9 } },
    });
    const summary = train(spec, 'clusters.safetensors', '--target', 'kind', '--task', 'classification');
    expect(summary.metrics.valAccuracy).toBe(1);
    const model = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'clusters.safetensors'))));
    expect(model.classes).toEqual(['big, round', 'small']);
    expect(model.features).toEqual(['a', 'b']);
    const data = parseCsv(readFileSync(join(dir, 'clusters.csv'), 'utf8'), { target: 'kind', task: 'classification' });
    expect(onValidationRows(model, data, 0.2, 42).accuracy).toBe(summary.metrics.valAccuracy);
  });

  it('trains a regression on a JSON file and reports the validation loss the weights give', () => {
    const rows = Array.from({ length: 80 }, (_, i) => {
      const [u, v] = [Math.sin(i * 1.7) * 3, Math.cos(i * 0.9) * 2];
      return { u, v, y: 2 * u - v + 1 };
    });
    writeFileSync(join(dir, 'line.json'), JSON.stringify(rows));
    const spec = writeJson('line.json.spec', {
      dataset: './line.json',
      model: { layers: [{ units: 1, activation: 'linear' }] },
      training: { epochs: 40, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.1 } },
    });
    const summary = train(spec, 'line.safetensors', '--target', 'y', '--task', 'regression');
    expect(summary.metrics.accuracy).toBeNull();
    expect(summary.metrics.valAccuracy).toBeNull();
    const model = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'line.safetensors'))));
    const data: Dataset = {
      task: 'regression', features: ['u', 'v'], target: 'y', rows: rows.length,
      x: Float32Array.from(rows.flatMap((r) => [r.u, r.v])), y: Float32Array.from(rows, (r) => r.y),
    };
    const { mse } = onValidationRows(model, data, 0.2, 42);
    expect(summary.metrics.valLoss!).toBeLessThan(0.05);
    expect(Math.abs(mse - summary.metrics.valLoss!)).toBeLessThan(1e-4 * Math.max(1, mse));
  });

  it('--init starts from the given weights (a negligible learning rate leaves them in place)', () => {
    const start = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'iris.safetensors'))));
    const spec = writeJson('iris-init.json', {
      dataset: 'builtin:iris',
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
      training: { epochs: 1, optimizer: { type: 'sgd', learningRate: 1e-12 }, validationSplit: 0.3 },
    });
    const summary = train(spec, 'iris-again.safetensors', '--init', 'iris.safetensors');
    const after = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'iris-again.safetensors'))));
    expect(after.normalization).toEqual(start.normalization);
    after.layers.forEach((layer, l) => {
      layer.weight.forEach((w, i) => expect(w).toBeCloseTo(start.layers[l].weight[i], 6));
      layer.bias.forEach((b, i) => expect(b).toBeCloseTo(start.layers[l].bias[i], 6));
    });
    expect(summary.metrics.valAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('on SIGINT stops within a step, still writes the weights and the summary, and exits 130', async () => {
    const spec = writeJson('long.json', {
      dataset: 'builtin:xor',
      model: { layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
      training: { epochs: 1_000_000 },
    });
    const child = spawn(process.execPath, [BIN, 'train', spec, '--out', 'interrupted.safetensors'], { cwd: dir });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    // Interrupt once the first epoch has been reported, so the run is certainly under way.
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (/^epoch 1\//m.test(stderr) && child.signalCode === null && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.epochsRun).toBeGreaterThanOrEqual(1);
    expect(summary.epochsRun).toBeLessThan(1_000_000);
    const model = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'interrupted.safetensors'))));
    expect(model.architecture.layers).toHaveLength(2);
  });

  describe('bad input: one line on stderr, nothing on stdout, exit 2', () => {
    const iris = { dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] } };
    const cases: [string, () => string[], RegExp][] = [
      ['a missing --out', () => ['train', writeJson('ok.json', iris)], /--out <model.safetensors> is required/],
      ['an unknown option', () => ['train', writeJson('ok.json', iris), '--out', 'x', '--epochs', '3'], /Unknown option '--epochs'/],
      ['an unknown command', () => ['serve'], /unknown command "serve"/],
      ['a missing spec file', () => ['train', 'absent.json', '--out', 'x'], /cannot read job spec absent.json: ENOENT/],
      ['a spec that is not JSON', () => { writeFileSync(join(dir, 'broken.json'), '{"dataset":'); return ['train', 'broken.json', '--out', 'x']; }, /not valid JSON/],
      ['a spec without layers', () => ['train', writeJson('nolayers.json', { dataset: 'builtin:iris' }), '--out', 'x'], /"model.layers" must be an array/],
      ['a layer that is not an object', () => ['train', writeJson('l.json', { dataset: 'builtin:iris', model: { layers: [null] } }), '--out', 'x'], /model.layers\[0\] must be an object/],
      ['an unknown built-in', () => ['train', writeJson('c.json', { ...iris, dataset: 'builtin:cifar' }), '--out', 'x'], /unknown built-in dataset builtin:cifar/],
      ['a spec the dataset cannot train', () => ['train', writeJson('u.json', { ...iris, model: { layers: [{ units: 2, activation: 'softmax' }] } }), '--out', 'x'], /model.layers\[0\].units: the output layer has 2 units but the dataset has 3 classes/],
      ['a service snapshot id', () => ['train', writeJson('s.json', { ...iris, initialWeights: 'snap_123' }), '--out', 'x'], /pass the weights file with --init/],
      ['a file dataset without --target', () => ['train', writeJson('f.json', { ...iris, dataset: 'clusters.csv' }), '--out', 'x'], /--target COL/],
      ['--target on a built-in', () => ['train', writeJson('ok.json', iris), '--out', 'x', '--target', 'species'], /already has its target/],
      ['an unknown --task', () => ['train', writeJson('f.json', { ...iris, dataset: 'clusters.csv' }), '--out', 'x', '--target', 'kind', '--task', 'ranking'], /--task must be classification or regression/],
      ['a CSV value that does not fit a forced type', () => {
        writeFileSync(join(dir, 'bad.csv'), 'a,b,label\n1,2,x\n3,four,y\n');
        return ['train', writeJson('bad.json', { ...iris, dataset: 'bad.csv', model: { layers: [{ units: 2, activation: 'softmax' }] } }), '--out', 'x', '--target', 'label', '--column', 'b=number'];
      }, /dataset bad.csv: some values do not fit their column's type: column "b": 1 .*\(rows? 2\)/],
      ['--init that is not safetensors', () => { writeFileSync(join(dir, 'junk.safetensors'), 'not weights at all'); return ['train', writeJson('ok.json', iris), '--out', 'x', '--init', 'junk.safetensors']; }, /weights junk.safetensors are not readable safetensors: header length/],
      ['--init of another dataset', () => ['train', writeJson('ok.json', iris), '--out', 'x', '--init', 'xor.safetensors'], /preprocessing of --init xor.safetensors does not fit the dataset: .*columns the dataset does not have: x1, x2/],
      ['--init of another shape', () => ['train', writeJson('wide.json', { ...iris, model: { layers: [{ units: 5, activation: 'relu' }, { units: 3, activation: 'softmax' }] } }), '--out', 'x', '--init', 'iris.safetensors'], /--init iris.safetensors does not fit the model: layer 0: the weights are \[16, 4\], the model needs \[5, 4\]/],
    ];
    for (const [what, args, message] of cases) {
      it(`rejects ${what}`, () => expectRejected(backprop(...args()), message));
    }
  });

  it('prints usage for --help, and an unreadable --out is a one-line error', () => {
    const help = backprop('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: backprop train <spec.json> --out/);
    const spec = writeJson('tiny.json', { dataset: 'builtin:xor', model: { layers: [{ units: 2, activation: 'softmax' }] }, training: { epochs: 1 } });
    const run = backprop('train', spec, '--out', join(dir, 'no-such-dir', 'model.safetensors'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/backprop: cannot write .*no-such-dir\/model.safetensors: ENOENT\n$/);
  });
});
