'use strict';
/** Starts the built server (dist/src/main.js) on the bench database and waits until /server/ping answers. */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./config');
const { track, terminate } = require('./procs');
const { freePort } = require(path.join(ROOT, 'dist', 'src', 'core', 'database', 'embedded-postgres.js'));

/** The node flags `npm start` runs the server with (package.json), so that the bench measures the same process. */
const START_FLAGS = require(path.join(ROOT, 'package.json'))
  .scripts.start.split(/\s+/)
  .filter((arg) => arg.startsWith('--'));

/** `env`: extra environment (the realtime scenarios start their own instances with WEBSOCKETS_ENABLED=true). */
async function startServer(cfg, databaseUrl, logFile, env = {}) {
  const port = await freePort();
  const out = fs.openSync(logFile, 'w');
  const tail = [];
  const child = track(
    spawn(process.execPath, [...START_FLAGS, path.join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        ADMIN_TOKEN: cfg.adminToken,
        ADMIN_EMAIL: cfg.adminEmail,
        ADMIN_PASSWORD: cfg.adminPassword,
        SECRET: 'bench-secret-not-for-production-0123456789',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // e.g. `--cpu-prof --cpu-prof-dir=.tmp/prof` to profile the server under load
        ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const keep = (d) => {
    fs.writeSync(out, d);
    for (const line of d.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.once('exit', () => fs.closeSync(out));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}):\n${tail.join('\n')}`);
    try {
      const res = await fetch(`${url}/server/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not answer /server/ping within 60 s:\n${tail.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, pid: child.pid, child, tail, stop: () => terminate(child, 10000) };
}

module.exports = { startServer };
