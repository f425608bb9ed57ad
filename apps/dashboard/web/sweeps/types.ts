// The sweep shapes of API.md "Sweeps" (packages/contracts/src/sweeps.ts), as the dashboard reads them. Kept here
// while @trainyard/client has no sweep types, so the dashboard depends on the HTTP contract only.
import type { JobStatus, JobSubmitBody } from '@trainyard/client';

/** How one dotted path of the job body varies. */
export type ParameterSpec =
  | { values: unknown[] }
  | { uniform: [number, number] }
  | { logUniform: [number, number] }
  | { intUniform: [number, number] };

export type ParameterKind = 'values' | 'uniform' | 'logUniform' | 'intUniform';

export const OBJECTIVE_METRICS = ['valLoss', 'valAccuracy', 'valRmse', 'valR2', 'loss'] as const;
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];

export interface Objective {
  metric: ObjectiveMetric;
  goal: 'minimize' | 'maximize';
}

export interface Pruning {
  type: 'asha';
  minEpochs: number;
  reductionFactor: number;
}

export interface TrialCounts {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Succeeded trials that pruning stopped. */
  pruned: number;
}

/** `GET /v1/sweeps/:id`. */
export interface Sweep {
  id: string;
  status: JobStatus;
  method: 'grid' | 'random';
  dataset: string;
  parameters: Record<string, ParameterSpec>;
  parallelism: number;
  pruning: Pruning | null;
  seed: number;
  trials: TrialCounts;
  objective: Objective;
  best: { jobId: string; value: number; parameters: Record<string, unknown> } | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One row of `GET /v1/sweeps/:id/trials`, the leaderboard. */
export interface Trial {
  jobId: string;
  /** Index of the trial in the sweep, from 0 (the API's error messages name trials by it). */
  trial: number;
  status: JobStatus;
  parameters: Record<string, unknown>;
  /** The objective at the trial's end, or at its latest epoch while it runs. */
  value: number | null;
  epochs: number;
  stopReason: string | null;
}

/** `POST /v1/sweeps`. */
export interface SweepSubmitBody {
  base: JobSubmitBody;
  parameters: Record<string, ParameterSpec>;
  method: 'grid' | 'random';
  trials?: number;
  parallelism?: number;
  objective: Objective;
  pruning?: Pruning | null;
  seed?: number;
}

export function parameterKind(spec: ParameterSpec): ParameterKind {
  if ('values' in spec) return 'values';
  if ('uniform' in spec) return 'uniform';
  if ('logUniform' in spec) return 'logUniform';
  return 'intUniform';
}

/** A sweep whose trials have all ended (a cancelled sweep may still have trials stopping). */
export function sweepEnded(sweep: Sweep): boolean {
  return ['succeeded', 'failed', 'cancelled'].includes(sweep.status) && sweep.trials.queued + sweep.trials.running === 0;
}
