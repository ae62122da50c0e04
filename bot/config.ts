/**
 * The bot's configuration: read once from an environment object at start-up, validated, and passed down.
 *
 * A bad or missing setting must stop start-up with one line an administrator can act on, naming the
 * variable and the rule — a bot that starts half-configured fails later, on a real review, in a way
 * nobody can trace back to the setting. `loadConfig` is a pure function of the object it is given, so
 * tests pass their own env and nothing here reads the file system or the network.
 *
 * docs/deploy.md holds the same list of variables as a table; bot/config.test.ts keeps the two in step.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { developmentKeyId, parseDataKeys } from '../review/fieldCipher';
import type { StoreConfig } from '../review/openStore';
import type { FlowSettings } from './flows/deps';

export type { StoreConfig };

export type RunMode = 'production' | 'local';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type NodeEnv = 'production' | 'development' | 'test';

/** How the bot proves who it is to the Bot Framework and to Microsoft Graph (one app identity for both). */
export type BotCredential =
  | { kind: 'secret'; password: string }
  | { kind: 'certificate'; thumbprint: string; keyFile: string }
  /** A user-assigned managed identity; its client id is also the bot's app id (Azure Bot type UserAssignedMSI). */
  | { kind: 'managed-identity'; clientId: string };

export type GraphCredential = BotCredential['kind'];

export interface BotIdentity {
  appId: string;
  tenantId: string;
  /** Multi-tenant bots can no longer be created; the bot only ever serves its own tenant. */
  appType: 'SingleTenant';
  credential: BotCredential;
}

export interface BusinessUnitOfficers {
  aadObjectIds: string[];
  /** Lower-cased, so a comparison with a user's UPN or mail is case-insensitive. */
  emails: string[];
}

interface SharedConfig {
  nodeEnv: NodeEnv;
  server: { host: string; port: number };
  graph: {
    baseUrl: string;
    credential: GraphCredential | 'none';
    /** One Graph request unanswered this long is abandoned (a hung connection must not hang set-up). */
    requestTimeoutMs: number;
  };
  /** Passed to openStore as it is. */
  store: StoreConfig;
  /** Extra partnership profile files. */
  profilesDir?: string;
  /** Hour (0-23, Europe/London) alerts are sent; undefined means the profile's own hour. */
  alertHour?: number;
  /** The partnership's settings exactly as the flows read them (FlowSettings), passed down as they are. */
  settings: FlowSettings & { reportsDir: string };
  logLevel: LogLevel;
}

export interface ProductionConfig extends SharedConfig {
  mode: 'production';
  identity: BotIdentity;
  graph: { baseUrl: string; credential: GraphCredential; requestTimeoutMs: number };
  /** In production the team, its business-unit channel and the meeting settings are all required. */
  settings: FlowSettings & {
    reportsDir: string;
    businessUnitChannelId: string;
    chair: { name: string; email: string };
    meetingOrganizer: string;
    teamsAppId: string;
  };
}

/** Unauthenticated and loopback-only: for a developer's machine with the Agents Playground. */
export interface LocalConfig extends SharedConfig {
  mode: 'local';
  /** Optional: only used when a developer points Graph at a real tenant. */
  identity?: BotIdentity;
  /**
   * The Teams tenants whose activities local mode serves (LOCAL_TENANT_IDS); without it, the
   * identity's tenant, or any tenant (the Agents Playground sends a made-up one). Production serves
   * MICROSOFT_APP_TENANT_ID only.
   */
  servedTenantIds?: string[];
}

export type AppConfig = ProductionConfig | LocalConfig;

