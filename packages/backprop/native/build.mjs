// Builds the native kernel with node-gyp against the local Node headers, offline. Runs at install and
// at `npm run build`; skips the work when the addon is newer than its sources (--force rebuilds).
// Never fails: without a compiler or OpenBLAS the engine falls back to the wasm or js kernel.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const addon = join(here, 'build', 'Release', 'trainyard_kernel.node');
const sources = readdirSync(here).filter((f) => /\.(c|h|gyp|mjs)$/.test(f)).map((f) => join(here, f));

function note(message) {
  console.log(`native kernel: ${message}`);
}

function upToDate() {
  if (!existsSync(addon)) return false;
  const built = statSync(addon).mtimeMs;
  return sources.every((file) => statSync(file).mtimeMs <= built);
}

/** node-gyp as bundled with the npm that runs us, or with the npm installed beside node. */
function findNodeGyp() {
  const nodePrefix = dirname(dirname(process.execPath));
  const npmDirs = [
    process.env.npm_execpath && dirname(dirname(process.env.npm_execpath)),
    join(nodePrefix, 'lib', 'node_modules', 'npm'),
  ].filter(Boolean);
  return npmDirs.map((dir) => join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')).find(existsSync);
}

/** The Node install whose headers to build against, so node-gyp never downloads them. */
function findNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const nodePrefix = dirname(dirname(process.execPath));
  return existsSync(join(nodePrefix, 'include', 'node', 'node_api.h')) ? nodePrefix : undefined;
}

function build() {
  if (process.env.BACKPROP_SKIP_NATIVE === '1') return note('skipped (BACKPROP_SKIP_NATIVE=1)');
  if (!process.argv.includes('--force') && upToDate()) return note('up to date');
  const gyp = findNodeGyp();
  if (!gyp) return note('node-gyp not found; the engine will use the wasm or js kernel');
  const nodedir = findNodeDir();
  if (!nodedir) note('no local Node headers found; node-gyp may try to download them');
  const args = [gyp, 'rebuild', '--release', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  const result = spawnSync(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 300_000 });
  if (result.status === 0) return note('built (OpenBLAS)');
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n');
  note(`not built, the engine will use the wasm or js kernel (needs a C compiler, make and libopenblas-dev).\n${output}`);
}

try {
  build();
} catch (error) {
  note(`not built: ${error instanceof Error ? error.message : error}`);
}
