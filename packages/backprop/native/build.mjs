// Builds the native kernel with node-gyp against the local Node headers, offline. Never fails the
// install or the build: without a compiler or OpenBLAS the engine falls back to wasm or js.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const nodePrefix = dirname(dirname(process.execPath));
const nodedir = process.env.npm_config_nodedir || (existsSync(join(nodePrefix, 'include', 'node', 'node_api.h')) ? nodePrefix : undefined);
const npmDir = process.env.npm_execpath ? dirname(dirname(process.env.npm_execpath)) : join(nodePrefix, 'lib', 'node_modules', 'npm');
const gyp = [join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), join(nodePrefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')].find(existsSync);

if (process.env.BACKPROP_SKIP_NATIVE === '1') {
  console.log('native kernel: skipped (BACKPROP_SKIP_NATIVE=1)');
} else if (!gyp) {
  console.log('native kernel: node-gyp not found; the engine will use the wasm or js kernel');
} else {
  const args = [gyp, 'rebuild', '--release', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  const result = spawnSync(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status === 0) console.log('native kernel: built (OpenBLAS)');
  else console.log(`native kernel: not built, falling back to wasm/js.\n${(result.stderr || '').split('\n').slice(-15).join('\n')}`);
}
