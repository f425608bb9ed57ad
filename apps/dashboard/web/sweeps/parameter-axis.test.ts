import { describe, expect, it } from 'vitest';
import { logTicks, parameterAxis, shortNumber, valueAxis } from './parameter-axis.ts';

describe('parameterAxis', () => {
  it('is logarithmic for logUniform: each decade the same width, ticks at powers of ten', () => {
    const axis = parameterAxis({ logUniform: [1e-4, 1e-1] });
    expect(axis.scale).toBe('log');
    const [a, b, c] = [1e-4, 1e-3, 1e-2].map((value) => axis.position(value)!);
    expect(b - a).toBeCloseTo(c - b, 12);
    expect(a).toBeGreaterThan(0);
    expect(axis.position(1e-1)!).toBeLessThan(1);
    expect(axis.ticks.map((tick) => tick.label)).toEqual(['1e-4', '0.001', '0.01', '0.1']);
    expect(axis.position(0)).toBeNull();
  });

  it('is linear for uniform and intUniform ranges, padded inside the plot', () => {
    const axis = parameterAxis({ uniform: [0, 1] });
    expect(axis.scale).toBe('linear');
    expect(axis.position(0.5)).toBeCloseTo(0.5, 12);
    expect(axis.position(0)!).toBeCloseTo(0.05 / 1.1, 12);
    expect(parameterAxis({ intUniform: [8, 64] }).scale).toBe('linear');
  });

  it('labels a short numeric values list at its values; log when it spans two decades', () => {
    const units = parameterAxis({ values: [32, 8, 16] });
    expect(units.scale).toBe('linear');
    expect(units.ticks.map((tick) => tick.label)).toEqual(['8', '16', '32']);
    const rates = parameterAxis({ values: [0.1, 0.01, 0.001] });
    expect(rates.scale).toBe('log');
    expect(rates.ticks.map((tick) => tick.label)).toEqual(['0.001', '0.01', '0.1']);
    expect(rates.position(0.01)).toBeCloseTo(0.5, 12);
  });

  it('gives other values one category each, in the order listed', () => {
    const axis = parameterAxis({ values: ['adam', 'sgd', true] });
    expect(axis.scale).toBe('category');
    expect(axis.ticks.map((tick) => tick.label)).toEqual(['adam', 'sgd', 'true']);
    expect([axis.position('adam'), axis.position('sgd'), axis.position(true)]).toEqual([1 / 6, 0.5, 5 / 6]);
    expect(axis.position('rmsprop')).toBeNull();
  });

  it('survives a single value', () => {
    const axis = parameterAxis({ values: [0.01] });
    expect(axis.position(0.01)).toBeCloseTo(0.5, 12);
  });
});

describe('logTicks', () => {
  it('uses 1-2-5 steps when fewer than two powers of ten fit', () => {
    expect(logTicks(0.002, 0.06)).toEqual([0.002, 0.005, 0.01, 0.02, 0.05]);
    expect(logTicks(1e-6, 1)).toEqual([1e-6, 1e-4, 0.01, 1]);
  });
});

describe('valueAxis', () => {
  it('covers the objective values seen, or [0, 1] before any', () => {
    const axis = valueAxis([0.2, 0.8]);
    expect(axis.position(0.2)).toBeCloseTo(0.05 / 1.1, 12);
    expect(valueAxis([]).position(0.5)).toBeCloseTo(0.5, 12);
  });
});

describe('shortNumber', () => {
  it('writes small and large numbers as short exponents, others to 4 digits', () => {
    expect([1e-4, 2.5e-5, 0.000169123, 0.001, 16, 0.006998, 250000].map(shortNumber)).toEqual(['1e-4', '2.5e-5', '1.691e-4', '0.001', '16', '0.006998', '2.5e5']);
  });
});
