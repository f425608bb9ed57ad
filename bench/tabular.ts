// `npm run bench:tabular`: real public tables, uploaded as published, trained by the default job of the running
// service, scored on a held-out test split through `/predict`'s raw `rows`, and compared with a scikit-learn
// pipeline (impute + one-hot + scale + MLP of the same hidden sizes) trained and scored on the same split.
// Options: --url (TRAINYARD_URL, http://127.0.0.1:3000) --key (TRAINYARD_API_KEY, ty_local_development_key)
//          --hidden 64,32 --test-split 0.2 --seeds 1,2,3 (scores are means over them) --only <table name> --epochs N (default: the service's)
// Needs /usr/bin/python3 with scikit-learn and pandas (Debian: python3-sklearn python3-pandas).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataOptionsOf, planTraining, readTable, typeTable, type RawTable } from '@trainyard/tabular';
import { printTable } from './table.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.TRAINYARD_URL ?? 'http://127.0.0.1:3000' },
    key: { type: 'string', default: process.env.TRAINYARD_API_KEY ?? 'ty_local_development_key' },
    hidden: { type: 'string', default: '64,32' },
    'test-split': { type: 'string', default: '0.2' },
    seeds: { type: 'string', default: '1,2,3' },
    only: { type: 'string' },
    epochs: { type: 'string' },
  },
});

