/**
 * The alert tick reads, a page at a time, only the open reviews that can be due: reviews swept today
 * and unchanged since are not read again, by this instance or a freshly started one. Every review
 * must still get each alert once, a review that changes between ticks must get what it newly owes on
 * the very next tick, and a change of a profile's settings makes its reviews due again.
 */
import type { Review } from '../review/model';
import { loadProfiles } from '../review/profile';
import { sampleAgencies, sampleReview } from '../test/fixtures/sampleReview';
import { openScratchDatabase, type InstanceConnection, type ScratchDatabase } from './simulation/database';
import { RecordingMessenger, SimulatedClock } from './simulation/recordingMessenger';
import { londonWallClockToInstant } from './slotFinder';
import { createAlertTick, type AlertTick } from './tick';

const profiles = loadProfiles();
const at = (day: string, hour: number, minute = 0) => londonWallClockToInstant(day, hour * 60 + minute);

function review(n: number): Review {
  const id = `review-${String(n).padStart(3, '0')}`;
  const agencies = sampleAgencies.slice(0, 3).map((a) => ({ ...a }));
  return sampleReview({
    id,
    reference: `RR-2026-${id.slice(-3)}`,
    pseudonym: 'Child Q',
    profileId: 'england',
    anchors: {
      aware: '2026-12-11',
      referral: '2026-12-14',
      sinSent: '2026-12-14',
      scopingSent: '2026-12-15',
    },
    scopingReturnDays: undefined,
    agencies,
    scopingReturns: agencies.map((a) => ({ agencyId: a.id, status: 'requested', revision: 0 })),
    openedAt: at('2026-12-22', 8).toISOString(),
    teamspace: {
      teamId: 'team',
      membersAdded: [],
      scopingCards: [],
      conversationReference: { conversation: { id: `channel-${id}` } },
    },
  });
}

describe('alert tick, page by page', () => {
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
      pageSize: 3,
    });
  }

  const postsTo = (channel: string) => teams.posts.filter((p) => p.conversationId === channel);

  it('gives every open review on every page its alerts, once', async () => {
    for (let n = 1; n <= 7; n++) await desk.store.createReview(review(n), []);
    const a = await tick('a');

    const first = await a.runOnce();
    const again = await a.runOnce();

    expect(first).toMatchObject({ reviews: 7, enqueued: 21, sent: 21 });
    // Tue 22 Dec: countdown, returns due today, the window opens tomorrow with no meeting booked.
    for (let n = 1; n <= 7; n++) expect(postsTo(`channel-review-00${n}`)).toHaveLength(3);
    // Nothing changed since: the second tick reads no review at all.
    expect(again).toMatchObject({ reviews: 0, enqueued: 0, sent: 0 });
  });

  it('lets a freshly started instance read only what can be due, not every review for every missed day', async () => {
    for (let n = 1; n <= 5; n++) await desk.store.createReview(review(n), []);
    await (await tick('a')).runOnce();
    const posted = teams.posts.length;

    clock.set(at('2026-12-22', 11));
    const fresh = await (await tick('fresh')).runOnce();
    expect(fresh).toMatchObject({ reviews: 0, enqueued: 0, superseded: 0, sent: 0 });

    // Down on Wed 23 Dec; Thu 24 Dec a fresh instance catches up each review from its own last sweep.
    clock.set(at('2026-12-24', 9));
    const thursday = await (await tick('thursday')).runOnce();
    expect(thursday.reviews).toBe(5);
    expect(await desk.outbox.list({ status: 'skipped' })).toHaveLength(5);
    const late = teams.posts
      .slice(posted)
      .filter((p) => p.text.startsWith('Catching up (alert for Wed 23 Dec)'));
    expect(new Set(late.map((p) => p.conversationId)).size).toBe(6); // five channels and the business unit's
    expect(teams.posts.slice(posted).filter((p) => /alert for Tue 22 Dec/.test(p.text))).toEqual([]);
  });

  it('makes every review of a profile due again when its settings change', async () => {
    for (let n = 1; n <= 3; n++) await desk.store.createReview(review(n), []);
    await (await tick('a')).runOnce();
    const before = teams.posts.length;

    const england = profiles.get('england');
    if (!england) throw new Error('the england profile is missing');
    const changed = new Map(profiles);
    changed.set('england', { ...england, alerts: { ...england.alerts, hour: 8 } });
    clock.set(at('2026-12-22', 9, 5));
    const connection = await db.connect();
    const result = await createAlertTick({
      store: connection.store,
      outbox: connection.outbox,
      profiles: changed,
      clock,
      messenger: teams,
      lookup: teams,
      instanceId: 'reconfigured',
      resolveTarget: async () => ({ conversation: { id: 'business-unit' } }),
    }).runOnce();

    // Worked out again under the new settings; the alerts of the day are in the outbox already.
    expect(result).toMatchObject({ reviews: 3, enqueued: 0 });
    expect(teams.posts).toHaveLength(before);
  });

  it('gives a review changed or opened since the last tick what it newly owes on the next tick', async () => {
    for (let n = 1; n <= 4; n++) await desk.store.createReview(review(n), []);
    const a = await tick('a');
    await a.runOnce();
    const before = teams.posts.length;

    // The scoping requests turn out to have gone a day earlier: the returns are overdue, not due today.
    await desk.store.updateReview('review-002', (current) => ({
      ok: true,
      review: { ...current, anchors: { ...current.anchors, scopingSent: '2026-12-14' } },
      audit: [],
    }));
    await desk.store.createReview(review(5), []);
    clock.set(at('2026-12-22', 9, 5));
    await a.runOnce();

    const since = teams.posts.slice(before);
    expect(since.filter((p) => p.conversationId === 'channel-review-002').map((p) => p.text)).toEqual([
      expect.stringMatching(/Scoping returns are overdue by 1 working day/),
    ]);
    expect(since.filter((p) => p.conversationId === 'business-unit-england').map((p) => p.text)).toEqual([
      expect.stringMatching(/^RR-2026-002 has overdue deadlines/),
    ]);
    expect(postsTo('channel-review-005')).toHaveLength(3);
    expect(since).toHaveLength(5);
  });

  it('sweeps every review again on the next working day', async () => {
    for (let n = 1; n <= 4; n++) await desk.store.createReview(review(n), []);
    const a = await tick('a');
    await a.runOnce();

    clock.set(at('2026-12-23', 9));
    await a.runOnce();

    for (let n = 1; n <= 4; n++) {
      expect(postsTo(`channel-review-00${n}`).filter((p) => /Working day 7 of 15/.test(p.text))).toHaveLength(
        1,
      );
    }
  });
});
