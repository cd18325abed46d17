/**
 * Resolves the `@lib/<name>` path aliases of tsconfig.json in the compiled output (dist/libs/<name>/src). Imported
 * first by main.ts and cli.ts; Jest maps the same aliases with moduleNameMapper.
 */
import Module from 'node:module';
import { join } from 'node:path';

const libs = join(__dirname, '..', 'libs');
type Resolve = (request: string, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
mod._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request.startsWith('@lib/')) {
    const [name, ...sub] = request.slice(5).split('/');
    request = join(libs, name, 'src', sub.length ? sub.join('/') : 'index');
  }
  return original.call(this, request, ...rest);
};
