import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { readCookie } from '../../core/http/cookies';
import { validateBody } from '../../core/http/validate-body';
import { AuthService, type AuthMode, type IssuedTokens, type RequestMeta } from './auth.service';
import { LoginDto, RefreshDto } from './login.dto';

function metaOf(req: Request): RequestMeta {
  return {
    ip: req.ip ?? null,
    userAgent: req.headers['user-agent'] ?? null,
    origin: typeof req.headers.origin === 'string' ? req.headers.origin : null,
  };
}

/** /auth: login, refresh, logout (spec 8). Cookies are a transport concern, so they are set here. */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get()
  providers() {
    return { data: [], disableDefault: false };
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const dto = await validateBody(LoginDto, body);
    const mode = dto.mode ?? 'json';
    return this.respond(res, mode, await this.auth.login(dto.email, dto.password, mode, metaOf(req)));
  }

  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const dto = await validateBody(RefreshDto, body ?? {});
    const mode: AuthMode = dto.mode ?? (dto.refresh_token ? 'json' : 'cookie');
    return this.respond(res, mode, await this.auth.refresh(this.refreshTokenOf(dto, req, mode), mode, metaOf(req)));
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const dto = await validateBody(RefreshDto, body ?? {});
    const mode: AuthMode = dto.mode ?? (dto.refresh_token ? 'json' : 'cookie');
    await this.auth.logout(this.refreshTokenOf(dto, req, mode));
    res.clearCookie(this.config.refreshTokenCookieName, { path: '/' });
    res.clearCookie(this.config.sessionCookieName, { path: '/' });
  }

  private refreshTokenOf(dto: RefreshDto, req: Request, mode: AuthMode): string | null {
    if (dto.refresh_token) return dto.refresh_token;
    if (mode === 'session') return this.auth.sessionOf(readCookie(req.headers.cookie, this.config.sessionCookieName));
    return readCookie(req.headers.cookie, this.config.refreshTokenCookieName);
  }

  private respond(res: Response, mode: AuthMode, tokens: IssuedTokens) {
    const cookie = { httpOnly: true, path: '/', sameSite: 'lax' as const };
    if (mode === 'json') {
      return {
        data: { access_token: tokens.accessToken, expires: tokens.expires, refresh_token: tokens.refreshToken },
      };
    }
    if (mode === 'cookie') {
      res.cookie(this.config.refreshTokenCookieName, tokens.refreshToken, { ...cookie, maxAge: tokens.refreshExpires });
      return { data: { access_token: tokens.accessToken, expires: tokens.expires } };
    }
    res.cookie(this.config.sessionCookieName, tokens.accessToken, { ...cookie, maxAge: tokens.expires });
    return { data: { expires: tokens.expires } };
  }
}
