import { describe, expect, it } from 'vitest';
import { formatEngine } from './engine-line.ts';

describe('formatEngine', () => {
  it('names the backend in use, and no more when it is the fastest', () => {
    expect(formatEngine({ backend: 'native', available: ['native', 'wasm', 'js'], faster: null })).toBe(
      '  training engine: native kernel (available here: native, wasm, js)',
    );
  });

  it('says a faster backend exists and gives the command that gets it', () => {
    const how = 'sudo apt-get install -y build-essential libopenblas-dev && npm run build:native -w @trainyard/backprop';
    expect(formatEngine({ backend: 'wasm', available: ['wasm', 'js'], faster: { backend: 'native', how } }).split('\n')).toEqual([
      '  training engine: wasm kernel (available here: wasm, js)',
      '  native is faster and not in use here. To get it:',
      `    ${how}`,
      '  then start again.',
    ]);
  });
});
