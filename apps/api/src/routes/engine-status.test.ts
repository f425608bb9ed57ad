import { describe, expect, it } from 'vitest';
import { buildNativeCommand, describeEngine, type EngineFacts } from './engine-status.ts';

const facts = (overrides: Partial<EngineFacts>): EngineFacts => ({
  inUse: 'native', available: ['native', 'wasm', 'js'], loadable: ['native', 'wasm', 'js'],
  forced: undefined, allowed: undefined, platform: 'linux', ...overrides,
});

describe('describeEngine', () => {
  it('has nothing faster to offer when training uses native', () => {
    expect(describeEngine(facts({}))).toEqual({ backend: 'native', available: ['native', 'wasm', 'js'], faster: null });
  });

  it('gives the install-and-build command when native is not built (no OpenBLAS), per platform', () => {
    const linux = describeEngine(facts({ inUse: 'wasm', available: ['wasm', 'js'], loadable: ['wasm', 'js'] }));
    expect(linux).toEqual({
      backend: 'wasm', available: ['wasm', 'js'],
      faster: { backend: 'native', how: 'sudo apt-get install -y build-essential libopenblas-dev && npm run build:native -w @trainyard/backprop' },
    });
    const mac = describeEngine(facts({ inUse: 'wasm', available: ['wasm', 'js'], loadable: ['wasm', 'js'], platform: 'darwin' }));
    expect(mac.faster?.how).toMatch(/^brew install openblas && .*npm run build:native -w @trainyard\/backprop$/);
  });

  it('names the setting when native is built but BACKPROP_BACKENDS leaves it out', () => {
    const status = describeEngine(facts({ inUse: 'wasm', available: ['wasm', 'js'], allowed: 'wasm,js' }));
    expect(status.faster).toEqual({ backend: 'native', how: 'add native to BACKPROP_BACKENDS or unset it (it is "wasm,js"; native is built here)' });
  });

  it('names the setting when BACKPROP_BACKEND forces a slower backend than one available', () => {
    const status = describeEngine(facts({ inUse: 'js', forced: 'js' }));
    expect(status).toEqual({
      backend: 'js', available: ['native', 'wasm', 'js'],
      faster: { backend: 'native', how: 'unset BACKPROP_BACKEND (it is "js"; native is available here)' },
    });
  });

  it('points at the fastest backend, not the next one', () => {
    const status = describeEngine(facts({ inUse: 'js', available: ['js'], loadable: ['wasm', 'js'], allowed: 'js' }));
    expect(status.faster).toEqual({ backend: 'native', how: buildNativeCommand('linux') });
  });
});
