/**
 * The one contract every ReviewStore keeps, run against each implementation by
 * test/store.contract.test.ts. It talks to the store through the port only, except where the promise
 * is about the database itself (the audit trail refuses raw UPDATE/DELETE; references grow past 999).
 *
 * The harness openers below are shared with the benchmark, which is why this module calls no jest
 * function until `describeStoreContract` runs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AuditEvent, Person, Review, ScopingReturn, ScopingReturnAnswers } from '../review/model';
import { disposeDueReviews, reviewsDueForDisposal } from '../review/disposal';
import { FieldCipher, TamperedCiphertextError } from '../review/fieldCipher';
import { directoryAuditId, directoryOf, removeDirectoryAgency, replaceDirectory } from '../review/directory';
import { latestSchemaVersion } from '../review/migrations';
import { openPostgresStore, type PostgresStore } from '../review/postgresStore';
import { openSqliteStore, type SqliteStore } from '../review/sqliteStore';
import {
  DuplicateReferenceError,
  ReviewNotFoundError,
  type ChangeResult,
  type ReviewStore,
} from '../review/store';
import { sampleReview } from './fixtures/sampleReview';
import { dropScratchSchema } from '../scheduler/simulation/database';

export interface StoreHarness {
  /** Migrated and ready. */
  store: ReviewStore;
  /**
   * A second, independent connection (pool, or SQLite connection) to the same database; with its own
   * key ring when given (the harness's store uses `testCipher`).
   */
  openSecond: (cipher?: FieldCipher) => Promise<ReviewStore>;
  /** Runs SQL straight on the database, bypassing the store (to prove what the database itself refuses). */
  execRaw: (sql: string) => Promise<void>;
  /** Reads rows straight from the database, every value as text (what someone with the file would see). */
  queryRaw: (sql: string) => Promise<Record<string, string | null>[]>;
  /** Closes every store opened through the harness and removes the database. */
  cleanup: () => Promise<void>;
}

/** Key 'A' of the tests: what the harness's stores seal with unless a test gives another ring. */
export const testCipher = new FieldCipher([['key-a', Buffer.alloc(32, 0xa1)]]);

export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? defaultDatabaseUrl;
}

/** A SQLite file of its own in the OS temp folder, so a second connection is a real second connection. */
export async function openSqliteHarness(): Promise<StoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'rr-store-'));
  const path = join(dir, 'reviews.db');
  const opened: SqliteStore[] = [];
  const open = async (cipher: FieldCipher = testCipher): Promise<SqliteStore> => {
    const store = openSqliteStore({ path, cipher });
    opened.push(store);
    await store.migrate();
    return store;
  };
  const store = await open();
  return {
    store,
    openSecond: open,
    queryRaw: async (sql) => (store.database.prepare(sql).all() as Record<string, unknown>[]).map(asText),
    execRaw: async (sql) => {
      try {
        store.database.exec(sql);
      } catch (error) {
        // Re-thrown as this realm's Error: better-sqlite3's native error class belongs to whichever
        // jest module registry loaded the addon first, and jest's matchers would not recognise it.
        throw new Error(
          typeof error === 'object' && error !== null && 'message' in error
            ? String(error.message)
            : String(error),
        );
      }
    },
    cleanup: async () => {
      await Promise.all(opened.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function asText(row: Record<string, unknown>): Record<string, string | null> {
  const out: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      value === null || value === undefined
        ? null
        : typeof value === 'string'
          ? value
          : value instanceof Date
            ? value.toISOString()
            : JSON.stringify(value);
  }
  return out;
}

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/**
 * Fails with one clear line when PostgreSQL cannot be reached, instead of a timeout or a bare
 * ECONNREFUSED deep inside a test.
 */
export async function assertPostgresReachable(url = databaseUrl()): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL is not reachable at ${redacted(url)} (${reason}). Start a server or point DATABASE_URL at ` +
        'one; set RR_SKIP_POSTGRES=1 to skip the PostgreSQL store tests.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh, randomly named schema at DATABASE_URL, dropped by cleanup. */
export async function openPostgresHarness(): Promise<StoreHarness> {
  const url = databaseUrl();
  const schema = `rr_test_${randomBytes(6).toString('hex')}`;
  const opened: PostgresStore[] = [];
  const open = async (cipher: FieldCipher = testCipher): Promise<PostgresStore> => {
    const store = await openPostgresStore({ connectionString: url, schema, poolSize: 5, cipher });
    opened.push(store);
    await store.migrate();
    return store;
  };
  const store = await open();
  return {
    store,
    openSecond: open,
    queryRaw: async (sql) => (await store.pool.query<Record<string, unknown>>(sql)).rows.map(asText),
    execRaw: async (sql) => {
      await store.pool.query(sql);
    },
    cleanup: async () => {
      await Promise.all(opened.map((s) => s.close()));
      await dropScratchSchema(url, schema);
    },
  };
}

const businessUnit: Person = { aadObjectId: '00000000-0000-4000-8000-00000000b0b0', name: 'Business Unit' };

function line(reviewId: string, action: string, detail?: Record<string, unknown>): AuditEvent {
  return {
    reviewId,
    at: '2026-03-05T10:00:00.000Z',
    actor: businessUnit,
    action,
    ...(detail ? { detail } : {}),
  };
}

/** A review with every optional part filled, so a round trip proves the whole document survives. */
function fullReview(): Review {
  const base = sampleReview();
  const [la, police] = base.agencies;
  if (!la || !police) throw new Error('the sample review lost its agencies');
  return sampleReview({
    state: 'decided',
    anchors: { ...base.anchors, meetingHeld: '2026-03-12' },
    scopingReturns: base.scopingReturns.map((r, index) =>
      index === 0
        ? {
            agencyId: r.agencyId,
            status: 'submitted',
            revision: 2,
            submittedBy: la.representatives[0],
            submittedAt: '2026-03-06T14:30:00.000Z',
            answers: {
              involvement: 'yes',
              involvementWith: 'child and mother',
              periodFrom: '2025-09-01',
              periodTo: '2026-03-01',
              natureOfInvolvement: 'Child in need plan; "quoted" text; line one\nline two',
              recordsSecured: true,
              recordsSecuredOn: '2026-03-05',
              recordsSecuredBy: 'Records team',
              alertAdded: true,
              staffInformed: true,
              seniorLeadersSighted: false,
            },
          }
        : r,
    ),
    meeting: {
      status: 'held',
      start: '2026-03-12T10:00:00.000Z',
      end: '2026-03-12T11:30:00.000Z',
      transactionId: 'txn-7f3a',
      eventId: 'AAMkAGI-example',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/example',
      chair: businessUnit,
    },
    attendance: [{ person: police.representatives[0] ?? businessUnit, agencyId: 'police', seconds: 4200 }],
    quorumDecision: {
      quorate: true,
      decidedBy: businessUnit,
      decidedAt: '2026-03-12T10:05:00.000Z',
      present: [{ agencyKind: 'police', people: ['Sam Specimen'] }],
      missing: [],
    },
    outcome: {
      decision: 'lcspr',
      rationale: 'Learning about multi-agency information sharing.',
      immediateActions: 'None beyond those recorded.',
      learning: 'To be explored in the LCSPR.',
      recordedBy: businessUnit,
      recordedAt: '2026-03-12T11:20:00.000Z',
    },
    signOffs: [{ agencyKind: 'police', by: police.lead ?? businessUnit, at: '2026-03-13T09:00:00.000Z' }],
    reportParts: { incidentSummary: 'Incident at the family home; paramedics called.' },
    postReviewMeeting: {
      heldOn: '2026-04-20',
      panelResponse: 'Panel agreed with the decision.',
      nextSteps: 'Commission the LCSPR.',
      parentalEngagement: 'Mother to be invited to contribute.',
      recordedBy: businessUnit,
      recordedAt: '2026-04-20T15:00:00.000Z',
    },
    reconvenings: [
      { reason: 'Police were absent on the first date.', by: businessUnit, at: '2026-03-10T09:00:00.000Z' },
    ],
    initialCaseDiscussion: {
      heldOn: '2026-03-05',
      linesOfEnquiry: ['What was known of the stepfather’s history?'],
      agencyIds: ['la', 'police'],
      recordedBy: businessUnit,
      recordedAt: '2026-03-05T10:00:00.000Z',
    },
    teamspace: {
      ...base.teamspace,
      channelId: '19:channel-full@thread.tacv2',
      conversationReference: {
        conversation: { id: '19:channel-full@thread.tacv2' },
        serviceUrl: 'https://x',
      },
      welcomeActivityId: '1700000000000',
      membersAdded: ['00000000-0000-4000-8000-000000000001'],
      scopingCards: [
        {
          agencyId: 'la',
          conversationReference: { conversation: { id: '19:c@thread.tacv2;messageid=1' } },
          activityId: '1700000000001',
        },
        {
          agencyId: 'police',
          conversationReference: { conversation: { id: '19:c@thread.tacv2;messageid=2' } },
          activityId: '1700000000002',
        },
      ],
    },
  });
}

/** Everything a full review holds that identifies the child or family, or that people typed. */
const restrictedTexts = [
  'Testchild',
  '2019-06-15',
  'Nowhere Lane',
  'Fictional-Testparent',
  "Lee O'Fictional",
  'Child in need plan',
  'multi-agency information sharing',
  'None beyond those recorded',
  'explored in the LCSPR',
  'paramedics called',
  'Panel agreed with the decision',
  'Commission the LCSPR',
  'invited to contribute',
  'Police were absent',
  'stepfather’s history',
];

/** The review's stored document exactly as the database holds it. */
async function rawDoc(harness: StoreHarness, id: string): Promise<string> {
  const [row] = await harness.queryRaw(`SELECT doc FROM reviews WHERE id = '${id.replace(/'/g, "''")}'`);
  if (!row?.doc) throw new Error(`no stored row for ${id}`);
  return row.doc;
}

