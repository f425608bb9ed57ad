// The real `backprop` bin as a user runs it, and its one-line JSON summary.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const BIN = fileURLToPath(new URL('../bin/backprop.mjs', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole command (tsx start-up included). */
  ms: number;
}

export function backprop(args: string[], options: { cwd: string; env?: Record<string, string> }): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd, encoding: 'utf8', timeout: 170_000, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

export interface Summary {
  epochsRun: number;
  metrics: { loss: number; accuracy: number | null; valLoss: number | null; valAccuracy: number | null; rmse?: number; r2?: number };
  samplesPerSecond: number;
  backend: string;
  stoppedEarly: boolean;
  evaluation: EvaluationSummary | null;
}

export interface EvaluationSummary {
  split: 'test' | 'validation' | 'train';
  rows: number;
  accuracy?: number;
  balancedAccuracy?: number;
  macroF1?: number;
  rmse?: number;
  mae?: number;
  r2?: number;
  topFeatures: { feature: string; importance: number }[];
}

/** A successful run: exit 0, exactly one JSON line on stdout, only per-epoch progress lines on stderr (not a TTY here). */
export function expectSummary(run: Run): Summary {
  expect(run.stderr.split('\n').filter((line) => !/^epoch \d+\/\d+ /.test(line) && line !== ''), run.stderr).toEqual([]);
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const summary = JSON.parse(lines[0]) as Summary;
  expect(run.stderr.trim().split('\n')).toHaveLength(summary.epochsRun);
  expect(Object.keys(summary).sort()).toEqual(['backend', 'epochsRun', 'evaluation', 'metrics', 'samplesPerSecond', 'stoppedEarly']);
  expect(summary.samplesPerSecond).toBeGreaterThan(0);
  expect(summary.backend).toMatch(/^(js|native|wasm)$/);
  return summary;
}

/** Bad input: exit 2, nothing on stdout, one `backprop: …` line on stderr, no stack trace. */
export function expectRejected(run: Run, message: RegExp): void {
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^backprop: [^\n]+\n$/);
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect(run.stderr).toMatch(message);
}
