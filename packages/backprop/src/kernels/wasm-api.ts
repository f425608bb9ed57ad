// The WebAssembly JS API as the wasm kernel uses it. @types/node 20 does not declare it (it lives in
// TypeScript's DOM lib), so this is the subset, typed here without touching global declarations.

export interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}

export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

export interface WasmGlobal {
  value: unknown;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