/** Replaces a review's stored document behind the store's back, as someone with database access could. */
async function writeRawDoc(harness: StoreHarness, id: string, doc: string): Promise<void> {
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  await harness.execRaw(`UPDATE reviews SET doc = ${quote(doc)} WHERE id = ${quote(id)}`);
}

/** A review's scoping return rows exactly as the database holds them, in the review's order. */
async function rawReturns(harness: StoreHarness, id: string): Promise<Record<string, string | null>[]> {
  return harness.queryRaw(
    `SELECT agency_id, position, status, revision, doc FROM scoping_returns WHERE review_id = '${id.replace(/'/g, "''")}' ORDER BY position`,
  );
}

/** Replaces one agency's stored return behind the store's back (here: in clear, as before encryption). */
async function writeRawReturn(harness: StoreHarness, id: string, entry: ScopingReturn): Promise<void> {
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  await harness.execRaw(
    `UPDATE scoping_returns SET doc = ${quote(JSON.stringify(entry))}
     WHERE review_id = ${quote(id)} AND agency_id = ${quote(entry.agencyId)}`,
  );
}

const keyB = new FieldCipher([['key-b', Buffer.alloc(32, 0xb2)]]);
const keyBThenA = new FieldCipher([
  ['key-b', Buffer.alloc(32, 0xb2)],
  ['key-a', Buffer.alloc(32, 0xa1)],
]);

function appendSignOff(by: string): (current: Review) => ChangeResult {
  return (current) => ({
    ok: true,
    review: {
      ...current,
      signOffs: [
        ...current.signOffs,
        { agencyKind: 'other', by: { name: by }, at: '2026-03-13T09:00:00.000Z' },
      ],
    },
    audit: [line(current.id, 'test.signed', { by })],
  });
}

