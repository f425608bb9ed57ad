import { afterEach, describe, expect, it } from 'vitest';
import { availableBackends, BACKENDS, MAX_KERNEL_THREADS, selectKernel } from './select.ts';

const saved = { backend: process.env.BACKPROP_BACKEND, threads: process.env.BACKPROP_THREADS, backends: process.env.BACKPROP_BACKENDS };

afterEach(() => {
  for (const [name, value] of [['BACKPROP_BACKEND', saved.backend], ['BACKPROP_THREADS', saved.threads], ['BACKPROP_BACKENDS', saved.backends]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('selectKernel', () => {
  it('lists backends fastest first, js always last', () => {
    const backends = availableBackends();
    expect(backends[backends.length - 1]).toBe('js');
    expect([...backends].sort((a, b) => BACKENDS.indexOf(a) - BACKENDS.indexOf(b))).toEqual(backends);
  });

  it('picks the fastest available backend by default, with one thread', () => {
    delete process.env.BACKPROP_BACKEND;
    delete process.env.BACKPROP_THREADS;
    const kernel = selectKernel();
    expect(kernel.name).toBe(availableBackends()[0]);
    expect(kernel.threads).toBe(1);
  });

  it.each(availableBackends())('honours BACKPROP_BACKEND=%s and an explicit option over it', (backend) => {
    process.env.BACKPROP_BACKEND = backend;
    expect(selectKernel().name).toBe(backend);
    expect(selectKernel({ backend: 'js' }).name).toBe('js');
  });

  it('BACKPROP_BACKENDS restricts the backends this process offers, and is checked', () => {
    const all = availableBackends();
    process.env.BACKPROP_BACKENDS = 'wasm, js';
    expect(availableBackends()).toEqual(all.filter((b) => b !== 'native'));
    expect(selectKernel().name).toBe(availableBackends()[0]);
    expect(() => selectKernel({ backend: 'native' })).toThrow(/"native" is not available here \(available: (wasm, )?js\)/);
    process.env.BACKPROP_BACKENDS = 'js,gpu';
    expect(() => availableBackends()).toThrow(/BACKPROP_BACKENDS must list some of native, wasm, js, got "js,gpu"/);
  });

  it('takes BACKPROP_THREADS for the fast kernels', () => {
    process.env.BACKPROP_THREADS = '2';
    for (const backend of availableBackends().filter((b) => b !== 'js')) expect(selectKernel({ backend }).threads).toBe(2);
    expect(selectKernel({ backend: 'js' }).threads).toBe(1);
    expect(selectKernel({ backend: availableBackends()[0], threads: 1 }).threads).toBe(1);
  });

  it('rejects unknown backends, unavailable ones and bad thread counts with clear errors', () => {
    process.env.BACKPROP_BACKEND = 'cuda';
    expect(() => selectKernel()).toThrow(/BACKPROP_BACKEND must be one of native, wasm, js, got "cuda"/);
    delete process.env.BACKPROP_BACKEND;
    process.env.BACKPROP_THREADS = 'two';
    expect(() => selectKernel()).toThrow(/threads must be an integer from 1 to 64, got NaN/);
    delete process.env.BACKPROP_THREADS;
    expect(() => selectKernel({ threads: 0 })).toThrow(/threads/);
    expect(() => selectKernel({ threads: MAX_KERNEL_THREADS + 1 })).toThrow(/threads/);
    const missing = BACKENDS.find((b) => !availableBackends().includes(b));
    if (missing) expect(() => selectKernel({ backend: missing })).toThrow(/is not available here/);
  });
});
