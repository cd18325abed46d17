import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module';
import { AuthService } from './auth.service';
import { AuthMiddleware } from './auth.middleware';
import { AccountabilityCache } from './accountability-cache.service';

@Module({
  imports: [PermissionsModule],
  providers: [AuthService, AuthMiddleware, AccountabilityCache],
  exports: [AuthService, AuthMiddleware, AccountabilityCache],
})
export class AuthModule {}
