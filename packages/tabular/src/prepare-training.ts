import { DatasetError, fitNormalization, materializeOneHot, type Dataset, type Normalization } from '@trainyard/backprop';
import { classWeightsOf, type ClassWeights } from './class-weights.ts';
import { encodeWithCodes, fitPreprocessing, normalizationOf, type FittedPreprocessing } from './preprocessing/preprocessing.ts';
import { splitRows, type Split } from './split.ts';
import { isNumeric, type TypedColumn, type TypedTable } from './table.ts';

/** What the dataset resource says about its columns. */
export interface TableMeta {
  task: 'classification' | 'regression';
  target: string;
  /** Feature columns in file order (neither the target nor ignored ones). */
  features: string[];
  classes?: string[];
}

export type FeatureSelection = { include: string[] } | { exclude: string[] } | null | undefined;

export interface DataOptions {
  features?: FeatureSelection;
  testSplit: number;
  validationSplit: number;
  seed: number;
  normalize: boolean;
  maxCategories: number;
  classWeights?: ClassWeights | null;
  /** Encode with this preprocessing (e.g. the initial weights') instead of fitting one. */
  preprocessing?: FittedPreprocessing;
}

/** A job's data, ready for the engine: the labelled rows encoded, its split, and how to encode more rows. */
export interface TrainingData {
  /** The engine's dataset over the labelled rows (train and validation in `split`, test rows untouched). */
  dataset: Dataset;
  /**
   * The fitted (or given) preprocessing: dataset.x holds its inputs before standardisation — with category
   * columns, all but theirs, which are dataset.oneHot's codes (see encodedRows for whole rows).
   */
  preprocessing: FittedPreprocessing;
  normalization: Normalization | null;
  /** Indices into dataset rows; `test` is only ever evaluated. */
  split: Split;
  /** Table row of each dataset row. */
  tableRows: Uint32Array;
}

/**
 * Selects the feature columns, drops rows without a target, splits (stratified for classification), fits
 * the preprocessing on the training rows and encodes every labelled row. Throws DatasetError('invalid_dataset')
 * for unknown feature names or a split that leaves no training row.
 */
export function prepareTraining(table: TypedTable, meta: TableMeta, options: DataOptions): TrainingData {
  const plan = planTraining(table, meta, options);
  const { preprocessing, split, tableRows, y } = plan;
  const classification = meta.task === 'classification';
  // Category columns enter the first layer as codes: the one-hot matrix is never built.
  const { x, blocks, codes } = encodeWithCodes(preprocessing, table, tableRows);
  const dataset: Dataset = {
    task: meta.task,
    features: preprocessing.inputs,
    target: meta.target,
    rows: tableRows.length,
    x,
    ...(blocks.length > 0 ? { oneHot: { blocks, codes } } : {}),
    y,
    split: { train: split.train, validation: split.validation },
    preprocessing,
  };
  if (classification) dataset.classes = [...(meta.classes ?? [])];
  if (classification && options.classWeights) dataset.weights = classWeightsOf(options.classWeights, dataset.classes!, y, split.train);
  return { dataset, preprocessing, normalization: normalizationOf(preprocessing), split, tableRows };
}

/** The listed dataset rows' whole inputs (rows.length × features), one-hot blocks materialised for just these rows. */
export function encodedRows(dataset: Dataset, rows: ArrayLike<number>): Float32Array {
  const oneHot = dataset.oneHot;
  const width = oneHot ? dataset.x.length / dataset.rows : dataset.features.length;
  const x = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) x.set(dataset.x.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  if (!oneHot) return x;
  const codes = oneHot.codes.map((all) => Int32Array.from({ length: rows.length }, (_, i) => all[rows[i]]));
  return materializeOneHot(rows.length, dataset.features.length, x, oneHot.blocks, codes);
}

