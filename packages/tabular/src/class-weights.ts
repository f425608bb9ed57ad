import { DatasetError } from '@trainyard/backprop';

/** `training.classWeights`: "balanced", or a weight per class label (unnamed classes weigh 1). */
export type ClassWeights = 'balanced' | Record<string, number>;

/**
 * One loss weight per row from its class: balanced gives class c the weight n / (k · count_c) over the
 * training rows (n rows, k classes); a map gives the named weights. Unknown labels answer invalid_dataset.
 */
export function classWeightsOf(weights: ClassWeights, classes: string[], y: Float32Array, train: Uint32Array): Float32Array {
  const perClass = new Float64Array(classes.length).fill(1);
  if (weights === 'balanced') {
    const counts = new Float64Array(classes.length);
    for (const r of train) counts[y[r]]++;
    counts.forEach((count, c) => {
      perClass[c] = count > 0 ? train.length / (classes.length * count) : 1;
    });
  } else {
    const unknown = Object.keys(weights).filter((label) => !classes.includes(label));
    if (unknown.length > 0) {
      throw new DatasetError('invalid_dataset', `classWeights names labels that are not classes of the target: ${unknown.join(', ')}`,
        unknown.map((label) => ({ message: `"${label}" is not a class (classes: ${classes.join(', ')})` })));
    }
    classes.forEach((label, c) => {
      if (Object.hasOwn(weights, label)) perClass[c] = weights[label];
    });
  }
  return Float32Array.from(y, (c) => perClass[c]);
}