export class ConfigError extends Error {
  /** Every problem found, one line each, at most one per variable; `message` carries the first. */
  readonly problems: string[];
  constructor(problems: string[]) {
    const [first, ...rest] = problems;
    const others = rest.map((line) => line.split(' ')[0]);
    const more = rest.length === 0 ? '' : ` (also check ${others.join(', ')})`;
    super(`Configuration: ${first}${more}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type ConfigRequirement =
  | 'no'
  | 'in production'
  | 'when STORE=postgres'
  | 'one credential in production'
  | 'with MICROSOFT_APP_CERT_THUMBPRINT'
  | 'with DATABASE_AUTH=entra';

export interface ConfigVariable {
  name: string;
  required: ConfigRequirement;
  default?: string;
  description: string;
  /** Never echoed back in an error message. */
  secret?: boolean;
}

/** The variables the bot reads, in the order docs/deploy.md lists them. */
export const configVariables: readonly ConfigVariable[] = [
  {
    name: 'NODE_ENV',
    required: 'no',
    default: 'production (development when RR_MODE=local)',
    description:
      '`production`, `development` or `test`. `RR_MODE=local` is refused when this is `production`.',
  },
  {
    name: 'RR_MODE',
    required: 'no',
    default: 'production',
    description:
      '`production` (authenticated Bot Framework endpoint) or `local` (unauthenticated, loopback only; must be set explicitly).',
  },
  {
    name: 'PORT',
    required: 'no',
    default: '3978',
    description: 'TCP port of the bot endpoint (App Service sets it).',
  },
  {
    name: 'HOST',
    required: 'no',
    default: '0.0.0.0 (127.0.0.1 when RR_MODE=local)',
    description: 'Address to listen on. In local mode only a loopback address is accepted.',
  },
  {
    name: 'MICROSOFT_APP_ID',
    required: 'in production',
    description:
      "Client id of the bot's Microsoft Entra app registration, a GUID: Bot Framework, Graph, the manifest's `webApplicationInfo.id` and RSC all name it.",
  },
  {
    name: 'MICROSOFT_APP_TENANT_ID',
    required: 'in production',
    description: "The partnership's Microsoft Entra tenant id, a GUID.",
  },
  {
    name: 'LOCAL_TENANT_IDS',
    required: 'no',
    description:
      'Local mode only: the Teams tenant ids (GUIDs, comma-separated) whose activities are served; by default any (the Agents Playground). Production serves `MICROSOFT_APP_TENANT_ID` only.',
  },
  {
    name: 'MICROSOFT_APP_TYPE',
    required: 'no',
    default: 'SingleTenant',
    description: 'Only `SingleTenant` is accepted.',
  },
  {
    name: 'MICROSOFT_APP_PASSWORD',
    required: 'one credential in production',
    description: 'Client secret of the app registration. Give exactly one of the three credentials.',
    secret: true,
  },
  {
    name: 'MICROSOFT_APP_CERT_THUMBPRINT',
    required: 'one credential in production',
    description:
      'SHA-1 thumbprint (40 hex digits) of the certificate registered on the app (the default credential).',
  },
  {
    name: 'MICROSOFT_APP_CERT_KEY_FILE',
    required: 'with MICROSOFT_APP_CERT_THUMBPRINT',
    description: 'Path to a PEM file holding the private key and the certificate.',
  },
  {
    name: 'MICROSOFT_APP_CERT_PEM',
    required: 'no',
    description:
      'The certificate and private key as PEM text, e.g. a Key Vault reference to a PEM certificate; written to a private key file at start-up (sets MICROSOFT_APP_CERT_KEY_FILE, and the thumbprint when unset).',
    secret: true,
  },
  {
    name: 'MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID',
    required: 'one credential in production',
    description:
      'Only for a bot whose Azure Bot is of type UserAssignedMSI; must equal MICROSOFT_APP_ID. Not the default: RSC and webApplicationInfo need an app registration.',
  },
  {
    name: 'GRAPH_BASE_URL',
    required: 'no',
    default: 'https://graph.microsoft.com/v1.0',
    description: 'Microsoft Graph root (https; http to a loopback address only in local mode).',
  },
  {
    name: 'GRAPH_CREDENTIAL',
    required: 'no',
    default: 'the credential given',
    description:
      '`secret`, `certificate` or `managed-identity`: how Graph calls authenticate; must match the credential given.',
  },
  {
    name: 'GRAPH_REQUEST_TIMEOUT_SECONDS',
    required: 'no',
    default: '30',
    description:
      'Seconds (1-120) one Graph request may go unanswered before it is abandoned and, if safe, retried; set-up resumes at the next upkeep.',
  },
  { name: 'STORE', required: 'no', default: 'sqlite', description: '`sqlite` (one instance) or `postgres`.' },
  {
    name: 'SQLITE_PATH',
    required: 'no',
    default: './data/rapid-review.db',
    description: 'SQLite database file when STORE=sqlite.',
  },
  {
    name: 'DATABASE_URL',
    required: 'when STORE=postgres',
    description: '`postgres://user[:password]@host:5432/database`.',
    secret: true,
  },
  {
    name: 'DATABASE_SSL',
    required: 'no',
    default: 'true (false when RR_MODE=local)',
    description: '`true` or `false`: TLS to PostgreSQL (Azure requires it).',
  },
  {
    name: 'DATABASE_AUTH',
    required: 'no',
    default: 'password',
    description:
      '`password` (in DATABASE_URL) or `entra` (a Microsoft Entra access token is the password; no password in the URL).',
  },
  {
    name: 'DATABASE_MANAGED_IDENTITY_CLIENT_ID',
    required: 'with DATABASE_AUTH=entra',
    default: 'DefaultAzureCredential',
    description:
      'Client id of the user-assigned managed identity that signs in to PostgreSQL (its name is the user in DATABASE_URL).',
  },
  {
    name: 'DATA_ENCRYPTION_KEYS',
    required: 'in production',
    default: 'a public development key (local mode only)',
    description:
      'Keys that seal subject details and free text at rest (AES-256-GCM): `keyId:base64key` entries (256-bit keys), comma-separated, the current key first; older keys only decrypt until `rapid-review rotate-keys` has run. From Key Vault in Azure.',
    secret: true,
  },
  {
    name: 'PROFILE',
    required: 'no',
    default: 'england',
    description: 'Id of the partnership profile (timescales, partners, quorum rule).',
  },
  {
    name: 'PROFILES_DIR',
    required: 'no',
    description: "Folder of extra partnership profile files (the partnership's own profile).",
  },
  {
    name: 'BUSINESS_UNIT_TEAM_ID',
    required: 'in production',
    description: 'Id (GUID) of the team in which review channels are created; the app is installed there.',
  },
  {
    name: 'BUSINESS_UNIT_CHANNEL_ID',
    required: 'in production',
    description: "The business unit's own channel for escalations, `19:…@thread.tacv2`.",
  },
  {
    name: 'BUSINESS_UNIT_USERS',
    required: 'in production',
    description: 'Comma-separated Entra object ids or email addresses of the business-unit officers.',
  },
  {
    name: 'NOTICE_CHANNELS',
    required: 'no',
    description:
      'JSON object from a role the profile notifies to its Teams channel id, e.g. `{"NYSCP Chair":"19:…@thread.tacv2"}`; a role without one is told through BUSINESS_UNIT_CHANNEL_ID.',
  },
  {
    name: 'ALERT_HOUR',
    required: 'no',
    default: "the profile's (9 for england)",
    description: 'Hour (0-23, Europe/London) at which due alerts are sent; overrides the profile.',
  },
  {
    name: 'REVIEW_CHAIR_NAME',
    required: 'no',
    default: 'REVIEW_CHAIR_EMAIL',
    description: 'Name of the chair of the review group, who confirms quorum and records the outcome.',
  },
  {
    name: 'REVIEW_CHAIR_EMAIL',
    required: 'in production',
    description:
      'Email (UPN) of the chair; invited to every review meeting, the only one who confirms quorum.',
  },
  {
    name: 'MEETING_ORGANIZER',
    required: 'in production',
    description:
      'Mailbox (UPN) in whose calendar review meetings are created; the application access policy must cover it.',
  },
  {
    name: 'TEAMS_APP_ID',
    required: 'in production',
    description: "The app's id in the tenant's app catalog, to add the bot to meeting chats (live quorum).",
  },
  {
    name: 'REPORTS_DIR',
    required: 'no',
    default: './data/reports',
    description: 'Folder where Rapid Review reports (.docx, named by reference) are written.',
  },
  {
    name: 'LOG_LEVEL',
    required: 'no',
    default: 'info',
    description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
  },
];

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const THUMBPRINT = /^[0-9a-fA-F]{40}$/;
const CHANNEL_ID = /^19:[^\s]+@thread\.(tacv2|skype)$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const PROFILE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** NOTICE_CHANNELS as a map from role to channel id, or undefined when it is not one. */
function noticeChannelsOf(value: string): Map<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const channels = new Map<string, string>();
  for (const [role, channelId] of Object.entries(parsed)) {
    if (role.trim() === '' || typeof channelId !== 'string' || !CHANNEL_ID.test(channelId)) return undefined;
    channels.set(role, channelId);
  }
  return channels;
}