/** prepareTraining without encoding the rows: the split, the labelled rows' targets (standardised when so fitted) and the preprocessing. */
export function planTraining(table: TypedTable, meta: TableMeta, options: DataOptions): { preprocessing: FittedPreprocessing; split: Split; tableRows: Uint32Array; y: Float32Array } {
  const features = selectFeatures(table, meta, options.features);
  const target = findColumn(table, meta.target);
  const { tableRows, y } = labelledRows(target, meta);
  if (tableRows.length === 0) throw new DatasetError('invalid_dataset', `no row has a value in the target column "${meta.target}"`);
  const classification = meta.task === 'classification';
  const split = splitRows({
    rows: tableRows.length, classes: classification ? y : undefined,
    testSplit: options.testSplit, validationSplit: options.validationSplit, seed: options.seed,
  });
  const trainTableRows = split.train.map((row) => tableRows[row]);
  const preprocessing = options.preprocessing
    ? structuredClone(options.preprocessing)
    : fitPreprocessing(table, features, trainTableRows, { normalize: options.normalize, maxCategories: options.maxCategories });
  if (!classification && options.normalize && !options.preprocessing) {
    // The targets' standardisation is the engine's, as for any input: population std, 1 when constant.
    const scale = fitNormalization(y, 1, split.train);
    preprocessing.target = { mean: scale.mean[0], std: scale.std[0] };
  }
  if (preprocessing.target) {
    const { mean, std } = preprocessing.target;
    for (let i = 0; i < y.length; i++) y[i] = (y[i] - mean) / std;
  }
  return { preprocessing, split, tableRows, y };
}

/** The job's feature columns, in file order; text columns are never features. */
export function selectFeatures(table: TypedTable, meta: TableMeta, selection: FeatureSelection): string[] {
  const usable = meta.features.filter((name) => findColumn(table, name).type !== 'text');
  if (!selection) return usable;
  const named = 'include' in selection ? selection.include : selection.exclude;
  const unknown = named.filter((name) => !meta.features.includes(name));
  if (unknown.length > 0) {
    throw new DatasetError('invalid_dataset', `features names columns that are not features of the dataset: ${unknown.join(', ')}`,
      unknown.map((column) => ({ column, message: 'is not a feature column of the dataset' })));
  }
  const text = named.filter((name) => findColumn(table, name).type === 'text');
  if ('include' in selection && text.length > 0) {
    throw new DatasetError('invalid_dataset', `text columns are kept but cannot be features: ${text.join(', ')}`,
      text.map((column) => ({ column, message: 'is a text column' })));
  }
  const chosen = 'include' in selection ? usable.filter((name) => named.includes(name)) : usable.filter((name) => !named.includes(name));
  if (chosen.length === 0) throw new DatasetError('invalid_dataset', 'the feature selection leaves no feature column');
  return chosen;
}

/** Rows whose target is present, and their target: the class index or the value. */
function labelledRows(target: TypedColumn, meta: TableMeta): { tableRows: Uint32Array; y: Float32Array } {
  const rows: number[] = [];
  const values: number[] = [];
  if (meta.task === 'classification') {
    if (isNumeric(target)) throw new Error(`a classification target must be coded; "${target.name}" is ${target.type}`);
    const classes = meta.classes ?? [];
    const index = new Map(classes.map((label, i) => [label, i]));
    const classOf = Int32Array.from(target.dictionary, (label) => index.get(label) ?? -1);
    target.codes.forEach((code, row) => {
      if (code >= 0 && classOf[code] >= 0) {
        rows.push(row);
        values.push(classOf[code]);
      }
    });
  } else {
    if (!isNumeric(target)) throw new Error(`a regression target must be numbers; "${target.name}" is ${target.type}`);
    target.values.forEach((value, row) => {
      if (!Number.isNaN(value)) {
        rows.push(row);
        values.push(value);
      }
    });
  }
  return { tableRows: Uint32Array.from(rows), y: Float32Array.from(values) };
}

function findColumn(table: TypedTable, name: string): TypedColumn {
  const column = table.columns.find((c) => c.name === name);
  if (column === undefined) throw new DatasetError('invalid_dataset', `the dataset has no column "${name}"`, [{ column: name, message: 'unknown column' }]);
  return column;
}

/** A job's training settings as the table preparation reads them (jobs stored before these fields get their defaults). */
export function dataOptionsOf(
  training: { testSplit?: number; validationSplit: number; seed: number; normalize: boolean; maxCategories?: number; classWeights?: ClassWeights | null },
  features: FeatureSelection,
  preprocessing?: FittedPreprocessing,
): DataOptions {
  return {
    features: features ?? null,
    testSplit: training.testSplit ?? 0,
    validationSplit: training.validationSplit,
    seed: training.seed,
    normalize: training.normalize,
    maxCategories: training.maxCategories ?? 50,
    classWeights: training.classWeights ?? null,
    ...(preprocessing ? { preprocessing } : {}),
  };
}
