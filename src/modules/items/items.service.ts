import { Injectable } from '@nestjs/common';
import { Database } from '../../core/database/database.service';
import { SchemaRegistry } from '../schema/schema-registry.service';

/**
 * The one domain façade for items: REST controllers, GraphQL resolvers and WebSocket handlers all call it.
 * Reads compile to one SQL statement through libs/query; writes run in one transaction (issues 4 and 5).
 */
@Injectable()
export class ItemsService {
  constructor(
    readonly db: Database,
    readonly registry: SchemaRegistry,
  ) {}
}
