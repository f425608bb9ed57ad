import type { Preprocessing } from './dataset.ts';
import type { ModelSpec } from './spec.ts';

/** Per-feature standardisation fitted on the training split: x' = (x − mean) / std. */
export interface Normalization {
  mean: number[];
  std: number[];
}

export interface LayerWeights {
  /** out×in, row-major: weight[i*in + j] connects input j to neuron i. */
  weight: Float32Array;
  /** out */
  bias: Float32Array;
}

/** Everything needed to run a trained network: what a safetensors file holds. */
export interface SavedModel {
  architecture: ModelSpec;
  layers: LayerWeights[];
  normalization: Normalization | null;
  classes?: string[];
  target?: string;
  features?: string[];
  /** Raw columns → inputs (and the target's standardisation): predict() undoes the target's. */
  preprocessing?: Preprocessing;
}
