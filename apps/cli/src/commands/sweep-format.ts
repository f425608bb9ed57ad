import type { Sweep, Trial } from '@trainyard/client';
import { formatDuration, formatNumber, formatTable } from '../table.ts';

/** A parameter's value as a person reads it: numbers to 4 significant digits, strings bare, the rest as JSON. */
function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatNumber(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `0.units=16 learningRate=0.01`: each path by its shortest dotted suffix that no other path ends with, in the
 * order of the paths (the API's objects come back in its storage's key order, not the spec's).
 */
export function formatParameters(parameters: Record<string, unknown>): string {
  const paths = Object.keys(parameters).sort();
  return paths.map((path) => `${shortName(path, paths)}=${formatValue(parameters[path])}`).join(' ');
}

function shortName(path: string, paths: string[]): string {
  const parts = path.split('.');
  for (let take = 1; take < parts.length; take++) {
    const suffix = parts.slice(-take).join('.');
    if (paths.every((other) => other === path || !(other === suffix || other.endsWith(`.${suffix}`)))) return suffix;
  }
  return path;
}

/** The sweep's trial counts, nonzero ones only: `1 running, 2 succeeded (1 pruned), 1 queued of 4`. */
export function formatCounts(trials: Sweep['trials']): string {
  const parts: string[] = [];
  for (const status of ['running', 'succeeded', 'failed', 'cancelled', 'queued'] as const) {
    if (trials[status] === 0) continue;
    parts.push(`${trials[status]} ${status}${status === 'succeeded' && trials.pruned > 0 ? ` (${trials.pruned} pruned)` : ''}`);
  }
  return `${parts.length > 0 ? parts.join(', ') : 'none started'} of ${trials.total}`;
}

/** One live line of `sweeps submit --watch` per trial event. */
export function trialLine(trial: Trial, metric: string): string {
  const stop = trial.stopReason === null ? '' : ` (${trial.stopReason})`;
  const epochs = `${trial.epochs} epoch${trial.epochs === 1 ? '' : 's'}`;
  return `trial ${trial.trial} ${trial.jobId} ${trial.status}${stop} · ${epochs} · ${metric} ${formatNumber(trial.value)} · ${formatParameters(trial.parameters)}`;
}

/** One live line per status event: `sweep_… running · 2 running, 1 queued of 4 · best valLoss 0.2 (job_…)`. */
export function statusLine(sweep: Sweep): string {
  const best = sweep.best === null ? '' : ` · best ${sweep.objective.metric} ${formatNumber(sweep.best.value)} (${sweep.best.jobId})`;
  return `${sweep.id} ${sweep.status}${sweep.cancelRequested && sweep.status === 'running' ? ' (cancel requested)' : ''} · ${formatCounts(sweep.trials)}${best}`;
}

/** The leaderboard, best first as the API orders it; trials without a value yet have no rank. */
export function leaderboardTable(trials: Trial[]): string {
  const rows = trials.map((trial, index) => [
    trial.value === null ? '-' : String(index + 1),
    trial.jobId,
    trial.status,
    formatParameters(trial.parameters),
    formatNumber(trial.value),
    String(trial.epochs),
    trial.stopReason ?? '-',
  ]);
  return formatTable(['RANK', 'JOB', 'STATUS', 'PARAMETERS', 'VALUE', 'EPOCHS', 'STOP_REASON'], rows, { right: [0, 4, 5] });
}

export function sweepsTable(sweeps: Sweep[]): string {
  const rows = sweeps.map((sweep) => {
    const ended = sweep.trials.succeeded + sweep.trials.failed + sweep.trials.cancelled;
    return [
      sweep.id,
      sweep.status,
      sweep.method,
      sweep.dataset,
      `${ended}/${sweep.trials.total}`,
      `${sweep.objective.goal === 'minimize' ? 'min' : 'max'} ${sweep.objective.metric}`,
      formatNumber(sweep.best?.value),
      sweep.createdAt,
    ];
  });
  return formatTable(['ID', 'STATUS', 'METHOD', 'DATASET', 'TRIALS', 'OBJECTIVE', 'BEST', 'CREATED'], rows);
}

/** `sweeps get`: one fact per line. */
export function describeSweep(sweep: Sweep): string {
  const lines: [string, string][] = [
    ['id', sweep.id],
    ['status', `${sweep.status}${sweep.cancelRequested && sweep.status === 'running' ? ' (cancel requested)' : ''}`],
    ['method', `${sweep.method}${sweep.method === 'random' ? `, seed ${sweep.seed}` : ''}, ${sweep.parallelism} at once`],
    ['dataset', sweep.dataset],
    ['objective', `${sweep.objective.goal} ${sweep.objective.metric}`],
    ['pruning', sweep.pruning === null ? '-' : `asha from epoch ${sweep.pruning.minEpochs}, keeps 1/${sweep.pruning.reductionFactor}`],
    ['trials', formatCounts(sweep.trials)],
    ['best', sweep.best === null ? '-' : `${formatNumber(sweep.best.value)} ${sweep.best.jobId} ${formatParameters(sweep.best.parameters)}`],
    ['created', sweep.createdAt],
    ['started', sweep.startedAt ?? '-'],
    ['finished', sweep.finishedAt ?? '-'],
  ];
  for (const [path, spec] of Object.entries(sweep.parameters)) lines.splice(lines.length - 3, 0, ['parameter', `${path} ${JSON.stringify(spec)}`]);
  return lines.map(([name, value]) => `${name.padEnd(10)} ${value}`).join('\n');
}

/** `sweep_… succeeded in 0:12 · 4 succeeded of 4 · best valLoss 0.08: job_… (learningRate=0.01)`. */
export function sweepSummary(sweep: Sweep): string {
  let text = `${sweep.id} ${sweep.status}`;
  if (sweep.startedAt && sweep.finishedAt) text += ` in ${formatDuration((Date.parse(sweep.finishedAt) - Date.parse(sweep.startedAt)) / 1000)}`;
  text += ` · ${formatCounts(sweep.trials)}`;
  if (sweep.best !== null) text += ` · best ${sweep.objective.metric} ${formatNumber(sweep.best.value)}: ${sweep.best.jobId} (${formatParameters(sweep.best.parameters)})`;
  return text;
}
