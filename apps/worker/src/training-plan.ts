// What the worker needs to train a job, read from PostgreSQL and checked again: the spec, the dataset
// (built-in or the tenant's upload), the optional initialWeights snapshot, the checkpoint to resume from.
import {
  BACKENDS, BUILTIN_DATASETS, encodeDatasetArrays, loadBuiltin, validateJob, type Dataset, type KernelOptions, type ModelSpec, type TrainingConfig,
} from '@trainyard/backprop';
import { readDatasetSource, type PrismaClient } from '@trainyard/db';
import type { FeatureSelection } from '@trainyard/tabular';
import { JobFailure } from './job-failure.ts';
import { parseStoredSpec } from './job-spec.ts';
import type { ThreadDataset, ThreadInput } from './thread-protocol.ts';

const BUILTIN_PREFIX = 'builtin:';

export interface JobRow {
  id: string;
  tenantId: string;
  datasetId: string;
  spec: unknown;
  /** A replay: the job whose backend and threads it must train on. */
  replayOf: string | null;
}

export interface TrainingPlan {
  jobId: string;
  tenantId: string;
  spec: ModelSpec;
  training: TrainingConfig;
  snapshots: { everyEpochs: number; keep: number };
  datasetId: string;
  initialWeightsId: string | null;
  features: FeatureSelection;
  /** A replay's kernel: the original's backend and threads. */
  kernel: Required<KernelOptions> | null;
}

interface DatasetShape {
  task: 'classification' | 'regression';
  features: string[];
  classes?: string[];
  rows: number;
}

/** Checks everything that does not need the big blobs; throws JobFailure with the reason. */
export async function planTraining(prisma: PrismaClient, job: JobRow): Promise<TrainingPlan> {
  const stored = parseStoredSpec(job.spec);
  const dataset = await datasetShape(prisma, job);
  const spec: ModelSpec = { inputSize: stored.model.inputSize ?? dataset.features.length, layers: stored.model.layers };
  const training = stored.training as TrainingConfig;
  // The input size was fitted at submit time (one-hot, indicators, datetime parts); the thread checks it against its preprocessing.
  const issues = validateJob(spec, training, {
    task: dataset.task, features: spec.inputSize, classes: dataset.classes?.length, rows: dataset.rows,
  });
  if (issues.length > 0) {
    const reasons = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new JobFailure('invalid_spec', `the job cannot be trained: ${reasons}`, issues);
  }
  const initialWeightsId = stored.initialWeights ?? null;
  if (initialWeightsId !== null) {
    const found = await prisma.snapshot.count({ where: { id: initialWeightsId, tenantId: job.tenantId } });
    if (found === 0) throw new JobFailure('bad_initial_weights', `initialWeights snapshot ${initialWeightsId} does not exist`);
  }
  return {
    jobId: job.id, tenantId: job.tenantId, spec, training, snapshots: stored.snapshots,
    datasetId: job.datasetId, initialWeightsId, features: stored.features ?? null,
    kernel: job.replayOf === null ? null : await replayKernel(prisma, job),
  };
}

/** The backend and thread count the replayed job trained on (jobs stored before threads were recorded: 1). */
async function replayKernel(prisma: PrismaClient, job: JobRow): Promise<Required<KernelOptions>> {
  const original = await prisma.job.findFirst({ where: { id: job.replayOf!, tenantId: job.tenantId }, select: { backend: true, threads: true } });
  if (original === null) throw new JobFailure('invalid_spec', `the replayed job ${job.replayOf} was deleted`);
  const backend = BACKENDS.find((name) => name === original.backend);
  if (backend === undefined) throw new JobFailure('backend_unavailable', `the replayed job ${job.replayOf} trained on an unknown backend ${JSON.stringify(original.backend)}`);
  return { backend, threads: original.threads ?? 1 };
}

