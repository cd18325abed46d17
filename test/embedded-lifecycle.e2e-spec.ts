import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startServerProcess } from './support/process';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

describe('embedded PostgreSQL lifecycle (no database configured)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(__dirname, '..', '.tmp', 'lifecycle-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const env = () => ({
    DATA_DIR: dataDir,
    ADMIN_EMAIL: 'boot@example.com',
    ADMIN_PASSWORD: 'pw',
    ADMIN_TOKEN: 'boot-token',
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'initialises under DATA_DIR, persists across restarts, and leaves no postgres behind on %s',
    async (signal) => {
      const server = await startServerProcess(env(), 60_000);
      expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
      expect(server.logs.join('\n')).toContain(join(dataDir, 'postgres'));
      const pid = await postmasterPid(dataDir);
      expect(alive(pid)).toBe(true);

      const auth = { Authorization: 'Bearer boot-token', 'Content-Type': 'application/json' };
      const name = `persist_${signal.toLowerCase()}`;
      const created = await fetch(`${server.url}/collections`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ collection: name, schema: {} }),
      });
      expect(created.status).toBe(200);

      expect(await server.stop(signal)).toBe(0);
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);

      // Warm boot: same cluster, admin not re-created, the collection is still there.
      const again = await startServerProcess(env(), 60_000);
      const res = await fetch(`${again.url}/collections/${name}`, { headers: auth });
      expect(res.status).toBe(200);
      expect(again.logs.join('\n')).not.toContain('bootstrap: created admin user');
      const pid2 = await postmasterPid(dataDir);
      expect(await again.stop('SIGTERM')).toBe(0);
      for (let i = 0; i < 50 && alive(pid2); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid2)).toBe(false);
    },
    120_000,
  );

  it('a postgres left running by a killed server is taken over on the next boot', async () => {
    const server = await startServerProcess(env(), 60_000);
    const pid = await postmasterPid(dataDir);
    await server.stop('SIGKILL');
    expect(alive(pid)).toBe(true);
    const again = await startServerProcess(env(), 60_000);
    expect(alive(pid)).toBe(false);
    const newPid = await postmasterPid(dataDir);
    expect(await again.stop('SIGTERM')).toBe(0);
    for (let i = 0; i < 50 && alive(newPid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(newPid)).toBe(false);
  }, 120_000);
});
