import { Injectable } from '@nestjs/common';
import { InvalidPayloadError } from '@lib/errors';
import type { ItemsContext } from '../../core/context/items-context';
import { ItemsService, type Item } from '../items/items.service';
import { SystemItemsService } from '../items/system-items.service';

/** A revision as revert needs it. */
interface RevisionRow {
  readonly collection: string;
  readonly item: string;
  readonly data: Item | null;
}

/**
 * Revert (POST /utils/revert/:revision), as Directus's RevisionsService.revert: the revision is read as the caller
 * (403 when it can't be read), and its `data` is written back to its item as the caller, through the same ItemsService
 * update as any PATCH — so permissions apply and the revert itself is recorded as a new update revision.
 */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly items: ItemsService,
    private readonly system: SystemItemsService,
  ) {}

  async revert(ctx: ItemsContext, revision: string): Promise<void> {
    const read = await this.system.readOne(ctx, 'directus_revisions', revision, {
      fields: ['collection', 'item', 'data'],
    });
    const row = read.data as unknown as RevisionRow;
    if (row.data === null || typeof row.data !== 'object' || Array.isArray(row.data)) {
      throw new InvalidPayloadError(`Revision doesn't contain data to revert to`);
    }
    const service = row.collection.startsWith('directus_') ? this.system : this.items;
    const c = service.collection(ctx, row.collection);
    if (c.singleton) await service.updateSingleton(ctx, row.collection, row.data, { fields: [c.primaryKey] });
    else await service.updateOne(ctx, row.collection, row.item, row.data, { fields: [c.primaryKey] });
  }
}
