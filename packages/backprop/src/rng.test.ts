import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

/** xoshiro128** written independently, on BigInt words masked to 32 bits. */
function referenceStream(state: Uint32Array, count: number): number[] {
  const s = Array.from(state, BigInt);
  const mask = 0xffffffffn;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & mask;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & mask, 7n) * 9n) & mask));
    const t = (s[1] << 9n) & mask;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

describe('Rng (xoshiro128**)', () => {
  it('produces the xoshiro128** sequence from its state words', () => {
    for (const seed of [0, 1, 42, 0xffffffff]) {
      const rng = new Rng(seed);
      const expected = referenceStream(rng.state, 1000);
      expect(Array.from({ length: 1000 }, () => rng.nextUint32())).toEqual(expected);
    }
  });

  it('continues the same stream from saved state words', () => {
    const a = new Rng(7);
    for (let i = 0; i < 37; i++) a.next();
    const b = new Rng(Uint32Array.from(a.state));
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(Array.from({ length: 50 }, () => a.next()));
  });

  it('gives different streams for different seeds and stays in range', () => {
    const a = new Rng(1);
    const b = new Rng(2);
    const values = Array.from({ length: 10_000 }, () => a.next());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(values.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, () => b.next()));
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });

  it('draws standard normal values', () => {
    const rng = new Rng(3);
    const values = Array.from({ length: 20_000 }, () => rng.gaussian());
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const shuffled = (seed: number) => {
      const values = Uint32Array.from({ length: 100 }, (_, i) => i);
      new Rng(seed).shuffle(values);
      return Array.from(values);
    };
    expect([...shuffled(5)].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffled(5)).toEqual(shuffled(5));
    expect(shuffled(5)).not.toEqual(shuffled(6));
  });
});