export function describeStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`ReviewStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: ReviewStore;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });

    afterEach(async () => {
      await harness?.cleanup();
    });

    it('round-trips the whole document through create, get, findByReference and findByChannel', async () => {
      const review = fullReview();
      const opening = [line(review.id, 'review.opened', { reference: review.reference })];

      const created = await store.createReview({ ...review, version: 7 }, opening);

      const expected = { ...review, version: 1 };
      expect(created).toEqual(expected);
      expect(await store.getReview(review.id)).toEqual(expected);
      expect(await store.findByReference(review.reference)).toEqual(expected);
      expect(await store.findByChannel('19:channel-full@thread.tacv2')).toEqual(expected);
      expect(await store.reviewIdByChannel('19:channel-full@thread.tacv2')).toBe(review.id);
      expect(await store.auditTrail(review.id)).toEqual(opening);
    });

    describe('encryption at rest', () => {
      it('keeps subject details and free text out of the database rows, and gives them back whole', async () => {
        const review = fullReview();
        await store.createReview(review, [line(review.id, 'review.opened')]);
        await store.updateReview(review.id, (current) => ({
          ok: true,
          review: {
            ...current,
            meeting: current.meeting && {
              ...current.meeting,
              cancellationReason: 'Cancelled: the Testchild family moved to Wales.',
            },
            closure: {
              reason: 'Closed after the LCSPR was commissioned.',
              by: businessUnit,
              at: '2026-05-01T09:00:00.000Z',
              fromState: 'decided',
            },
          },
          audit: [line(review.id, 'review.closed')],
        }));

        const rows = JSON.stringify([
          ...(await harness.queryRaw('SELECT * FROM reviews')),
          ...(await harness.queryRaw('SELECT * FROM scoping_returns')),
        ]);
        const audit = JSON.stringify(await harness.queryRaw('SELECT * FROM audit_events'));
        for (const text of [...restrictedTexts, 'LCSPR was commissioned', 'moved to Wales']) {
          expect({ text, inRows: rows.includes(text), inAudit: audit.includes(text) }).toEqual({
            text,
            inRows: false,
            inAudit: false,
          });
        }
        // What the bot needs to find and list reviews stays readable.
        expect(rows).toContain(review.reference);
        expect(await store.getReview(review.id)).toEqual({
          ...review,
          meeting: expect.objectContaining({
            cancellationReason: 'Cancelled: the Testchild family moved to Wales.',
          }),
          closure: expect.objectContaining({ reason: 'Closed after the LCSPR was commissioned.' }),
          version: 2,
        });
      });

      it('seals each value with a fresh IV: the same details stored twice differ', async () => {
        const first = sampleReview();
        const second = sampleReview({ subject: first.subject });
        await store.createReview(first, []);
        await store.createReview(second, []);
        const subjectOf = (doc: string) => (JSON.parse(doc) as { subject: string }).subject;
        const [a, b] = [
          subjectOf(await rawDoc(harness, first.id)),
          subjectOf(await rawDoc(harness, second.id)),
        ];
        expect(a).toMatch(/^rrenc:1:key-a:/);
        expect(b).toMatch(/^rrenc:1:key-a:/);
        expect(a).not.toEqual(b);
      });

      it('rotates keys: A-sealed data reads under [B, A], rotate-keys re-seals it, then A can go', async () => {
        const old = fullReview();
        await store.createReview(old, [line(old.id, 'review.opened')]);
        const rotating = await harness.openSecond(keyBThenA);
        expect(await rotating.getReview(old.id)).toEqual({ ...old, version: 1 });
        const fresh = sampleReview();
        await rotating.createReview(fresh, []);
        expect(await rawDoc(harness, fresh.id)).not.toContain('key-a');

        const outcome = await rotating.resealReviews({
          batchSize: 1,
          actor: { system: 'rotate-keys' },
          at: '2026-06-01T09:00:00.000Z',
        });

        expect(outcome).toEqual({ reviews: 2, resealed: 1, batches: 2 });
        expect(await rawDoc(harness, old.id)).not.toContain('key-a');
        expect(JSON.stringify(await rawReturns(harness, old.id))).not.toContain('key-a');
        expect((await store.auditTrail(old.id)).at(-1)).toEqual({
          reviewId: old.id,
          at: '2026-06-01T09:00:00.000Z',
          actor: { system: 'rotate-keys' },
          action: 'data.resealed',
          detail: { from: ['key-a'], to: 'key-b' },
        });
        const onlyB = await harness.openSecond(keyB);
        expect(await onlyB.getReview(old.id)).toEqual({ ...old, version: 1 });
        expect(await onlyB.getReview(fresh.id)).toEqual({ ...fresh, version: 1 });
        // A store that lost key B cannot read what was re-sealed, and says which key it lacks.
        await expect(store.getReview(old.id)).rejects.toThrow(/sealed with key 'key-b'/);
        // A second run finds nothing left to do.
        expect(
          await onlyB.resealReviews({
            batchSize: 10,
            actor: { system: 'rotate-keys' },
            at: '2026-06-02T09:00:00.000Z',
          }),
        ).toEqual({ reviews: 2, resealed: 0, batches: 1 });
      });

      it('reads a document stored in clear before encryption, and rotate-keys seals it', async () => {
        const legacy = fullReview();
        await store.createReview(legacy, []);
        const { scopingReturns, ...document } = legacy;
        await writeRawDoc(harness, legacy.id, JSON.stringify({ ...document, version: 1 }));
        for (const entry of scopingReturns) await writeRawReturn(harness, legacy.id, entry);
        expect(await store.getReview(legacy.id)).toEqual({ ...legacy, version: 1 });

        const outcome = await store.resealReviews({
          batchSize: 5,
          actor: { system: 'rotate-keys' },
          at: '2026-06-01T09:00:00.000Z',
        });

        expect(outcome.resealed).toBe(1);
        expect((await store.auditTrail(legacy.id)).at(-1)?.detail).toEqual({ from: ['clear'], to: 'key-a' });
        const raw = (await rawDoc(harness, legacy.id)) + JSON.stringify(await rawReturns(harness, legacy.id));
        for (const text of restrictedTexts)
          expect({ text, stored: raw.includes(text) }).toEqual({ text, stored: false });
        expect(await store.getReview(legacy.id)).toEqual({ ...legacy, version: 1 });
      });

      it('refuses loudly a tampered ciphertext, or one moved from another review', async () => {
        const victim = sampleReview();
        const other = sampleReview();
        await store.createReview(victim, []);
        await store.createReview(other, []);
        const stored = JSON.parse(await rawDoc(harness, victim.id)) as { subject: string };
        const parts = stored.subject.split(':');
        const body = parts[4] ?? '';
        parts[4] = `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
        await writeRawDoc(harness, victim.id, JSON.stringify({ ...stored, subject: parts.join(':') }));

        await expect(store.getReview(victim.id)).rejects.toBeInstanceOf(TamperedCiphertextError);
        await expect(store.getReview(victim.id)).rejects.toThrow(`encrypted field ${victim.id}/subject`);
        await expect(store.updateReview(victim.id, appendSignOff('x'))).rejects.toBeInstanceOf(
          TamperedCiphertextError,
        );
        await expect(
          store.resealReviews({
            batchSize: 5,
            actor: { system: 'rotate-keys' },
            at: '2026-06-01T09:00:00.000Z',
          }),
        ).rejects.toBeInstanceOf(TamperedCiphertextError);

        const otherStored = JSON.parse(await rawDoc(harness, other.id)) as { subject: string };
        await writeRawDoc(harness, victim.id, JSON.stringify({ ...stored, subject: otherStored.subject }));
        await expect(store.getReview(victim.id)).rejects.toBeInstanceOf(TamperedCiphertextError);
      });
    });

    describe('tamper-evident audit trail', () => {
      /** Lets the raw database change the trail, as someone with the database's owner rights could. */
      async function disableAppendOnly(): Promise<void> {
        await harness.execRaw(
          store.kind === 'sqlite'
            ? 'DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete'
            : 'ALTER TABLE audit_events DISABLE TRIGGER USER',
        );
      }

      async function seqs(): Promise<number[]> {
        return (await harness.queryRaw('SELECT seq FROM audit_events ORDER BY seq')).map((r) =>
          Number(r.seq),
        );
      }

      it('chains every line, even from two connections writing at once, and verify finds it whole', async () => {
        const review = sampleReview();
        await store.createReview(review, [line(review.id, 'review.opened')]);
        const second = await harness.openSecond();
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < 15; i += 1) {
          writes.push(store.updateReview(review.id, appendSignOff(`first-${i}`)));
          writes.push(
            second.appendAudit([line(`other-${i}`, 'outsider.refused'), line(`other-${i}`, 'again')]),
          );
          writes.push(second.updateReview(review.id, appendSignOff(`second-${i}`)));
          writes.push(store.appendAudit([line(`another-${i}`, 'outsider.refused')]));
        }
        await Promise.all(writes);

        const report = await second.verifyAuditChain();
        expect(report).toEqual({ lines: 1 + 15 * 5, head: expect.stringMatching(/^[0-9a-f]{64}$/) });
        const rows = await harness.queryRaw('SELECT prev_hash, hash FROM audit_events ORDER BY seq');
        expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
      });

      it('names the first line edited in the raw database', async () => {
        const review = sampleReview();
        await store.createReview(review, [line(review.id, 'review.opened')]);
        await store.appendAudit([line(review.id, 'outsider.refused', { reason: 'not a member' })]);
        await store.updateReview(review.id, appendSignOff('lead'));
        const [, edited] = await seqs();
        await disableAppendOnly();
        await harness.execRaw(`UPDATE audit_events SET detail = '{"reason":"member"}' WHERE seq = ${edited}`);

        expect(await store.verifyAuditChain()).toEqual({
          lines: 2,
          head: expect.any(String),
          broken: { seq: edited, reason: expect.stringMatching(/content was changed/) },
        });
      });

      it('names the line after one deleted from the raw database', async () => {
        const review = sampleReview();
        await store.createReview(review, [line(review.id, 'review.opened'), line(review.id, 'card.posted')]);
        await store.updateReview(review.id, appendSignOff('lead'));
        const [, removed, next] = await seqs();
        await disableAppendOnly();
        await harness.execRaw(`DELETE FROM audit_events WHERE seq = ${removed}`);

        expect((await store.verifyAuditChain()).broken).toEqual({
          seq: next,
          reason: expect.stringMatching(/a line was removed/),
        });
      });
    });

    describe('retention and disposal', () => {
      it('disposes of closed reviews past the retention period, leaving a minimal audited record', async () => {
        const closing = (id: string, at: string): Review => ({
          ...fullReview(),
          id,
          reference: `RR-2019-${id.slice(-3)}`,
          state: 'closed',
          closure: { reason: 'Done; Zoë’s mother told.', by: businessUnit, at, fromState: 'decided' },
        });
        const due = closing('dispose-001', '2019-05-01T12:00:00.000Z');
        const notYet = closing('dispose-002', '2021-05-01T12:00:00.000Z');
        const open = { ...fullReview(), id: 'dispose-003', reference: 'RR-2019-003' };
        for (const review of [due, notYet, open])
          await store.createReview(review, [line(review.id, 'review.opened')]);
        const removed: string[] = [];
        const ports = {
          store,
          retentionYears: () => 6,
          removeReportFiles: async (review: Review) => {
            removed.push(review.reference);
            return 2;
          },
        };

        expect(await reviewsDueForDisposal(ports, '2025-06-01')).toEqual([
          { id: due.id, reference: due.reference, closedOn: '2019-05-01', dueOn: '2025-05-01' },
        ]);
        expect(removed).toEqual([]);
        const outcome = await disposeDueReviews(ports, {
          today: '2025-06-01',
          actor: { system: 'rapid-review dispose (run by officer)' },
          at: '2025-06-01T09:00:00.000Z',
        });

        expect(outcome.disposed.map((entry) => entry.reference)).toEqual([due.reference]);
        expect(removed).toEqual([due.reference]);
        const row = await rawDoc(harness, due.id);
        const kept = await store.getReview(due.id);
        for (const text of [...restrictedTexts, 'mother told']) {
          expect({ text, stored: row.includes(text), kept: JSON.stringify(kept).includes(text) }).toEqual({
            text,
            stored: false,
            kept: false,
          });
        }
        expect(kept).toMatchObject({
          reference: due.reference,
          anchors: due.anchors,
          outcome: { lcspr: 'yes', nationalImportance: 'no' },
          disposal: { retentionYears: 6, dueOn: '2025-05-01', reportFiles: 2 },
        });
        expect((await store.auditTrail(due.id)).map((e) => e.action)).toEqual([
          'review.opened',
          'review.disposed',
        ]);
        expect(await store.getReview(notYet.id)).toEqual({ ...notYet, version: 1 });
        expect(await store.getReview(open.id)).toEqual({ ...open, version: 1 });
        expect((await store.verifyAuditChain()).broken).toBeUndefined();
        // Nothing is due twice.
        expect(await reviewsDueForDisposal(ports, '2025-06-01')).toEqual([]);
      });
    });

    describe('scoping returns, one row per agency', () => {
      const answers: ScopingReturnAnswers = {
        involvement: 'yes',
        natureOfInvolvement: 'Health visitor saw the baby at home',
        recordsSecured: true,
        alertAdded: true,
        staffInformed: true,
        seniorLeadersSighted: true,
      };
      const submit =
        (agencyId: string, revision: number, extra: Partial<Review> = {}) =>
        (current: Review): ChangeResult => ({
          ok: true,
          review: {
            ...current,
            ...extra,
            scopingReturns: current.scopingReturns.map((entry) =>
              entry.agencyId === agencyId
                ? { ...entry, status: 'submitted', answers, revision, submittedBy: businessUnit }
                : entry,
            ),
          },
          audit: [line(current.id, 'scoping-return.submitted', { agencyId, revision })],
        });

      it('saves one agency’s return alone: its row, the version and the audit line, nothing else rewritten', async () => {
        const review = fullReview();
        await store.createReview(review, []);
        const documentBefore = await rawDoc(harness, review.id);
        const [laBefore, policeBefore] = await rawReturns(harness, review.id);
        let seen: Review | undefined;

        const outcome = await store.updateScopingReturn(review.id, 'police', (current) => {
          seen = current;
          return submit('police', 1)(current);
        });

        expect(outcome.ok).toBe(true);
        // The change sees the review with only the agency's own return.
        expect(seen?.scopingReturns.map((entry) => entry.agencyId)).toEqual(['police']);
        expect(seen?.subject).toEqual(review.subject);
        expect(await rawDoc(harness, review.id)).toBe(documentBefore);
        const [laAfter, policeAfter] = await rawReturns(harness, review.id);
        expect(laAfter).toEqual(laBefore);
        expect(policeAfter?.doc).not.toEqual(policeBefore?.doc);
        expect(policeAfter?.doc).not.toContain('Health visitor');
        expect(policeAfter).toMatchObject({ status: 'submitted' });
        const saved = await store.getReview(review.id);
        expect(saved).toEqual({
          ...review,
          version: 2,
          scopingReturns: review.scopingReturns.map((entry) =>
            entry.agencyId === 'police'
              ? { ...entry, status: 'submitted', answers, revision: 1, submittedBy: businessUnit }
              : entry,
          ),
        });
        expect((await store.auditTrail(review.id)).map((event) => event.action)).toEqual([
          'scoping-return.submitted',
        ]);
        // A later change to the whole review keeps the return as saved.
        await store.updateReview(review.id, appendSignOff('Chair'));
        expect((await store.getReview(review.id))?.scopingReturns).toEqual(saved?.scopingReturns);
      });

      it('saves a return for an agency that had none, after the others, and refuses changes beyond it', async () => {
        const review = sampleReview();
        const [first] = review.scopingReturns;
        await store.createReview({ ...review, scopingReturns: first ? [first] : [] }, []);
        const agencyId = review.agencies[1]?.id ?? 'police';

        await store.updateScopingReturn(review.id, agencyId, (current) => ({
          ok: true,
          review: {
            ...current,
            scopingReturns: [{ agencyId, status: 'submitted', answers, revision: 1 }],
          },
          audit: [],
        }));
        expect((await store.getReview(review.id))?.scopingReturns.map((entry) => entry.agencyId)).toEqual([
          first?.agencyId,
          agencyId,
        ]);

        await expect(
          store.updateScopingReturn(review.id, agencyId, submit(agencyId, 2, { state: 'closed' })),
        ).rejects.toThrow(/changed more than that return/);
        const refused = await store.updateScopingReturn(review.id, agencyId, (current) => ({
          ok: false,
          reason: 'stale',
          audit: [line(current.id, 'scoping-return.submitted.refused')],
        }));
        expect(refused).toEqual({ ok: false, reason: 'stale' });
        const after = await store.getReview(review.id);
        expect(after?.state).toBe(review.state);
        expect(after?.version).toBe(2);
        expect(after?.scopingReturns.find((entry) => entry.agencyId === agencyId)?.revision).toBe(1);
        expect((await store.auditTrail(review.id)).map((event) => event.action)).toEqual([
          'scoping-return.submitted.refused',
        ]);
        await expect(
          store.updateScopingReturn('no-such-review', agencyId, submit(agencyId, 1)),
        ).rejects.toBeInstanceOf(ReviewNotFoundError);
      });

      it('reads on one connection what another changed since, and hands out reads nobody can change', async () => {
        const review = sampleReview();
        await store.createReview(review, []);
        const second = await harness.openSecond();
        const [agency] = review.agencies;
        const first = await store.getReview(review.id);
        // Whatever a caller does to its copy (a store that shares reads refuses it loudly), the next
        // read is the review as stored.
        try {
          (first?.agencies[0] as { name: string }).name = 'Changed in place';
        } catch {
          // refused: the read is frozen
        }
        expect((await store.getReview(review.id))?.agencies[0].name).toBe(agency.name);
        await store.updateScopingReturn(review.id, agency.id, submit(agency.id, 1));
        // Another connection changes the review's document; this one must not keep serving the old one.
        await second.updateReview(review.id, appendSignOff('Chair'));
        const seen = await store.getReview(review.id);
        expect(seen?.signOffs.map((signOff) => signOff.by.name)).toContain('Chair');
        expect(seen?.version).toBe(3);
        let current: Review | undefined;
        await store.updateScopingReturn(review.id, agency.id, (review) => {
          current = review;
          return submit(agency.id, 2)(review);
        });
        expect(current?.signOffs.map((signOff) => signOff.by.name)).toContain('Chair');
        expect(current?.version).toBe(3);
        // And the other way round: a document changed here is what the other connection reads.
        await second.getReview(review.id);
        await store.updateReview(review.id, appendSignOff('Police'));
        expect((await second.getReview(review.id))?.signOffs.map((signOff) => signOff.by.name)).toEqual(
          expect.arrayContaining(['Chair', 'Police']),
        );
        expect((await second.findByReference(review.reference))?.version).toBe(5);
      });

      it('loses no return when every agency saves at once, from two connections', async () => {
        const review = sampleReview();
        await store.createReview(review, []);
        const second = await harness.openSecond();
        await Promise.all(
          review.agencies.flatMap((agency, index) => [
            (index % 2 === 0 ? store : second).updateScopingReturn(
              review.id,
              agency.id,
              submit(agency.id, 1),
            ),
            (index % 2 === 0 ? second : store).updateReview(review.id, appendSignOff(agency.id)),
          ]),
        );
        const saved = await store.getReview(review.id);
        expect(saved?.scopingReturns.map((entry) => [entry.agencyId, entry.status])).toEqual(
          review.agencies.map((agency) => [agency.id, 'submitted']),
        );
        expect(saved?.signOffs).toHaveLength(review.agencies.length);
        expect(saved?.version).toBe(1 + 2 * review.agencies.length);
      });
    });

    it('lists for the alert tick only the open reviews due, without their sealed parts, until swept', async () => {
      const full = fullReview();
      const plain = sampleReview();
      const closed = sampleReview({ state: 'closed' });
      for (const review of [full, plain, closed]) await store.createReview(review, []);
      const ids = (page: { review: Review }[]) => page.map((entry) => entry.review.id).sort();

      const due = await store.listAlertsDue({ dueBy: '2026-12-22', limit: 10 });
      expect(ids(due)).toEqual([full.id, plain.id].sort());
      const fullEntry = due.find((entry) => entry.review.id === full.id);
      expect(fullEntry?.dueOn).toBe('');
      expect(fullEntry?.sweptOn).toBeUndefined();
      expect(JSON.stringify(fullEntry)).not.toContain('Testchild');
      expect(JSON.stringify(fullEntry)).not.toContain('Child in need plan');
      expect(fullEntry?.review.scopingReturns.map((entry) => [entry.agencyId, entry.status])).toEqual(
        full.scopingReturns.map((entry) => [entry.agencyId, entry.status]),
      );
      // One at a time, in (due, id) order, each once.
      const first = await store.listAlertsDue({ dueBy: '2026-12-22', limit: 1 });
      const [head] = first;
      if (!head) throw new Error('no first page');
      const second = await store.listAlertsDue({
        dueBy: '2026-12-22',
        limit: 1,
        after: { dueOn: head.dueOn, id: head.review.id },
      });
      expect(ids([...first, ...second])).toEqual(ids(due));

      await store.markAlertsSwept([
        { id: full.id, version: 1, sweptOn: '2026-12-22', dueOn: '2026-12-23' },
        // Swept from an older version: the review changed meanwhile, so it stays due.
        { id: plain.id, version: 0, sweptOn: '2026-12-22', dueOn: '2026-12-23' },
      ]);
      expect(ids(await store.listAlertsDue({ dueBy: '2026-12-22', limit: 10 }))).toEqual([plain.id]);
      const next = await store.listAlertsDue({ dueBy: '2026-12-23', limit: 10 });
      expect(next.find((entry) => entry.review.id === full.id)).toMatchObject({
        dueOn: '2026-12-23',
        sweptOn: '2026-12-22',
      });

      // Any change makes a review due again at once.
      await store.updateReview(full.id, appendSignOff('Chair'));
      expect(ids(await store.listAlertsDue({ dueBy: '2026-12-22', limit: 10 }))).toEqual(
        [full.id, plain.id].sort(),
      );
      await store.markAlertsSwept([{ id: full.id, version: 2, sweptOn: '2026-12-22', dueOn: '2026-12-23' }]);
      const agencyId = full.scopingReturns[1]?.agencyId ?? '';
      await store.updateScopingReturn(full.id, agencyId, (current) => ({
        ok: true,
        review: { ...current, scopingReturns: current.scopingReturns.map((r) => ({ ...r, revision: 1 })) },
        audit: [],
      }));
      expect(ids(await store.listAlertsDue({ dueBy: '2026-12-22', limit: 10 }))).toEqual(
        [full.id, plain.id].sort(),
      );

      // A profile's settings changing makes its open reviews due again; the same settings do not.
      await store.markAlertsSwept([
        { id: full.id, version: 3, sweptOn: '2026-12-22', dueOn: '2026-12-23' },
        { id: plain.id, version: 1, sweptOn: '2026-12-22', dueOn: '2026-12-23' },
      ]);
      expect(await store.listAlertsDue({ dueBy: '2026-12-22', limit: 10 })).toEqual([]);
      expect(await store.recordAlertSettings(full.profileId, 'settings-1')).toBe(true);
      expect(ids(await store.listAlertsDue({ dueBy: '2026-12-22', limit: 10 }))).toEqual(
        [full.id, plain.id].filter((id) => id === full.id || plain.profileId === full.profileId).sort(),
      );
      await store.markAlertsSwept([
        { id: full.id, version: 3, sweptOn: '2026-12-22', dueOn: '2026-12-23' },
        { id: plain.id, version: 1, sweptOn: '2026-12-22', dueOn: '2026-12-23' },
      ]);
      expect(await store.recordAlertSettings(full.profileId, 'settings-1')).toBe(false);
      expect(await store.listAlertsDue({ dueBy: '2026-12-22', limit: 10 })).toEqual([]);
    });

    it('answers undefined for a review, reference or channel it does not hold', async () => {
      await store.createReview(sampleReview(), []);
      expect(await store.getReview('no-such-review')).toBeUndefined();
      expect(await store.findByReference('RR-1999-001')).toBeUndefined();
      expect(await store.findByChannel('19:unknown@thread.tacv2')).toBeUndefined();
      expect(await store.reviewIdByChannel('19:unknown@thread.tacv2')).toBeUndefined();
    });

    it('refuses a second review with the same reference, and keeps the first intact', async () => {
      const first = sampleReview({ reference: 'RR-2026-042' });
      await store.createReview(first, [line(first.id, 'review.opened')]);
      const second = sampleReview({ reference: 'RR-2026-042' });

      await expect(store.createReview(second, [line(second.id, 'review.opened')])).rejects.toBeInstanceOf(
        DuplicateReferenceError,
      );
      expect(await store.getReview(second.id)).toBeUndefined();
      expect(await store.auditTrail(second.id)).toEqual([]);
      expect((await store.findByReference('RR-2026-042'))?.id).toBe(first.id);
    });

    it('applies a change, bumps the version and writes its audit lines in order', async () => {
      const review = sampleReview();
      await store.createReview(review, [line(review.id, 'review.opened')]);

      const outcome = await store.updateReview(review.id, (current) => ({
        ok: true,
        review: {
          ...current,
          state: 'meeting-booked',
          teamspace: { ...current.teamspace, channelId: '19:later@thread.tacv2' },
        },
        audit: [line(review.id, 'meeting.booked', { n: 1 }), line(review.id, 'card.refreshed', { n: 2 })],
      }));

      expect(outcome).toEqual({
        ok: true,
        review: expect.objectContaining({ state: 'meeting-booked', version: 2 }),
      });
      const saved = await store.getReview(review.id);
      expect(saved?.state).toBe('meeting-booked');
      expect(saved?.version).toBe(2);
      // The channel lookup follows a channel recorded after creation.
      expect((await store.findByChannel('19:later@thread.tacv2'))?.id).toBe(review.id);
      expect(await store.reviewIdByChannel('19:later@thread.tacv2')).toBe(review.id);
      expect((await store.auditTrail(review.id)).map((e) => e.action)).toEqual([
        'review.opened',
        'meeting.booked',
        'card.refreshed',
      ]);
    });

    it('saves nothing but the audit lines of a refused change', async () => {
      const review = sampleReview();
      await store.createReview(review, []);

      const outcome = await store.updateReview(review.id, (current) => {
        current.state = 'closed';
        current.signOffs.push({ agencyKind: 'police', by: businessUnit, at: '2026-03-13T09:00:00.000Z' });
        return { ok: false, reason: 'not yet', audit: [line(review.id, 'review.closed.refused')] };
      });

      expect(outcome).toEqual({ ok: false, reason: 'not yet' });
      expect(await store.getReview(review.id)).toEqual({ ...review, version: 1 });
      expect((await store.auditTrail(review.id)).map((e) => e.action)).toEqual(['review.closed.refused']);
    });

    it('saves nothing at all, not even audit lines, when the change function throws', async () => {
      const review = sampleReview();
      await store.createReview(review, [line(review.id, 'review.opened')]);

      await expect(
        store.updateReview(review.id, (current) => {
          current.state = 'closed';
          throw new Error('change failed half-way');
        }),
      ).rejects.toThrow('change failed half-way');

      expect(await store.getReview(review.id)).toEqual({ ...review, version: 1 });
      expect((await store.auditTrail(review.id)).map((e) => e.action)).toEqual(['review.opened']);
      // The store is still usable afterwards (the failed transaction released its lock).
      await expect(store.updateReview(review.id, appendSignOff('after'))).resolves.toMatchObject({
        ok: true,
      });
    });

    it('rolls back the whole change when its new reference collides with another review', async () => {
      const taken = sampleReview({ reference: 'RR-2026-500' });
      const review = sampleReview({ reference: 'RR-2026-501' });
      await store.createReview(taken, []);
      await store.createReview(review, []);

      await expect(
        store.updateReview(review.id, (current) => ({
          ok: true,
          review: { ...current, reference: 'RR-2026-500' },
          audit: [line(review.id, 'reference.changed')],
        })),
      ).rejects.toBeInstanceOf(DuplicateReferenceError);
      expect(await store.getReview(review.id)).toEqual({ ...review, version: 1 });
      expect(await store.auditTrail(review.id)).toEqual([]);
    });

    it('refuses to update a review that does not exist', async () => {
      await expect(store.updateReview('no-such-review', appendSignOff('x'))).rejects.toBeInstanceOf(
        ReviewNotFoundError,
      );
    });

    it('keeps the audit trail append-only: the database refuses UPDATE and DELETE on it', async () => {
      const review = sampleReview();
      await store.createReview(review, [line(review.id, 'review.opened')]);
      await store.appendAudit([line(review.id, 'outsider.refused', { reason: 'not a member' })]);
      const before = await store.auditTrail(review.id);
      expect(before.map((e) => e.action)).toEqual(['review.opened', 'outsider.refused']);

      await expect(harness.execRaw(`UPDATE audit_events SET action = 'tampered'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(harness.execRaw(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
      expect(await store.auditTrail(review.id)).toEqual(before);
    });

    it('lists every review, or only the open ones, following a review that closes', async () => {
      const first = sampleReview();
      const second = sampleReview();
      const third = sampleReview();
      for (const review of [first, second, third]) await store.createReview(review, []);
      await store.updateReview(second.id, (current) => ({
        ok: true,
        review: { ...current, state: 'closed' },
        audit: [line(current.id, 'review.closed')],
      }));

      expect((await store.listReviews()).map((r) => r.id).sort()).toEqual(
        [first.id, second.id, third.id].sort(),
      );
      expect((await store.listReviews({ openOnly: true })).map((r) => r.id).sort()).toEqual(
        [first.id, third.id].sort(),
      );
    });

    it('reads reviews page by page in id order: each once, only the open ones when asked', async () => {
      const ids = ['page-05', 'page-01', 'page-07', 'page-03', 'page-02', 'page-06', 'page-04'];
      for (const id of ids) await store.createReview(sampleReview({ id }), []);
      for (const id of ['page-03', 'page-06']) {
        await store.updateReview(id, (current) => ({
          ok: true,
          review: { ...current, state: 'closed' },
          audit: [line(id, 'review.closed')],
        }));
      }
      async function readAll(limit: number, openOnly: boolean): Promise<string[][]> {
        const pages: string[][] = [];
        let afterId: string | undefined;
        // Bounded, so a store that ignored afterId fails here instead of paging for ever.
        while (pages.length < 10) {
          const page = await store.listReviewPage({ openOnly, limit, ...(afterId ? { afterId } : {}) });
          pages.push(page.map((r) => r.id));
          if (page.length < limit) break;
          afterId = page[page.length - 1]?.id;
        }
        return pages;
      }

      expect(await readAll(2, true)).toEqual([['page-01', 'page-02'], ['page-04', 'page-05'], ['page-07']]);
      expect((await readAll(3, false)).flat()).toEqual([...ids].sort());
      const [first] = await store.listReviewPage({ limit: 1 });
      expect(first).toEqual(await store.getReview('page-01'));
      await expect(store.listReviewPage({ limit: 0 })).rejects.toThrow(RangeError);
    });

    it('never puts a review on two pages, whatever is opened or closed between pages', async () => {
      for (const id of ['walk-2', 'walk-4', 'walk-6', 'walk-8'])
        await store.createReview(sampleReview({ id }), []);
      const seen: string[] = [];
      const firstPage = await store.listReviewPage({ openOnly: true, limit: 2 });
      seen.push(...firstPage.map((r) => r.id));
      // Between pages: one review opens before the cursor, one after it, and one not yet read closes.
      await store.createReview(sampleReview({ id: 'walk-1' }), []);
      await store.createReview(sampleReview({ id: 'walk-5' }), []);
      await store.updateReview('walk-6', (current) => ({
        ok: true,
        review: { ...current, state: 'closed' },
        audit: [line('walk-6', 'review.closed')],
      }));
      const rest = await store.listReviewPage({ openOnly: true, afterId: 'walk-4', limit: 10 });
      seen.push(...rest.map((r) => r.id));

      expect(seen).toEqual(['walk-2', 'walk-4', 'walk-5', 'walk-8']);
    });

    it('allocates references 001, 002 … per year', async () => {
      expect(await store.nextReference(2026)).toBe('RR-2026-001');
      expect(await store.nextReference(2026)).toBe('RR-2026-002');
      expect(await store.nextReference(2027)).toBe('RR-2027-001');
      expect(await store.nextReference(2026)).toBe('RR-2026-003');
    });

    it('keeps counting past 999 with more digits', async () => {
      await harness.execRaw('INSERT INTO reference_counters (year, next) VALUES (2030, 999)');
      expect(await store.nextReference(2030)).toBe('RR-2030-999');
      expect(await store.nextReference(2030)).toBe('RR-2030-1000');
    });

    it('never hands out the same reference twice, even to parallel callers on two connections', async () => {
      const second = await harness.openSecond();
      const references = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : second).nextReference(2026)),
      );
      expect(new Set(references).size).toBe(20);
      expect([...references].sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `RR-2026-${String(i + 1).padStart(3, '0')}`),
      );
    });

    it('keeps the partnership directory: empty at first, saved with its audit line, versioned, a refusal saves nothing', async () => {
      const at = '2026-12-01T10:00:00.000Z';
      expect(await store.getDirectory()).toEqual({ agencies: [], chairs: [], officers: [], version: 0 });
      const imported = directoryOf({
        agencies: [
          {
            name: 'Exampleshire Constabulary',
            kind: 'police',
            representatives: ['Sam <sam@police.example.org>'],
          },
        ],
        chairs: ['Chris <chris@example.org>'],
      });
      const first = await store.updateDirectory((current) =>
        replaceDirectory(current, imported, { system: 'test' }, at),
      );
      expect(first).toMatchObject({ ok: true, directory: { version: 1 } });
      const saved = await store.getDirectory();
      expect(saved.version).toBe(1);
      expect(saved.agencies.map((a) => a.id)).toEqual(['exampleshire-constabulary']);
      const refused = await store.updateDirectory((current) =>
        removeDirectoryAgency(current, 'no-such-agency', { name: 'Olu' }, at),
      );
      expect(refused.ok).toBe(false);
      expect((await store.getDirectory()).version).toBe(1);
      const removed = await store.updateDirectory((current) =>
        removeDirectoryAgency(current, 'exampleshire-constabulary', { name: 'Olu' }, at),
      );
      expect(removed).toMatchObject({ ok: true, directory: { version: 2, agencies: [] } });
      expect((await store.auditTrail(directoryAuditId)).map((e) => e.action)).toEqual([
        'directory.imported',
        'directory.agency.removed',
      ]);
    });

    it('migrates once: a second migrate (also from a second connection) changes nothing', async () => {
      const review = sampleReview();
      await store.createReview(review, [line(review.id, 'review.opened')]);
      await store.nextReference(2026);
      const second = await harness.openSecond();

      await Promise.all([store.migrate(), second.migrate()]);

      expect(await store.schemaVersion()).toBe(latestSchemaVersion());
      expect(await second.schemaVersion()).toBe(latestSchemaVersion());
      expect(await store.getReview(review.id)).toEqual({ ...review, version: 1 });
      expect(await store.auditTrail(review.id)).toHaveLength(1);
      expect(await store.nextReference(2026)).toBe('RR-2026-002');
    });

    it('never loses an update when two connections write the same review at once', async () => {
      const review = sampleReview();
      await store.createReview(review, []);
      const second = await harness.openSecond();

      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 25; i += 1) {
        writes.push(store.updateReview(review.id, appendSignOff(`first-${i}`)));
        writes.push(second.updateReview(review.id, appendSignOff(`second-${i}`)));
      }
      const outcomes = await Promise.all(writes);

      expect(outcomes.every((o) => (o as { ok: boolean }).ok)).toBe(true);
      const saved = await store.getReview(review.id);
      const signers = saved?.signOffs.map((s) => s.by.name) ?? [];
      expect(new Set(signers).size).toBe(50);
      expect(signers).toHaveLength(50);
      expect(saved?.version).toBe(51);
      // Each saved change carried its audit line, in the order the changes were applied.
      const audited = (await store.auditTrail(review.id)).map((e) => e.detail?.by);
      expect(audited).toEqual(signers);
    });
  });
}
