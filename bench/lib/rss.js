'use strict';
/** Samples a process's VmRSS from /proc every `intervalMs`; windows report the peak seen while they were open. */
const fs = require('node:fs');

function readStatus(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => {
      const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) * 1024 : null;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: null, hwm: null };
  }
}

function startSampler(pid, intervalMs = 200) {
  let peak = 0;
  const windows = new Set();
  const sample = () => {
    const { rss } = readStatus(pid);
    if (rss === null) return;
    peak = Math.max(peak, rss);
    for (const w of windows) w.peak = Math.max(w.peak, rss);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    window() {
      const w = { peak: 0 };
      windows.add(w);
      sample();
      return () => {
        sample();
        windows.delete(w);
        return w.peak;
      };
    },
    stop() {
      clearInterval(timer);
      sample();
      return { peakSampled: peak, ...readStatus(pid) };
    },
  };
}

module.exports = { startSampler, readStatus };
