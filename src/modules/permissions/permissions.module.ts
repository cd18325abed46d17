import { Module } from '@nestjs/common';
import { PolicyResolver } from './policy-resolver.service';
import { AdminOnlyGuard } from './admin-only.guard';

/**
 * Policies → effective permissions per accountability. For now: policy resolution and the admin gate of the schema
 * routes; item-level permissions (libs/permissions) arrive with the access-control issue.
 */
@Module({
  providers: [PolicyResolver, AdminOnlyGuard],
  exports: [PolicyResolver, AdminOnlyGuard],
})
export class PermissionsModule {}
