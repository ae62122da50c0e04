/**
 * The one contract every AlertOutbox keeps, run against SQLite (a temp file, two connections) and
 * PostgreSQL (a fresh schema, two pools). PostgreSQL is required (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test); RR_SKIP_POSTGRES=1 skips it on a machine without one.
 */
import type { DueAlert } from '../scheduler/alerts';
import type { AlertOutbox } from '../scheduler/outbox';
import {
  assertPostgresReachable,
  defaultDatabaseUrl,
  openScratchDatabase,
  type ScratchDatabase,
  type StoreKind,
} from '../scheduler/simulation/database';

const t0 = new Date('2026-12-15T09:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const lease = 2 * 60_000;

function alert(n: number, overrides: Partial<DueAlert> = {}): DueAlert {
  const dueOn = `2026-12-${String(14 + (n % 3)).padStart(2, '0')}`;
  return {
    key: `review-${n}:countdown:${dueOn}`,
    reviewId: `review-${n}`,
    reference: `RR-2026-${String(n).padStart(3, '0')}`,
    kind: 'countdown',
    target: 'review-channel',
    dueOn,
    text: `RR-2026-${String(n).padStart(3, '0')} (Child ${n}): Working day ${n} of 15 — “quoted” & <tagged>`,
    mentions: [{ aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `Rep ${n}` }],
    ...overrides,
  };
}

function describeOutboxContract(kind: StoreKind): void {
  describe(`AlertOutbox contract: ${kind}`, () => {
    let db: ScratchDatabase;
    let outbox: AlertOutbox;
    let second: AlertOutbox;

    beforeEach(async () => {
      db = await openScratchDatabase(kind);
      outbox = (await db.connect()).outbox;
      second = (await db.connect()).outbox;
    });

    afterEach(async () => {
      await db?.cleanup();
    });

    it('stores an alert once however often and by however many instances it is enqueued', async () => {
      const alerts = [alert(1), alert(2), alert(3)];
      expect(await outbox.enqueue(alerts, t0)).toBe(3);
      expect(await outbox.enqueue(alerts, minutes(5))).toBe(0);
      expect(await second.enqueue([alert(3), alert(4)], minutes(5))).toBe(1);

      const rows = await second.list();
      expect(rows.map((r) => r.key).sort()).toEqual([1, 2, 3, 4].map((n) => alert(n).key).sort());
      const first = rows.find((r) => r.key === alert(1).key);
      expect(first).toMatchObject({
        reviewId: 'review-1',
        reference: 'RR-2026-001',
        kind: 'countdown',
        target: 'review-channel',
        dueOn: alert(1).dueOn,
        text: alert(1).text,
        mentions: alert(1).mentions,
        status: 'queued',
        attempts: 0,
        late: false,
      });
      // The first enqueue's time stands: a later duplicate does not push the row back.
      expect(first?.createdAt.toISOString()).toBe(t0.toISOString());
    });

    it('never leases one row to two instances claiming at once', async () => {
      const alerts = Array.from({ length: 60 }, (_, n) => alert(n));
      await outbox.enqueue(alerts, t0);

      const [a, b] = await Promise.all([
        outbox.claim('instance-a', minutes(1), 40, lease),
        second.claim('instance-b', minutes(1), 40, lease),
      ]);

      const keysA = a.map((r) => r.key);
      const keysB = b.map((r) => r.key);
      expect(keysA.filter((key) => keysB.includes(key))).toEqual([]);
      expect(new Set([...keysA, ...keysB]).size).toBe(60);
      expect(a.every((r) => r.claimedBy === 'instance-a' && r.status === 'claimed')).toBe(true);
      expect(a[0]?.leaseUntil.toISOString()).toBe(new Date(minutes(1).getTime() + lease).toISOString());
    });

    it('hands out every row exactly once when four connections drain the outbox together', async () => {
      const connections = [outbox, second, (await db.connect()).outbox, (await db.connect()).outbox];
      await outbox.enqueue(
        Array.from({ length: 200 }, (_, n) => alert(n)),
        t0,
      );
      const claimed: string[] = [];
      await Promise.all(
        connections.map(async (connection, index) => {
          for (;;) {
            const rows = await connection.claim(`instance-${index}`, minutes(1), 7, lease);
            if (rows.length === 0) return;
            claimed.push(...rows.map((r) => r.key));
          }
        }),
      );
      expect(claimed).toHaveLength(200);
      expect(new Set(claimed).size).toBe(200);
    });

    it('keeps a held row from others until its lease runs out, then lets another instance take it', async () => {
      await outbox.enqueue([alert(1)], t0);
      expect(await outbox.claim('instance-a', minutes(1), 10, lease)).toHaveLength(1);

      expect(await second.claim('instance-b', minutes(2), 10, lease)).toEqual([]);
      const retaken = await second.claim('instance-b', minutes(3), 10, lease);

      expect(retaken.map((r) => r.claimedBy)).toEqual(['instance-b']);
      // The first holder lost its claim: it may not start posting.
      expect(await outbox.markSending(alert(1).key, 'instance-a', minutes(3), lease)).toBe(false);
      expect(await second.markSending(alert(1).key, 'instance-b', minutes(3), lease)).toBe(true);
    });

    it('refuses to start an attempt on an expired lease, and counts the attempts that did start', async () => {
      await outbox.enqueue([alert(1)], t0);
      await outbox.claim('instance-a', minutes(1), 10, lease);
      expect(await outbox.markSending(alert(1).key, 'instance-a', minutes(4), lease)).toBe(false);

      const [again] = await outbox.claim('instance-a', minutes(4), 10, lease);
      expect(again?.attempts).toBe(0);
      expect(await outbox.markSending(alert(1).key, 'instance-a', minutes(4), lease)).toBe(true);
      // A sending row whose instance died is claimable after the renewed lease, and says an attempt
      // was made (so the dispatcher asks Teams before posting it again).
      expect(await second.claim('instance-b', minutes(5), 10, lease)).toEqual([]);
      const [reclaimed] = await second.claim('instance-b', minutes(7), 10, lease);
      expect(reclaimed).toMatchObject({ key: alert(1).key, attempts: 1, claimedBy: 'instance-b' });
    });

    it('does not hand out a row before the time it was enqueued for', async () => {
      await outbox.enqueue([alert(1)], minutes(30));
      expect(await outbox.claim('instance-a', minutes(29), 10, lease)).toEqual([]);
      expect(await outbox.claim('instance-a', minutes(30), 10, lease)).toHaveLength(1);
    });

    it('keeps a sent row sent: never claimed again, not re-queued by enqueue, first activity kept', async () => {
      await outbox.enqueue([alert(1)], t0);
      await outbox.claim('instance-a', minutes(1), 10, lease);
      await outbox.markSending(alert(1).key, 'instance-a', minutes(1), lease);
      await outbox.markSent(alert(1).key, 'activity-1', minutes(1), false);
      await second.markSent(alert(1).key, 'activity-2', minutes(9), true);
      await second.enqueue([alert(1)], minutes(10));

      expect(await second.claim('instance-b', minutes(60), 10, lease)).toEqual([]);
      expect(await second.get(alert(1).key)).toMatchObject({
        status: 'sent',
        activityId: 'activity-1',
        late: false,
        claimedBy: null,
        leaseUntil: null,
      });
      expect((await second.get(alert(1).key))?.sentAt?.toISOString()).toBe(minutes(1).toISOString());
    });

    it('retries a failed row from its next attempt time, keeping the attempt count and the error', async () => {
      await outbox.enqueue([alert(1)], t0);
      await outbox.claim('instance-a', minutes(1), 10, lease);
      await outbox.markSending(alert(1).key, 'instance-a', minutes(1), lease);
      await outbox.markFailed(alert(1).key, 'Teams said 502', minutes(6));

      expect(await second.get(alert(1).key)).toMatchObject({ status: 'failed', reason: 'Teams said 502' });
      expect(await second.claim('instance-b', minutes(5), 10, lease)).toEqual([]);
      const [retry] = await second.claim('instance-b', minutes(6), 10, lease);
      expect(retry?.attempts).toBe(1);
    });

    it('gives a claim back untouched with release, and ends it with settle', async () => {
      await outbox.enqueue([alert(1), alert(2)], t0);
      await outbox.claim('instance-a', minutes(1), 10, lease);
      await outbox.release(alert(1).key, 'instance-a', minutes(20), 'channel not set up yet');
      await outbox.settle(alert(2).key, 'instance-a', 'withdrawn', 'returns are all in');
      // Only the holder may release or settle.
      await second.settle(alert(1).key, 'instance-b', 'skipped', 'not mine');

      expect(await second.get(alert(1).key)).toMatchObject({ status: 'queued', attempts: 0 });
      expect(await second.get(alert(2).key)).toMatchObject({
        status: 'withdrawn',
        reason: 'returns are all in',
      });
      expect((await second.claim('instance-b', minutes(20), 10, lease)).map((r) => r.key)).toEqual([
        alert(1).key,
      ]);
    });

    it('records superseded alerts as skipped without touching rows already there', async () => {
      await outbox.enqueue([alert(1)], t0);
      expect(await outbox.recordSkipped([alert(1), alert(2)], minutes(1), 'superseded')).toBe(1);

      expect(await outbox.get(alert(1).key)).toMatchObject({ status: 'queued' });
      expect(await outbox.get(alert(2).key)).toMatchObject({ status: 'skipped', reason: 'superseded' });
      expect((await outbox.claim('instance-a', minutes(60), 10, lease)).map((r) => r.key)).toEqual([
        alert(1).key,
      ]);
    });

    it('counts rows by status and lists them by status or review', async () => {
      await outbox.enqueue([alert(1), alert(2), alert(3)], t0);
      await outbox.claim('instance-a', minutes(1), 1, lease);
      const [first] = await outbox.list({ status: 'claimed' });
      await outbox.markSending(first?.key ?? '', 'instance-a', minutes(1), lease);
      await outbox.markSent(first?.key ?? '', 'activity-1', minutes(2), true);

      const stats = await second.stats();
      expect(stats).toMatchObject({ total: 3, sent: 1, queued: 2, late: 1, failed: 0 });
      expect((await second.list({ reviewId: 'review-2' })).map((r) => r.key)).toEqual([alert(2).key]);
      expect(await second.list({ status: 'failed' })).toEqual([]);
    });
  });
}

describeOutboxContract('sqlite');

if (process.env.RR_SKIP_POSTGRES === '1') {
  describe.skip('AlertOutbox contract: postgres (skipped: RR_SKIP_POSTGRES=1)', () => {
    it('runs only with a PostgreSQL server', () => undefined);
  });
} else {
  describe('PostgreSQL', () => {
    beforeAll(async () => {
      await assertPostgresReachable(process.env.DATABASE_URL ?? defaultDatabaseUrl);
    });
    describeOutboxContract('postgres');
  });
}
