import { JsKernel } from './js-kernel.ts';
import type { Kernel } from './kernel.ts';
import { loadNativeAddon, NativeKernel } from './native-kernel.ts';
import { loadWasmModule, WasmKernel } from './wasm-kernel.ts';

export type Backend = 'native' | 'wasm' | 'js';

export interface KernelOptions {
  /** Force a backend; default: env BACKPROP_BACKEND, else the fastest available. */
  backend?: Backend;
  /** GEMM threads; default: env BACKPROP_THREADS, else 1 (one job per core). */
  threads?: number;
}

/** Backends usable in this process, fastest first. */
export function availableBackends(): Backend[] {
  const backends: Backend[] = [];
  if (loadNativeAddon()) backends.push('native');
  if (loadWasmModule()) backends.push('wasm');
  backends.push('js');
  return backends;
}

/** The kernel to train with: native (OpenBLAS) when built, else the TypeScript reference. */
export function selectKernel(options: KernelOptions = {}): Kernel {
  const requested = options.backend ?? (process.env.BACKPROP_BACKEND as Backend | undefined);
  const threads = Math.max(1, Math.floor(options.threads ?? Number(process.env.BACKPROP_THREADS ?? 1)) || 1);
  const available = availableBackends();
  if (requested && !available.includes(requested)) {
    throw new Error(`kernel backend "${requested}" is not available here (available: ${available.join(', ')})`);
  }
  const backend = requested ?? available[0];
  if (backend === 'native') return new NativeKernel(loadNativeAddon()!, threads);
  if (backend === 'wasm') return new WasmKernel(loadWasmModule()!, threads);
  return new JsKernel();
}
