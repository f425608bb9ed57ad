// Every column type through the exported graph: gaps in each (with and without a missing indicator),
// unseen categories, datetimes with times of day, both tasks, with and without normalisation.
import type { SavedModel } from '@trainyard/backprop';
import type { FittedPreprocessing } from '@trainyard/tabular';
import { afterAll, describe, expect, it } from 'vitest';
import { expectEngineAgreement, largestDifference } from './testing/engine-agreement.ts';
import { mixedTable, UNUSUAL_ROWS } from './testing/mixed-table.ts';
import { trainOnFile, type TableJob } from './testing/table-models.ts';

const table = mixedTable();
const file = new TextEncoder().encode(JSON.stringify(table));
const rows = [...table, ...UNUSUAL_ROWS];

afterAll(() => {
  const { difference, where } = largestDifference();
  console.log(`column types: largest |onnx − predict| / max(1, |predict|) = ${difference.toExponential(3)} (${where})`);
});

async function train(job: TableJob) {
  const { model } = await trainOnFile(file, job);
  return { model, preprocessing: model.preprocessing as FittedPreprocessing };
}

describe('every column type', () => {
  it('classification: number, boolean, category and datetime columns with gaps, unseen and missing values', async () => {
    const { model, preprocessing } = await train({
      target: 'kind', columns: { amount: 'ignore' }, layers: [{ units: 12, activation: 'relu' }, { units: 3, activation: 'softmax' }],
    });
    expect(preprocessing.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'size:number', 'weight:number', 'fresh:boolean', 'organic:boolean', 'colour:category', 'shape:category', 'seen:datetime', 'day:datetime',
    ]);
    // Gaps give indicators; times of day give the day parts; date-only columns do not.
    expect(preprocessing.inputs).toEqual(expect.arrayContaining(['size:missing', 'fresh:missing', 'colour:other', 'seen:day_sin', 'seen:day_cos', 'seen:missing']));
    expect(preprocessing.inputs).not.toContain('weight:missing');
    expect(preprocessing.inputs).not.toContain('day:day_sin');
    expect(model.normalization).not.toBeNull();
    await expectEngineAgreement('mixed classification', model, { rows });
  });

  it('regression with a standardised target: predictions in the target units', async () => {
    const { model, preprocessing } = await train({
      target: 'amount', task: 'regression', columns: { kind: 'ignore' }, layers: [{ units: 10, activation: 'tanh' }, { units: 1, activation: 'linear' }],
    });
    expect(preprocessing.target).toBeDefined();
    const run = await expectEngineAgreement('mixed regression', model, { rows });
    // Target units, not standardised ones: the table's amounts are around 20–40.
    const mean = run.outputs.reduce((a, b) => a + b, 0) / run.outputs.length;
    expect(mean).toBeGreaterThan(10);
  });

  it('without normalisation: raw encoded inputs, and a regression target left as it is', async () => {
    const jobs: TableJob[] = [
      { target: 'kind', columns: { amount: 'ignore' }, layers: [{ units: 6, activation: 'sigmoid' }, { units: 3, activation: 'softmax' }] },
      { target: 'amount', task: 'regression', columns: { kind: 'ignore' }, layers: [{ units: 6, activation: 'leaky_relu' }, { units: 1, activation: 'linear' }] },
    ];
    for (const job of jobs) {
      const { model, preprocessing } = await train({ ...job, training: { normalize: false, optimizer: { learningRate: 0.001 } } });
      expect(model.normalization).toBeNull();
      expect(preprocessing.target).toBeUndefined();
      await expectEngineAgreement(`mixed ${job.target} without normalize`, model, { rows });
    }
  });

  it('a boolean target with one sigmoid unit: label is classes[p ≥ 0.5]', async () => {
    const { model } = await train({
      target: 'organic', columns: { amount: 'ignore', kind: 'ignore' }, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      training: { loss: 'binary_cross_entropy' },
    });
    expect(model.classes).toEqual(['false', 'true']);
    await expectEngineAgreement('mixed binary', model, { rows });
  });

  it('edge encodings: a category with no training value, a datetime of one part, a boolean without gaps', async () => {
    const preprocessing: FittedPreprocessing = {
      columns: [
        { name: 'c', type: 'category', categories: [] },
        { name: 't', type: 'datetime', parts: ['years'], fill: 31.5, indicator: true, mean: 0, std: 1 },
        { name: 'b', type: 'boolean', fill: 0.25, indicator: false },
      ],
      inputs: ['c:other', 't:years', 't:missing', 'b'],
      target: { mean: 3, std: 2 },
    };
    const model: SavedModel = {
      architecture: { inputSize: 4, layers: [{ units: 2, activation: 'linear' }] },
      layers: [{ weight: Float32Array.of(0.5, 0.1, -2, 1.5, -0.25, 0.03, 1, -1), bias: Float32Array.of(0.125, -0.5) }],
      normalization: { mean: [0, 45, 0, 0.5], std: [1, 10, 1, 0.5] },
      preprocessing,
    };
    const edgeRows = [{ c: 'x', t: '2001-01-01', b: true }, { c: null, t: null, b: null }, {}, { c: '', t: '1969-12-31T23:59:59Z', b: 'no' }];
    await expectEngineAgreement('edge encodings', model, { rows: edgeRows });
  });
});
