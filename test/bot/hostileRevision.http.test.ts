/**
 * Issue 12, point 8: a scoping form carries the revision of the return it was made from, and a
 * submission made from an older revision is refused with the newer answers shown — never saved over
 * them without a word. Over HTTP against the real bot.
 */
import type { Review } from '../../review/model';
import { cardOf, type InvokeResult, type Where } from '../teamsClient/teamsClient';
import { openReviewValues, people, scopingReturnValues, startHarness, teamId, type Harness } from './harness';

/** The data of the card's submit action, as Teams would send it back with the inputs. */
function submitData(result: InvokeResult): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.verb === 'scopingReturn.submit' && record.data)
        found.push(record.data as Record<string, unknown>);
      Object.values(record).forEach(visit);
    }
  };
  visit(cardOf(result));
  if (found.length === 0) throw new Error('the card has no submit action');
  return found[0];
}

describe('stale scoping forms are refused with the newer answers shown (issue 12, point 8)', () => {
  let h: Harness;
  let review: Review;
  let where: Where;
  let policeId: string;

  beforeEach(async () => {
    h = await startHarness();
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    review = (await h.app.deps.store.findByReference('RR-2026-001')) as Review;
    where = { kind: 'channel', channelId: review.teamspace.channelId as string, teamId };
    policeId = review.agencies.find((a) => a.kind === 'police')?.id as string;
  });
  afterEach(async () => h.close());

  const formFor = (user: typeof people.policeRep) =>
    h.client.act(user, 'scopingReturn.refresh', { reviewId: review.id, agencyId: policeId }, where);
  const savedReturn = async () =>
    (await h.app.deps.store.getReview(review.id))?.scopingReturns.find((r) => r.agencyId === policeId);

  it('refuses a return made from an older revision, shows the newer answers, and keeps them', async () => {
    // The representative opens the form (nothing saved yet); the business unit opens it too.
    const repForm = submitData(await formFor(people.policeRep));
    expect(repForm).toMatchObject({ reviewId: review.id, agencyId: policeId, revision: 0 });
    const officerForm = submitData(await formFor(people.officer));

    const first = await h.client.act(
      people.officer,
      'scopingReturn.submit',
      { ...officerForm, ...scopingReturnValues({ keyContacts: 'Inspector Newer, 20 Nov' }) },
      where,
    );
    expect(JSON.stringify(cardOf(first))).toContain('Inspector Newer');
    await h.app.idle();
    expect(await savedReturn()).toMatchObject({
      revision: 1,
      answers: { keyContacts: 'Inspector Newer, 20 Nov' },
    });

    // The representative's form, made before that, is sent: refused, the newer answers shown.
    const stale = await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { ...scopingReturnValues({ keyContacts: 'Sergeant Older, 2 Nov' }), ...repForm },
      where,
    );
    const shown = JSON.stringify(cardOf(stale));
    expect(shown).toContain('Not saved: revision 1 of this return was saved by Bea Unit');
    expect(shown).toContain('Inspector Newer, 20 Nov');
    expect(shown).not.toContain('Sergeant Older');
    // The form shown carries the newer revision: from it, the change is saved.
    expect(submitData(stale)).toMatchObject({ revision: 1 });
    expect(await savedReturn()).toMatchObject({
      revision: 1,
      answers: { keyContacts: 'Inspector Newer, 20 Nov' },
    });
    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.at(-1)).toMatchObject({
      action: 'scoping-return.submitted.refused',
      actor: { aadObjectId: people.policeRep.aadObjectId },
      detail: { agencyId: policeId, reason: 'stale revision', madeFromRevision: 0, revision: 1 },
    });

    const again = await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { ...scopingReturnValues({ keyContacts: 'Sergeant Older, 2 Nov' }), ...submitData(stale) },
      where,
    );
    expect(JSON.stringify(cardOf(again))).toContain('Sergeant Older');
    expect(await savedReturn()).toMatchObject({
      revision: 2,
      answers: { keyContacts: 'Sergeant Older, 2 Nov' },
    });
  });

  it('shows the newer answers, not the stale form’s errors, when a stale form is also invalid', async () => {
    await h.client.act(
      people.officer,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: policeId, ...scopingReturnValues({ keyContacts: 'Inspector Newer' }) },
      where,
    );
    const stale = await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      {
        reviewId: review.id,
        agencyId: policeId,
        ...scopingReturnValues({ involvement: '', keyContacts: 'Old' }),
      },
      where,
    );
    const shown = JSON.stringify(cardOf(stale));
    expect(shown).toContain('Not saved: revision 1');
    expect(shown).toContain('Inspector Newer');
    // Shown with the user's values, the form would have carried revision 1 and overwritten the newer answers.
    expect(submitData(stale)).toMatchObject({ revision: 1 });
    expect((await savedReturn())?.answers?.keyContacts).toBe('Inspector Newer');
  });

  it('refuses a submission that does not say which revision it was made from, naming the field', async () => {
    const { revision: _dropped, ...values } = scopingReturnValues();
    const result = await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: policeId, ...values },
      where,
    );
    expect(JSON.stringify(cardOf(result))).toContain(
      'Missing: the card did not say which version of the return it was made from',
    );
    expect((await savedReturn())?.revision).toBe(0);
  });

  it('answers a stale Action.Submit in the channel with a notice, not the answers', async () => {
    await h.client.act(
      people.officer,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: policeId, ...scopingReturnValues({ keyContacts: 'Inspector Newer' }) },
      where,
    );
    const before = h.connector.activities.length;
    await h.client.submit(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: policeId, ...scopingReturnValues({ keyContacts: 'Old' }) },
      where,
    );
    const said = JSON.stringify(h.client.since(before));
    expect(said).toContain('Not saved: revision 1 of this return was saved');
    expect(said).not.toContain('Inspector Newer');
    expect((await savedReturn())?.answers?.keyContacts).toBe('Inspector Newer');
  });
});
