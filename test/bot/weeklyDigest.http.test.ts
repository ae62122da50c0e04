/**
 * Issue 13 point 5: the weekly digest reaches the business unit's channel by itself on Monday morning
 * at the alert hour (the next working day when Monday is a bank holiday), once a week, by reference
 * only, recorded only after Teams accepted it. On the bot's clock.
 */
import { weeklyDigestPosted, weeklyDigestToken } from '../../bot/flows/weeklyDigestPost';
import { partnershipAuditId } from '../../review/refusals';
import { londonWallClockToInstant } from '../../scheduler/slotFinder';
import {
  businessUnitChannelId,
  fixedClock,
  openReviewValues,
  people,
  startHarness,
  type Harness,
} from './harness';

describe('the weekly digest, posted on Monday morning', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');

  /** Threads started in the business unit's channel since `from`. */
  function digestsSince(from: number): string[] {
    return h.connector.activities
      .slice(from)
      .filter((a) => a.kind === 'create' && a.channelId === businessUnitChannelId)
      .map((a) => JSON.stringify(a.activity))
      .filter((text) => text.includes('Week of'));
  }

  async function upkeepAt(day: string, minutes: number) {
    clock.set(londonWallClockToInstant(day, minutes).toISOString());
    const result = await h.app.runUpkeep?.();
    if (!result) throw new Error('upkeep is not running');
    return result;
  }

  beforeEach(async () => {
    clock.set('2026-12-02T10:00:00.000Z');
    h = await startHarness({ clock });
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
  });
  afterEach(async () => h.close());

  it('posts once on Monday at the alert hour, not before, not again that week', async () => {
    const before = h.connector.activities.length;
    await upkeepAt('2026-12-07', 8 * 60 + 50);
    expect(digestsSince(before)).toHaveLength(0);
    const posted = await upkeepAt('2026-12-07', 9 * 60 + 2);
    expect(posted.weeklyDigest).toBe(1);
    const digests = digestsSince(before);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain('Week of Mon 7 Dec');
    expect(digests[0]).toContain('RR-2026-001');
    for (const detail of ['Zebedee', 'Quartermaine', 'Child A', 'Nowhere Lane']) {
      expect(digests[0]).not.toContain(detail);
    }
    const trail = await h.app.deps.store.auditTrail(partnershipAuditId);
    expect(trail.filter((line) => line.action === weeklyDigestPosted)).toHaveLength(1);

    await upkeepAt('2026-12-07', 9 * 60 + 4);
    await upkeepAt('2026-12-07', 16 * 60);
    await upkeepAt('2026-12-08', 9 * 60 + 2);
    expect(digestsSince(before)).toHaveLength(1);
    // The next week's Monday gets its own.
    await upkeepAt('2026-12-14', 9 * 60 + 2);
    expect(digestsSince(before)).toHaveLength(2);
  });

  it('moves to Tuesday when Monday is a bank holiday (the substitute Boxing Day, 28 Dec 2026)', async () => {
    const before = h.connector.activities.length;
    await upkeepAt('2026-12-28', 10 * 60);
    expect(digestsSince(before)).toHaveLength(0);
    await upkeepAt('2026-12-29', 9 * 60 + 2);
    const digests = digestsSince(before);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain('Week of Tue 29 Dec');
    await upkeepAt('2026-12-30', 9 * 60 + 2);
    expect(digestsSince(before)).toHaveLength(1);
  });

  it('records nothing when Teams refuses the post, and posts once at the next upkeep', async () => {
    const before = h.connector.activities.length;
    // The connector retries a 503 itself; a refusal that lasts is what reaches the flow.
    h.connector.failNext('create', 1000, 503);
    const refused = await upkeepAt('2026-12-07', 9 * 60 + 2);
    h.connector.failNext('create', 0);
    expect(refused.weeklyDigest).toBeNull();
    let trail = await h.app.deps.store.auditTrail(partnershipAuditId);
    expect(trail.filter((line) => line.action === weeklyDigestPosted)).toHaveLength(0);
    await upkeepAt('2026-12-07', 9 * 60 + 4);
    expect(digestsSince(before)).toHaveLength(1);
    trail = await h.app.deps.store.auditTrail(partnershipAuditId);
    expect(trail.filter((line) => line.action === weeklyDigestPosted)).toHaveLength(1);
  });

  it('finds a digest Teams accepted before a crash, and does not post it again', async () => {
    // As if an instance died after Teams accepted the post and before the audit line was written.
    await h.app.deps.messenger.startThread(businessUnitChannelId, {
      text: `**Week of Mon 7 Dec: 1 open review**\n\ndigest ref ${weeklyDigestToken('2026-12-07')}`,
    });
    const before = h.connector.activities.length;
    await upkeepAt('2026-12-07', 9 * 60 + 2);
    expect(digestsSince(before)).toHaveLength(0);
    const trail = await h.app.deps.store.auditTrail(partnershipAuditId);
    const lines = trail.filter((line) => line.action === weeklyDigestPosted);
    expect(lines).toHaveLength(1);
    expect(lines[0].detail).toMatchObject({ week: '2026-12-07', foundInChannel: true });
  });
});
