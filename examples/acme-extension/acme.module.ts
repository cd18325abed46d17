import { Controller, Get, Injectable, Logger, Module } from '@nestjs/common';
import {
  Ctx,
  InvalidPayloadError,
  ItemsAction,
  ItemsFilter,
  ItemsModule,
  ItemsService,
  type ItemsContext,
  type MutationEvent,
} from '../../src/public-api';

/** Lower-case words joined by dashes: "Hello, World!" → "hello-world". */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

type Row = Record<string, unknown>;

/** Filter hooks on `articles`: drop a "Draft:" prefix (priority 10), then set `slug` from `title` (priority 20). */
@Injectable()
export class ArticleHooks {
  /** Runs second (priority 20) although declared first: it sees the title without its "Draft:" prefix. */
  @ItemsFilter(['items.create', 'items.update'], { collection: 'articles', priority: 20 })
  slug(payload: Row | Row[]): Row | Row[] {
    const one = (row: Row): Row => (typeof row.title === 'string' ? { ...row, slug: slugify(row.title) } : row);
    return Array.isArray(payload) ? payload.map(one) : one(payload);
  }

  @ItemsFilter(['items.create', 'items.update'], { collection: 'articles', priority: 10 })
  undraft(payload: Row | Row[]): Row | Row[] {
    const one = (row: Row): Row =>
      typeof row.title === 'string' ? { ...row, title: row.title.replace(/^draft:\s*/i, '') } : row;
    return Array.isArray(payload) ? payload.map(one) : one(payload);
  }

  /** Rejects a title the editors may not use: the client gets INVALID_PAYLOAD and nothing is written. */
  @ItemsFilter('items.create', { collection: 'articles' })
  reject(payload: Row | Row[]): void {
    for (const row of Array.isArray(payload) ? payload : [payload]) {
      if (row.title === 'forbidden') throw new InvalidPayloadError('"forbidden" is not a title');
    }
  }
}

/** One audit line per committed write on `articles`: kept in memory and logged as structured JSON. */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('AcmeAudit');
  readonly lines: string[] = [];

  @ItemsAction(['items.create', 'items.update', 'items.delete'], { collection: 'articles' })
  record(event: MutationEvent): void {
    const line = `${event.action} articles ${event.keys.join(',')} by ${event.accountability.user ?? 'public'}`;
    this.lines.push(line);
    this.logger.log({ msg: 'audit', line, requestId: event.requestId });
  }

  /** A listener that always fails: logged, and the write it follows is unaffected. */
  @ItemsAction('items.delete', { collection: 'articles' })
  broken(): void {
    throw new Error('acme audit sink is down');
  }
}

/** GET /acme/articles: the caller's articles, read through ItemsService with the caller's permissions. */
@Controller('acme')
export class AcmeController {
  constructor(private readonly items: ItemsService) {}

  @Get('articles')
  async articles(@Ctx() ctx: ItemsContext): Promise<{ slugs: unknown[] }> {
    const result = await this.items.readByQuery(ctx, 'articles', { fields: ['slug'], sort: ['slug'], limit: -1 });
    return { slugs: result.data.map((row) => row.slug) };
  }
}

/** The example extension: register it with `TesseraModule.forRoot(config, { extensions: [AcmeModule] })`, or
 * `EXTENSIONS=./dist/examples/acme-extension/acme.module.js#AcmeModule` for the packaged server. */
@Module({ imports: [ItemsModule], controllers: [AcmeController], providers: [ArticleHooks, AuditTrail] })
export class AcmeModule {}
