/**
 * openStore hands back a store that is ready to use: opened on the configured backend and migrated.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { assertPostgresReachable, databaseUrl } from '../test/storeContract';
import { latestSchemaVersion } from './migrations';
import { openStore } from './openStore';

describe('openStore', () => {
  it('opens a migrated SQLite store at the configured path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-open-'));
    try {
      const store = await openStore({ store: 'sqlite', sqlitePath: join(dir, 'data', 'reviews.db') });
      try {
        expect(store.kind).toBe('sqlite');
        expect(await store.schemaVersion()).toBe(latestSchemaVersion());
        expect(await store.nextReference(2026)).toBe('RR-2026-001');
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses PostgreSQL without a database URL, naming the missing setting', async () => {
    await expect(openStore({ store: 'postgres' })).rejects.toThrow(/^databaseUrl: is required/);
  });

  const postgres = process.env.RR_SKIP_POSTGRES === '1' ? it.skip : it;

  postgres('opens a migrated PostgreSQL store at the database URL', async () => {
    await assertPostgresReachable();
    // The URL's own search_path keeps this test out of the shared database's public schema.
    const schema = `rr_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: databaseUrl() });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const url = new URL(databaseUrl());
      url.searchParams.set('options', `-c search_path=${schema}`);
      const store = await openStore({ store: 'postgres', databaseUrl: url.toString(), databaseSsl: false });
      try {
        expect(store.kind).toBe('postgres');
        expect(await store.schemaVersion()).toBe(latestSchemaVersion());
        expect(await store.nextReference(2026)).toBe('RR-2026-001');
        const { rows } = await admin.query(
          'SELECT 1 FROM information_schema.tables WHERE table_schema = $1',
          [schema],
        );
        expect(rows.length).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  });
});
