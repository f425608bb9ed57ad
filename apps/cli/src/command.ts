import type { ParseArgsConfig } from 'node:util';
import { TrainyardClient } from '@trainyard/client';
import { UsageError } from './usage-error.ts';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

export type Flags = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One subcommand, e.g. `jobs submit`. */
export interface Command {
  /** Words that select it: `['jobs', 'submit']`. */
  path: string[];
  /** Positional arguments, for the help text: `<spec.json>`. */
  args: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Option help: [flags, meaning]. */
  help?: [string, string][];
  run(context: CommandContext): Promise<number | void>;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** What a command gets: its arguments, output helpers and a client configured by flags or environment. */
export class CommandContext {
  constructor(
    readonly io: Io,
    readonly positionals: string[],
    readonly flags: Flags,
  ) {}

  get json(): boolean {
    return this.flags.json === true;
  }

  /** The n-th positional argument, or a usage error naming it. */
  arg(index: number, name: string): string {
    const value = this.positionals[index];
    if (value === undefined) throw new UsageError(`missing ${name}`);
    return value;
  }

  string(name: string): string | undefined {
    const value = this.flags[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** Every value of a repeatable flag (`multiple: true`), in command-line order. */
  strings(name: string): string[] {
    const value = this.flags[name];
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
    return typeof value === 'string' ? [value] : [];
  }

  /** A flag that must be a positive integer. */
  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
    return Number(value);
  }

  /** One of a fixed set of values. */
  choice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  }

  client(): TrainyardClient {
    const baseUrl = this.string('url') ?? this.io.env.TRAINYARD_URL ?? DEFAULT_URL;
    const apiKey = this.string('api-key') ?? this.io.env.TRAINYARD_API_KEY;
    if (!apiKey) throw new UsageError('no API key: pass --api-key or set TRAINYARD_API_KEY', { showHelp: false });
    if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`the service URL must start with http:// or https://, got "${baseUrl}"`, { showHelp: false });
    return new TrainyardClient({ baseUrl, apiKey });
  }

  print(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Notes for a person (progress, hints): stderr, so stdout stays parseable. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}
