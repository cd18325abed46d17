import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module';
import { AccountabilityCache } from './accountability-cache.service';
import { AuthController } from './auth.controller';
import { AuthMiddleware } from './auth.middleware';
import { AuthService } from './auth.service';

@Module({
  imports: [PermissionsModule],
  controllers: [AuthController],
  providers: [AuthService, AuthMiddleware, AccountabilityCache],
  exports: [AuthService, AuthMiddleware, AccountabilityCache],
})
export class AuthModule {}
