import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';

/**
 * Activity and revisions: written from items events inside the writing transaction; /activity, /revisions and
 * /utils/revert. Items never import this module; it listens to items events (revisions issue).
 */
@Module({ imports: [ItemsModule] })
export class RevisionsModule {}
