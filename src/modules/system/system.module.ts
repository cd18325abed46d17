import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ItemsModule } from '../items/items.module';
import { PermissionsModule } from '../permissions/permissions.module';
import { AccessChangeNotifier } from './access-change.notifier';
import { systemItemsController } from './system-items.controller';
import { UsersMeController } from './users-me.controller';
import { UsersMeService } from './users-me.service';

/** /users, /roles, /policies, /access, /permissions over the items machinery, and access-change propagation. */
@Module({
  imports: [ItemsModule, PermissionsModule, AuthModule],
  controllers: [
    UsersMeController,
    systemItemsController('users', 'directus_users'),
    systemItemsController('roles', 'directus_roles'),
    systemItemsController('policies', 'directus_policies'),
    systemItemsController('access', 'directus_access'),
    systemItemsController('permissions', 'directus_permissions'),
  ],
  providers: [UsersMeService, AccessChangeNotifier],
})
export class SystemModule {}