interface BenchTable {
  name: string;
  file: string;
  target: string;
  /** What the table is for: the features a new user would hit. */
  note: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const vega = (file: string) => join(here, '..', 'node_modules', 'vega-datasets', 'data', file);
const TABLES: BenchTable[] = [
  { name: 'penguins', file: vega('penguins.json'), target: 'Species', note: 'categories, gaps' },
  { name: 'cars', file: vega('cars.json'), target: 'Miles_per_Gallon', note: 'regression, text names, a date, gaps in the target' },
  { name: 'seattle-weather', file: vega('seattle-weather.csv'), target: 'weather', note: 'dates, 5 imbalanced classes' },
  { name: 'movies', file: vega('movies.json'), target: 'Major Genre', note: '>10 classes, text titles, dates with month names, gaps' },
  { name: 'gapminder', file: vega('gapminder.json'), target: 'life_expect', note: 'regression, a country panel' },
  { name: 'barley', file: vega('barley.json'), target: 'yield', note: 'regression, categories only' },
];

const base = values.url!;
const auth = { authorization: `Bearer ${values.key}` };
const hidden = values.hidden!.split(',').map(Number);

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { ...auth, ...(init?.body instanceof FormData ? {} : { 'content-type': 'application/json' }), ...init?.headers } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

interface DatasetView {
  id: string;
  task: 'classification' | 'regression';
  rows: number;
  target: string;
  features: string[];
  classes?: string[];
  rowsWithoutTarget: number;
  columns: { name: string; type: string; role: string }[];
}

interface JobView {
  id: string;
  status: string;
  training: Parameters<typeof dataOptionsOf>[0];
  features: Parameters<typeof dataOptionsOf>[1];
  inputSize: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: unknown;
}

interface Evaluation {
  split: string;
  rows: number;
  classification?: { accuracy: number };
  regression?: { r2: number };
}

async function upload(table: BenchTable, bytes: Uint8Array): Promise<DatasetView> {
  const form = new FormData();
  form.set('name', `bench ${table.name}`);
  form.set('target', table.target);
  form.set('file', new Blob([bytes]), basename(table.file));
  return api<DatasetView>('/v1/datasets', { method: 'POST', body: form });
}

async function train(dataset: DatasetView, seed: number): Promise<JobView> {
  const units = dataset.task === 'classification' ? dataset.classes!.length : 1;
  const body = {
    dataset: dataset.id,
    model: { layers: [...hidden.map((n) => ({ units: n, activation: 'relu' })), { units, activation: dataset.task === 'classification' ? 'softmax' : 'linear' }] },
    training: { testSplit: Number(values['test-split']), seed, ...(values.epochs ? { epochs: Number(values.epochs) } : {}) },
  };
  const { id } = await api<JobView>('/v1/jobs', { method: 'POST', body: JSON.stringify(body) });
  for (;;) {
    const job = await api<JobView>(`/v1/jobs/${id}`);
    if (job.status === 'succeeded') return job;
    if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`job ${id} ended ${job.status}: ${JSON.stringify(job.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The job's split, recomputed locally from the same file, typed as the service typed it. */
function splitOf(raw: RawTable, dataset: DatasetView, job: JobView): { train: number[]; test: number[] } {
  const overrides = Object.fromEntries(dataset.columns.filter((c) => c.role !== 'target').map((c) => [c.name, c.role === 'ignored' && c.type !== 'text' ? 'ignore' : c.type]));
  const typed = typeTable(raw, { target: dataset.target, task: dataset.task, columns: overrides as never, maxCategories: Number.MAX_SAFE_INTEGER });
  const meta = { task: dataset.task, target: dataset.target, features: dataset.features, ...(dataset.classes ? { classes: dataset.classes } : {}) };
  const plan = planTraining(typed.table, meta, dataOptionsOf(job.training, job.features));
  const toTable = (rows: Uint32Array) => Array.from(rows, (row) => plan.tableRows[row]);
  return { train: toTable(plan.split.train), test: toTable(plan.split.test) };
}

function rowObjects(raw: RawTable, rows: number[]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(raw.columns.map((column) => [column.name, column.cells[row]])));
}

/** Our held-out score through /predict's rows form: accuracy or R² against the file's own target values. */
async function predictScore(job: JobView, dataset: DatasetView, raw: RawTable, test: number[]): Promise<number> {
  const target = raw.columns.find((c) => c.name === dataset.target)!;
  const answered: { outputs: number[][]; labels?: string[] }[] = [];
  for (let start = 0; start < test.length; start += 5_000) {
    const rows = rowObjects(raw, test.slice(start, start + 5_000));
    answered.push(await api(`/v1/jobs/${job.id}/predict`, { method: 'POST', body: JSON.stringify({ rows }) }));
  }
  if (dataset.task === 'classification') {
    const labels = answered.flatMap((a) => a.labels!);
    return labels.filter((label, i) => label === String(target.cells[test[i]])).length / test.length;
  }
  const predicted = answered.flatMap((a) => a.outputs.map((o) => o[0]));
  const actual = test.map((row) => Number(target.cells[row]));
  const mean = actual.reduce((s, v) => s + v, 0) / actual.length;
  const residual = actual.reduce((s, v, i) => s + (v - predicted[i]) ** 2, 0);
  const total = actual.reduce((s, v) => s + (v - mean) ** 2, 0);
  return 1 - residual / total;
}

interface Reference {
  score: number;
  seconds: number;
}

function sklearnScore(table: BenchTable, raw: RawTable, dataset: DatasetView, split: { train: number[]; test: number[] }, seed: number): Reference {
  const input = {
    file: table.file, format: raw.format, target: dataset.target, task: dataset.task,
    columns: dataset.columns.filter((c) => c.role === 'feature').map((c) => ({ name: c.name, type: c.type })),
    train: split.train, test: split.test, hidden, seed,
  };
  const output = execFileSync('/usr/bin/python3', [join(here, 'tabular_sklearn.py')], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(output) as Reference;
}

const fmt = (n: number, digits = 3) => n.toFixed(digits);
const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
const seeds = values.seeds!.split(',').map(Number);
console.log(`Trainyard on real tables against ${base} — ${new Date().toISOString()}`);
console.log(`job: hidden ${hidden.join('-')} ReLU, ${values.epochs ? `${values.epochs} epochs` : "the service's default epochs"}, every other setting the service's default, testSplit ${values['test-split']}; means over seeds ${seeds.join(', ')}`);
console.log('reference: scikit-learn, impute (mean + indicator | constant) + one-hot + standard scaling + MLP of the same hidden sizes, fitted on the job\'s training rows, scored on its test rows\n');
const results: string[][] = [['table', 'rows×cols', 'column types', 'task (classes)', 'inputs', 'metric', 'Trainyard /predict', 'evaluation', 'scikit-learn', 'difference', 'train s (ours / sklearn)']];
let worst = Infinity;
for (const table of TABLES.filter((t) => !values.only || t.name === values.only)) {
  const bytes = new Uint8Array(readFileSync(table.file));
  const raw = await readTable(bytes, {});
  const dataset = await upload(table, bytes);
  const runs: { ours: number; evaluated: number; reference: Reference; seconds: number; inputs: number }[] = [];
  for (const seed of seeds) {
    const job = await train(dataset, seed);
    const split = splitOf(raw, dataset, job);
    const ours = await predictScore(job, dataset, raw, split.test);
    const evaluation = await api<Evaluation>(`/v1/jobs/${job.id}/evaluation`);
    if (evaluation.rows !== split.test.length) throw new Error(`${table.name}: the evaluation has ${evaluation.rows} rows, the local split ${split.test.length}`);
    const evaluated = evaluation.classification?.accuracy ?? evaluation.regression!.r2;
    const seconds = (Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)) / 1000;
    const reference = sklearnScore(table, raw, dataset, split, seed);
    if (process.env.BENCH_VERBOSE) console.error(`${table.name} seed ${seed}: ours ${fmt(ours)}, scikit-learn ${fmt(reference.score)}`);
    runs.push({ ours, evaluated, reference, seconds, inputs: job.inputSize });
  }
  const types = new Map<string, number>();
  for (const column of dataset.columns.filter((c) => c.role !== 'target')) types.set(column.type, (types.get(column.type) ?? 0) + 1);
  const ours = mean(runs.map((r) => r.ours));
  const reference = mean(runs.map((r) => r.reference.score));
  const difference = ours - reference;
  worst = Math.min(worst, difference);
  results.push([
    table.name, `${dataset.rows}×${dataset.columns.length}`, [...types].map(([type, n]) => `${n} ${type}`).join(', '),
    dataset.task === 'classification' ? `classification (${dataset.classes!.length})` : 'regression', String(runs[0].inputs),
    dataset.task === 'classification' ? 'accuracy' : 'R²', fmt(ours), fmt(mean(runs.map((r) => r.evaluated))), fmt(reference),
    `${difference >= 0 ? '+' : ''}${fmt(difference)}`,
    `${fmt(mean(runs.map((r) => r.seconds)), 2)} / ${fmt(mean(runs.map((r) => r.reference.seconds)), 2)}`,
  ]);
  console.error(`${table.name}: done (${table.note})`);
}
printTable(results);
console.log(`\nworst difference (ours − scikit-learn): ${fmt(worst)}; target ≥ −0.03 accuracy / −0.05 R²`);
