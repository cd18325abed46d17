import { Module } from '@nestjs/common';
import { AdminOnlyGuard } from './admin-only.guard';
import { PermissionsService } from './permissions.service';
import { PolicyResolver } from './policy-resolver.service';

/**
 * Policies → effective permissions per accountability: policy resolution (role tree, user, Public), permission rows
 * cached per policy set (libs/permissions merges them), and the admin gate of the schema routes.
 */
@Module({
  providers: [PolicyResolver, PermissionsService, AdminOnlyGuard],
  exports: [PolicyResolver, PermissionsService, AdminOnlyGuard],
})
export class PermissionsModule {}
