import { compileSingletonRow } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { PrimaryKey } from '../../../core/events/items-events';
import type { Row } from '../payload-caster';
import type { WriteExecutor } from './executor';
import type { Runners } from './runners';
import type { WriteContext } from './write-context';

/** A singleton's PATCH: its row (locked) is updated, or created when the table is empty. */
export class SingletonRunner {
  constructor(
    private readonly exec: WriteExecutor,
    private readonly runners: Runners,
  ) {}

  async run(ctx: WriteContext, c: CollectionSnapshot, data: Row): Promise<PrimaryKey> {
    const [row] = await this.exec.query(compileSingletonRow(c));
    if (row) {
      await this.runners.update.run(ctx, c, [row.pk as PrimaryKey], data, null);
      return row.pk as PrimaryKey;
    }
    const [key] = await this.runners.create.run(ctx, c, [data], null);
    return key;
  }
}
