/**
 * Versioned migrations on both stores: applied once, in order, all-or-nothing, by however many
 * instances start together — and a later migration (the alert outbox will be number 2) lands on a
 * database already in use without touching its reviews.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleReview } from '../test/fixtures/sampleReview';
import { assertPostgresReachable, databaseUrl } from '../test/storeContract';
import { latestSchemaVersion, migrations, pendingMigrations, type Migration } from './migrations';
import { openPostgresStore, type PostgresStore } from './postgresStore';
import { openSqliteStore, type SqliteStore } from './sqliteStore';
import type { ReviewStore } from './store';
import { developmentCipher } from './fieldCipher';
import { recordTeamspace, scopingCardOf, teamsUserIdsOf } from './lifecycle';
import type { Review } from './model';
import { sealReview } from './sealedReview';
import { dropScratchSchema } from '../scheduler/simulation/database';

const outbox: Migration = {
  id: 2,
  name: 'alert outbox (test double)',
  sql: {
    sqlite: 'CREATE TABLE alert_outbox (key TEXT PRIMARY KEY, review_id TEXT NOT NULL) STRICT;',
    postgres: 'CREATE TABLE alert_outbox (key text PRIMARY KEY, review_id text NOT NULL);',
  },
};

/** A migration released after this build's, for the backend tests below. */
const later: Migration = {
  id: latestSchemaVersion() + 1,
  name: 'a later migration (test double)',
  sql: {
    sqlite: 'CREATE TABLE later_table (key TEXT PRIMARY KEY, review_id TEXT NOT NULL) STRICT;',
    postgres: 'CREATE TABLE later_table (key text PRIMARY KEY, review_id text NOT NULL);',
  },
};

const broken: Migration = {
  id: latestSchemaVersion() + 1,
  name: 'half valid',
  sql: {
    sqlite: 'CREATE TABLE later_table (key TEXT PRIMARY KEY) STRICT; CREATE TABLE reviews (id TEXT);',
    postgres: 'CREATE TABLE later_table (key text PRIMARY KEY); CREATE TABLE reviews (id text);',
  },
};

describe('pendingMigrations', () => {
  const one = migrations[0] as Migration;

  it('lists the migrations a database has not recorded, in order', () => {
    expect(pendingMigrations([one, outbox], []).map((m) => m.id)).toEqual([1, 2]);
    expect(pendingMigrations([one, outbox], [1]).map((m) => m.id)).toEqual([2]);
    expect(pendingMigrations([one, outbox], [1, 2])).toEqual([]);
  });

  it('refuses a list whose ids do not increase', () => {
    expect(() => pendingMigrations([outbox, one], [])).toThrow('migration 1 is listed after 2');
    expect(() => pendingMigrations([one, { ...outbox, id: 1 }], [])).toThrow('ids must increase');
  });

  it('refuses a database that has a migration this build does not know', () => {
    expect(() => pendingMigrations([one], [1, 2])).toThrow(/migration\(s\) 2 applied.*knows up to 1/);
  });
});

