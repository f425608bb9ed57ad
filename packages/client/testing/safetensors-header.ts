/** One tensor entry of a safetensors header. */
export interface TensorInfo {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/**
 * Reads a safetensors file's header, straight from the format (8-byte little-endian header length, then
 * JSON): an independent check of what the service sends, without the engine's own decoder.
 */
export function readSafetensorsHeader(bytes: Uint8Array): { tensors: Record<string, TensorInfo>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error(`${bytes.length} bytes: too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw new Error(`header length ${headerLength} exceeds the file (${bytes.length} bytes)`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const { __metadata__: metadata = {}, ...tensors } = header;
  return { tensors: tensors as Record<string, TensorInfo>, metadata: metadata as Record<string, string> };
}
