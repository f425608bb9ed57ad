// `npm test`: checks that PostgreSQL and Redis answer (saying how to start them if not), creates the test
// database when it is missing, then runs every workspace's suite through turbo and the scripts' own suite.
// Arguments go to turbo, e.g. `npm test -- --filter=@trainyard/queue`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkServices, ensureDatabase, formatProblems, redact } from './services.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const databaseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const problems = await checkServices(databaseUrl, redisUrl);
if (problems.length > 0) {
  console.error(`\nThe tests run against a real PostgreSQL and Redis.\n\n${formatProblems(problems)}\n`);
  process.exit(1);
}
if (await ensureDatabase(databaseUrl)) console.log(`created the test database ${redact(databaseUrl)}`);

const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const workspaces = run(npx, ['turbo', 'run', 'test', '--concurrency=1', '--continue', ...process.argv.slice(2)]);
const scripts = process.argv.length > 2 ? 0 : run(npx, ['vitest', 'run', '--root', 'scripts']);
process.exit(workspaces !== 0 ? workspaces : scripts);
