import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module';
import { SchemaModule } from '../schema/schema.module';
import { ItemsService } from './items.service';

@Module({ imports: [SchemaModule, PermissionsModule], providers: [ItemsService], exports: [ItemsService] })
export class ItemsModule {}
