import { decodeSafetensors, type SavedModel } from '@trainyard/backprop';
import { ApiError, newId } from '@trainyard/contracts';
import type { Limits } from '@trainyard/config';
import type { PrismaClient } from '@trainyard/db';
import { parameterCount } from '../jobs/prepare.ts';
import { presentSnapshot, SNAPSHOT_SUMMARY } from './present.ts';

/**
 * Checks uploaded safetensors weights (the engine's decoder says what is wrong: 400 `malformed_weights`;
 * a model beyond the limits: 422) and stores them as an `uploaded` snapshot with no job.
 */
export async function storeUploadedWeights(prisma: PrismaClient, tenantId: string, bytes: Buffer, limits: Limits) {
  if (bytes.length === 0) throw new ApiError('malformed_weights', 'the body is empty: send a safetensors file');
  let model: SavedModel;
  try {
    model = decodeSafetensors(bytes);
  } catch (error) {
    throw new ApiError('malformed_weights', `not readable safetensors weights: ${(error as Error).message}`);
  }
  const { inputSize, layers } = model.architecture;
  const parameters = parameterCount(inputSize, layers);
  if (layers.length > limits.maxLayers || parameters > limits.maxParameters) {
    throw new ApiError('limit_exceeded', 'the weights describe a larger model than this service accepts', [
      { message: `${layers.length} layers (at most ${limits.maxLayers}), ${parameters} parameters (at most ${limits.maxParameters})` },
    ]);
  }
  const row = await prisma.snapshot.create({
    data: {
      id: newId('snapshot'),
      tenantId,
      jobId: null,
      kind: 'uploaded',
      sizeBytes: bytes.length,
      weights: new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength),
    },
    select: SNAPSHOT_SUMMARY,
  });
  return presentSnapshot(row);
}
