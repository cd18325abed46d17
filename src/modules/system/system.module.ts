import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ItemsModule } from '../items/items.module';
import { PermissionsModule } from '../permissions/permissions.module';
import { SchemaModule } from '../schema/schema.module';
import { AccessChangeNotifier } from './access-change.notifier';
import { PoliciesMeController, RolesMeController } from './access-me.controller';
import { AccessMeService } from './access-me.service';
import { CacheService } from './cache.service';
import { PermissionsListController } from './permissions-list.controller';
import { PermissionsMeController } from './permissions-me.controller';
import { PermissionsMeService } from './permissions-me.service';
import { systemItemsController } from './system-items.controller';
import { UsersMeController } from './users-me.controller';
import { UsersMeService } from './users-me.service';
import { UsersRules } from './users-rules';
import { UtilsController } from './utils.controller';

/**
 * /users, /roles, /policies, /access, /permissions over the items machinery; /users/me (GET, PATCH), /roles/me,
 * /policies/me/globals, /permissions/me, /utils/cache/clear; access-change propagation. The `me` routes and the
 * /permissions list (no limit, as Directus) come before the generic routes they would match.
 */
@Module({
  imports: [ItemsModule, PermissionsModule, AuthModule, SchemaModule],
  controllers: [
    UsersMeController,
    RolesMeController,
    PoliciesMeController,
    PermissionsMeController,
    PermissionsListController,
    UtilsController,
    systemItemsController('users', 'directus_users'),
    systemItemsController('roles', 'directus_roles'),
    systemItemsController('policies', 'directus_policies'),
    systemItemsController('access', 'directus_access'),
    systemItemsController('permissions', 'directus_permissions'),
  ],
  providers: [UsersMeService, UsersRules, AccessMeService, PermissionsMeService, CacheService, AccessChangeNotifier],
})
export class SystemModule {}
