// Byte arrays handed to or from the training thread are transferred (moved), not copied. A view into a
// larger or shared buffer (Node's Buffer pool, Prisma results) is copied once so that only its bytes move.

export function standalone(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

/** The buffers of the given arrays, for postMessage's transfer list (each array must be standalone). */
export function transferList(...arrays: (Uint8Array | null | undefined)[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array) buffers.add(array.buffer as ArrayBuffer);
  return [...buffers];
}
