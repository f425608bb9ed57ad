import { createRequire } from 'node:module';
import { ACTIVATION_ID, LOSS_ID, type Activation, type Loss } from '../spec.ts';
import type { Kernel } from './kernel.ts';

interface NativeAddon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void;
  biasActivation(z: Float32Array, bias: Float32Array, rows: number, cols: number, activation: number, out: Float32Array): void;
  activationBackward(delta: Float32Array, z: Float32Array, a: Float32Array, length: number, activation: number): void;
  outputDelta(loss: number, activation: number, z: Float32Array, yhat: Float32Array, y: Float32Array, rows: number, cols: number, delta: Float32Array): number;
  columnSum(m: Float32Array, rows: number, cols: number, out: Float32Array): void;
  sgdUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array, length: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void;
  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, length: number, lr: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, t: number): void;
  setThreads(threads: number): void;
  getThreads(): number;
}

let addon: NativeAddon | null | undefined;

/** The compiled addon (native/build/Release), or null when it was not built here. */
export function loadNativeAddon(): NativeAddon | null {
  if (addon === undefined) {
    try {
      addon = createRequire(import.meta.url)('../../native/build/Release/trainyard_kernel.node') as NativeAddon;
    } catch {
      addon = null;
    }
  }
  return addon;
}

/** OpenBLAS SGEMM and C element-wise ops, straight on the Float32Arrays' memory. */
export class NativeKernel implements Kernel {
  readonly name = 'native';

  constructor(
    private readonly native: NativeAddon,
    readonly threads: number,
  ) {}

  /** Applies this kernel's BLAS thread count; OpenBLAS's setting is process-wide. */
  activate(): void {
    this.native.setThreads(this.threads);
  }

  alloc(length: number): Float32Array {
    return new Float32Array(length);
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void {
    this.native.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
  }

  biasActivation(z: Float32Array, bias: Float32Array, rows: number, cols: number, activation: Activation, out: Float32Array): void {
    this.native.biasActivation(z, bias, rows, cols, ACTIVATION_ID[activation], out);
  }

  activationBackward(delta: Float32Array, z: Float32Array, a: Float32Array, length: number, activation: Activation): void {
    if (activation === 'softmax') throw new Error('activationBackward: softmax has no element-wise derivative; it is fused with cross_entropy');
    this.native.activationBackward(delta, z, a, length, ACTIVATION_ID[activation]);
  }

  outputDelta(loss: Loss, activation: Activation, z: Float32Array, yhat: Float32Array, y: Float32Array, rows: number, cols: number, delta: Float32Array): number {
    return this.native.outputDelta(LOSS_ID[loss], ACTIVATION_ID[activation], z, yhat, y, rows, cols, delta);
  }

  columnSum(m: Float32Array, rows: number, cols: number, out: Float32Array): void {
    this.native.columnSum(m, rows, cols, out);
  }

  sgdUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array, length: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void {
    this.native.sgdUpdate(w, g, velocity, length, lr, momentum, nesterov, weightDecay);
  }

  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, length: number, lr: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, t: number): void {
    this.native.adamUpdate(w, g, m, v, length, lr, beta1, beta2, epsilon, weightDecay, t);
  }
}
