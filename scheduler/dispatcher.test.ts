/**
 * The dispatcher against the SQLite outbox and a recording Teams: one post per alert, even when an
 * instance dies after Teams accepted the post and before it could record it.
 */
import type { DueAlert } from './alerts';
import {
  alertMarker,
  alertMessage,
  alertTokenIn,
  createAlertDispatcher,
  type AlertRoute,
} from './dispatcher';
import type { AlertOutbox, ClaimedAlert } from './outbox';
import { openScratchDatabase, type ScratchDatabase } from './simulation/database';
import { RecordingMessenger, SimulatedClock } from './simulation/recordingMessenger';

const t0 = new Date('2026-12-15T09:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const channel = { conversation: { id: 'review-channel' } };

/** The outbox with some methods replaced, to make an instance die at a chosen moment. */
function overriding(outbox: AlertOutbox, overrides: Partial<AlertOutbox>): AlertOutbox {
  return new Proxy(outbox, {
    get: (target, name: string) => {
      const replaced = (overrides as Record<string, unknown>)[name];
      if (replaced !== undefined) return replaced;
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function alert(n: number): DueAlert {
  return {
    key: `review-${n}:scoping-returns:due-today:2026-12-15`,
    reviewId: `review-${n}`,
    reference: `RR-2026-00${n}`,
    kind: 'scoping-returns:due-today',
    target: 'review-channel',
    dueOn: '2026-12-15',
    text: `RR-2026-00${n} (Child ${n}): Scoping returns are due today, Tue 15 Dec.`,
    mentions: [{ aadObjectId: `rep-${n}`, name: `Rep ${n}` }],
  };
}

describe('alert dispatcher', () => {
  let db: ScratchDatabase;
  let clock: SimulatedClock;
  let teams: RecordingMessenger;

  beforeEach(async () => {
    db = await openScratchDatabase('sqlite');
    clock = new SimulatedClock(t0);
    teams = new RecordingMessenger(clock);
  });

  afterEach(async () => {
    await db.cleanup();
  });

  function dispatcher(
    outbox: AlertOutbox,
    instanceId: string,
    route: (row: ClaimedAlert) => AlertRoute = () => ({ action: 'post', conversationReference: channel }),
  ) {
    return createAlertDispatcher({
      outbox,
      messenger: teams,
      lookup: teams,
      clock,
      instanceId,
      route: async (row) => route(row),
      isLate: (_row, sentAt) => sentAt.getTime() - t0.getTime() > 60 * 60_000,
    });
  }

  it('posts each alert once, with its mentions and the marker that finds it again', async () => {
    const { outbox } = await db.connect();
    await outbox.enqueue([alert(1), alert(2)], t0);

    const first = await dispatcher(outbox, 'a').dispatch();
    const second = await dispatcher(outbox, 'b').dispatch();

    expect(first).toMatchObject({ claimed: 2, sent: 2, late: 0 });
    expect(second.claimed).toBe(0);
    expect(teams.posts.map((p) => p.conversationId)).toEqual(['review-channel', 'review-channel']);
    expect(teams.posts[0]?.text).toBe(`${alert(1).text}\n\n${alertMarker(alert(1).key)}`);
    expect(teams.posts[0]?.mentions).toEqual(['Rep 1']);
    expect(await outbox.get(alert(1).key)).toMatchObject({ status: 'sent', activityId: 'activity-1' });
  });

  it('does not post again when the instance died between the post and markSent', async () => {
    const { outbox } = await db.connect();
    const { outbox: survivor } = await db.connect();
    await outbox.enqueue([alert(1)], t0);
    // The dying instance: Teams accepts its post, then the process ends before markSent.
    const dying = overriding(outbox, {
      markSent: async () => {
        throw new Error('process killed');
      },
    });
    await expect(dispatcher(dying, 'a').dispatch()).rejects.toThrow('process killed');
    expect(teams.timesPosted(alert(1).key)).toBe(1);
    expect(await survivor.get(alert(1).key)).toMatchObject({ status: 'sending', attempts: 1 });

    // Before the lease runs out nobody touches it; after, the survivor finds the post in Teams.
    clock.set(later(1));
    expect((await dispatcher(survivor, 'b').dispatch()).claimed).toBe(0);
    clock.set(later(3));
    const result = await dispatcher(survivor, 'b').dispatch();

    expect(result).toMatchObject({ claimed: 1, reconciled: 1, sent: 0 });
    expect(teams.timesPosted(alert(1).key)).toBe(1);
    expect(await survivor.get(alert(1).key)).toMatchObject({ status: 'sent', activityId: 'activity-1' });
  });

  it('posts after all when the dead instance never reached Teams', async () => {
    const { outbox } = await db.connect();
    await outbox.enqueue([alert(1)], t0);
    const unreachable = {
      post: async (): Promise<{ activityId: string }> => {
        throw new Error('connection reset');
      },
    };
    const dying = overriding(outbox, {
      markFailed: async () => {
        throw new Error('process killed');
      },
    });
    await expect(
      createAlertDispatcher({
        outbox: dying,
        messenger: unreachable,
        lookup: teams,
        clock,
        instanceId: 'a',
        route: async () => ({ action: 'post', conversationReference: channel }),
        isLate: () => false,
      }).dispatch(),
    ).rejects.toThrow('process killed');

    clock.set(later(3));
    expect(await dispatcher(outbox, 'b').dispatch()).toMatchObject({ reconciled: 0, sent: 1 });
    expect(teams.timesPosted(alert(1).key)).toBe(1);
  });

  it('retries a failed post with exponential backoff and marks it late when it finally goes', async () => {
    const { outbox } = await db.connect();
    await outbox.enqueue([alert(1)], t0);
    teams.failNext = 2;

    expect(await dispatcher(outbox, 'a').dispatch()).toMatchObject({ failed: 1, sent: 0 });
    const failed = await outbox.get(alert(1).key);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      reason: 'Error: Teams answered 502 Bad Gateway',
    });
    expect(failed?.nextAttemptAt.toISOString()).toBe(new Date(t0.getTime() + 30_000).toISOString());

    clock.set(new Date(t0.getTime() + 29_000));
    expect((await dispatcher(outbox, 'a').dispatch()).claimed).toBe(0);
    clock.set(new Date(t0.getTime() + 30_000));
    expect(await dispatcher(outbox, 'a').dispatch()).toMatchObject({ failed: 1 });
    expect((await outbox.get(alert(1).key))?.nextAttemptAt.toISOString()).toBe(
      new Date(t0.getTime() + 30_000 + 60_000).toISOString(),
    );

    clock.set(later(90));
    expect(await dispatcher(outbox, 'a').dispatch()).toMatchObject({ sent: 1, late: 1 });
    expect(teams.timesPosted(alert(1).key)).toBe(1);
    expect(await outbox.get(alert(1).key)).toMatchObject({ status: 'sent', late: true, attempts: 3 });
  });

  it('holds, skips or withdraws a row as the route says, posting none of them', async () => {
    const { outbox } = await db.connect();
    await outbox.enqueue([alert(1), alert(2), alert(3)], t0);
    const routes: Record<string, AlertRoute> = {
      'review-1': { action: 'hold', until: later(15), reason: 'no conversation for the review-channel yet' },
      'review-2': { action: 'skip', reason: "superseded by today's countdown" },
      'review-3': { action: 'withdraw', reason: 'no longer due' },
    };

    const result = await dispatcher(outbox, 'a', (row) => routes[row.reviewId] as AlertRoute).dispatch();

    expect(result).toMatchObject({ held: 1, skipped: 1, withdrawn: 1, sent: 0 });
    expect(teams.posts).toEqual([]);
    expect((await outbox.list()).map((r) => r.status)).toEqual(['queued', 'skipped', 'withdrawn']);
    clock.set(later(15));
    expect(await dispatcher(outbox, 'a').dispatch()).toMatchObject({ sent: 1 });
  });

  it('says which day a caught-up alert belongs to', () => {
    const message = alertMessage(alert(1), new Date('2026-12-16T10:00:00.000Z'));
    expect(message.text).toMatch(/^Catching up \(alert for Tue 15 Dec\): RR-2026-001/);
    expect(alertTokenIn(message.text ?? '')).toBe(alertTokenIn(alertMarker(alert(1).key)));
    expect(alertMessage(alert(1), t0).text?.startsWith('RR-2026-001')).toBe(true);
  });

  it('refuses a post timeout that could outlive the lease', async () => {
    const { outbox } = await db.connect();
    expect(() =>
      createAlertDispatcher({
        outbox,
        messenger: teams,
        lookup: teams,
        clock,
        instanceId: 'a',
        route: async () => ({ action: 'post', conversationReference: channel }),
        isLate: () => false,
        leaseMs: 60_000,
        postTimeoutMs: 30_000,
      }),
    ).toThrow(/postTimeoutMs/);
  });
});
