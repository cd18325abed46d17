import { Injectable, OnModuleInit } from '@nestjs/common';
import { InvalidPayloadError } from '@lib/errors';
import { ItemsEventBus } from '../../core/events/items-event-bus';

type Row = Record<string, unknown>;

/**
 * Directus's UsersService rules for updating users, on every transport and nesting level (a filter hook on
 * `directus_users` updates): `tfa_secret` is never set through an update (TFA has its own routes), and only admins
 * change `provider` or `external_identifier`. Each gives 400 INVALID_PAYLOAD with Directus's reason.
 */
@Injectable()
export class UsersRules implements OnModuleInit {
  constructor(private readonly bus: ItemsEventBus) {}

  onModuleInit(): void {
    this.bus.onFilter('update', 'directus_users', (payload, _meta, { accountability }) => {
      for (const row of (Array.isArray(payload) ? payload : [payload]) as Row[]) {
        if (!row || typeof row !== 'object') continue;
        if (row.tfa_secret !== undefined) throw manually('tfa_secret');
        if (accountability.admin) continue;
        if (row.provider !== undefined) throw manually('provider');
        if (row.external_identifier !== undefined) throw manually('external_identifier');
      }
      return undefined;
    });
  }
}

function manually(field: string): InvalidPayloadError {
  return new InvalidPayloadError(`You can't change the "${field}" value manually`);
}
