import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.ts';

/** A file's bytes; a missing or unreadable one is the user's to fix. `what` names it in the message. */
export function readBytes(path: string, what: string): Uint8Array {
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
