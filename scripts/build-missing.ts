// What `npm start` needs built, built only when missing or older than its sources, so a start after
// `npm ci` works and a start on a built tree costs a few file checks: the Prisma client, the dashboard's
// dist/, and the native kernel when a C compiler and OpenBLAS are there (else the engine uses wasm and
// `npm start` says how to get native).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...parts: string[]) => join(root, ...parts);

export interface Step {
  name: string;
  /** Why it must be built, or null when it is up to date. */
  stale(): string | null;
  command: string[];
  env?: NodeJS.ProcessEnv;
}

/** Builds what is stale, in order; throws naming the step whose command failed. */
export function buildMissing(steps: Step[] = defaultSteps(), log: (line: string) => void = console.log): string[] {
  const built: string[] = [];
  for (const step of steps) {
    const why = step.stale();
    if (why === null) continue;
    log(`building ${step.name} (${why}): ${step.command.join(' ')}`);
    const result = spawnSync(step.command[0], step.command.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } });
    if (result.status !== 0) throw new Error(`building ${step.name} failed (${step.command.join(' ')} exited ${result.status ?? result.signal})`);
    built.push(step.name);
  }
  return built;
}

export function defaultSteps(): Step[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return [
    {
      name: 'the Prisma client',
      stale: () => staleness(at('packages/db/src/generated/prisma/client.ts'), [at('prisma/schema.prisma'), at('prisma.config.ts')]),
      command: [npm, 'run', 'generate', '-w', '@trainyard/db'],
    },
    {
      name: 'the dashboard',
      stale: () => staleness(at('apps/dashboard/dist/index.html'), [at('apps/dashboard/web'), at('apps/dashboard/vite.config.ts')]),
      command: [npm, 'run', 'build', '-w', '@trainyard/dashboard'],
    },
    {
      // native/build.mjs skips an up-to-date addon itself and never fails; without a compiler or OpenBLAS
      // there is nothing to try, and the engine status printed at start says what to install.
      name: 'the native kernel',
      stale: () => (nativePrerequisites() ? nativeStaleness() : null),
      command: [process.execPath, 'packages/backprop/native/build.mjs'],
      env: openblasFlags(),
    },
  ];
}

/** null when `output` exists and is newer than every file under `sources`. */
export function staleness(output: string, sources: string[]): string | null {
  if (!existsSync(output)) return 'missing';
  const built = statSync(output).mtimeMs;
  const newer = sources.find((source) => newestMtime(source) > built);
  return newer === undefined ? null : `${newer.slice(root.length)} changed`;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

const NATIVE_DIR = 'packages/backprop/native';

function nativeStaleness(): string | null {
  const sources = readdirSync(at(NATIVE_DIR)).filter((file) => /\.(c|h|gyp|mjs)$/.test(file)).map((file) => at(NATIVE_DIR, file));
  return staleness(at(NATIVE_DIR, 'build/Release/trainyard_kernel.node'), sources);
}

/** A C compiler on PATH and OpenBLAS's cblas.h where the build looks for it. */
export function nativePrerequisites(): boolean {
  const compiler = ['cc', 'gcc', 'clang'].some(onPath);
  return compiler && openblasIncludeDirs().some((dir) => existsSync(join(dir, 'cblas.h')));
}

function openblasIncludeDirs(): string[] {
  const multiarch = existsSync('/usr/include')
    ? readdirSync('/usr/include').filter((entry) => entry.endsWith('-linux-gnu')).map((entry) => `/usr/include/${entry}/openblas-pthread`)
    : [];
  return [...multiarch, '/usr/include/openblas', '/usr/include', '/usr/local/include', ...homebrewOpenblas().map((prefix) => `${prefix}/include`)];
}

/** Homebrew's OpenBLAS is keg-only: the compiler finds it only when told. */
function openblasFlags(): NodeJS.ProcessEnv {
  const prefix = homebrewOpenblas()[0];
  if (prefix === undefined) return {};
  return {
    CFLAGS: [process.env.CFLAGS, `-I${prefix}/include`].filter(Boolean).join(' '),
    LDFLAGS: [process.env.LDFLAGS, `-L${prefix}/lib`].filter(Boolean).join(' '),
  };
}

function homebrewOpenblas(): string[] {
  if (process.platform !== 'darwin') return [];
  return ['/opt/homebrew/opt/openblas', '/usr/local/opt/openblas'].filter((prefix) => existsSync(`${prefix}/include/cblas.h`));
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}
