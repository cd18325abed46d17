import { Module } from '@nestjs/common';
import { PermissionsModule } from '../permissions/permissions.module';
import { AccountabilityCache } from './accountability-cache.service';
import { AuthController } from './auth.controller';
import { AuthMiddleware } from './auth.middleware';
import { AuthService } from './auth.service';
import { UsersMeController } from './users-me.controller';
import { UsersMeService } from './users-me.service';

@Module({
  imports: [PermissionsModule],
  controllers: [AuthController, UsersMeController],
  providers: [AuthService, AuthMiddleware, AccountabilityCache, UsersMeService],
  exports: [AuthService, AuthMiddleware, AccountabilityCache],
})
export class AuthModule {}
