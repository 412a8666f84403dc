import { isIP } from 'node:net';
import { NntkError } from '@nntk/core';
import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../redact-url';

/** ioredis options from a `redis://` or `rediss://` (TLS) URL: host, port, user, password, db. */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new NntkError(
      'INVALID_OPTION',
      `queue: ${redactUrl(url)} is not a URL; give redis://[user:password@]host[:port][/db] or rediss://… for TLS`,
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new NntkError(
      'INVALID_OPTION',
      `queue: ${redactUrl(url)} must start with redis:// or rediss:// (TLS), got '${u.protocol}'`,
    );
  }
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) {
    throw new NntkError('INVALID_OPTION', `queue: ${redactUrl(url)}: the path must be a database number`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    // TLS: the certificate must match the host (an IP address is checked against the certificate's IP
    // names; SNI carries host names only). Extra CAs come from NODE_EXTRA_CA_CERTS.
    ...(u.protocol === 'rediss:'
      ? { tls: isIP(u.hostname.replace(/^\[|\]$/g, '')) ? {} : { servername: u.hostname } }
      : {}),
  };
}

/**
 * Connects once without retries and answers PING, or throws `QUEUE_UNREACHABLE` naming the URL
 * (credentials redacted) and the reason, within `timeoutMs` (default 5 s): never a silent hang.
 */
export async function assertRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let reason = '';
  client.on('error', (error: Error) => {
    reason ||= error.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const message = (reason || (error as Error).message || String(error)).replace(/\/\/[^@/]*@/g, '//***@');
    throw new NntkError(
      'QUEUE_UNREACHABLE',
      `cannot reach Redis at ${redactUrl(url)}: ${message}. Is redis-server running there, and is the URL right (redis:// or rediss:// for TLS)?`,
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}

/** A connection for BullMQ (which needs `maxRetriesPerRequest: null`), never logging the URL. */
export function queueConnection(url: string): Redis {
  const client = new Redis({ ...redisOptions(url), maxRetriesPerRequest: null });
  client.on('error', () => {});
  return client;
}
