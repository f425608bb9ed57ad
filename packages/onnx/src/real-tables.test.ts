// Public tables as published (vega-datasets): trained as the worker trains, exported, and run by ONNX
// Runtime on the file's own rows against the engine's predict() on the same rows.
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.ts';
import { expectEngineAgreement, largestDifference } from './testing/engine-agreement.ts';
import { trainOnFile } from './testing/table-models.ts';

const data = (file: string) => readFile(new URL(`../../../node_modules/vega-datasets/data/${file}`, import.meta.url));
const sizes: string[] = [];

function recordSize(name: string, safetensors: Uint8Array, onnx: Uint8Array): void {
  sizes.push(`${name}: onnx ${onnx.length} B, safetensors ${safetensors.length} B (${(onnx.length / safetensors.length).toFixed(2)}×)`);
}

afterAll(() => {
  const { difference, where } = largestDifference();
  console.log(`real tables: largest |onnx − predict| / max(1, |predict|) = ${difference.toExponential(3)} (${where})\n  ${sizes.join('\n  ')}`);
});

describe('real tables', () => {
  it('penguins.json: species from categories with gaps (island, sex with null and ".") and measurements with gaps', async () => {
    const { model, rows, safetensors } = await trainOnFile(await data('penguins.json'), {
      target: 'Species', layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }], training: { epochs: 20 },
    });
    const inputs = model.preprocessing!.columns.map((c) => `${(c as { name: string }).name}:${(c as { type: string }).type}`);
    expect(inputs).toEqual(['Island:category', 'Beak Length (mm):number', 'Beak Depth (mm):number', 'Flipper Length (mm):number', 'Body Mass (g):number', 'Sex:category']);
    const run = await expectEngineAgreement('penguins', model, { rows });
    expect(new Set(run.labels)).toEqual(new Set(['Adelie', 'Chinstrap', 'Gentoo']));
    recordSize('penguins 16 relu + 3 softmax', safetensors, exportOnnx(model));
  });

  it('seattle-weather.csv: temp_max from a date column, numbers and a category, standardised target', async () => {
    const { model, rows, safetensors } = await trainOnFile(await data('seattle-weather.csv'), {
      target: 'temp_max', task: 'regression', layers: [{ units: 12, activation: 'tanh' }, { units: 1, activation: 'linear' }], training: { epochs: 10 },
    });
    expect(model.preprocessing!.target).toBeDefined();
    expect(model.preprocessing!.inputs).toContain('date:year_sin');
    expect(model.preprocessing!.inputs).not.toContain('date:day_sin');
    await expectEngineAgreement('seattle-weather', model, { rows });
    recordSize('seattle-weather 12 tanh + 1 linear', safetensors, exportOnnx(model));
  });

  it('cars.json: origin from a Year date column and numbers with gaps (leaky relu)', async () => {
    const { model, rows, safetensors } = await trainOnFile(await data('cars.json'), {
      target: 'Origin', layers: [{ units: 10, activation: 'leaky_relu' }, { units: 8, activation: 'sigmoid' }, { units: 3, activation: 'softmax' }],
    });
    expect(model.preprocessing!.inputs).toContain('Horsepower:missing');
    expect(model.preprocessing!.inputs).toContain('Year:years');
    await expectEngineAgreement('cars', model, { rows });
    recordSize('cars 10 leaky_relu + 8 sigmoid + 3 softmax', safetensors, exportOnnx(model));
  });
});
