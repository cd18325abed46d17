'use strict';
/** The bench's own embedded PostgreSQL (dist helper), stopped with a bounded wait and a pid-file fallback. */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./config');

require(path.join(ROOT, 'dist', 'src', 'register-paths.js'));
const { startEmbeddedPostgres } = require(path.join(ROOT, 'dist', 'src', 'core', 'database', 'embedded-postgres.js'));
const { ensureDatabase } = require(path.join(ROOT, 'dist', 'src', 'core', 'database', 'database-connection.js'));

function postmasterPid(dataDir) {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startPostgres(cfg, log) {
  const pg = await startEmbeddedPostgres({ dataDir: cfg.pgDir, settings: cfg.pgSettings, log });
  const pid = postmasterPid(cfg.pgDir);
  let stopped = false;
  return {
    url: pg.url,
    port: pg.port,
    pid,
    initialised: pg.initialised,
    databaseUrl: (name) => pg.url.replace(/\/postgres$/, `/${name}`),
    ensureDatabase: (name) => ensureDatabase(pg.url, name),
    /** embedded-postgres' stop() never resolves if postgres already exited (e.g. CTRL-C hit the process group). */
    async stop() {
      if (stopped) return;
      stopped = true;
      if (pid && !isAlive(pid)) return;
      await Promise.race([pg.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 10000).unref())]);
      if (pid && isAlive(pid)) {
        process.kill(pid, 'SIGQUIT');
        for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** From a synchronous exit handler: immediate shutdown. */
    stopSync() {
      if (!stopped && pid && isAlive(pid)) process.kill(pid, 'SIGQUIT');
    },
  };
}

module.exports = { startPostgres, isAlive };
