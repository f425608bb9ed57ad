// `npm run keys -- <command>`: tenants and API keys from the command line (keys are shown once).
//   create --tenant NAME       a key for tenant NAME (the tenant is created when it does not exist)
//   create --tenant-id ID      a key for an existing tenant
//   revoke KEY_ID              revoke a key (every API instance answers 401 for it from then on)
//   list [--tenant NAME]       keys with their tenant, prefix and state (never the key itself)
import { parseArgs } from 'node:util';
import { loadConfig } from '@trainyard/config';
import { createPrisma, type PrismaClient } from '@trainyard/db';
import { closeRedis, createRedis } from '@trainyard/queue';
import { createApiKey, createTenant, revokeApiKey } from '../auth/tenants.ts';

const USAGE = `usage:
  npm run keys -- create --tenant NAME
  npm run keys -- create --tenant-id ID
  npm run keys -- revoke KEY_ID
  npm run keys -- list [--tenant NAME]`;

class UsageError extends Error {}

async function create(prisma: PrismaClient, tenantName?: string, tenantId?: string): Promise<string> {
  if (tenantId !== undefined) {
    const key = await createApiKey(prisma, tenantId);
    if (key === null) throw new UsageError(`no tenant ${tenantId}`);
    return `tenant ${tenantId}\nkey id ${key.id}\napi key ${key.apiKey}   (shown once)`;
  }
  if (tenantName === undefined) throw new UsageError('create needs --tenant NAME or --tenant-id ID');
  const existing = await prisma.tenant.findMany({ where: { name: tenantName }, select: { id: true }, take: 2 });
  if (existing.length > 1) throw new UsageError(`several tenants are named "${tenantName}"; use --tenant-id`);
  if (existing.length === 1) return create(prisma, undefined, existing[0].id);
  const { tenant, apiKey } = await createTenant(prisma, tenantName);
  return `created tenant ${tenant.id} (${tenant.name})\napi key ${apiKey}   (shown once)`;
}

async function list(prisma: PrismaClient, tenantName?: string): Promise<string> {
  const keys = await prisma.apiKey.findMany({
    where: tenantName === undefined ? {} : { tenant: { name: tenantName } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, prefix: true, createdAt: true, revokedAt: true, tenant: { select: { id: true, name: true } } },
  });
  if (keys.length === 0) return 'no keys';
  return keys
    .map((key) =>
      [key.id, `${key.prefix}…`, `${key.tenant.name} (${key.tenant.id})`, key.createdAt.toISOString(), key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active'].join('  '),
    )
    .join('\n');
}

async function run(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { tenant: { type: 'string' }, 'tenant-id': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) throw new UsageError('');
  const config = loadConfig();
  const prisma = createPrisma({ url: config.databaseUrl, poolSize: 1 });
  try {
    switch (command) {
      case 'create':
        return await create(prisma, values.tenant, values['tenant-id']);
      case 'list':
        return await list(prisma, values.tenant);
      case 'revoke': {
        if (rest.length !== 1) throw new UsageError('revoke needs one KEY_ID');
        const redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 1 });
        try {
          const revoked = await revokeApiKey(prisma, rest[0], redis);
          if (revoked === null) throw new UsageError(`no key ${rest[0]}`);
          return `revoked ${revoked.id} at ${revoked.revokedAt.toISOString()}`;
        } finally {
          await closeRedis(redis);
        }
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await prisma.$disconnect();
  }
}

try {
  console.log(await run(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError) {
    if (error.message) console.error(error.message);
    console.error(USAGE);
    process.exitCode = 2;
  } else {
    console.error(`keys: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
