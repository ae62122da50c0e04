/**
 * openStore hands back a store that is ready to use: opened on the configured backend and migrated.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { assertPostgresReachable, databaseUrl } from '../test/storeContract';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { entraPassword, postgresEntraScope } from './databaseToken';
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

  postgres(
    'with DATABASE_AUTH=entra, signs in with an Entra token for PostgreSQL as the password',
    async () => {
      await assertPostgresReachable();
      // The local server trusts 127.0.0.1, so it ignores the password: what is asserted is that the
      // pool asked the credential for a PostgreSQL token on connecting, and the store works.
      const schema = `rr_test_${randomBytes(6).toString('hex')}`;
      const admin = new Client({ connectionString: databaseUrl() });
      await admin.connect();
      const scopes: string[][] = [];
      const credential: TokenCredential = {
        getToken: async (scope) => {
          scopes.push([scope].flat());
          return { token: 'entra-token', expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      };
      try {
        await admin.query(`CREATE SCHEMA "${schema}"`);
        const url = new URL(databaseUrl());
        url.password = '';
        url.searchParams.set('options', `-c search_path=${schema}`);
        const store = await openStore(
          { kind: 'postgres', url: url.toString(), ssl: false, auth: 'entra' },
          { credential },
        );
        try {
          expect(await store.schemaVersion()).toBe(latestSchemaVersion());
          expect(await store.nextReference(2026)).toBe('RR-2026-001');
          expect(scopes.length).toBeGreaterThan(0);
          expect(scopes.every((s) => s.length === 1 && s[0] === postgresEntraScope)).toBe(true);
        } finally {
          await store.close();
        }
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      }
    },
  );
});

describe('entraPassword', () => {
  function countingCredential(lifetimeMs: number, now: () => number) {
    let issued = 0;
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => {
        issued += 1;
        return { token: `token-${issued}`, expiresOnTimestamp: now() + lifetimeMs };
      },
    };
    return { credential, issued: () => issued };
  }

  it('reuses a token until shortly before it expires, then fetches a new one', async () => {
    let clock = 0;
    const now = () => clock;
    const source = countingCredential(60 * 60 * 1000, now);
    const password = entraPassword(source.credential, now);
    expect(await password()).toBe('token-1');
    clock = 50 * 60 * 1000;
    expect(await password()).toBe('token-1');
    clock = 56 * 60 * 1000; // within five minutes of expiry
    expect(await password()).toBe('token-2');
    expect(source.issued()).toBe(2);
  });

  it('asks once when several connections open together', async () => {
    const source = countingCredential(3_600_000, Date.now);
    const password = entraPassword(source.credential);
    expect(await Promise.all([password(), password(), password()])).toEqual([
      'token-1',
      'token-1',
      'token-1',
    ]);
    expect(source.issued()).toBe(1);
  });

  it('refuses when no token is issued', async () => {
    const password = entraPassword({ getToken: async () => null });
    await expect(password()).rejects.toThrow(/no Microsoft Entra token/);
  });
});
