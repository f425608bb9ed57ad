import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from './inputs.ts';
import { readRawRows } from './raw-rows.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readRawRows', () => {
  it('reads CSV with a header (any delimiter, quotes, missing-value tokens) into rows by column name', async () => {
    expect(await readRawRows(bytes('island;mass;note\nDream;3750;"a; b"\nBiscoe;NA;\n'))).toEqual([
      { island: 'Dream', mass: '3750', note: 'a; b' },
      { island: 'Biscoe' },
    ]);
  });

  it('reads a JSON array of objects and JSON Lines, told apart by content or by --format, gzip or not', async () => {
    const expected = [{ island: 'Dream', mass: 3750 }, { island: 'Biscoe' }]; // null = missing: left out
    expect(await readRawRows(bytes('[{"island":"Dream","mass":3750},{"island":"Biscoe","sex":null}]'))).toEqual(expected);
    expect(await readRawRows(gzipSync('{"island":"Dream","mass":3750}\n{"island":"Biscoe"}\n'), 'jsonl')).toEqual(expected);
  });

  it('says why a file cannot be rows, per problem', async () => {
    await expect(readRawRows(bytes('[1, 2]'))).rejects.toThrow(InputError);
    await expect(readRawRows(bytes('[1, 2]'))).rejects.toThrow(/rows are not objects/);
    await expect(readRawRows(bytes('a,b\n1,2,3\n'))).rejects.toThrow('rows do not match the header');
  });
});
