// Category columns reach the engine as codes (Dataset.oneHot), on a real table: penguins.json (Island and
// Sex are categories, with missing values). The codes stand for exactly encodeRaw's one-hot inputs, and
// training on them equals training on the materialised inputs within GEMM rounding.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { availableBackends, resolveTrainingConfig, selectKernel, Trainer, type Dataset } from '@trainyard/backprop';
import { readTable } from './read/read-table.ts';
import { typeTable } from './columns/type-table.ts';
import { encodedRows, prepareTraining, type DataOptions } from './prepare-training.ts';
import { encodeRaw } from './preprocessing/preprocessing.ts';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules', 'vega-datasets', 'data');
const options: DataOptions = { testSplit: 0.2, validationSplit: 0.2, seed: 3, normalize: true, maxCategories: 50 };

async function penguins() {
  const raw = await readTable(new Uint8Array(readFileSync(join(DATA, 'penguins.json'))));
  const typed = typeTable(raw, { target: 'Species', maxCategories: 100 });
  const meta = { task: typed.task, target: typed.target, features: typed.features, classes: typed.classes };
  return { data: prepareTraining(typed.table, meta, options), table: typed.table };
}

describe('prepareTraining with category columns', () => {
  it('gives codes, not one-hot inputs, and they stand for exactly encodeRaw\'s inputs', async () => {
    const { data, table } = await penguins();
    const { dataset, preprocessing, tableRows } = data;
    expect(dataset.oneHot!.blocks.length).toBe(preprocessing.columns.filter((c) => c.type === 'category').length);
    expect(dataset.oneHot!.blocks.length).toBeGreaterThanOrEqual(2);
    const covered = dataset.oneHot!.blocks.reduce((sum, b) => sum + b.levels, 0);
    expect(dataset.x.length).toBe(dataset.rows * (preprocessing.inputs.length - covered));
    const all = Uint32Array.from({ length: dataset.rows }, (_, i) => i);
    expect(encodedRows(dataset, all)).toEqual(encodeRaw(preprocessing, table, tableRows));
    // Missing values take the "other" slot, as encodeRaw's 1 does.
    for (const [b, block] of dataset.oneHot!.blocks.entries()) expect(Math.max(...dataset.oneHot!.codes[b])).toBeLessThan(block.levels);
  });

  it.each(availableBackends())('trains like the materialised inputs (%s), with the preprocessing\'s normalisation', async (backend) => {
    const { data } = await penguins();
    const { dataset, normalization } = data;
    const { oneHot: _, ...rest } = dataset;
    const dense: Dataset = { ...rest, x: encodedRows(dataset, Uint32Array.from({ length: dataset.rows }, (_, i) => i)) };
    const spec = { inputSize: dataset.features.length, layers: [{ units: 16, activation: 'relu' as const }, { units: 3, activation: 'softmax' as const }] };
    const training = resolveTrainingConfig({ epochs: 5, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.01 } }, { task: 'classification', outputActivation: 'softmax', outputUnits: 3 });
    const a = new Trainer({ spec, training, data: dataset, kernel: selectKernel({ backend }), normalization });
    const b = new Trainer({ spec, training, data: dense, kernel: selectKernel({ backend }), normalization });
    const ra = await a.run();
    const rb = await b.run();
    expect(ra.metrics!.valAccuracy).toBeCloseTo(rb.metrics!.valAccuracy!, 6);
    a.model().layers.forEach((layer, l) => {
      const other = b.model().layers[l];
      for (let i = 0; i < layer.weight.length; i++) expect(Math.abs(layer.weight[i] - other.weight[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(other.weight[i])));
    });
  });
});
