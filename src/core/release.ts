import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The running release, from the project's package.json (found by walking up from this file, so it holds for the
 * sources under Jest and for the compiled server in dist/ alike).
 */
function readRelease(): { name: string; version: string } {
  let dir = __dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tessera' && pkg.version) return { name: pkg.name, version: pkg.version };
    }
    const parent = dirname(dir);
    if (parent === dir) return { name: 'tessera', version: '0.0.0' };
    dir = parent;
  }
}

export const RELEASE = readRelease();
