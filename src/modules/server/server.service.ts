import { Injectable } from '@nestjs/common';
import { RELEASE } from '../../core/release';
import { SchemaRegistry } from '../schema/schema-registry.service';

type CheckStatus = 'ok' | 'warn' | 'error';

interface Check {
  status: CheckStatus;
  componentType: string;
  observedValue?: number;
  observedUnit?: string;
  output?: string;
}

export interface Health {
  status: CheckStatus;
  releaseId?: string;
  serviceId?: string;
  checks?: Record<string, Check[]>;
}

/**
 * /server/health in Directus's shape (RFC health+json): the database answers, and the schema this instance serves is
 * loadable and current. A stale snapshot is reloaded on the spot; a reload that fails (or failed last time and has
 * not succeeded since) is an error, and so is a database that does not answer — the route then answers 503.
 */
@Injectable()
export class ServerService {
  constructor(private readonly registry: SchemaRegistry) {}

  /** The whole document for admins; anyone else sees only `status` (Directus's ServerService.health). */
  async health(admin: boolean): Promise<Health> {
    const checks: Record<string, Check[]> = {};
    const started = Date.now();
    let committed: number | null = null;
    try {
      committed = await this.registry.committedVersion();
      checks['pg:responseTime'] = [
        { status: 'ok', componentType: 'datastore', observedValue: Date.now() - started, observedUnit: 'ms' },
      ];
    } catch (error) {
      checks['pg:responseTime'] = [
        { status: 'error', componentType: 'datastore', output: `Database is not reachable: ${message(error)}` },
      ];
    }
    if (committed !== null && (this.registry.lastFailure || committed > this.registry.version)) {
      await this.registry.reload().catch(() => undefined);
    }
    const failure = this.registry.lastFailure;
    checks['schema:version'] = [
      failure
        ? { status: 'error', componentType: 'system', output: `Schema cannot be loaded: ${failure.message}` }
        : { status: 'ok', componentType: 'system', observedValue: this.registry.version },
    ];
    const statuses = Object.values(checks).flatMap((list) => list.map((c) => c.status));
    const status: CheckStatus = statuses.includes('error') ? 'error' : statuses.includes('warn') ? 'warn' : 'ok';
    if (!admin) return { status };
    return { status, releaseId: RELEASE.version, serviceId: RELEASE.name, checks };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
