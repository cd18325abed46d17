import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { Config } from '../../config/config';

const LEVELS: Record<Config['logLevel'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** Structured logs: one JSON object per line (Nest's ConsoleLogger in JSON mode). */
export function createLogger(config: Pick<Config, 'logLevel'>): ConsoleLogger {
  return new ConsoleLogger({ json: true, logLevels: LEVELS[config.logLevel], colors: false });
}
