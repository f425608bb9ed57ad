// Element-wise ops of a training step, shared by the native addon and the wasm module. Semantics
// mirror src/kernels/js-kernel.ts (the reference); all matrices are row-major and contiguous.
#ifndef TRAINYARD_OPS_H
#define TRAINYARD_OPS_H

// Ids match ACTIVATION_ID and LOSS_ID in src/spec.ts.
enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_LEAKY_RELU = 2, ACT_SIGMOID = 3, ACT_TANH = 4, ACT_SOFTMAX = 5 };
enum { LOSS_MSE = 0, LOSS_CROSS_ENTROPY = 1, LOSS_BINARY_CROSS_ENTROPY = 2 };

// z (rows×cols) += bias per row, then out = f(z) (softmax per row).
void k_bias_activation(float *z, const float *bias, int rows, int cols, int activation, float *out);
// delta ⊙= f'(z) over length elements (a = f(z)); softmax is not element-wise and is left alone.
void k_activation_backward(float *delta, const float *z, const float *a, int length, int activation);
// δ = ∂L/∂z of the output layer (batch mean), returns the batch-mean loss. With weights (one per row;
// NULL = every row weighs the same) both are the weighted mean: row r counts w_r / Σw.
double k_output_delta(int loss, int activation, const float *z, const float *yhat, const float *y, int rows, int cols, float *delta,
                      const float *weights);
// out (cols) = Σ_rows m[row, :].
void k_column_sum(const float *m, int rows, int cols, float *out);
// SGD with momentum / Nesterov and L2 decay (velocity unused when momentum is 0).
void k_sgd_update(float *w, const float *g, float *velocity, int length, float lr, float momentum, int nesterov, float decay);
// AdamW; inverse bias corrections 1/(1−β1^t), 1/(1−β2^t) come from the caller (computed in double).
void k_adam_update(float *w, const float *g, float *m, float *v, int length, float lr, float beta1, float beta2, float epsilon,
                   float decay, float correction1, float correction2);

#endif
