import { IsDefined, IsEmail, IsIn, IsOptional, IsString } from 'class-validator';

/** POST /auth/login body, with Directus's (Joi) wording for failures. */
export class LoginDto {
  @IsDefined({ message: '"email" is required' })
  @IsEmail({}, { message: '"email" must be a valid email' })
  email!: string;

  @IsDefined({ message: '"password" is required' })
  @IsString({ message: '"password" must be a string' })
  password!: string;

  @IsOptional()
  @IsIn(['json', 'cookie', 'session'], { message: '"mode" must be one of [json, cookie, session]' })
  mode?: 'json' | 'cookie' | 'session';

  @IsOptional()
  @IsString({ message: '"otp" must be a string' })
  otp?: string;
}

/** POST /auth/refresh and /auth/logout body. */
export class RefreshDto {
  @IsOptional()
  @IsString({ message: '"refresh_token" must be a string' })
  refresh_token?: string;

  @IsOptional()
  @IsIn(['json', 'cookie', 'session'], { message: '"mode" must be one of [json, cookie, session]' })
  mode?: 'json' | 'cookie' | 'session';
}
