// Starts a private redis-server on 127.0.0.1 and a free port for a test (no persistence), and stops it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisHandle {
  url: string;
  port: number;
  /** With `tls`: the test CA's PEM file (give it to clients as NODE_EXTRA_CA_CERTS). */
  ca?: string;
  stop(): Promise<void>;
}

export interface RedisStartOptions {
  /** Serve TLS only (a throwaway CA and a certificate for 127.0.0.1, made with openssl). */
  tls?: boolean;
  /** An ACL user (the default user is turned off): the URL carries `user:password@`. */
  user?: { name: string; password: string };
}

/** A throwaway CA and a server certificate for IP 127.0.0.1 in `dir` (openssl, one day). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string) => join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=nntk test CA',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '1',
    '-extfile',
    f('san.ext'),
  ]);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function startRedis(options: RedisStartOptions = {}): Promise<RedisHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nntk-redis-'));
  const certs = options.tls ? makeCertificates(dir) : undefined;
  const lines = [`bind 127.0.0.1`, `save ""`, `appendonly no`, `dir ${dir}`];
  if (certs) {
    lines.push('port 0', `tls-port ${port}`, `tls-cert-file ${certs.cert}`, `tls-key-file ${certs.key}`);
    lines.push(`tls-ca-cert-file ${certs.ca}`, 'tls-auth-clients no');
  } else lines.push(`port ${port}`);
  if (options.user) {
    lines.push(`user ${options.user.name} on >${options.user.password} ~* &* +@all`, 'user default off');
  }
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn('redis-server', [conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((ready, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) ready();
    });
    child.once('error', (e) =>
      fail(new Error(`redis-server did not start (install it: apt-get install redis-server): ${e.message}`)),
    );
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  const auth = options.user
    ? `${encodeURIComponent(options.user.name)}:${encodeURIComponent(options.user.password)}@`
    : '';
  return {
    url: `${certs ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    port,
    ...(certs ? { ca: certs.ca } : {}),
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
