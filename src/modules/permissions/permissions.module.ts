import { Module } from '@nestjs/common';
import { AdminOnlyGuard } from './admin-only.guard';
import { ItemsAccess } from './items-access.service';
import { PermissionsService } from './permissions.service';
import { PolicyResolver } from './policy-resolver.service';

/**
 * Policies → effective permissions per accountability: policy resolution (role tree, user, Public), permission rows
 * cached per policy set (libs/permissions merges them), and ItemsAccess: the caller's read view of the schema (what
 * REST, GraphQL and realtime all read through) and the write checks. AdminOnlyGuard is an early exit for the schema
 * routes.
 */
@Module({
  providers: [PolicyResolver, PermissionsService, ItemsAccess, AdminOnlyGuard],
  exports: [PolicyResolver, PermissionsService, ItemsAccess, AdminOnlyGuard],
})
export class PermissionsModule {}
