import { describe, expect, it } from 'vitest';
import { defaultQueueName } from './queue-name.ts';

describe('defaultQueueName', () => {
  const local = defaultQueueName('postgresql://postgres@127.0.0.1:5432/trainyard');

  it('names the database and hashes where it lives', () => {
    expect(local).toMatch(/^trainyard-jobs-trainyard-[0-9a-f]{10}$/);
  });

  it('differs between databases, servers, ports and schemas', () => {
    const others = [
      'postgresql://postgres@127.0.0.1:5432/other',
      'postgresql://postgres@db.internal:5432/trainyard',
      'postgresql://postgres@127.0.0.1:5433/trainyard',
      'postgresql://postgres@127.0.0.1:5432/trainyard?schema=tenant_b',
    ].map((url) => defaultQueueName(url));
    expect(new Set([local, ...others]).size).toBe(5);
    expect(others[3]).toMatch(/^trainyard-jobs-trainyard\.tenant_b-[0-9a-f]{10}$/);
  });

  it('is the same for every spelling of one database: user, password, other parameters, loopback name, default port and schema', () => {
    for (const url of [
      'postgresql://trainyard:secret@localhost/trainyard',
      'postgres://api_user@[::1]:5432/trainyard?sslmode=disable',
      'postgresql://postgres@127.0.0.1:5432/trainyard?schema=public',
    ]) {
      expect(defaultQueueName(url), url).toBe(local);
    }
  });

  it('takes DATABASE_SCHEMA when the URL names no schema, as the database client does', () => {
    expect(defaultQueueName('postgresql://postgres@127.0.0.1:5432/trainyard', 'tenant_b')).toBe(
      defaultQueueName('postgresql://postgres@127.0.0.1:5432/trainyard?schema=tenant_b'),
    );
  });

  it('keeps to characters BullMQ and Redis keys accept', () => {
    expect(defaultQueueName('postgresql://h/we%3Aird%20name')).toMatch(/^trainyard-jobs-we_ird_name-[0-9a-f]{10}$/);
  });
});
