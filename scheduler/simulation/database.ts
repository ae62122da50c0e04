/**
 * A throw-away database for the simulation, the outbox contract tests and the alert benchmark: a
 * temp SQLite file, or a fresh schema at a PostgreSQL URL. Each `connect()` is what one bot instance
 * opens: its own SQLite connection to the shared file, or its own PostgreSQL pool.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openPostgresStore } from '../../review/postgresStore';
import { openSqliteStore } from '../../review/sqliteStore';
import type { ReviewStore } from '../../review/store';
import type { AlertOutbox } from '../outbox';
import { PostgresOutbox } from '../postgresOutbox';
import { openSqliteOutbox } from '../sqliteOutbox';

export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export type StoreKind = 'sqlite' | 'postgres';

export interface InstanceConnection {
  store: ReviewStore;
  outbox: AlertOutbox;
  close(): Promise<void>;
}

export interface ScratchDatabase {
  kind: StoreKind;
  /** Where it lives, for a summary (a temp file, or the schema name; never a password). */
  where: string;
  connect(): Promise<InstanceConnection>;
  /** Closes every connection opened through it and removes the database. */
  cleanup(): Promise<void>;
}

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/** One clear line when PostgreSQL cannot be reached, instead of a timeout deep inside a run. */
/** Drops a throw-away schema (a test's or a simulation's) with everything in it. */
export async function dropScratchSchema(url: string, schema: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
}

export async function assertPostgresReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL is not reachable at ${redacted(url)} (${reason}): start a server or set DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function openScratchDatabase(
  kind: StoreKind,
  options: { databaseUrl?: string; poolSize?: number } = {},
): Promise<ScratchDatabase> {
  const opened: InstanceConnection[] = [];
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rr-alerts-'));
    const path = join(dir, 'reviews.db');
    const first = openSqliteStore({ path });
    await first.migrate();
    await first.close();
    return {
      kind,
      where: path,
      connect: async () => {
        const store = openSqliteStore({ path });
        const outbox = openSqliteOutbox({ database: store.database });
        let closed = false;
        const connection: InstanceConnection = {
          store,
          outbox,
          close: async () => {
            if (closed) return;
            closed = true;
            await outbox.close();
            await store.close();
          },
        };
        opened.push(connection);
        return connection;
      },
      cleanup: async () => {
        await Promise.all(opened.map((c) => c.close()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = options.databaseUrl ?? process.env.DATABASE_URL ?? defaultDatabaseUrl;
  await assertPostgresReachable(url);
  const schema = `rr_alerts_${randomBytes(6).toString('hex')}`;
  const first = await openPostgresStore({ connectionString: url, schema, poolSize: 1 });
  await first.migrate();
  await first.close();
  return {
    kind,
    where: `schema ${schema}`,
    connect: async () => {
      const store = await openPostgresStore({
        connectionString: url,
        schema,
        poolSize: options.poolSize ?? 4,
      });
      const outbox = new PostgresOutbox(store.pool);
      let closed = false;
      const connection: InstanceConnection = {
        store,
        outbox,
        close: async () => {
          if (closed) return;
          closed = true;
          await store.close();
        },
      };
      opened.push(connection);
      return connection;
    },
    cleanup: async () => {
      await Promise.all(opened.map((c) => c.close()));
      await dropScratchSchema(url, schema);
    },
  };
}
