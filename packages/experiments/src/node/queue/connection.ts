import { Redis } from 'ioredis';
import { SnncError } from '@snnc/ir';

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** `redis://[user:pass@]host:port[/db]` or `rediss://` (TLS); SNN7013 for anything else. */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SnncError('SNN7013', { url, reason: 'not a URL' }, { hint: 'write it as redis://HOST:PORT' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new SnncError('SNN7013', { url, reason: `the scheme must be redis: or rediss:, not ${u.protocol}` }, { hint: 'write it as redis://HOST:PORT' });
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new SnncError('SNN7013', { url, reason: `\`${u.pathname.slice(1)}\` is not a database number` });
  const t: RedisTarget = { host: u.hostname || '127.0.0.1', port: u.port === '' ? 6379 : Number(u.port), db, tls: u.protocol === 'rediss:' };
  if (u.username) t.username = decodeURIComponent(u.username);
  if (u.password) t.password = decodeURIComponent(u.password);
  return t;
}

/** ioredis / BullMQ connection options. BullMQ workers need `maxRetriesPerRequest: null`. */
export function connectionOptions(t: RedisTarget): Record<string, unknown> {
  const o: Record<string, unknown> = { host: t.host, port: t.port, db: t.db, maxRetriesPerRequest: null };
  if (t.username !== undefined) o['username'] = t.username;
  if (t.password !== undefined) o['password'] = t.password;
  if (t.tls) o['tls'] = {};
  return o;
}

/** How long to wait for the first connection before telling the user, ms. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * A connected client, or SnncError SNN7013 when the server cannot be reached in a few
 * seconds (ioredis would otherwise retry forever and the command would hang silently).
 */
export async function connectRedis(url: string): Promise<Redis> {
  const target = parseRedisUrl(url);
  const client = new Redis({ ...connectionOptions(target), lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: () => null });
  client.on('error', () => {
    // reported through the rejected connect() below; without a listener ioredis logs to stderr
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new SnncError('SNN7013', { url, reason: e instanceof Error ? e.message : String(e) }, { cause: e, hint: 'is redis-server running and reachable from here?' });
  }
  // Past the first connection, reconnect on drops like any long-running worker should.
  client.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  return client;
}
