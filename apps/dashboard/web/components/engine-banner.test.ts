import { describe, expect, it } from 'vitest';
import { fasterBackend } from './engine-banner.ts';

describe('fasterBackend', () => {
  it('reads the backend in use and the faster one, with how to get it, from /readyz', () => {
    const readyz = {
      status: 'ok', database: 'ok', redis: 'ok', backend: 'js',
      engine: { backend: 'js', available: ['js'], faster: { backend: 'native', how: 'add native to BACKPROP_BACKENDS or unset it' } },
    };
    expect(fasterBackend(readyz)).toEqual({ backend: 'js', faster: 'native', how: 'add native to BACKPROP_BACKENDS or unset it' });
  });

  it('is null when the fastest backend is in use, and for a service that does not describe its engine', () => {
    expect(fasterBackend({ status: 'ok', backend: 'native', engine: { backend: 'native', available: ['native', 'wasm', 'js'], faster: null } })).toBeNull();
    expect(fasterBackend({ status: 'ok', database: 'ok', redis: 'ok', backend: 'native' })).toBeNull();
    expect(fasterBackend({ engine: { backend: 'js', faster: { backend: 'native' } } })).toBeNull(); // no how: nothing to tell
    expect(fasterBackend(null)).toBeNull();
  });
});
