import { randomBytes } from 'node:crypto';
import { newId } from '@trainyard/contracts';
import type { PrismaClient } from '@trainyard/db';
import { generateApiKey, hashApiKey, keyPrefix } from './api-key.ts';

/** Every API instance listens here and forgets the key hash it receives (see KeyCache). */
export const KEY_REVOKED_CHANNEL = 'trainyard:keys:revoked';

/** The tenant that owns TRAINYARD_BOOTSTRAP_KEY; a fixed id so that concurrent starts cannot make two. */
export const DEFAULT_TENANT = { id: 'ten_default', name: 'default' } as const;

export interface Publisher {
  publish(channel: string, message: string): Promise<unknown>;
}

export async function createTenant(prisma: PrismaClient, name: string): Promise<{ tenant: { id: string; name: string }; apiKey: string }> {
  const apiKey = generateApiKey();
  const tenant = await prisma.tenant.create({
    data: {
      id: newId('tenant'),
      name,
      webhookSecret: randomBytes(32).toString('hex'),
      apiKeys: { create: { id: newId('apiKey'), hash: hashApiKey(apiKey), prefix: keyPrefix(apiKey) } },
    },
    select: { id: true, name: true },
  });
  return { tenant, apiKey };
}

/** A new key for an existing tenant; null when there is no such tenant. */
export async function createApiKey(prisma: PrismaClient, tenantId: string): Promise<{ id: string; apiKey: string } | null> {
  const tenant = await prisma.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  if (tenant === null) return null;
  const apiKey = generateApiKey();
  const id = newId('apiKey');
  await prisma.apiKey.create({ data: { id, tenantId, hash: hashApiKey(apiKey), prefix: keyPrefix(apiKey) } });
  return { id, apiKey };
}

/**
 * Revokes a key (idempotent: a revoked key keeps its first revocation time) and tells every API instance.
 * null when there is no such key. A failed publish is not fatal: the auth cache TTL bounds the delay.
 */
export async function revokeApiKey(
  prisma: PrismaClient,
  keyId: string,
  publisher?: Publisher,
): Promise<{ id: string; hash: string; revokedAt: Date } | null> {
  await prisma.apiKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: new Date() } });
  const key = await prisma.apiKey.findUnique({ where: { id: keyId }, select: { id: true, hash: true, revokedAt: true } });
  if (key === null || key.revokedAt === null) return null;
  await publisher?.publish(KEY_REVOKED_CHANNEL, key.hash).catch(() => undefined);
  return { id: key.id, hash: key.hash, revokedAt: key.revokedAt };
}

export type BootstrapOutcome = 'created' | 'exists' | 'revoked';

/**
 * Makes sure TRAINYARD_BOOTSTRAP_KEY works for tenant `default`. A key revoked by an operator stays
 * revoked (the caller logs it): an environment variable must not undo a revocation.
 */
export async function ensureBootstrapKey(prisma: PrismaClient, apiKey: string): Promise<BootstrapOutcome> {
  const hash = hashApiKey(apiKey);
  const existing = await prisma.apiKey.findUnique({ where: { hash }, select: { revokedAt: true } });
  if (existing !== null) return existing.revokedAt === null ? 'exists' : 'revoked';
  await prisma.tenant.upsert({
    where: { id: DEFAULT_TENANT.id },
    create: { ...DEFAULT_TENANT, webhookSecret: randomBytes(32).toString('hex') },
    update: {},
  });
  try {
    await prisma.apiKey.create({ data: { id: newId('apiKey'), tenantId: DEFAULT_TENANT.id, hash, prefix: keyPrefix(apiKey) } });
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
  return 'created';
}
