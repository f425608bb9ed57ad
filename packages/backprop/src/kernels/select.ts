import { JsKernel } from './js-kernel.ts';
import type { Kernel } from './kernel.ts';

// Placeholder until the native and wasm kernels land: always the reference kernel.
export function selectKernel(): Kernel {
  return new JsKernel();
}
