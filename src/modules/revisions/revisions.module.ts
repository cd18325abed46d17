import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { readOnlySystemItemsController } from '../system/system-items.controller';
import { RetentionService } from './retention.service';
import { RevertController } from './revert.controller';
import { RevisionsService } from './revisions.service';

/**
 * Activity and revisions (revisions issue): GET/SEARCH /activity and /revisions over the same system items read
 * path, POST /utils/revert/:revision, and background retention. Items never import this module.
 */
@Module({
  imports: [ItemsModule],
  controllers: [
    readOnlySystemItemsController('activity', 'directus_activity'),
    readOnlySystemItemsController('revisions', 'directus_revisions'),
    RevertController,
  ],
  providers: [RevisionsService, RetentionService],
})
export class RevisionsModule {}
