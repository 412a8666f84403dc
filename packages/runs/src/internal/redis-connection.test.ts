import { describe, expect, it } from 'vitest';
import { redisOptions } from './redis-connection';

describe('redisOptions', () => {
  it('reads host, port, credentials, db and TLS from redis:// and rediss:// URLs', () => {
    expect(redisOptions('redis://127.0.0.1:6390')).toEqual({ host: '127.0.0.1', port: 6390 });
    expect(redisOptions('rediss://nntk:p%40ss@redis.example.com:6380/2')).toEqual({
      host: 'redis.example.com',
      port: 6380,
      username: 'nntk',
      password: 'p@ss',
      db: 2,
      tls: { servername: 'redis.example.com' },
    });
    expect(() => redisOptions('redis://h:1/x')).toThrow(
      'queue: redis://h:1/x: the path must be a database number',
    );
    expect(() => redisOptions('nonsense secret')).toThrow('queue: <unparseable URL> is not a URL');
  });
});
