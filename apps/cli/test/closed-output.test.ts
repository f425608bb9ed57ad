// `trainyard … | head`: a reader that closes the pipe after the first line ends the command quietly, exit 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainyardClient } from '@trainyard/client';
import { startService, type RunningService } from '@trainyard/client/testing';
import { endQuietlyWhenOutputCloses } from '../src/closed-output.ts';
import { EventEmitter } from 'node:events';

const BIN = fileURLToPath(new URL('../bin/trainyard.mjs', import.meta.url));
/** One metric line per epoch: well past a pipe's 64 KiB buffer, so writes go on after the reader has closed. */
const EPOCHS = 1500;

let service: RunningService;
let env: Record<string, string>;
let jobId: string;

beforeAll(async () => {
  service = await startService({ name: 'cli_head' });
  env = { TRAINYARD_URL: service.url, TRAINYARD_API_KEY: service.apiKey };
  const client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
  const job = await client.submitJob({
    dataset: 'builtin:iris',
    model: { layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
    training: { epochs: EPOCHS, batchSize: 150, seed: 3 },
  });
  jobId = job.id;
  for (let attempt = 0; attempt < 1200; attempt++) {
    if ((await client.getJob(jobId)).status === 'succeeded') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not succeed\n${service.logs()}`);
}, 180_000);

afterAll(async () => service?.stop());

interface HeadResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  firstLine: string;
  stderr: string;
}

/** Runs the bin with stdout into a reader that takes one line and closes its end, as `| head -1` does. */
function intoHead(args: string[]): Promise<HeadResult> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let received = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
    if (received.includes('\n')) child.stdout.destroy();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`trainyard ${args.join(' ')} did not end after its reader closed\nstderr: ${stderr}`));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, firstLine: received.split('\n')[0], stderr });
    });
  });
}

describe('a command whose output is closed early', () => {
  it.each([
    ['jobs logs', () => ['jobs', 'logs', jobId]],
    ['jobs logs --json', () => ['jobs', 'logs', jobId, '--json']],
    ['jobs logs --follow', () => ['jobs', 'logs', jobId, '--follow']],
    ['jobs list --json', () => ['jobs', 'list', '--json']],
    ['datasets list', () => ['datasets', 'list']],
  ])('%s | head -1 ends with exit 0 and no stack trace', async (_name, args) => {
    const result = await intoHead(args());
    expect(result.firstLine.length, result.stderr).toBeGreaterThan(0);
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('prints every line when nobody closes it (the reader above got a prefix of this)', async () => {
    const result = await new Promise<{ code: number | null; lines: number }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'jobs', 'logs', jobId], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      child.once('close', (code) => resolve({ code, lines: text.trimEnd().split('\n').length }));
    });
    expect(result).toEqual({ code: 0, lines: EPOCHS + 1 }); // one metrics line per epoch, then the status
  });
});

describe('endQuietlyWhenOutputCloses', () => {
  it('exits 0 on EPIPE from stdout or stderr and rethrows any other write error', () => {
    const [stdout, stderr] = [new EventEmitter(), new EventEmitter()];
    const exits: number[] = [];
    endQuietlyWhenOutputCloses([stdout, stderr] as unknown as NodeJS.WritableStream[], (code) => exits.push(code));
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    stderr.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toEqual([0, 0]);
    expect(() => stdout.emit('error', Object.assign(new Error('no space left'), { code: 'ENOSPC' }))).toThrow('no space left');
  });
});
