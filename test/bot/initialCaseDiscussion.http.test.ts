/**
 * North Yorkshire's Initial Case Discussion end to end over HTTP (issue 11, point 7): the review is set
 * up but no scoping request goes out until the business unit records the key lines of enquiry and
 * which agencies to ask; then "Form 2" goes to those agencies only, showing the lines of enquiry.
 */
import { openReviewValues, people, startHarness, teamId, type Harness } from './harness';

const textOf = (value: unknown) => JSON.stringify(value ?? {});

describe('the Initial Case Discussion before scoping (North Yorkshire)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  async function opened(profileId: string) {
    await h.client.act(people.officer, 'review.open', openReviewValues({ profileId }));
    await h.app.idle();
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    if (!review) throw new Error('review not opened');
    const where = { kind: 'channel' as const, channelId: review.teamspace.channelId as string, teamId };
    return { review, where };
  }

  async function reply(text: string, where: Parameters<Harness['client']['say']>[2]) {
    const before = h.connector.activities.length;
    await h.client.say(people.officer, text, where);
    return textOf(h.client.since(before).find((a) => a.kind === 'reply')?.activity);
  }

  const scopingCards = () =>
    h.connector.activities.filter(
      (a) => a.kind === 'create' && textOf(a.activity).includes('scopingReturn.'),
    );

  it('holds the requests until the ICD is recorded, then sends Form 2 with the KLOE to the agencies asked', async () => {
    const { review, where } = await opened('north-yorkshire');
    expect(review.state).toBe('opened');
    expect(review.teamspace.welcomeActivityId).toBeDefined();
    expect(scopingCards()).toHaveLength(0);
    // The business unit is told plainly what is waiting and the command that moves it.
    const told = h.connector.activities.filter((a) => a.kind !== 'create').map((a) => textOf(a.activity));
    expect(told.join('\n')).toContain('Scoping requests not sent: they wait for the Initial Case Discussion');
    const status = await reply('status', where);
    expect(status).toContain('Scoping requests not sent');
    expect(status).toContain('icd ask AGENCIES');

    // The upkeep timer finds the review still "opened": it neither sends requests nor repeats itself.
    const before = h.connector.activities.length;
    await h.app.runUpkeep?.();
    await h.app.idle();
    expect(h.connector.activities.length).toBe(before);

    // Bad input is refused naming the field and the rule, and nothing is saved.
    expect(await reply('icd ask exampleshire-police, fire brigade; What was known?', where)).toContain(
      "agencies: 'fire brigade' is not an agency of this review",
    );
    expect(await reply('icd ask exampleshire-police', where)).toContain(
      'linesOfEnquiry: Agree at least one key line of enquiry',
    );
    expect((await h.app.deps.store.getReview(review.id))?.initialCaseDiscussion).toBeUndefined();

    const ok = await reply(
      'icd ask Exampleshire Children’s Services, Exampleshire Police, Exampleshire ICB; ' +
        'What did each agency know of the home in the last year?; Was the October referral acted on?',
      where,
    );
    expect(ok).toContain('The Initial Case Discussion is recorded: 2 key lines of enquiry');
    await h.app.idle();

    const saved = await h.app.deps.store.getReview(review.id);
    expect(saved?.state).toBe('scoping');
    const school = saved?.agencies.find((a) => a.kind === 'education');
    expect(saved?.teamspace.scopingCards.map((card) => card.agencyId).sort()).toEqual(
      saved?.agencies
        .filter((a) => a !== school)
        .map((a) => a.id)
        .sort(),
    );
    const cards = scopingCards();
    expect(cards).toHaveLength(3);
    for (const card of cards) {
      expect(textOf(card.activity)).toContain('NY SPRG Form 2');
      // The lines of enquiry keep their case, numbered, as the discussion agreed them.
      expect(textOf(card.activity)).toContain(
        '1\\\\. What did each agency know of the home in the last year?',
      );
      expect(textOf(card.activity)).toContain('2\\\\. Was the October referral acted on?');
    }
    // The representative's own form shows the lines of enquiry too.
    const police = saved?.agencies.find((a) => a.kind === 'police');
    const form = await h.client.act(
      people.policeRep,
      'scopingReturn.refresh',
      { reviewId: review.id, agencyId: police?.id },
      where,
    );
    expect(textOf(form.body)).toContain('Was the October referral acted on?');
    // Status counts the agencies asked, and no longer waits.
    const after = await reply('status', where);
    expect(after).toContain('Scoping returns: 0 of 3 in');
    expect(after).not.toContain('Scoping requests not sent');
    // Audited, without the wording of the lines of enquiry.
    const trail = await h.app.deps.store.auditTrail(review.id);
    const recorded = trail.find((e) => e.action === 'icd.recorded');
    expect(recorded?.detail).toMatchObject({ linesOfEnquiry: 2 });
    expect(textOf(trail)).not.toContain('October referral');
    // Once the requests are out it cannot be changed.
    expect(await reply('icd ask all; Another', where)).toContain('already gone out');
  });

  it('does not hold the requests for a partnership without one', async () => {
    const { review, where } = await opened('england');
    expect(review.state).toBe('scoping');
    expect(scopingCards()).toHaveLength(4);
    expect(await reply('icd ask police; One', where)).toContain('holds no Initial Case Discussion');
  });
});