interface Backend {
  /** Opens a store on the test database without migrating it. */
  open(list?: readonly Migration[]): Promise<ReviewStore>;
  tableExists(name: string): Promise<boolean>;
  ledger(): Promise<number[]>;
  /** Runs SQL on the database directly (to write rows as an older release did). */
  exec(sql: string): Promise<void>;
  /** Reads rows straight from the database. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-migrate-'));
  const path = join(dir, 'reviews.db');
  const opened: SqliteStore[] = [];
  const inspector = openSqliteStore({ path });
  opened.push(inspector);
  return {
    open: async (list) => {
      const store = openSqliteStore({ path, ...(list ? { migrations: list } : {}) });
      opened.push(store);
      return store;
    },
    tableExists: async (name) =>
      inspector.database
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(name) !== undefined,
    ledger: async () =>
      inspector.database
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .all()
        .map((row) => (row as { version: number }).version),
    exec: async (sql) => {
      try {
        inspector.database.exec(sql);
      } catch (error) {
        // This realm's Error: the addon's error class belongs to whichever jest registry loaded it.
        throw new Error((error as { message?: unknown }).message as string);
      }
    },
    query: async (sql) => inspector.database.prepare(sql).all() as Record<string, unknown>[],
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const url = databaseUrl();
  const schema = `rr_test_${randomBytes(6).toString('hex')}`;
  const opened: PostgresStore[] = [];
  const open = async (list?: readonly Migration[]) => {
    const store = await openPostgresStore({
      connectionString: url,
      schema,
      poolSize: 2,
      ...(list ? { migrations: list } : {}),
    });
    opened.push(store);
    return store;
  };
  const inspector = await open();
  return {
    open,
    tableExists: async (name) =>
      (
        await inspector.pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
          `"${schema}".${name}`,
        ])
      ).rows[0]?.present === true,
    ledger: async () =>
      (
        await inspector.pool.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        )
      ).rows.map((row) => row.version),
    exec: async (sql) => {
      await inspector.pool.query(sql);
    },
    query: async (sql) => (await inspector.pool.query<Record<string, unknown>>(sql)).rows,
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await dropScratchSchema(url, schema);
    },
  };
}

function describeMigrations(name: string, make: () => Promise<Backend>): void {
  describe(`migrate() on ${name}`, () => {
    let backend: Backend;

    beforeEach(async () => {
      backend = await make();
    });

    afterEach(async () => {
      await backend?.cleanup();
    });

    it('starts a fresh database at version 0 and brings it to the latest', async () => {
      const store = await backend.open();
      expect(await store.schemaVersion()).toBe(0);

      await store.migrate();

      expect(await store.schemaVersion()).toBe(latestSchemaVersion());
      expect(await backend.ledger()).toEqual(migrations.map((m) => m.id));
      for (const table of ['reviews', 'audit_events', 'reference_counters']) {
        expect(await backend.tableExists(table)).toBe(true);
      }
    });

    it('applies each migration once when several instances start together', async () => {
      const instances = await Promise.all([backend.open(), backend.open(), backend.open()]);

      await Promise.all(instances.map((store) => store.migrate()));

      expect(await backend.ledger()).toEqual(migrations.map((m) => m.id));
      expect(await (instances[0] as ReviewStore).schemaVersion()).toBe(latestSchemaVersion());
    });

    it('adds a later migration to a database in use, keeping its reviews', async () => {
      const before = await backend.open();
      await before.migrate();
      const review = sampleReview();
      await before.createReview(review, []);

      const after = await backend.open([...migrations, later]);
      await after.migrate();

      expect(await after.schemaVersion()).toBe(later.id);
      expect(await backend.ledger()).toEqual([...migrations.map((m) => m.id), later.id]);
      expect(await backend.tableExists('later_table')).toBe(true);
      expect(await after.getReview(review.id)).toEqual({ ...review, version: 1 });
    });

    it('chains the audit lines an older release wrote, in order, when migration 3 is applied', async () => {
      const [first, second] = migrations;
      const older = await backend.open([first as Migration, second as Migration]);
      await older.migrate();
      await backend.exec(
        `INSERT INTO audit_events (review_id, at, actor, action, detail) VALUES
           ('r1', '2026-03-05T10:00:00.000Z', '{"name":"Officer","aadObjectId":"a1"}', 'review.opened', NULL),
           ('r1', '2026-03-05T10:01:00.000Z', '{"system":"upkeep"}', 'card.posted', '{"agency":"police","n":2}'),
           ('r2', '2026-03-06T09:00:00.000Z', '{"name":"Officer"}', 'outsider.refused', '{"reason":"not a member"}')`,
      );

      const current = await backend.open();
      await current.migrate();

      expect(await current.verifyAuditChain()).toEqual({
        lines: 3,
        head: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      await current.appendAudit([
        {
          reviewId: 'r1',
          at: '2026-03-07T09:00:00.000Z',
          actor: { system: 'upkeep' },
          action: 'review.closed',
        },
      ]);
      expect(await current.verifyAuditChain()).toEqual({ lines: 4, head: expect.any(String) });
      expect((await current.auditTrail('r1')).map((e) => e.action)).toEqual([
        'review.opened',
        'card.posted',
        'review.closed',
      ]);
      // Once chained, a line is as unchangeable as before.
      await expect(
        backend.exec(`UPDATE audit_events SET action = 'x' WHERE review_id = 'r2'`),
      ).rejects.toThrow(/append-only/);
    });

    it('moves every scoping return out of its review document into its own row when migration 6 is applied', async () => {
      const older = await backend.open(migrations.filter((m) => m.id < 6));
      await older.migrate();
      const base = sampleReview();
      const review = sampleReview({
        scopingReturns: base.scopingReturns.map((entry, index) =>
          index === 1
            ? {
                ...entry,
                status: 'submitted',
                revision: 3,
                submittedAt: '2026-03-06T14:30:00.000Z',
                answers: {
                  involvement: 'yes',
                  natureOfInvolvement: 'Seen at the walk-in centre',
                  recordsSecured: true,
                  alertAdded: false,
                  staffInformed: true,
                  seniorLeadersSighted: false,
                },
              }
            : entry,
        ),
      });
      // As the older release stored it: one document, the returns inside it, the answers sealed.
      const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
      const doc = JSON.stringify(sealReview({ ...review, version: 4 }, developmentCipher()));
      expect(doc).toContain('scopingReturns');
      await backend.exec(
        `INSERT INTO reviews (id, reference, state, profile_id, channel_id, open, doc, version)
         VALUES (${quote(review.id)}, ${quote(review.reference)}, ${quote(review.state)},
           ${quote(review.profileId)}, NULL, 1 = 1, ${quote(doc)}, 4)`,
      );

      const current = await backend.open();
      await current.migrate();

      expect(await current.getReview(review.id)).toEqual({ ...review, version: 4 });
      const [stored] = await backend.query(`SELECT doc FROM reviews WHERE id = ${quote(review.id)}`);
      const storedDoc = typeof stored?.doc === 'string' ? stored.doc : JSON.stringify(stored?.doc);
      expect(storedDoc).not.toContain('scopingReturns');
      const rows = await backend.query(
        `SELECT agency_id, position, status, revision FROM scoping_returns
         WHERE review_id = ${quote(review.id)} ORDER BY position`,
      );
      expect(rows.map((row) => ({ ...row, position: Number(row.position) }))).toEqual(
        review.scopingReturns.map((entry, position) => ({
          agency_id: entry.agencyId,
          position,
          status: entry.status,
          revision: entry.revision,
        })),
      );
      const text = JSON.stringify(await backend.query('SELECT doc FROM scoping_returns'));
      expect(text).not.toContain('walk-in centre');
      // Saved alone afterwards, on the migrated row.
      const agencyId = review.scopingReturns[1]?.agencyId ?? '';
      const outcome = await current.updateScopingReturn(review.id, agencyId, (found) => ({
        ok: true,
        review: {
          ...found,
          scopingReturns: found.scopingReturns.map((entry) => ({ ...entry, revision: entry.revision + 1 })),
        },
        audit: [],
      }));
      expect(outcome.ok).toBe(true);
      expect((await current.getReview(review.id))?.scopingReturns[1]).toMatchObject({
        revision: 4,
        answers: { natureOfInvolvement: 'Seen at the walk-in centre' },
      });
    });

    it("turns a review's Teams records keyed by id into lists when migration 8 is applied", async () => {
      const older = await backend.open(migrations.filter((m) => m.id < 8));
      await older.migrate();
      const review = sampleReview();
      const [first, second] = review.agencies;
      const reference = (n: number) => ({ conversation: { id: `19:c@thread.tacv2;messageid=${n}` } });
      // As the older release stored it: the cards by agency id (one agency called "constructor"), the
      // Teams user ids by member key.
      const doc = JSON.parse(JSON.stringify(sealReview({ ...review, version: 2 }, developmentCipher())));
      doc.teamspace.scopingCards = {
        [first?.id ?? 'la']: { conversationReference: reference(1), activityId: '1700000000001' },
        constructor: { conversationReference: reference(2), activityId: '1700000000002' },
      };
      doc.teamspace.teamsUserIds = {
        'rep@police.example': '29:rep',
        '00000000-0000-4000-8000-000000000001': '29:bu',
      };
      const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
      await backend.exec(
        `INSERT INTO reviews (id, reference, state, profile_id, channel_id, open, doc, version)
         VALUES (${quote(review.id)}, ${quote(review.reference)}, ${quote(review.state)},
           ${quote(review.profileId)}, NULL, 1 = 1, ${quote(JSON.stringify(doc))}, 2)`,
      );
      // A review saved without any Teams records yet is left as it is.
      const fresh = sampleReview({ id: 'review-fresh', reference: 'RR-2026-777' });
      await older.createReview(fresh, []);

      const current = await backend.open();
      await current.migrate();

      const migrated = await current.getReview(review.id);
      expect(migrated?.version).toBe(4);
      expect(
        [...(migrated?.teamspace.scopingCards ?? [])].sort((a, b) => a.agencyId.localeCompare(b.agencyId)),
      ).toEqual(
        [
          { agencyId: first?.id, conversationReference: reference(1), activityId: '1700000000001' },
          { agencyId: 'constructor', conversationReference: reference(2), activityId: '1700000000002' },
        ].sort((a, b) => String(a.agencyId).localeCompare(String(b.agencyId))),
      );
      expect(scopingCardOf(migrated as Review, 'constructor')?.activityId).toBe('1700000000002');
      expect(teamsUserIdsOf(migrated as Review)).toEqual(
        new Map([
          ['rep@police.example', '29:rep'],
          ['00000000-0000-4000-8000-000000000001', '29:bu'],
        ]),
      );
      expect(second).toBeDefined();
      expect(await current.getReview(fresh.id)).toEqual({ ...fresh, version: 1 });
      // The migrated review is saved like any other afterwards.
      const saved = await current.updateReview(review.id, (found) =>
        recordTeamspace(
          found,
          {
            scopingCards: [
              { agencyId: second?.id ?? 'police', conversationReference: reference(3), activityId: '3' },
            ],
          },
          '2026-03-06T14:30:00.000Z',
          'scoping-request.posted',
        ),
      );
      expect(saved.ok && saved.review.teamspace.scopingCards.map((card) => card.agencyId).sort()).toEqual(
        [first?.id, second?.id, 'constructor'].sort(),
      );
    });

    it('leaves no trace of a migration that fails part-way', async () => {
      const before = await backend.open();
      await before.migrate();

      const failing = await backend.open([...migrations, broken]);
      await expect(failing.migrate()).rejects.toThrow(/reviews/);

      expect(await failing.schemaVersion()).toBe(latestSchemaVersion());
      expect(await backend.tableExists('later_table')).toBe(false);
    });

    it('refuses to run older code against a database a newer release migrated', async () => {
      const newer = await backend.open([...migrations, later]);
      await newer.migrate();

      const older = await backend.open();
      await expect(older.migrate()).rejects.toThrow(`migration(s) ${later.id} applied`);
    });
  });
}

describeMigrations('SQLite', sqliteBackend);

if (process.env.RR_SKIP_POSTGRES === '1') {
  describe.skip('migrate() on PostgreSQL (skipped: RR_SKIP_POSTGRES=1)', () => {
    it('runs only with a PostgreSQL server', () => undefined);
  });
} else {
  describe('PostgreSQL', () => {
    beforeAll(async () => {
      await assertPostgresReachable();
    });
    describeMigrations('PostgreSQL', postgresBackend);
  });
}
