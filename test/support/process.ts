import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/core/database/embedded-postgres';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from './constants';
import { createTestDatabase, type TestDatabase } from './database';

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly logs: string[];
  /** Sends a signal and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

/**
 * Starts the built server (dist/src/main.js, as `npm start` does) in its own process and waits until
 * /server/ping answers. `npm test` builds first (pretest), so dist is current.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const port = await freePort();
  const logs: string[] = [];
  const child = spawn(NODE, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => logs.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (d: Buffer) => logs.push(...d.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${logs.join('\n')}`);
    try {
      const res = await fetch(`${url}/server/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer within ${timeoutMs} ms:\n${logs.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Two server processes on one fresh test database: the multi-instance suites' setup. */
export interface TwoInstances {
  readonly db: TestDatabase;
  readonly a: ServerProcess;
  readonly b: ServerProcess;
  /** Stops both processes and drops the database. */
  stop(): Promise<void>;
}

export async function startTwoInstances(database: string, env: Record<string, string> = {}): Promise<TwoInstances> {
  const db = await createTestDatabase(database);
  const full = { DATABASE_URL: db.url, ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN, LOG_LEVEL: 'warn', ...env };
  const [a, b] = await Promise.all([startServerProcess(full), startServerProcess(full)]);
  return {
    db,
    a,
    b,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      await db.drop();
    },
  };
}
