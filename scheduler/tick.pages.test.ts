/**
 * The alert tick reads open reviews a page at a time and skips reviews it has already swept today
 * when nothing about them changed: every review must still get each alert once, and a review that
 * changes between ticks must get what it newly owes on the very next tick.
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
      scopingCards: {},
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
    expect(again).toMatchObject({ reviews: 7, enqueued: 0, sent: 0 });
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
