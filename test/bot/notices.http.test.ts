/**
 * Who is told (issue 11, point 8) over HTTP: North Yorkshire's Executive, chair and independent
 * scrutineer hear of a review's start, each in the place configured for the role or through the
 * business unit's channel; by reference only; recorded only once the post went; sent once, and a
 * notice whose post failed goes on a later upkeep run.
 */
import {
  businessUnitChannelId,
  openReviewValues,
  people,
  startHarness,
  teamId,
  type Harness,
} from './harness';

const textOf = (value: unknown) => JSON.stringify(value ?? {});
const executive = 'NYSCP Executive (NYP, NYCC, ICB)';

describe('notices at the start of a review (North Yorkshire)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  /** A standard channel of the partnership's team where the Executive is told. */
  async function executiveChannel(): Promise<string> {
    const response = await fetch(`${h.sandbox.url}/teams/${teamId}/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.sandbox.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Executive', membershipType: 'standard' }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  const postsIn = (channelId: string) =>
    h.connector.activities.filter((a) => a.kind === 'create' && a.channelId === channelId);

  it('tells each role once, where configured or through the business unit, after the post went', async () => {
    const channelId = await executiveChannel();
    // The Executive's channel is misconfigured at first: Teams refuses the post.
    h.app.deps.settings.noticeChannels = new Map([[executive, '19:no-such-channel@thread.tacv2']]);
    await h.client.act(people.officer, 'review.open', openReviewValues({ profileId: 'north-yorkshire' }));
    await h.app.idle();
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    if (!review) throw new Error('review not opened');

    // The chair and the scrutineer have no place of their own: the business unit is asked to pass it on.
    const business = postsIn(businessUnitChannelId).map((a) => textOf(a.activity));
    expect(business.filter((t) => t.includes('RR-2026-001 has started'))).toHaveLength(2);
    expect(business.join()).toContain('For NYSCP Chair: Rapid Review RR-2026-001 has started');
    expect(business.join()).toContain('business unit, please pass this on');
    // Nothing about the child, not even the pseudonym, outside the review's channel.
    expect(business.join()).not.toMatch(/Zebedee|Quartermaine|Child A/);
    // The failed post is not recorded as a notice.
    expect(review.notices?.map((n) => [n.role, n.via])).toEqual([
      ['NYSCP Chair', 'business-unit-channel'],
      ['NYSCP Independent Scrutineer', 'business-unit-channel'],
    ]);

    // Fixed: the next upkeep run sends what is owed, to the role's own channel, and only that.
    h.app.deps.settings.noticeChannels = new Map([[executive, channelId]]);
    const before = postsIn(businessUnitChannelId).length;
    await h.app.runUpkeep?.();
    await h.app.idle();
    expect(postsIn(channelId).map((a) => textOf(a.activity))).toEqual([
      expect.stringContaining(`For ${executive}: Rapid Review RR-2026-001 has started`),
    ]);
    expect(postsIn(businessUnitChannelId)).toHaveLength(before);
    const saved = await h.app.deps.store.getReview(review.id);
    expect(saved?.notices?.map((n) => n.role)).toEqual([
      'NYSCP Chair',
      'NYSCP Independent Scrutineer',
      executive,
    ]);
    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.filter((e) => e.action === 'notice.sent')).toHaveLength(3);

    // Each notice once: another run (a retry, a restart) posts nothing more.
    const all = h.connector.activities.length;
    await h.app.runUpkeep?.();
    await h.app.idle();
    expect(h.connector.activities.length).toBe(all);
  });

  it('tells no one at the start where the profile names no one', async () => {
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    expect(
      postsIn(businessUnitChannelId)
        .map((a) => textOf(a.activity))
        .join(),
    ).not.toContain('has started');
    expect((await h.app.deps.store.findByReference('RR-2026-001'))?.notices).toBeUndefined();
  });
});
