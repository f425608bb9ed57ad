import { JsKernel } from './js-kernel.ts';
import type { Kernel } from './kernel.ts';
import { loadNativeAddon, NativeKernel } from './native-kernel.ts';
import { loadWasmModule, WasmKernel } from './wasm-kernel.ts';

export const BACKENDS = ['native', 'wasm', 'js'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Upper bound of BACKPROP_THREADS / `threads`. */
export const MAX_KERNEL_THREADS = 64;

export interface KernelOptions {
  /** Force a backend; default: env BACKPROP_BACKEND, else the fastest available. */
  backend?: Backend;
  /** GEMM threads; default: env BACKPROP_THREADS, else 1 (one job per core). */
  threads?: number;
}

/**
 * Backends usable in this process, fastest first: native (OpenBLAS addon built), wasm (SIMD engine), js;
 * env BACKPROP_BACKENDS (a comma list) restricts them, e.g. to keep a worker off a backend.
 */
export function availableBackends(): Backend[] {
  const allowed = parseAllowed(process.env.BACKPROP_BACKENDS);
  const backends: Backend[] = [];
  if (allowed.has('native') && loadNativeAddon()) backends.push('native');
  if (allowed.has('wasm') && loadWasmModule()) backends.push('wasm');
  if (allowed.has('js')) backends.push('js');
  return backends;
}

function parseAllowed(value: string | undefined): Set<Backend> {
  if (value === undefined || value.trim() === '') return new Set(BACKENDS);
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(BACKENDS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`BACKPROP_BACKENDS must list some of ${BACKENDS.join(', ')}, got "${value}"`);
  return new Set(names as Backend[]);
}

/** The kernel to train with: the requested backend (option, else BACKPROP_BACKEND), else the fastest available. */
export function selectKernel(options: KernelOptions = {}): Kernel {
  const requested = options.backend ?? parseBackend(process.env.BACKPROP_BACKEND);
  const threads = options.threads ?? parseThreads(process.env.BACKPROP_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_KERNEL_THREADS) {
    throw new RangeError(`kernel threads must be an integer from 1 to ${MAX_KERNEL_THREADS}, got ${threads}`);
  }
  const available = availableBackends();
  if (requested && !available.includes(requested)) {
    throw new Error(`kernel backend "${requested}" is not available here (available: ${available.join(', ')})`);
  }
  if (available.length === 0) throw new Error('no kernel backend is available (BACKPROP_BACKENDS)');
  switch (requested ?? available[0]) {
    case 'native':
      return new NativeKernel(loadNativeAddon()!, threads);
    case 'wasm':
      return new WasmKernel(loadWasmModule()!, threads);
    default:
      return new JsKernel();
  }
}

function parseBackend(value: string | undefined): Backend | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(BACKENDS as readonly string[]).includes(value)) throw new Error(`BACKPROP_BACKEND must be one of ${BACKENDS.join(', ')}, got "${value}"`);
  return value as Backend;
}

function parseThreads(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  return /^\d+$/.test(value.trim()) ? Number(value) : NaN;
}
