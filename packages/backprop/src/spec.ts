/** Activations a dense layer may use; `softmax` is valid on the last layer only. */
export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const LOSSES = ['mse', 'cross_entropy', 'binary_cross_entropy'] as const;
export type Loss = (typeof LOSSES)[number];

/** Slope of leaky_relu for negative inputs. */
export const LEAKY_RELU_SLOPE = 0.01;

export interface LayerSpec {
  units: number;
  activation: Activation;
}

/** A dense network: `inputSize` features in, one dense layer per entry. */
export interface ModelSpec {
  inputSize: number;
  layers: LayerSpec[];
}

/** Stable numeric ids, shared with the native and wasm kernels. */
export const ACTIVATION_ID: Record<Activation, number> = {
  linear: 0,
  relu: 1,
  leaky_relu: 2,
  sigmoid: 3,
  tanh: 4,
  softmax: 5,
};

export const LOSS_ID: Record<Loss, number> = {
  mse: 0,
  cross_entropy: 1,
  binary_cross_entropy: 2,
};
