import { Injectable } from '@nestjs/common';
import { ServiceUnavailableError } from '@lib/errors';
import { Database } from '../../core/database/database.service';
import { SchemaRegistry } from '../schema/schema-registry.service';

/** /server/health: the database answers and the schema is loaded (Directus's health shape, trimmed). */
@Injectable()
export class ServerService {
  constructor(
    private readonly db: Database,
    private readonly registry: SchemaRegistry,
  ) {}

  async health() {
    const started = Date.now();
    try {
      await this.db.query('SELECT 1');
    } catch (error) {
      throw new ServiceUnavailableError('database', `Database is not reachable: ${(error as Error).message}`);
    }
    return {
      status: 'ok',
      releaseId: '0.1.0',
      serviceId: 'tessera',
      checks: {
        'pg:responseTime': [
          { status: 'ok', componentType: 'datastore', observedValue: Date.now() - started, observedUnit: 'ms' },
        ],
        'schema:version': [{ status: 'ok', componentType: 'system', observedValue: this.registry.version }],
      },
    };
  }
}
