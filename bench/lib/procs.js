'use strict';
/**
 * Every process the bench starts is registered here so that it is stopped on success, on error and on CTRL-C.
 * `process.execPath` is the Node 24 that `npm run bench` runs (the `node` package), so children use it too.
 */
const { fork } = require('node:child_process');

const live = new Set();

function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function alive(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
function terminate(child, graceMs = 5000) {
  if (!alive(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (alive(child)) child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Last resort from a synchronous 'exit' handler. */
function killAllSync() {
  for (const child of live) if (alive(child)) child.kill('SIGKILL');
}

async function terminateAll() {
  await Promise.all([...live].map((c) => terminate(c)));
}

/**
 * Runs a worker script in its own Node process: sends it `message`, resolves with its one `{result}` reply.
 * Bounded: killed after `timeoutMs`. `onProgress` receives `{progress}` messages.
 */
function runWorker(script, message, { timeoutMs, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(
      fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execPath: process.execPath }),
    );
    let settled = false;
    let result;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms`));
    }, timeoutMs ?? 120000);
    child.on('message', (m) => {
      if (m && m.progress !== undefined) onProgress?.(m.progress);
      else if (m && m.error) result = { error: m.error };
      else if (m && m.result !== undefined) result = { value: m.result };
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (result?.value !== undefined) resolve(result.value);
      else reject(new Error(result?.error ?? `${script} exited (${signal ?? code}) without a result`));
    });
    child.once('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    });
    child.send(message);
  });
}

module.exports = { track, terminate, terminateAll, killAllSync, runWorker, live };
