import { loadBuiltin } from '@trainyard/backprop';
import { describe, expect, it } from 'vitest';
import { tableFromMatrix } from './matrix-table.ts';
import { prepareMatrixTraining } from './prepare-matrix.ts';
import { prepareTraining, type DataOptions } from './prepare-training.ts';
import type { TypedTable } from './table.ts';

const options: DataOptions = { testSplit: 0.2, validationSplit: 0.25, seed: 5, normalize: true, maxCategories: 50 };

describe('prepareTraining', () => {
  it('gives a matrix dataset the same split, inputs and standardisation through the fast path as through a typed table', () => {
    const iris = loadBuiltin('builtin:iris');
    const fast = prepareMatrixTraining(iris, options);
    const { table, meta } = tableFromMatrix(iris);
    const general = prepareTraining(table, meta, options);
    expect(fast.split).toEqual(general.split);
    expect(fast.dataset.x).toEqual(general.dataset.x);
    expect(fast.dataset.y).toEqual(general.dataset.y);
    expect(fast.preprocessing).toEqual(general.preprocessing);
    expect(fast.normalization).toEqual(general.normalization);
    expect(fast.split.test.length).toBe(30);
    // Stratified: 10 of each of the 3 classes of 50.
    for (let c = 0; c < 3; c++) expect([...fast.split.test].filter((r) => iris.y[r] === c).length).toBe(10);
  });

  it('leaves rows without a target out, standardises regression targets and weights classes', () => {
    const table: TypedTable = {
      rows: 6,
      columns: [
        { name: 'a', type: 'number', values: Float64Array.of(1, 2, 3, 4, 5, 6) },
        { name: 'price', type: 'number', values: Float64Array.of(10, Number.NaN, 30, 40, 50, 60) },
        { name: 'kind', type: 'category', codes: Int32Array.of(0, 0, 0, 1, -1, 0), dictionary: ['x', 'y'] },
      ],
    };
    const regression = prepareTraining(table, { task: 'regression', target: 'price', features: ['a', 'kind'] }, { ...options, testSplit: 0, validationSplit: 0 });
    expect(regression.dataset.rows).toBe(5);
    expect([...regression.tableRows]).toEqual([0, 2, 3, 4, 5]);
    const { mean, std } = regression.preprocessing.target!;
    expect(mean).toBeCloseTo(38, 10);
    expect(std).toBeCloseTo(Math.sqrt([10, 30, 40, 50, 60].reduce((s, v) => s + (v - 38) ** 2, 0) / 5), 10);
    expect(regression.dataset.y[0]).toBeCloseTo((10 - 38) / std, 6);

    const classification = prepareTraining(table, { task: 'classification', target: 'kind', features: ['a', 'price'], classes: ['x', 'y'] },
      { ...options, testSplit: 0, validationSplit: 0, classWeights: 'balanced' });
    expect(classification.dataset.rows).toBe(5); // row 4 has no kind
    // 4 of x, 1 of y among 5 training rows: x weighs 5 / (2·4), y 5 / (2·1).
    expect(Array.from(classification.dataset.weights!)).toEqual([0.625, 0.625, 0.625, 2.5, 0.625]); // dataset row 3 is table row 3, the one y
  });

  it('selects features and names unknown ones', () => {
    const iris = loadBuiltin('builtin:iris');
    const { table, meta } = tableFromMatrix(iris);
    const chosen = prepareTraining(table, meta, { ...options, features: { exclude: ['sepal_length'] } });
    expect(chosen.preprocessing.inputs).toEqual(iris.features.filter((f) => f !== 'sepal_length'));
    expect(() => prepareTraining(table, meta, { ...options, features: { include: ['nope'] } })).toThrow(/nope/);
  });
});
