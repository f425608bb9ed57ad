import type { TrainingConfig } from '@trainyard/backprop';
import type { Limits } from '@trainyard/config';
import { ApiError, JobSubmitBody, type ErrorDetail, type SweepSubmitBody } from '@trainyard/contracts';
import type { StoredTrial } from '@trainyard/db';
import { applyParameters, checkSpace, gridPoint, gridSize, PathError, randomPoint, type Assignment } from '@trainyard/sweeps';
import type { Ajv } from 'ajv';
import type { DatasetInfo } from '../datasets/dataset-info.ts';
import { prepareJob } from '../jobs/prepare.ts';

export const DEFAULT_PARALLELISM = 4;

/** The sweep with every default filled in, as stored. */
export interface StoredSweepSpec {
  base: SweepSubmitBody['base'];
  parameters: SweepSubmitBody['parameters'];
  method: 'grid' | 'random';
  trials: number;
  parallelism: number;
  objective: SweepSubmitBody['objective'];
  pruning: NonNullable<SweepSubmitBody['pruning']> | null;
  seed: number;
}

export interface SweepLimits {
  maxTrials: number;
  maxParallelism: number;
}

/**
 * Every trial's job body, checked as a submitted job would be (schema, engine, limits), so a sweep that is
 * accepted has no trial that cannot start. Errors name the trial and the path.
 */
export async function buildTrials(
  body: SweepSubmitBody,
  dataset: DatasetInfo,
  limits: Limits,
  sweepLimits: SweepLimits,
  validator: Ajv,
  fitInputs: (trial: SweepSubmitBody['base'], training: TrainingConfig) => Promise<number>,
): Promise<{ spec: StoredSweepSpec; trials: StoredTrial[] }> {
  const space = body.parameters as Parameters<typeof checkSpace>[0];
  const issues = checkSpace(space, body.method);
  if (issues.length > 0) throw new ApiError('invalid_spec', 'the sweep\'s parameters cannot be searched', issues);
  if (body.method === 'random' && body.trials === undefined) {
    throw new ApiError('invalid_spec', 'a random search needs `trials`', [{ path: 'trials', message: 'is required for method "random"' }]);
  }
  const total = body.trials ?? gridSize(space);
  if (total > sweepLimits.maxTrials) {
    throw new ApiError('limit_exceeded', `the sweep has ${total} trials; at most ${sweepLimits.maxTrials} are accepted (TRAINYARD_MAX_SWEEP_TRIALS)`, [{ path: 'trials', message: `${total} > ${sweepLimits.maxTrials}` }]);
  }
  const parallelism = body.parallelism ?? DEFAULT_PARALLELISM;
  if (parallelism > sweepLimits.maxParallelism) {
    throw new ApiError('limit_exceeded', `parallelism ${parallelism} is above ${sweepLimits.maxParallelism} (TRAINYARD_MAX_SWEEP_PARALLELISM)`, [{ path: 'parallelism', message: `${parallelism} > ${sweepLimits.maxParallelism}` }]);
  }
  const seed = body.seed ?? 0;
  const check = validator.compile(JobSubmitBody);
  const trials: StoredTrial[] = [];
  for (let index = 0; index < total; index++) {
    const parameters: Assignment = body.method === 'grid' ? gridPoint(space, index) : randomPoint(space, seed, index);
    const trialBody = trialJob(body.base, parameters, index);
    if (!check(trialBody)) {
      const details: ErrorDetail[] = (check.errors ?? []).map((error) => ({ path: `trials[${index}]${error.instancePath.replaceAll('/', '.')}`, message: error.message ?? 'is invalid' }));
      throw new ApiError('invalid_spec', `trial ${index} (${JSON.stringify(parameters)}) is not a valid job`, details);
    }
    try {
      const spec = await prepareJob(trialBody, dataset, limits, (training) => fitInputs(trialBody, training));
      trials.push({ parameters, spec: spec as unknown as StoredTrial['spec'] });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(error.code, `trial ${index} (${JSON.stringify(parameters)}): ${error.message}`, error.details?.map((d) => ({ ...d, path: `trials[${index}].${d.path ?? ''}` })));
    }
  }
  return {
    spec: { base: body.base, parameters: body.parameters, method: body.method, trials: total, parallelism, objective: body.objective, pruning: body.pruning ?? null, seed },
    trials,
  };
}

function trialJob(base: SweepSubmitBody['base'], parameters: Assignment, index: number): SweepSubmitBody['base'] {
  try {
    return applyParameters(base, parameters);
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    throw new ApiError('invalid_spec', `trial ${index}: ${error.message}`, [{ path: `parameters.${error.path}`, message: error.message }]);
  }
}
