// Which kernel backend training uses in this process, and when a faster one exists but is not usable here,
// the one command that gets it: `/readyz` answers it, `npm start` prints it, the dashboard shows it.
import { availableBackends, BACKENDS, selectKernel, type Backend } from '@trainyard/backprop';
import { Type, type Static } from 'typebox';

export const EngineStatusSchema = Type.Object(
  {
    backend: Type.String({ description: 'the kernel backend training uses in this process: native, wasm or js' }),
    available: Type.Array(Type.String(), { description: 'the backends this process may use, fastest first' }),
    faster: Type.Union(
      [
        Type.Object({
          backend: Type.String({ description: 'the fastest backend not in use here' }),
          how: Type.String({ description: 'the one command (or setting) that makes it the one in use' }),
        }),
        Type.Null(),
      ],
      { description: 'null when training already uses the fastest backend' },
    ),
  },
  { description: 'the training engine of this process' },
);
export type EngineStatus = Static<typeof EngineStatusSchema>;

/** What decides the answer; engineStatus() reads it from this process. */
export interface EngineFacts {
  inUse: Backend;
  /** Usable here (BACKPROP_BACKENDS applied), fastest first. */
  available: Backend[];
  /** Built and loadable here, whatever BACKPROP_BACKENDS says. */
  loadable: Backend[];
  /** BACKPROP_BACKEND, BACKPROP_BACKENDS as set. */
  forced: string | undefined;
  allowed: string | undefined;
  platform: NodeJS.Platform;
}

export function engineStatus(): EngineStatus {
  return describeEngine({
    inUse: selectKernel().name as Backend,
    available: availableBackends(),
    loadable: withoutRestriction(availableBackends),
    forced: process.env.BACKPROP_BACKEND || undefined,
    allowed: process.env.BACKPROP_BACKENDS?.trim() || undefined,
    platform: process.platform,
  });
}

/** BACKENDS is fastest first: the fastest one ahead of the backend in use is what we point at. */
export function describeEngine(facts: EngineFacts): EngineStatus {
  const status = { backend: facts.inUse, available: facts.available };
  const faster = BACKENDS.slice(0, BACKENDS.indexOf(facts.inUse))[0];
  if (faster === undefined) return { ...status, faster: null };
  return { ...status, faster: { backend: faster, how: howToGet(faster, facts) } };
}

function howToGet(backend: Backend, facts: EngineFacts): string {
  if (facts.available.includes(backend)) return `unset BACKPROP_BACKEND (it is "${facts.forced}"; ${backend} is available here)`;
  if (facts.loadable.includes(backend)) {
    return `add ${backend} to BACKPROP_BACKENDS or unset it (it is "${facts.allowed}"; ${backend} is built here)`;
  }
  if (backend === 'wasm') return 'npm run build:wasm -w @trainyard/backprop (needs clang and lld)';
  return buildNativeCommand(facts.platform);
}

/** One line a user can paste: the compiler and OpenBLAS, then the native kernel's build. */
export function buildNativeCommand(platform: NodeJS.Platform): string {
  const build = 'npm run build:native -w @trainyard/backprop';
  if (platform === 'darwin') {
    return `brew install openblas && CFLAGS="-I$(brew --prefix openblas)/include" LDFLAGS="-L$(brew --prefix openblas)/lib" ${build}`;
  }
  if (platform === 'linux') return `sudo apt-get install -y build-essential libopenblas-dev && ${build}`;
  return `install a C compiler, make and OpenBLAS, then ${build}`;
}

/** availableBackends() as if BACKPROP_BACKENDS were unset (synchronous, so nothing else sees the change). */
function withoutRestriction(read: () => Backend[]): Backend[] {
  const allowed = process.env.BACKPROP_BACKENDS;
  delete process.env.BACKPROP_BACKENDS;
  try {
    return read();
  } finally {
    if (allowed !== undefined) process.env.BACKPROP_BACKENDS = allowed;
  }
}
