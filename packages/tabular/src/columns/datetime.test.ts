import { describe, expect, it } from 'vitest';
import { parseDatetime } from './datetime.ts';

const utc = (...parts: [number, number, number, number?, number?, number?]) => Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0) / 1000;

describe('parseDatetime', () => {
  it.each([
    ['2012-01-01', utc(2012, 1, 1)],
    ['2012-06-30T13:45', utc(2012, 6, 30, 13, 45)],
    ['2012-06-30 13:45:10', utc(2012, 6, 30, 13, 45, 10)],
    ['2012-06-30T13:45:10.250Z', utc(2012, 6, 30, 13, 45, 10) + 0.25],
    ['2012-06-30T13:45:10+02:00', utc(2012, 6, 30, 11, 45, 10)],
    ['2012-06-30T13:45:10-0530', utc(2012, 6, 30, 19, 15, 10)],
    ['1998/06/12', utc(1998, 6, 12)],
    ['1998/6/2 07:05', utc(1998, 6, 2, 7, 5)],
    ['Jun 12 1998', utc(1998, 6, 12)],
    ['June 12, 1998', utc(1998, 6, 12)],
    ['12 Jun 1998', utc(1998, 6, 12)],
    ['12-Sep-2001 08:30:00', utc(2001, 9, 12, 8, 30)],
    ['Dec 31 1969', utc(1969, 12, 31)],
  ])('reads %s', (text, seconds) => {
    expect(parseDatetime(text)).toBe(seconds);
  });

  it.each(['2012-02-30', '2012-13-01', '12/06/1998', '1998', 'Junk 12 1998', '1', '2012-01-01T25:00', 'Jun 31 1998', '3.5', 'Torgersen'])('refuses %s', (text) => {
    expect(parseDatetime(text)).toBeNull();
  });
});
