import { describe, expect, it } from 'vitest';
import { formatDuration, formatNumber, formatTable } from './table.ts';

describe('table formatting', () => {
  it('aligns columns to the widest cell', () => {
    expect(formatTable(['id', 'status'], [['job_1', 'running'], ['j', 'queued']])).toBe('id     status\njob_1  running\nj      queued');
  });

  it('aligns the listed columns to the right', () => {
    expect(formatTable(['class', 'n', 'f1'], [['a', '7', '0.5'], ['bb', '120', '1']], { right: [1] })).toBe('class    n  f1\na        7  0.5\nbb     120  1');
  });

  it('writes numbers with 4 significant digits without trailing zeros', () => {
    expect([0.5, 12, 1000, 0.123456, 123456, 0.0000123, null].map(formatNumber)).toEqual(['0.5', '12', '1000', '0.1235', '1.235e+5', '1.230e-5', '-']);
  });

  it('writes durations as m:ss or h:mm:ss', () => {
    expect([0, 65, 3725, -1].map(formatDuration)).toEqual(['0:00', '1:05', '1:02:05', '--:--']);
  });
});
