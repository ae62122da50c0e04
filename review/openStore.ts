/**
 * Opens the configured store and brings its schema up to date, so callers never see a store whose
 * tables are missing or older than the code.
 */
import { openPostgresStore } from './postgresStore';
import { openSqliteStore } from './sqliteStore';
import type { ReviewStore } from './store';

export interface OpenStoreOptions {
  store: 'sqlite' | 'postgres';
  /** SQLite file; default './data/rapid-review.db'. */
  sqlitePath?: string;
  /** Required when store is 'postgres'. */
  databaseUrl?: string;
  databaseSsl?: boolean;
  /** PostgreSQL password asked for on each new connection (e.g. an Entra access token). */
  databasePassword?: () => Promise<string>;
}

export async function openStore(options: OpenStoreOptions): Promise<ReviewStore> {
  let store: ReviewStore;
  if (options.store === 'postgres') {
    if (!options.databaseUrl) throw new Error("databaseUrl: is required when store is 'postgres'");
    store = await openPostgresStore({
      connectionString: options.databaseUrl,
      ...(options.databaseSsl === undefined ? {} : { ssl: options.databaseSsl }),
      ...(options.databasePassword === undefined ? {} : { password: options.databasePassword }),
    });
  } else {
    store = openSqliteStore(options.sqlitePath === undefined ? {} : { path: options.sqlitePath });
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
