/**
 * Issue 12, point 12: refused attempts that change nothing still leave an audit line with no subject
 * data in it (tampered card data, opening a review from outside the business unit), and `status` in a
 * review channel answers only that review's people — over HTTP against the real bot.
 */
import type { AuditEvent, Review } from '../../review/model';
import { partnershipAuditId } from '../../review/refusals';
import { cardOf, type Where } from '../teamsClient/teamsClient';
import { openReviewValues, people, scopingReturnValues, startHarness, teamId, type Harness } from './harness';

const identifying = ['Zebedee', 'Quartermaine', 'Yolanda', 'Nowhere Lane', '2015-04-02'];

function expectNoSubjectData(trail: readonly AuditEvent[]): void {
  const text = JSON.stringify(trail);
  for (const word of identifying)
    expect({ word, found: text.includes(word) }).toEqual({ word, found: false });
}

describe('refused attempts are audited; status answers only the review’s people (issue 12, point 12)', () => {
  let h: Harness;
  let review: Review;
  let where: Where;

  beforeEach(async () => {
    h = await startHarness();
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    review = (await h.app.deps.store.findByReference('RR-2026-001')) as Review;
    where = { kind: 'channel', channelId: review.teamspace.channelId as string, teamId };
  });
  afterEach(async () => h.close());

  const refusals = async (reviewId: string) =>
    (await h.app.deps.store.auditTrail(reviewId)).filter((e) => e.action.endsWith('.refused'));

  async function replyTo(user: (typeof people)[keyof typeof people], text: string, at: Where) {
    const before = h.connector.activities.length;
    await h.client.say(user, text, at);
    return JSON.stringify(
      h.connector.activities.slice(before).find((a) => a.kind === 'reply')?.activity ?? {},
    );
  }

  it('audits someone outside the business unit asking for the form or sending it, without what they typed', async () => {
    expect(await replyTo(people.outsider, 'open review', { kind: 'personal' })).toContain(
      'Only the safeguarding partnership’s business unit can open a review',
    );
    const sent = await h.client.act(
      people.outsider,
      'review.open',
      openReviewValues({ reference: 'RR-2026-002' }),
    );
    expect(JSON.stringify(cardOf(sent))).toContain('business unit can open a review');
    expect(await h.app.deps.store.findByReference('RR-2026-002')).toBeUndefined();

    const trail = await refusals(partnershipAuditId);
    expect(trail).toHaveLength(2);
    for (const line of trail) {
      expect(line).toMatchObject({
        action: 'review.open.refused',
        actor: { aadObjectId: people.outsider.aadObjectId },
        detail: { reason: 'not-business-unit', place: 'personal' },
      });
    }
    expectNoSubjectData(trail);
  });

  it('audits tampered card data — an unknown verb, a review id that is not text, a scoping card pressed elsewhere, values that are not text', async () => {
    const police = review.agencies.find((a) => a.kind === 'police');
    const withName = scopingReturnValues({
      natureOfInvolvement: 'Saw Zebedee Quartermaine at 1 Nowhere Lane',
    });
    await h.client.act(people.policeRep, 'review.delete', { reviewId: review.id });
    await h.client.act(people.policeRep, 'scopingReturn.refresh', { reviewId: { $ne: '' } }, where);
    await h.client.submit(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: police?.id, ...withName },
      { kind: 'personal' },
    );
    const confused = await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      {
        reviewId: review.id,
        agencyId: police?.id,
        ...withName,
        keyContacts: { toString: 1 },
        alertAdded: ['true'],
      },
      where,
    );
    expect(JSON.stringify(cardOf(confused))).toContain('Must be text');
    await h.app.idle();

    const anywhere = await refusals(partnershipAuditId);
    expect(anywhere.map((e) => [e.action, e.detail?.reason])).toEqual([
      ['card-action.refused', 'unknown-verb'],
      ['scopingReturn.refresh.refused', 'bad-review-id'],
    ]);
    const own = await refusals(review.id);
    expect(own.map((e) => e.detail)).toEqual([
      { reason: 'wrong-place', place: 'personal' },
      { reason: 'not-text', place: 'review-channel', refusedValues: 2 },
    ]);
    expect(
      own.every(
        (e) => e.actor && 'aadObjectId' in e.actor && e.actor.aadObjectId === people.policeRep.aadObjectId,
      ),
    ).toBe(true);
    expectNoSubjectData([...anywhere, ...own]);
    // Nothing was saved by any of them.
    const after = await h.app.deps.store.getReview(review.id);
    expect(after?.scopingReturns.filter((r) => r.status === 'submitted')).toEqual([]);
  });

  it('answers status in the review channel to its representatives and the business unit, and refuses (and audits) anyone else', async () => {
    expect(await replyTo(people.policeRep, 'status', where)).toContain('Child A');
    expect(await replyTo(people.officer, 'status', where)).toContain('Child A');
    const outsider = await replyTo(people.outsider, 'status', where);
    expect(outsider).toContain('is for the people of this review only');
    expect(outsider).not.toContain('Child A');
    expect(outsider).not.toContain('Exampleshire Police');
    const trail = await refusals(review.id);
    expect(trail).toEqual([
      expect.objectContaining({
        action: 'status.refused',
        actor: expect.objectContaining({ aadObjectId: people.outsider.aadObjectId }),
        detail: { reason: 'not-a-member', place: 'review-channel' },
      }),
    ]);
  });
});
