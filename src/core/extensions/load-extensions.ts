import { resolve } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import { ConfigError } from '../../config/config';

export type ExtensionModule = Type<unknown> | DynamicModule;

/**
 * Loads the extension modules named by EXTENSIONS for the packaged server: each entry is a module path (relative to
 * the working directory, or a package name) with an optional `#ExportName`; without one, the default export, else the
 * file's only exported class. A path that can't be loaded or names no class is a configuration error naming it.
 */
export function loadExtensions(entries: readonly string[], cwd = process.cwd()): ExtensionModule[] {
  return entries.map((entry) => {
    const [path, exportName] = entry.split('#');
    const target = path.startsWith('.') || path.startsWith('/') ? resolve(cwd, path) : path;
    let exports: Record<string, unknown>;
    try {
      exports = require(target) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`EXTENSIONS: cannot load "${entry}": ${(error as Error).message}`);
    }
    const candidates = exportName
      ? [exports[exportName]]
      : exports.default !== undefined
        ? [exports.default]
        : Object.values(exports).filter((v) => typeof v === 'function');
    const found = candidates.filter((v): v is ExtensionModule => typeof v === 'function' || isDynamicModule(v));
    if (found.length !== 1) {
      throw new ConfigError(
        `EXTENSIONS: "${entry}" must export one Nest module (${exportName ? `no export "${exportName}"` : 'use path#ExportName to pick one'})`,
      );
    }
    return found[0];
  });
}

function isDynamicModule(value: unknown): value is DynamicModule {
  return typeof value === 'object' && value !== null && typeof (value as DynamicModule).module === 'function';
}
