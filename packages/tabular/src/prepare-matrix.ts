import { fitNormalization, type Dataset } from '@trainyard/backprop';
import { classWeightsOf } from './class-weights.ts';
import { tableFromMatrix } from './matrix-table.ts';
import type { NumberSpec } from './preprocessing/number-encoding.ts';
import { normalizationOf, type FittedPreprocessing } from './preprocessing/preprocessing.ts';
import { prepareTraining, type DataOptions, type TrainingData } from './prepare-training.ts';
import { splitRows } from './split.ts';

/**
 * prepareTraining for a dataset already in matrix form with every value present (built-ins, uploads stored
 * before typed columns): the same split, preprocessing and rows as through a typed table, but the matrix
 * is used as it is, without a copy (MNIST is 31 MB). A feature selection or a given preprocessing goes the general way.
 */
export function prepareMatrixTraining(data: Dataset, options: DataOptions): TrainingData {
  if (options.features || options.preprocessing) {
    const { table, meta } = tableFromMatrix(data);
    return prepareTraining(table, meta, options);
  }
  const classification = data.task === 'classification';
  const split = splitRows({
    rows: data.rows, classes: classification ? data.y : undefined,
    testSplit: options.testSplit, validationSplit: options.validationSplit, seed: options.seed,
  });
  const width = data.features.length;
  const fitted = fitNormalization(data.x, width, split.train);
  const columns: NumberSpec[] = data.features.map((name, f) => ({
    name, type: 'number', fill: fitted.mean[f], indicator: false,
    mean: options.normalize ? fitted.mean[f] : 0, std: options.normalize ? fitted.std[f] : 1,
  }));
  const preprocessing: FittedPreprocessing = { columns, inputs: [...data.features] };
  let y = data.y;
  if (!classification && options.normalize) {
    const scale = fitNormalization(data.y, 1, split.train);
    preprocessing.target = { mean: scale.mean[0], std: scale.std[0] };
    y = Float32Array.from(data.y, (v) => (v - scale.mean[0]) / scale.std[0]);
  }
  const dataset: Dataset = {
    task: data.task, features: [...data.features], target: data.target, rows: data.rows, x: data.x, y,
    split: { train: split.train, validation: split.validation }, preprocessing,
  };
  if (data.classes) dataset.classes = [...data.classes];
  if (classification && options.classWeights) dataset.weights = classWeightsOf(options.classWeights, dataset.classes ?? [], y, split.train);
  return { dataset, preprocessing, normalization: normalizationOf(preprocessing), split, tableRows: Uint32Array.from({ length: data.rows }, (_, i) => i) };
}
