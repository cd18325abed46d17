import { rm } from 'node:fs/promises';
import type { RunningPostgres } from '../../src/core/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __TESSERA_PG__?: RunningPostgres }).__TESSERA_PG__;
  if (!pg) return;
  await pg.stop();
  await rm(pg.dataDir, { recursive: true, force: true });
}
