import { readFile } from 'node:fs/promises';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../usage-error.ts';

/** A JSON file the user names (`-`: stdin); unreadable or invalid files are usage errors (exit 2). */
export async function readJsonFile<T>(context: CommandContext, path: string): Promise<T> {
  const text = path === '-' ? await readAll(context.io.stdin) : await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