/** App Settings and .env files often hold a variable with an empty value; that means "not set". */
function blankIsUnset(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const text = (rule?: (s: z.ZodString) => z.ZodString) =>
  z.preprocess(blankIsUnset, (rule ? rule(z.string()) : z.string()).optional());
const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    blankIsUnset,
    z
      .enum(values, {
        error: `must be ${values
          .map((v) => `'${v}'`)
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1')}`,
      })
      .optional(),
  );
const guid = () => text((s) => s.regex(GUID, 'must be a GUID'));

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

function isHostName(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return (
    isIP(bare) !== 0 ||
    /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
      bare,
    )
  );
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const credentialVariables = {
  secret: 'MICROSOFT_APP_PASSWORD',
  certificate: 'MICROSOFT_APP_CERT_THUMBPRINT',
  'managed-identity': 'MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID',
} as const;

function officerEntries(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * The raw variables with their own format rules, then the rules that tie several together. Unknown
 * variables are ignored (the process environment holds many).
 */
export const configSchema = z
  .object({
    NODE_ENV: choice(['production', 'development', 'test']),
    RR_MODE: choice(['production', 'local']),
    PORT: text((s) =>
      s
        .regex(/^\d{1,5}$/, 'must be a port number 1-65535')
        .refine((v) => Number(v) >= 1 && Number(v) <= 65535, {
          error: 'must be a port number 1-65535',
        }),
    ),
    HOST: text((s) => s.refine(isHostName, { error: 'must be an IP address or a host name' })),
    MICROSOFT_APP_ID: guid(),
    MICROSOFT_APP_TENANT_ID: guid(),
    LOCAL_TENANT_IDS: text((s) =>
      s.refine((v) => v.split(',').every((entry) => GUID.test(entry.trim())), {
        error: 'must list tenant ids (GUIDs), separated by commas',
      }),
    ),
    MICROSOFT_APP_TYPE: text((s) =>
      s.refine((v) => v === 'SingleTenant', {
        error:
          "must be 'SingleTenant' (multi-tenant bots can no longer be created; a managed identity is chosen with MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID)",
      }),
    ),
    MICROSOFT_APP_PASSWORD: text(),
    MICROSOFT_APP_CERT_THUMBPRINT: text((s) =>
      s.regex(THUMBPRINT, 'must be a SHA-1 thumbprint of 40 hex digits'),
    ),
    MICROSOFT_APP_CERT_KEY_FILE: text(),
    MICROSOFT_APP_CERT_PEM: text(),
    MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID: guid(),
    GRAPH_BASE_URL: text((s) =>
      s.refine((v) => ['https:', 'http:'].includes(parseUrl(v)?.protocol ?? ''), {
        error: 'must be an http(s) URL',
      }),
    ),
    GRAPH_CREDENTIAL: choice(['secret', 'certificate', 'managed-identity']),
    GRAPH_REQUEST_TIMEOUT_SECONDS: text((s) =>
      s
        .regex(/^\d{1,3}$/, 'must be whole seconds 1-120')
        .refine((v) => Number(v) >= 1 && Number(v) <= 120, { error: 'must be whole seconds 1-120' }),
    ),
    STORE: choice(['sqlite', 'postgres']),
    SQLITE_PATH: text(),
    DATABASE_URL: text((s) =>
      s.refine((v) => ['postgres:', 'postgresql:'].includes(parseUrl(v)?.protocol ?? ''), {
        error: 'must be a postgres:// URL',
      }),
    ),
    DATABASE_SSL: choice(['true', 'false']),
    DATABASE_AUTH: choice(['password', 'entra']),
    DATABASE_MANAGED_IDENTITY_CLIENT_ID: guid(),
    DATA_ENCRYPTION_KEYS: text((s) =>
      s.superRefine((value, ctx) => {
        try {
          parseDataKeys(value);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `must be keyId:base64key entries of 256-bit keys (${(error as Error).message.replace(/^DATA_ENCRYPTION_KEYS: /, '')})`,
          });
        }
      }),
    ),
    PROFILE: text((s) =>
      s.regex(PROFILE_ID, 'must be a profile id of lower-case letters, digits and hyphens'),
    ),
    PROFILES_DIR: text(),
    BUSINESS_UNIT_TEAM_ID: guid(),
    BUSINESS_UNIT_CHANNEL_ID: text((s) =>
      s.regex(CHANNEL_ID, "must be a Teams channel id like '19:…@thread.tacv2'"),
    ),
    BUSINESS_UNIT_USERS: text((s) =>
      s.refine((v) => officerEntries(v).every((entry) => GUID.test(entry) || EMAIL.test(entry)), {
        error: 'must list Entra object ids (GUIDs) or email addresses, separated by commas',
      }),
    ),
    NOTICE_CHANNELS: text((s) =>
      s.refine((v) => noticeChannelsOf(v) !== undefined, {
        error:
          'must be a JSON object from role names to Teams channel ids like \'19:…@thread.tacv2\', e.g. {"NYSCP Chair":"19:abc@thread.tacv2"}',
      }),
    ),
    ALERT_HOUR: text((s) =>
      s.regex(/^\d{1,2}$/, 'must be a whole hour 0-23').refine((v) => Number(v) <= 23, {
        error: 'must be a whole hour 0-23',
      }),
    ),
    REVIEW_CHAIR_NAME: text((s) => s.max(200, 'must be at most 200 characters')),
    REVIEW_CHAIR_EMAIL: text((s) => s.email('must be an email address')),
    MEETING_ORGANIZER: text((s) => s.email('must be an email address (the mailbox UPN)')),
    TEAMS_APP_ID: text((s) => s.regex(GUID, 'must be a GUID')),
    REPORTS_DIR: text((s) => s.min(1)),
    LOG_LEVEL: choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  })
  .superRefine((env, ctx) => {
    const problem = (variable: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [variable], message });
    const mode = env.RR_MODE ?? 'production';
    const production = mode === 'production';

    if (mode === 'local' && env.NODE_ENV === 'production') {
      problem(
        'RR_MODE',
        "must not be 'local' when NODE_ENV=production (local mode does not authenticate callers)",
      );
    }
    if (mode === 'local' && env.HOST !== undefined && !isLoopback(env.HOST)) {
      problem('HOST', 'must be a loopback address (127.0.0.1, ::1 or localhost) when RR_MODE=local');
    }

    const given = {
      secret: env.MICROSOFT_APP_PASSWORD !== undefined,
      certificate:
        env.MICROSOFT_APP_CERT_THUMBPRINT !== undefined || env.MICROSOFT_APP_CERT_KEY_FILE !== undefined,
      'managed-identity': env.MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID !== undefined,
    };
    const kinds = (Object.keys(given) as GraphCredential[]).filter((kind) => given[kind]);
    const identityWanted = production || env.MICROSOFT_APP_ID !== undefined || kinds.length > 0;

    if (identityWanted) {
      const why = production ? 'in production' : 'when a bot identity is given';
      if (env.MICROSOFT_APP_ID === undefined) problem('MICROSOFT_APP_ID', `is required ${why}`);
      if (env.MICROSOFT_APP_TENANT_ID === undefined) problem('MICROSOFT_APP_TENANT_ID', `is required ${why}`);
      if (kinds.length === 0) {
        problem(
          'MICROSOFT_APP_PASSWORD',
          `(or MICROSOFT_APP_CERT_THUMBPRINT with MICROSOFT_APP_CERT_KEY_FILE, or MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID) is required ${why}: give exactly one bot credential`,
        );
      } else if (kinds.length > 1) {
        problem(
          credentialVariables[kinds[1]],
          `must not be set together with ${credentialVariables[kinds[0]]}: give exactly one bot credential`,
        );
      }
    }
    if (env.MICROSOFT_APP_CERT_THUMBPRINT !== undefined && env.MICROSOFT_APP_CERT_KEY_FILE === undefined) {
      problem('MICROSOFT_APP_CERT_KEY_FILE', 'is required with MICROSOFT_APP_CERT_THUMBPRINT');
    }
    if (env.MICROSOFT_APP_CERT_KEY_FILE !== undefined && env.MICROSOFT_APP_CERT_THUMBPRINT === undefined) {
      problem('MICROSOFT_APP_CERT_THUMBPRINT', 'is required with MICROSOFT_APP_CERT_KEY_FILE');
    }
    if (
      env.MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID !== undefined &&
      env.MICROSOFT_APP_ID !== undefined &&
      env.MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID.toLowerCase() !== env.MICROSOFT_APP_ID.toLowerCase()
    ) {
      problem(
        'MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID',
        "must equal MICROSOFT_APP_ID (an Azure Bot of type UserAssignedMSI uses the identity's client id as its app id)",
      );
    }
    if (env.GRAPH_CREDENTIAL !== undefined && kinds.length === 1 && env.GRAPH_CREDENTIAL !== kinds[0]) {
      problem(
        'GRAPH_CREDENTIAL',
        `must match the bot credential given (${credentialVariables[kinds[0]]} means '${kinds[0]}'): Graph calls use the bot's own identity`,
      );
    }
    if (env.GRAPH_CREDENTIAL !== undefined && kinds.length === 0 && !production) {
      problem(
        'GRAPH_CREDENTIAL',
        `needs its credential (${credentialVariables[env.GRAPH_CREDENTIAL]}) to be set`,
      );
    }

    if (env.GRAPH_BASE_URL !== undefined) {
      const url = parseUrl(env.GRAPH_BASE_URL);
      if (url?.protocol === 'http:' && (production || !isLoopback(url.hostname))) {
        problem('GRAPH_BASE_URL', 'must be https (http only to a loopback address when RR_MODE=local)');
      }
    }

    const store = env.STORE ?? 'sqlite';
    if (store === 'postgres' && env.DATABASE_URL === undefined) {
      problem('DATABASE_URL', 'is required when STORE=postgres');
    }
    if (env.DATABASE_MANAGED_IDENTITY_CLIENT_ID !== undefined && env.DATABASE_AUTH !== 'entra') {
      problem('DATABASE_MANAGED_IDENTITY_CLIENT_ID', 'is used only with DATABASE_AUTH=entra');
    }
    if (env.MICROSOFT_APP_CERT_PEM !== undefined) {
      // loadEnvironmentConfig (bot/certificate.ts) turns it into a key file before this runs.
      problem(
        'MICROSOFT_APP_CERT_PEM',
        'must be written to a key file first: read the environment with loadEnvironmentConfig',
      );
    }
    if (env.DATABASE_AUTH === 'entra') {
      const url = env.DATABASE_URL === undefined ? undefined : parseUrl(env.DATABASE_URL);
      if (url !== undefined && url.password !== '') {
        problem(
          'DATABASE_URL',
          'must not carry a password when DATABASE_AUTH=entra (the password is an access token)',
        );
      }
    }

    if (production) {
      if (env.BUSINESS_UNIT_TEAM_ID === undefined)
        problem('BUSINESS_UNIT_TEAM_ID', 'is required in production');
      if (env.BUSINESS_UNIT_CHANNEL_ID === undefined)
        problem('BUSINESS_UNIT_CHANNEL_ID', 'is required in production');
      if (officerEntries(env.BUSINESS_UNIT_USERS).length === 0) {
        problem('BUSINESS_UNIT_USERS', 'is required in production: name at least one business-unit officer');
      }
      // Without them the first review meeting cannot be booked or its quorum confirmed.
      if (env.REVIEW_CHAIR_EMAIL === undefined) problem('REVIEW_CHAIR_EMAIL', 'is required in production');
      if (env.MEETING_ORGANIZER === undefined) problem('MEETING_ORGANIZER', 'is required in production');
      if (env.TEAMS_APP_ID === undefined) problem('TEAMS_APP_ID', 'is required in production');
      if (env.DATA_ENCRYPTION_KEYS === undefined) {
        problem('DATA_ENCRYPTION_KEYS', 'is required in production: subject details are encrypted at rest');
      } else if (
        env.DATA_ENCRYPTION_KEYS.split(',').some((e) => e.trim().startsWith(`${developmentKeyId}:`))
      ) {
        problem(
          'DATA_ENCRYPTION_KEYS',
          `must not hold the public development key '${developmentKeyId}' in production`,
        );
      }
    }
  });

