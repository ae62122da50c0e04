/**
 * The alert tick over a real (SQLite) store and outbox: what a review channel and the business
 * unit's channel receive, with two instances, after downtime, and outside alert hours.
 */
import type { Review } from '../review/model';
import { loadProfiles } from '../review/profile';
import { sampleAgencies, sampleReview } from '../test/fixtures/sampleReview';
import { openScratchDatabase, type InstanceConnection, type ScratchDatabase } from './simulation/database';
import { RecordingMessenger, SimulatedClock } from './simulation/recordingMessenger';
import { londonWallClockToInstant } from './slotFinder';
import { createAlertTick, startAlertTimer, type AlertTick } from './tick';

const profiles = loadProfiles();
const at = (day: string, hour: number, minute = 0) => londonWallClockToInstant(day, hour * 60 + minute);

function review(id: string, overrides: Partial<Review> = {}): Review {
  const agencies = sampleAgencies.slice(0, 3).map((a) => ({ ...a }));
  return sampleReview({
    id,
    reference: `RR-2026-${id.slice(-3)}`,
    pseudonym: 'Child Q',
    anchors: {
      aware: '2026-12-11',
      referral: '2026-12-14',
      sinSent: '2026-12-14',
      scopingSent: '2026-12-15',
    },
    scopingReturnDays: undefined,
    agencies,
    scopingReturns: agencies.map((a) => ({ agencyId: a.id, status: 'requested', revision: 0 })),
    // Opened the morning of the first tick, so a fresh instance has no earlier days to catch up.
    openedAt: at('2026-12-22', 8).toISOString(),
    teamspace: {
      teamId: 'team',
      membersAdded: [],
      scopingCards: [],
      conversationReference: { conversation: { id: `channel-${id}` } },
    },
    ...overrides,
  });
}

