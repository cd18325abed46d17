import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module';
import { CollectionsController } from './collections.controller';
import { CollectionsService } from './collections.service';
import { FieldsController } from './fields.controller';
import { FieldsService } from './fields.service';
import { RelationsController } from './relations.controller';
import { RelationsService } from './relations.service';
import { SchemaReadAccess } from './schema-read-access';
import { SchemaRegistry } from './schema-registry.service';
import { SchemaWriter } from './schema-writer.service';

/** The runtime schema: the versioned snapshot every module reads, and the /collections /fields /relations API. */
@Module({
  imports: [PermissionsModule],
  controllers: [CollectionsController, FieldsController, RelationsController],
  providers: [SchemaRegistry, SchemaWriter, SchemaReadAccess, CollectionsService, FieldsService, RelationsService],
  exports: [SchemaRegistry, SchemaReadAccess, CollectionsService, FieldsService, RelationsService],
})
export class SchemaModule {}