async function datasetShape(prisma: PrismaClient, job: JobRow): Promise<DatasetShape> {
  if (job.datasetId.startsWith(BUILTIN_PREFIX)) {
    const builtin = BUILTIN_DATASETS.find((dataset) => dataset.id === job.datasetId);
    if (!builtin) throw new JobFailure('dataset_missing', `there is no built-in dataset ${job.datasetId}`);
    return { task: builtin.task, features: [...builtin.features], classes: builtin.classes && [...builtin.classes], rows: builtin.rows };
  }
  const row = await prisma.dataset.findFirst({
    where: { id: job.datasetId, tenantId: job.tenantId },
    select: { task: true, features: true, classes: true, rows: true },
  });
  if (!row) throw new JobFailure('dataset_missing', `dataset ${job.datasetId} no longer exists`);
  if (row.task !== 'classification' && row.task !== 'regression') {
    throw new JobFailure('dataset_missing', `dataset ${job.datasetId} has an unknown task ${JSON.stringify(row.task)}`);
  }
  return {
    task: row.task, features: row.features as string[], rows: row.rows,
    ...(Array.isArray(row.classes) ? { classes: row.classes as string[] } : {}),
  };
}

export interface ThreadSettings {
  checkpointIntervalMs: number;
  progressIntervalMs: number;
}

/** Reads the blobs (dataset arrays, initial weights, checkpoint) and builds the training thread's input. */
export async function threadInput(prisma: PrismaClient, plan: TrainingPlan, settings: ThreadSettings): Promise<ThreadInput> {
  const [dataset, initialWeights, checkpoint] = await Promise.all([
    threadDataset(prisma, plan),
    plan.initialWeightsId === null
      ? null
      : prisma.snapshot.findFirst({ where: { id: plan.initialWeightsId, tenantId: plan.tenantId }, select: { weights: true } }),
    prisma.checkpoint.findUnique({ where: { jobId: plan.jobId }, select: { state: true } }),
  ]);
  if (plan.initialWeightsId !== null && !initialWeights) {
    throw new JobFailure('bad_initial_weights', `initialWeights snapshot ${plan.initialWeightsId} was deleted`);
  }
  return {
    spec: plan.spec,
    training: plan.training,
    dataset,
    features: plan.features,
    initialWeights: initialWeights?.weights ?? null,
    resumeState: checkpoint?.state ?? null,
    kernel: plan.kernel,
    // keep = 0 means no periodic snapshots at all.
    snapshotEveryEpochs: plan.snapshots.keep > 0 ? plan.snapshots.everyEpochs : 0,
    checkpointIntervalMs: settings.checkpointIntervalMs,
    progressIntervalMs: settings.progressIntervalMs,
  };
}

/**
 * A built-in dataset as the engine loaded it in this process (`loadBuiltin` parses once and caches), for the
 * thread's workerData: each thread receives its own copy (a memcpy) instead of parsing again (MNIST: 20 MB of
 * JSON, ~0.7 s per job).
 */
function builtin(name: string): Dataset {
  try {
    return loadBuiltin(name);
  } catch (error) {
    throw new JobFailure('dataset_missing', `built-in dataset ${name} cannot be loaded: ${(error as Error).message}`);
  }
}

async function threadDataset(prisma: PrismaClient, plan: TrainingPlan): Promise<ThreadDataset> {
  if (plan.datasetId.startsWith(BUILTIN_PREFIX)) {
    const name = plan.datasetId.slice(BUILTIN_PREFIX.length);
    return { kind: 'builtin', name, data: builtin(name) };
  }
  const source = await readDatasetSource(prisma, plan.tenantId, plan.datasetId).catch((error: unknown) => {
    throw new JobFailure('dataset_missing', `dataset ${plan.datasetId} cannot be read: ${(error as Error).message}`);
  });
  if (!source) throw new JobFailure('dataset_missing', `dataset ${plan.datasetId} was deleted`);
  if (source.kind === 'columns') return { kind: 'columns', meta: source.meta, rows: source.rows, columns: source.columns };
  const { data } = source;
  const { x, y } = encodeDatasetArrays(data);
  return {
    kind: 'stored', task: data.task, features: data.features, target: data.target, rows: data.rows, x, y,
    ...(data.classes ? { classes: data.classes } : {}),
  };
}
