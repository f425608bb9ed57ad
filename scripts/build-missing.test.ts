import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMissing, staleness, type Step } from './build-missing.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-missing-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src/deep'), { recursive: true });
  writeFileSync(join(dir, 'src/deep/a.ts'), 'a');
  return dir;
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe('staleness', () => {
  it('is "missing" without the output, null when the output is newer than every source file, and names a newer one', () => {
    const dir = tree();
    const output = join(dir, 'dist.js');
    expect(staleness(output, [join(dir, 'src')])).toBe('missing');
    writeFileSync(output, 'built');
    at(join(dir, 'src/deep/a.ts'), 1_000);
    at(join(dir, 'src/deep'), 1_000);
    at(join(dir, 'src'), 1_000);
    at(output, 2_000);
    expect(staleness(output, [join(dir, 'src'), join(dir, 'no-such-file')])).toBeNull();
    at(join(dir, 'src/deep/a.ts'), 3_000);
    expect(staleness(output, [join(dir, 'src')])).toMatch(/src changed$/);
  });
});

describe('buildMissing', () => {
  const step = (name: string, stale: string | null, exitCode = 0): Step => ({
    name, stale: () => stale, command: [process.execPath, '-e', `process.exit(${exitCode})`],
  });

  it('runs only the stale steps, saying why', () => {
    const lines: string[] = [];
    expect(buildMissing([step('a', null), step('b', 'missing'), step('c', null)], (line) => lines.push(line))).toEqual(['b']);
    expect(lines).toEqual([expect.stringMatching(/^building b \(missing\): /)]);
  });

  it('stops at a step that fails, naming it', () => {
    expect(() => buildMissing([step('a', 'missing', 3), step('b', 'missing')], () => {})).toThrow(/building a failed .* exited 3/);
  });
});
