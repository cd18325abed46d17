import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { readOnlySystemItemsController } from '../system/system-items.controller';
import { ChangeCapture } from './change-capture.service';
import { RetentionService } from './retention.service';
import { RevisionsService } from './revisions.service';
import { RevertController } from './revert.controller';

/**
 * Activity and revisions (revisions issue): the one change-capture step (ChangeCapture: activity, revisions and the
 * realtime change log, written from items events inside the writing transaction), GET/SEARCH /activity and
 * /revisions over the same system items read path, POST /utils/revert/:revision, and background retention. Items
 * never import this module. ChangeCapture is exported so realtime can call enableChangeLog().
 */
@Module({
  imports: [ItemsModule],
  controllers: [
    readOnlySystemItemsController('activity', 'directus_activity'),
    readOnlySystemItemsController('revisions', 'directus_revisions'),
    RevertController,
  ],
  providers: [ChangeCapture, RevisionsService, RetentionService],
  exports: [ChangeCapture],
})
export class RevisionsModule {}
