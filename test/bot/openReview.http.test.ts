/**
 * A review end to end through the real HTTP endpoint: Teams-shaped activities in, the bot's replies
 * out through a fake connector, Graph played by the local sandbox.
 */
import { scopingCardOf } from '../../review/lifecycle';
import { cardOf } from '../teamsClient/teamsClient';
import {
  businessUnitChannelId,
  openReviewValues,
  people,
  reviewChannels,
  scopingReturnValues,
  startHarness,
  teamId,
  type Harness,
} from './harness';

const childName = 'Zebedee Quartermaine';

function textOf(card: unknown): string {
  return JSON.stringify(card ?? {});
}

describe('a review, end to end over HTTP', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  async function openReview(overrides: Record<string, string> = {}) {
    const result = await h.client.act(people.officer, 'review.open', openReviewValues(overrides));
    await h.app.idle();
    const review = await h.app.deps.store.findByReference(overrides.reference ?? 'RR-2026-001');
    if (!review) throw new Error(`review not opened: ${textOf(cardOf(result)).slice(0, 600)}`);
    return { result, review };
  }

  it('opens a review: one channel named by reference, members, a welcome card and one scoping card per agency', async () => {
    const before = h.connector.activities.length;
    const asked = await h.client.say(people.officer, 'open review');
    expect(asked.status).toBe(200);
    const form = h.client.since(before).find((a) => a.kind === 'reply');
    expect(textOf(form?.activity)).toContain('RR-2026-001');

    const { review } = await openReview();
    const channels = reviewChannels(h);
    expect(channels.map((c: { displayName: string }) => c.displayName)).toEqual(['RR-2026-001']);
    expect(review.state).toBe('scoping');
    expect(review.anchors.scopingSent).toBeDefined();

    const threads = h.connector.activities.filter((a) => a.kind === 'create');
    expect(threads).toHaveLength(1 + 4);
    expect(new Set(threads.map((t) => t.channelId))).toEqual(new Set([review.teamspace.channelId]));
    // The subject's details are posted only inside the review's restricted channel.
    expect(textOf(threads[0].activity)).toContain(childName);
    expect(review.teamspace.scopingCards.map((card) => card.agencyId).sort()).toEqual(
      review.agencies.map((a) => a.id).sort(),
    );

    // Each agency's card gives its own representatives (and the business unit) their own view.
    const police = review.agencies.find((a) => a.kind === 'police');
    const policeCard = threads.find(
      (t) => t.activityId === scopingCardOf(review, police?.id ?? '')?.activityId,
    );
    const refresh = (
      policeCard?.activity.attachments as { content: { refresh?: { userIds?: string[] } } }[]
    )[0].content.refresh;
    expect(refresh?.userIds?.sort()).toEqual([people.officer.id, people.policeRep.id].sort());

    // Outside the channel the review is its reference and pseudonym only.
    expect(channels[0].displayName).not.toContain('Zebedee');
    const elsewhere = h.connector.activities.filter((a) => a.kind !== 'create');
    for (const activity of elsewhere) expect(textOf(activity.activity)).not.toContain(childName);
  });

  it('takes a return from the agency’s representative, updates the shared card, and shows it in status', async () => {
    const { review } = await openReview();
    const police = review.agencies.find((a) => a.kind === 'police');
    if (!police) throw new Error('no police agency');
    const where = { kind: 'channel' as const, channelId: review.teamspace.channelId as string, teamId };

    const view = await h.client.act(
      people.policeRep,
      'scopingReturn.refresh',
      { reviewId: review.id, agencyId: police.id },
      where,
    );
    expect(textOf(cardOf(view))).toContain('scopingReturn.submit');

    const updatesBefore = h.connector.activities.filter((a) => a.kind === 'update').length;
    const submitted = await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: police.id, ...scopingReturnValues() },
      where,
    );
    expect(submitted.status).toBe(200);
    expect(textOf(cardOf(submitted)).slice(0, 2000)).not.toMatch(/Please correct|Not done/);
    const saved = await h.app.deps.store.getReview(review.id);
    expect(saved?.scopingReturns.find((r) => r.agencyId === police.id)).toMatchObject({
      status: 'submitted',
      revision: 1,
      submittedBy: { email: people.policeRep.email },
    });
    // The shared card is refreshed for everyone right after the reply.
    await h.app.idle();
    const updates = h.connector.activities.filter((a) => a.kind === 'update');
    expect(updates.length).toBe(updatesBefore + 1);
    expect(updates.at(-1)?.activityId).toBe(scopingCardOf(review, police.id)?.activityId);

    const before = h.connector.activities.length;
    await h.client.say(people.officer, 'status', where);
    const status = h.client.since(before).find((a) => a.kind === 'reply');
    expect(textOf(status?.activity)).toContain(police.name);
    expect(textOf(status?.activity)).toMatch(/[Ss]ubmitted/);
  });

  it('flags a return saying records are not secured or no alert was added to the business unit, by reference only', async () => {
    const { review } = await openReview();
    const police = review.agencies.find((a) => a.kind === 'police');
    if (!police) throw new Error('no police agency');
    const where = { kind: 'channel' as const, channelId: review.teamspace.channelId as string, teamId };
    const toBusinessUnit = (since: number) =>
      h.connector.activities
        .slice(since)
        .filter((a) => a.conversationId.startsWith(businessUnitChannelId))
        .map((a) => textOf(a.activity));
    const unsecured = scopingReturnValues({
      recordsSecured: 'false',
      recordsSecuredOn: '',
      recordsSecuredBy: '',
      alertAdded: 'false',
    });

    // A post that fails records nothing, so the next submission tries again.
    const startThread = jest
      .spyOn(h.app.deps.messenger, 'startThread')
      .mockRejectedValueOnce(new Error('Teams unavailable'));
    let mark = h.connector.activities.length;
    await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: police.id, ...unsecured },
      where,
    );
    await h.app.idle();
    expect((await h.app.deps.store.getReview(review.id))?.scopingFlags).toBeUndefined();
    startThread.mockRestore();

    mark = h.connector.activities.length;
    await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: police.id, ...unsecured, revision: '1' },
      where,
    );
    await h.app.idle();
    const flags = toBusinessUnit(mark);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toContain(
      'RR-2026-001: the scoping return of Exampleshire Police says records not secured',
    );
    expect(flags[0]).toContain('alert on the records');
    expect(flags[0]).not.toContain(childName);
    expect(flags[0]).not.toContain('Child A');
    const saved = await h.app.deps.store.getReview(review.id);
    expect(saved?.scopingFlags).toEqual([
      expect.objectContaining({ agencyId: police.id, revision: 2, concerns: expect.any(Array) }),
    ]);
    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.some((a) => a.action === 'scoping.flagged')).toBe(true);

    // The same answers again flag nothing more; the status view marks the return.
    mark = h.connector.activities.length;
    await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: police.id, ...unsecured, revision: '2' },
      where,
    );
    await h.app.idle();
    expect(toBusinessUnit(mark)).toEqual([]);
    mark = h.connector.activities.length;
    await h.client.say(people.officer, 'status', where);
    const status = h.client.since(mark).find((a) => a.kind === 'reply');
    expect(textOf(status?.activity)).toContain('needs attention: records not secured');
  });

  it('refuses a return from another agency’s representative, audits it, and changes nothing', async () => {
    const { review } = await openReview();
    const police = review.agencies.find((a) => a.kind === 'police');
    if (!police) throw new Error('no police agency');
    const where = { kind: 'channel' as const, channelId: review.teamspace.channelId as string, teamId };
    const result = await h.client.act(
      people.schoolRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: police.id, ...scopingReturnValues() },
      where,
    );
    expect(textOf(cardOf(result))).toContain('only Exampleshire Police');
    const after = await h.app.deps.store.getReview(review.id);
    expect(after?.scopingReturns.find((r) => r.agencyId === police.id)?.status).toBe('requested');
    expect(after?.version).toBe((await h.app.deps.store.getReview(review.id))?.version);
    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.at(-1)).toMatchObject({
      action: 'scoping-return.submitted.refused',
      detail: { agencyId: police.id },
    });
  });

  it('shows an invalid return with each field’s problem and saves nothing', async () => {
    const { review } = await openReview();
    const la = review.agencies.find((a) => a.kind === 'local-authority');
    if (!la) throw new Error('no local authority');
    const versionBefore = review.version;
    const where = { kind: 'channel' as const, channelId: review.teamspace.channelId as string, teamId };
    const result = await h.client.act(
      people.laRep,
      'scopingReturn.submit',
      {
        reviewId: review.id,
        agencyId: la.id,
        ...scopingReturnValues({ recordsSecuredOn: '', periodFrom: '2026-12-01', periodTo: '2026-01-01' }),
      },
      where,
    );
    const card = textOf(cardOf(result));
    expect(card).toContain('recordsSecuredOn');
    expect(card).toMatch(/Required when records are secured/i);
    const after = await h.app.deps.store.getReview(review.id);
    expect(after?.version).toBe((await h.app.deps.store.getReview(review.id))?.version);
    expect(after?.scopingReturns.find((r) => r.agencyId === la.id)?.status).toBe('requested');
    expect(after?.version).toBeGreaterThanOrEqual(versionBefore);
  });

  it('refuses to show the open-review form in a review channel, where representatives read', async () => {
    const { review } = await openReview();
    const before = h.connector.activities.length;
    await h.client.say(people.officer, 'open review', {
      kind: 'channel',
      channelId: review.teamspace.channelId as string,
      teamId,
    });
    const reply = h.client.since(before).find((a) => a.kind === 'reply');
    expect(textOf(reply?.activity)).toMatch(/1:1 chat/);
  });

  it('still creates exactly one channel when Graph answers 429, then 503, then success', async () => {
    h.sandbox.injectFaults({ method: 'POST', path: /\/channels$/ }, [
      { status: 429, retryAfterSeconds: 1 },
      { status: 503 },
    ]);
    await openReview();
    expect(reviewChannels(h)).toHaveLength(1);
    const posts = h.sandbox.requests.filter((r) => r.method === 'POST' && /\/channels$/.test(r.path));
    expect(posts.map((r) => r.status)).toEqual([429, 503, 201]);
  });
});