describe('alert tick', () => {
  let db: ScratchDatabase;
  let clock: SimulatedClock;
  let teams: RecordingMessenger;
  let desk: InstanceConnection;

  beforeEach(async () => {
    db = await openScratchDatabase('sqlite');
    clock = new SimulatedClock(at('2026-12-22', 9));
    teams = new RecordingMessenger(clock);
    desk = await db.connect();
  });

  afterEach(async () => {
    await db.cleanup();
  });

  async function tick(name: string): Promise<AlertTick> {
    const connection = await db.connect();
    return createAlertTick({
      store: connection.store,
      outbox: connection.outbox,
      profiles,
      clock,
      messenger: teams,
      lookup: teams,
      instanceId: name,
      resolveTarget: async (_target, _review, profile) => ({
        conversation: { id: `business-unit-${profile.id}` },
      }),
    });
  }

  it('posts each due alert to its channel once, however many instances tick', async () => {
    await desk.store.createReview(review('review-001'), []);
    await desk.store.createReview(review('review-002', { state: 'closed' }), []);
    const [a, b] = [await tick('a'), await tick('b')];

    const results = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);

    // Tue 22 Dec: countdown, returns due today, the window opens tomorrow with no meeting booked.
    expect(teams.posts.map((p) => p.conversationId)).toEqual([
      'channel-review-001',
      'channel-review-001',
      'channel-review-001',
    ]);
    expect(
      teams.posts.map((p) => p.text.split(':')[1]?.trim().split(' ').slice(0, 3).join(' ')).sort(),
    ).toEqual(['No review meeting', 'Scoping returns are', 'Working day 6']);
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(3);
    expect(results.reduce((sum, r) => sum + r.enqueued, 0)).toBe(3);
  });

  it('sends escalations to the business unit channel the bot names', async () => {
    await desk.store.createReview(review('review-001'), []);
    clock.set(at('2026-12-23', 9, 5));
    await (await tick('a')).runOnce();

    const escalation = teams.posts.find((p) => p.conversationId === 'business-unit-england');
    expect(escalation?.text).toMatch(
      /^RR-2026-001 has overdue deadlines: Scoping returns due \(was due Tue 22 Dec\)\./,
    );
  });

  it('catches up after downtime: earlier alerts once and marked late, earlier countdowns skipped', async () => {
    await desk.store.createReview(review('review-001'), []);
    await (await tick('a')).runOnce();
    const tuesday = teams.posts.length;
    // Every instance down from Tue 22 Dec evening until 10:00 on Tue 29 Dec (Christmas in between).
    clock.set(at('2026-12-29', 10));
    const fresh = await tick('b');
    const result = await fresh.runOnce();
    teams.posts.splice(0, tuesday);

    const texts = teams.posts.map((p) => p.text);
    expect(texts.filter((t) => t.startsWith('Catching up (alert for Wed 23 Dec)'))).toHaveLength(2);
    expect(texts.filter((t) => t.startsWith('Catching up (alert for Thu 24 Dec)'))).toHaveLength(2);
    expect(texts.filter((t) => /Working day \d+ of 15/.test(t))).toEqual([
      expect.stringMatching(/^RR-2026-001 \(Child Q\): Working day 9 of 15/),
    ]);
    expect(result).toMatchObject({ superseded: 2, late: 4 });
    const skipped = await desk.outbox.list({ status: 'skipped' });
    expect(skipped.map((r) => r.key)).toEqual([
      'review-001:countdown:2026-12-23',
      'review-001:countdown:2026-12-24',
    ]);

    // Another instance starting now adds nothing: everything owed is already sent or recorded.
    const before = teams.posts.length;
    await (await tick('c')).runOnce();
    expect(teams.posts).toHaveLength(before);
  });

  it('posts nothing before the alert hour or on a bank holiday, and holds what is queued until then', async () => {
    await desk.store.createReview(review('review-001'), []);
    const a = await tick('a');
    clock.set(at('2026-12-24', 9, 30));
    await a.runOnce();
    const thursday = teams.posts.length;

    for (const [day, hour] of [
      ['2026-12-25', 12],
      ['2026-12-28', 12],
      ['2026-12-29', 8],
    ] as const) {
      clock.set(at(day, hour, 55));
      expect(await a.runOnce()).toMatchObject({ enqueued: 0, sent: 0 });
    }
    expect(teams.posts).toHaveLength(thursday);
    clock.set(at('2026-12-29', 9));
    expect((await a.runOnce()).sent).toBeGreaterThan(0);
  });

  it('withdraws a queued alert whose milestone was met before it could be posted', async () => {
    const created = await desk.store.createReview(
      review('review-001', { teamspace: { membersAdded: [], scopingCards: [] } }),
      [],
    );
    const a = await tick('a');
    await a.runOnce(); // no channel yet: held
    expect(teams.posts).toEqual([]);
    await desk.store.updateReview(created.id, (r) => ({
      ok: true,
      audit: [],
      review: {
        ...r,
        teamspace: { ...r.teamspace, conversationReference: { conversation: { id: 'channel-late' } } },
        scopingReturns: r.scopingReturns.map((ret) => ({
          ...ret,
          status: 'submitted',
          submittedAt: at('2026-12-22', 9, 10).toISOString(),
        })),
      },
    }));

    clock.set(at('2026-12-22', 9, 20));
    const result = await a.runOnce();

    expect(result.withdrawn).toBe(1);
    expect(teams.posts.some((p) => p.text.includes('Scoping returns'))).toBe(false);
    expect(await desk.outbox.get('review-001:scoping-returns:due-today:2026-12-22')).toMatchObject({
      status: 'withdrawn',
    });
  });

  it('runs on a cron schedule until stopped', async () => {
    let runs = 0;
    const counting: AlertTick = {
      runOnce: async () => {
        runs += 1;
        return {
          reviews: 0,
          enqueued: 0,
          superseded: 0,
          claimed: 0,
          sent: 0,
          late: 0,
          reconciled: 0,
          failed: 0,
          held: 0,
          skipped: 0,
          withdrawn: 0,
          lost: 0,
        };
      },
    };
    const timer = startAlertTimer(counting, { cron: '* * * * * *', clock });
    expect(timer.nextRun()).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    timer.stop();
    const stoppedAt = runs;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(stoppedAt).toBeGreaterThanOrEqual(1);
    expect(runs).toBe(stoppedAt);
    expect(timer.nextRun()).toBeNull();
  });
});