type RawEnv = z.infer<typeof configSchema>;

const secretNames = new Set(configVariables.filter((v) => v.secret).map((v) => v.name));

function describeIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): string {
  const variable = String(issue.path[0] ?? 'environment');
  const raw = env[variable];
  const shown =
    typeof raw === 'string' && raw.trim() !== '' && !secretNames.has(variable)
      ? ` (got '${raw.length > 80 ? `${raw.slice(0, 77)}...` : raw}')`
      : '';
  return `${variable} ${issue.message}${shown}`;
}

function identityOf(env: RawEnv): BotIdentity | undefined {
  if (env.MICROSOFT_APP_ID === undefined || env.MICROSOFT_APP_TENANT_ID === undefined) return undefined;
  const credential: BotCredential | undefined =
    env.MICROSOFT_APP_PASSWORD !== undefined
      ? { kind: 'secret', password: env.MICROSOFT_APP_PASSWORD }
      : env.MICROSOFT_APP_CERT_THUMBPRINT !== undefined && env.MICROSOFT_APP_CERT_KEY_FILE !== undefined
        ? {
            kind: 'certificate',
            thumbprint: env.MICROSOFT_APP_CERT_THUMBPRINT.toUpperCase(),
            keyFile: env.MICROSOFT_APP_CERT_KEY_FILE,
          }
        : env.MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID !== undefined
          ? { kind: 'managed-identity', clientId: env.MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID.toLowerCase() }
          : undefined;
  if (credential === undefined) return undefined;
  return {
    appId: env.MICROSOFT_APP_ID.toLowerCase(),
    tenantId: env.MICROSOFT_APP_TENANT_ID.toLowerCase(),
    appType: 'SingleTenant',
    credential,
  };
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // Cross-variable rules also run on values that failed their own format rule; one line per variable
    // is enough to act on.
    const seen = new Set<string>();
    const firstPerVariable = parsed.error.issues.filter((issue) => {
      const variable = String(issue.path[0]);
      if (seen.has(variable)) return false;
      seen.add(variable);
      return true;
    });
    throw new ConfigError(firstPerVariable.map((issue) => describeIssue(issue, env)));
  }
  const raw = parsed.data;
  const mode: RunMode = raw.RR_MODE ?? 'production';
  const local = mode === 'local';
  const identity = identityOf(raw);
  const officers = officerEntries(raw.BUSINESS_UNIT_USERS);

  const businessUnitChannelId = raw.BUSINESS_UNIT_CHANNEL_ID;
  const chair =
    raw.REVIEW_CHAIR_EMAIL === undefined
      ? undefined
      : {
          name: raw.REVIEW_CHAIR_NAME ?? raw.REVIEW_CHAIR_EMAIL,
          email: raw.REVIEW_CHAIR_EMAIL.toLowerCase(),
        };
  const shared: SharedConfig = {
    nodeEnv: raw.NODE_ENV ?? (local ? 'development' : 'production'),
    server: { host: raw.HOST ?? (local ? '127.0.0.1' : '0.0.0.0'), port: Number(raw.PORT ?? 3978) },
    graph: {
      baseUrl: (raw.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, ''),
      credential: identity?.credential.kind ?? 'none',
      requestTimeoutMs: Number(raw.GRAPH_REQUEST_TIMEOUT_SECONDS ?? 30) * 1000,
    },
    store:
      (raw.STORE ?? 'sqlite') === 'postgres'
        ? {
            kind: 'postgres',
            url: raw.DATABASE_URL ?? '',
            ssl: (raw.DATABASE_SSL ?? (local ? 'false' : 'true')) === 'true',
            auth: raw.DATABASE_AUTH ?? 'password',
            ...(raw.DATABASE_MANAGED_IDENTITY_CLIENT_ID !== undefined && {
              managedIdentityClientId: raw.DATABASE_MANAGED_IDENTITY_CLIENT_ID.toLowerCase(),
            }),
            ...(raw.DATA_ENCRYPTION_KEYS !== undefined && { dataKeys: raw.DATA_ENCRYPTION_KEYS }),
          }
        : {
            kind: 'sqlite',
            path: raw.SQLITE_PATH ?? './data/rapid-review.db',
            ...(raw.DATA_ENCRYPTION_KEYS !== undefined && { dataKeys: raw.DATA_ENCRYPTION_KEYS }),
          },
    ...(raw.PROFILES_DIR !== undefined && { profilesDir: raw.PROFILES_DIR }),
    ...(raw.ALERT_HOUR !== undefined && { alertHour: Number(raw.ALERT_HOUR) }),
    settings: {
      teamId: raw.BUSINESS_UNIT_TEAM_ID?.toLowerCase() ?? '',
      ...(businessUnitChannelId !== undefined && { businessUnitChannelId }),
      defaultProfileId: raw.PROFILE ?? 'england',
      businessUnit: {
        aadObjectIds: officers.filter((entry) => GUID.test(entry)).map((entry) => entry.toLowerCase()),
        emails: officers.filter((entry) => !GUID.test(entry)).map((entry) => entry.toLowerCase()),
      },
      ...(chair !== undefined && { chair }),
      ...(raw.MEETING_ORGANIZER !== undefined && { meetingOrganizer: raw.MEETING_ORGANIZER }),
      ...(raw.TEAMS_APP_ID !== undefined && { teamsAppId: raw.TEAMS_APP_ID }),
      ...(raw.NOTICE_CHANNELS !== undefined && { noticeChannels: noticeChannelsOf(raw.NOTICE_CHANNELS) }),
      reportsDir: raw.REPORTS_DIR ?? './data/reports',
    },
    logLevel: raw.LOG_LEVEL ?? 'info',
  };

  if (local) {
    const servedTenantIds = raw.LOCAL_TENANT_IDS?.split(',').map((entry) => entry.trim().toLowerCase());
    return {
      ...shared,
      mode,
      ...(identity !== undefined && { identity }),
      ...(servedTenantIds !== undefined && { servedTenantIds }),
    };
  }

  const { settings } = shared;
  const { meetingOrganizer, teamsAppId } = settings;
  if (
    identity === undefined ||
    settings.teamId === '' ||
    businessUnitChannelId === undefined ||
    chair === undefined ||
    meetingOrganizer === undefined ||
    teamsAppId === undefined
  ) {
    // The schema's production rules make this unreachable; the check keeps the types honest.
    throw new ConfigError(['production settings are incomplete']);
  }
  return {
    ...shared,
    mode,
    identity,
    graph: { ...shared.graph, credential: identity.credential.kind },
    settings: { ...settings, businessUnitChannelId, chair, meetingOrganizer, teamsAppId },
  };
}
