import { describe, expect, it } from 'vitest';
import { ratio, rate } from './table.ts';
import { checkTargets, type Measured } from './targets.ts';

const run = (workload: string, threads: number, native: number, wasm: number, numpy: number | null, tfjs: number): Measured => ({
  workload, threads, gflops: {},
  ours: { native, wasm, js: 1 },
  theirs: { numpy, 'tfjs-cpu': tfjs / 2, 'tfjs-wasm': tfjs, torch: 1 },
});

describe('checkTargets', () => {
  it('compares each target backend with its peer per workload and thread count', () => {
    const rows = checkTargets([run('W1 784-256-128-10', 1, 115, 30, 100, 10), run('W1 784-256-128-10', 2, 114, 29, 100, 10)]);
    expect(rows).toContainEqual(['native W1 ≥ 1.15× NumPy, 1 thread(s)', '1.15×', 'yes']);
    expect(rows).toContainEqual(['native W1 ≥ 1.15× NumPy, 2 thread(s)', '1.14×', 'no']);
    // wasm against the better of TF.js's two backends (10, not 5).
    expect(rows).toContainEqual(['wasm W1 ≥ 3× best TF.js, 1 thread(s)', '3.00×', 'yes']);
    expect(rows).toContainEqual(['wasm W1 ≥ 3× best TF.js, 2 thread(s)', '2.90×', 'no']);
    expect(rows.some((r) => r[0].includes('W3'))).toBe(false);
  });

  it('says "not measured" when a peer failed or is missing', () => {
    const rows = checkTargets([run('W3 1024-1024-1024-10', 1, 10, 5, null, 1)]);
    expect(rows).toContainEqual(['native W3 ≥ 1.05× NumPy, 1 thread(s)', 'not measured', '-']);
    expect(rows).toContainEqual(['wasm W3 ≥ 3× best TF.js, 1 thread(s)', '5.00×', 'yes']);
  });
});

describe('table cells', () => {
  it('formats rates and ratios', () => {
    expect(rate(1234567.8)).toBe('1,234,568');
    expect(rate(81.64)).toBe('81.6');
    expect(rate(undefined)).toBe('-');
    expect(rate(null)).toBe('failed');
    expect(ratio(3, 2)).toBe('1.50×');
    expect(ratio(3, 0)).toBe('n/a');
  });
});
