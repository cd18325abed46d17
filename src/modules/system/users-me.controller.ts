import { Controller, Get } from '@nestjs/common';
import type { Accountability } from '../../core/context/accountability';
import { Acc } from '../../core/http/request-context.decorator';
import { UsersMeService } from './users-me.service';

/** GET /users/me; registered before /users/:id. */
@Controller('users')
export class UsersMeController {
  constructor(private readonly users: UsersMeService) {}

  @Get('me')
  async me(@Acc() acc: Accountability) {
    return { data: await this.users.me(acc) };
  }
}
