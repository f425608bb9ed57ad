import { decodeSafetensors, type SavedModel } from '@trainyard/backprop';
import { ApiError, type ErrorDetail } from '@trainyard/contracts';
import type { PrismaClient } from '@trainyard/db';
import type { StoredSpec } from './present.ts';

/**
 * `initialWeights` must name one of the tenant's snapshots whose tensors have the model's shapes
 * (layer i: weight [units, fan-in], bias [units]); otherwise 422 with each mismatch.
 */
export async function checkInitialWeights(prisma: PrismaClient, tenantId: string, spec: StoredSpec): Promise<void> {
  const snapshotId = spec.initialWeights;
  if (snapshotId === null) return;
  const snapshot = await prisma.snapshot.findFirst({ where: { id: snapshotId, tenantId }, select: { weights: true } });
  if (snapshot === null) {
    throw new ApiError('invalid_spec', `no snapshot ${snapshotId}`, [{ path: 'initialWeights', message: 'is not one of your snapshots' }]);
  }
  let model: SavedModel;
  try {
    model = decodeSafetensors(snapshot.weights);
  } catch (error) {
    throw new ApiError('invalid_spec', `snapshot ${snapshotId} cannot be read: ${(error as Error).message}`, [
      { path: 'initialWeights', message: 'is not a readable safetensors file' },
    ]);
  }
  const problems = shapeMismatches(model, spec.model);
  if (problems.length > 0) {
    throw new ApiError('invalid_spec', `the weights of snapshot ${snapshotId} do not fit the model: ${problems[0].message}`, problems);
  }
}

/** Where the stored weights and the model disagree, layer by layer. */
export function shapeMismatches(model: SavedModel, spec: { inputSize: number; layers: { units: number }[] }): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (model.layers.length !== spec.layers.length) {
    problems.push({ path: 'initialWeights', message: `the weights have ${model.layers.length} layers, the model ${spec.layers.length}` });
    return problems;
  }
  let fanIn = spec.inputSize;
  spec.layers.forEach((layer, i) => {
    const stored = model.layers[i];
    const storedUnits = stored.bias.length;
    const storedFanIn = storedUnits === 0 ? 0 : stored.weight.length / storedUnits;
    if (storedUnits !== layer.units || storedFanIn !== fanIn) {
      problems.push({
        path: `model.layers[${i}]`,
        message: `layer ${i} weights are ${storedUnits}×${storedFanIn}, the model needs ${layer.units}×${fanIn}`,
      });
    }
    fanIn = layer.units;
  });
  return problems;
}
