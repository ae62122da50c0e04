/**
 * Opens the configured store and brings its schema up to date, so callers never see a store whose
 * tables are missing or older than the code.
 *
 * `StoreConfig` is the one shape of the store settings, from the environment (bot/config.ts parses
 * into it) to here: nothing is re-mapped on the way, so a setting cannot be validated and then lost.
 */
import type { TokenCredential } from '@azure/identity';
import { databaseCredential, entraPassword } from './databaseToken';
import { developmentCipher, parseDataKeys } from './fieldCipher';
import { openPostgresStore } from './postgresStore';
import { openSqliteStore } from './sqliteStore';
import type { ReviewStore } from './store';

export type StoreConfig =
  | { kind: 'sqlite'; path: string; dataKeys?: string }
  | {
      kind: 'postgres';
      /** DATA_ENCRYPTION_KEYS; the public development key when absent (production config requires it). */
      dataKeys?: string;
      url: string;
      ssl: boolean;
      /** 'entra': the connection password is a Microsoft Entra access token; no password in the URL. */
      auth: 'password' | 'entra';
      /** With 'entra': the user-assigned managed identity that signs in; else DefaultAzureCredential. */
      managedIdentityClientId?: string;
    };

export interface OpenStorePorts {
  /** Where Entra tokens come from when auth is 'entra'; default: databaseCredential(managedIdentityClientId). */
  credential?: TokenCredential;
}

/** The older option shape, still used by scripts that open a SQLite file directly. */
export interface OpenStoreOptions {
  store: 'sqlite' | 'postgres';
  sqlitePath?: string;
  databaseUrl?: string;
  databaseSsl?: boolean;
  databasePassword?: () => Promise<string>;
}

export async function openStore(
  config: StoreConfig | OpenStoreOptions,
  ports: OpenStorePorts = {},
): Promise<ReviewStore> {
  let store: ReviewStore;
  if ('store' in config) {
    store = await openLegacy(config);
  } else if (config.kind === 'postgres') {
    const cipher = config.dataKeys === undefined ? developmentCipher() : parseDataKeys(config.dataKeys);
    if (!config.url) throw new Error("databaseUrl: is required when store is 'postgres'");
    const password =
      config.auth === 'entra'
        ? entraPassword(ports.credential ?? databaseCredential(config.managedIdentityClientId))
        : undefined;
    // Ask once now: a missing identity or role assignment then names itself at start-up instead of
    // surfacing later as a failed connection.
    if (password !== undefined) await password().catch(explainTokenFailure);
    store = await openPostgresStore({
      connectionString: config.url,
      ssl: config.ssl,
      cipher,
      ...(password === undefined ? {} : { password }),
    });
  } else {
    const cipher = config.dataKeys === undefined ? developmentCipher() : parseDataKeys(config.dataKeys);
    store = openSqliteStore({ path: config.path, cipher });
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openLegacy(options: OpenStoreOptions): Promise<ReviewStore> {
  if (options.store === 'postgres') {
    if (!options.databaseUrl) throw new Error("databaseUrl: is required when store is 'postgres'");
    return openPostgresStore({
      connectionString: options.databaseUrl,
      ...(options.databaseSsl === undefined ? {} : { ssl: options.databaseSsl }),
      ...(options.databasePassword === undefined ? {} : { password: options.databasePassword }),
    });
  }
  return openSqliteStore(options.sqlitePath === undefined ? {} : { path: options.sqlitePath });
}

function explainTokenFailure(error: unknown): never {
  throw new Error(
    `DATABASE_AUTH=entra: no Microsoft Entra token for PostgreSQL (${(error as Error).message}); check the managed identity and DATABASE_MANAGED_IDENTITY_CLIENT_ID`,
  );
}
