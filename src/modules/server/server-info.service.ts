import { Inject, Injectable } from '@nestjs/common';
import { compileFileType, SETTINGS_ROW_SQL, SETTINGS_TABLES_SQL } from '@lib/query';
import type { Accountability } from '../../core/context/accountability';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { Database } from '../../core/database/database.service';

/** The Directus release whose REST wire Tessera answers with; /server/info reports it as `version`. */
export const DIRECTUS_VERSION = '12.4.1';

type Row = Record<string, unknown>;

/** The project settings /server/info shows, with the defaults Directus reads when `directus_settings` has no row. */
const PROJECT_DEFAULTS: Row = {
  project_name: 'Tessera',
  project_descriptor: null,
  project_logo: null,
  project_color: '#6644FF',
  default_appearance: 'auto',
  default_theme_light: null,
  default_theme_dark: null,
  theme_light_overrides: null,
  theme_dark_overrides: null,
  default_language: 'en-US',
  public_foreground: null,
  public_background: null,
  public_favicon: null,
  public_note: null,
  custom_css: null,
  public_registration: false,
  public_registration_verify_email: true,
};

/**
 * GET /server/info in Directus 12's shape: the public part (project settings and the license block) for everyone,
 * and for a signed-in user what the app needs to know about this server (limits, features, websockets, version).
 * Features Tessera does not have (AI, MCP, rate limiting, extensions, uploads) are reported off.
 */
@Injectable()
export class ServerInfoService {
  constructor(
    private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async info(accountability: Accountability): Promise<Row> {
    const info: Row = { project: await this.project() };
    if (accountability.user) {
      Object.assign(info, {
        project_owner_enabled: false,
        mcp_enabled: false,
        ai_enabled: false,
        mcp_oauth_enabled: false,
        mcp_oauth_dcr_enabled: false,
        mcp_oauth_cimd_enabled: false,
        autoSave: { revisionInterval: 300 },
        files: { mimeTypeAllowList: ['*/*'] },
        rateLimit: false,
        rateLimitGlobal: false,
        extensions: { limit: null },
        queryLimit: { default: this.config.queryLimitDefault, max: this.config.queryLimitMax ?? -1 },
        websocket: this.config.websocketsEnabled
          ? {
              rest: { authentication: 'handshake', path: '/websocket' },
              graphql: false,
              heartbeat: 30,
              collaborativeEditing: false,
              logs: false,
            }
          : false,
        version: DIRECTUS_VERSION,
      });
    }
    info.license = {
      source: null,
      entitlements: { production_enabled: true, ai_translations_enabled: false, display_powered_by: 'DIRECTUS' },
    };
    return info;
  }

  /** The project's name (`directus_settings.project_name`, else Tessera's default). */
  async projectName(): Promise<string> {
    return String((await this.project()).project_name ?? PROJECT_DEFAULTS.project_name);
  }

  /**
   * The project block: Directus's `directus_settings` row when the database has one (a database Directus made),
   * otherwise the defaults. `public_background` is read as `{id, type}` of its file, as Directus expands it.
   */
  private async project(): Promise<Row> {
    const [tables] = await this.db.query<{ settings: boolean; files: boolean }>(SETTINGS_TABLES_SQL);
    if (!tables?.settings) return { ...PROJECT_DEFAULTS };
    const [row] = await this.db.query<{ settings: Row }>(SETTINGS_ROW_SQL);
    const settings = row?.settings ?? {};
    const project: Row = {};
    for (const [key, fallback] of Object.entries(PROJECT_DEFAULTS)) {
      project[key] = Object.hasOwn(settings, key) ? parseJson(settings[key]) : fallback;
    }
    const background = project.public_background;
    if (background !== null && background !== undefined) {
      const [file] = tables.files
        ? await this.db.run<{ id: string; type: string | null }>(compileFileType(String(background)))
        : [];
      project.public_background = file ? { id: file.id, type: file.type } : null;
    }
    return project;
  }
}

/** JSON columns of `directus_settings` (theme overrides) hold JSON text on some databases. */
function parseJson(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
