/**
 * The partnership directory over the real HTTP endpoint: kept from its card by the business unit only,
 * then offered on the open-review form, where ticking agencies opens a review with their standing
 * representatives and the chair picked for it.
 */
import { openReviewValues, people, startHarness, type Harness } from './harness';

describe('the partnership directory', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  const lastReply = (before: number) =>
    JSON.stringify(h.connector.activities.slice(before).find((a) => a.kind === 'reply')?.activity ?? {});

  async function saveAgency(data: Record<string, string>, who = people.officer) {
    const result = await h.client.act(who, 'directory.saveAgency', data);
    return JSON.stringify(result.body);
  }

  async function setUpDirectory() {
    await saveAgency({
      name: 'Exampleshire Children’s Services',
      kind: 'local-authority',
      representatives: `${people.laRep.name} <${people.laRep.email}>`,
      lead: `${people.laRep.name} <${people.laRep.email}>`,
    });
    await saveAgency({
      name: 'Exampleshire Police',
      kind: 'police',
      representatives: `${people.policeRep.name} <${people.policeRep.email}>`,
      lead: `${people.policeRep.name} <${people.policeRep.email}>`,
    });
    await saveAgency({
      name: 'Exampleshire ICB',
      kind: 'icb',
      representatives: `${people.icbRep.name} <${people.icbRep.email}>`,
      lead: `${people.icbRep.name} <${people.icbRep.email}>`,
    });
    await saveAgency({
      name: 'Example Primary School',
      kind: 'education',
      representatives: `${people.schoolRep.name} <${people.schoolRep.email}>`,
    });
    await h.client.act(people.officer, 'directory.saveChairs', {
      chairs: `${people.chair.name} <${people.chair.email}>`,
    });
  }

  it('is shown and kept by the business unit from its card, every change audited', async () => {
    const before = h.connector.activities.length;
    await h.client.say(people.officer, 'directory');
    expect(lastReply(before)).toContain('Partnership directory');
    await setUpDirectory();
    const directory = await h.app.deps.store.getDirectory();
    expect(directory.agencies.map((a) => a.kind)).toEqual(['local-authority', 'police', 'icb', 'education']);
    expect(directory.chairs).toEqual([{ name: people.chair.name, email: people.chair.email }]);
    const trail = await h.app.deps.store.auditTrail('partnership-directory');
    expect(trail.map((e) => e.action)).toEqual([
      'directory.agency.added',
      'directory.agency.added',
      'directory.agency.added',
      'directory.agency.added',
      'directory.chairs.set',
    ]);
    expect(trail[0].actor).toMatchObject({ name: people.officer.name });
  });

  it('names the field and the rule of a bad agency and saves nothing', async () => {
    const reply = await saveAgency({
      name: 'Example School',
      kind: 'education',
      representatives: 'Sam <not-an-email>',
    });
    expect(reply).toContain('Person 1: Must be an e-mail address');
    expect((await h.app.deps.store.getDirectory()).agencies).toEqual([]);
    const lead = await saveAgency({
      name: 'Example School',
      kind: 'education',
      lead: `A <a@school.example>`,
    });
    expect(lead).toContain('Only a statutory partner');
  });

  it('refuses anyone outside the business unit, in any place, and changes nothing', async () => {
    expect(await saveAgency({ name: 'X', kind: 'police' }, people.policeRep)).toContain(
      'kept by the business unit',
    );
    const before = h.connector.activities.length;
    await h.client.say(people.policeRep, 'directory');
    expect(lastReply(before)).toContain('kept by the business unit');
    expect((await h.app.deps.store.getDirectory()).version).toBe(0);
  });

  // Opening waits for set-up in the background (channel, members, cards) before it checks the review.
  it('opens a review from ticked agencies with their representatives, a one-off agency, and the chair picked', async () => {
    await setUpDirectory();
    const before = h.connector.activities.length;
    await h.client.say(people.officer, 'open review');
    const form = lastReply(before);
    expect(form).toContain('directoryAgencies');
    expect(form).toContain('graph.microsoft.com/users');
    // The statutory partners are ticked by default; the school is ticked too, and a one-off agency typed.
    const typed = openReviewValues();
    const values: Record<string, string> = {};
    for (const key of Object.keys(typed)) if (!key.startsWith('agency')) values[key] = typed[key];
    Object.assign(values, {
      directoryAgencies:
        'exampleshire-children-s-services,exampleshire-police,exampleshire-icb,example-primary-school',
      agency1Name: 'Example Youth Club',
      agency1Kind: 'other',
      agency1Rep1Name: people.outsider.name,
      agency1Rep1Email: people.outsider.email,
      chair: people.chair.email,
    });
    const result = await h.client.act(people.officer, 'review.open', values);
    expect(JSON.stringify(result.body)).toContain('is opened');
    await h.app.idle();
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    expect(review?.agencies.map((a) => [a.name, a.representatives.map((r) => r.email)])).toEqual([
      ['Example Youth Club', [people.outsider.email]],
      ['Exampleshire Children’s Services', [people.laRep.email]],
      ['Exampleshire Police', [people.policeRep.email]],
      ['Exampleshire ICB', [people.icbRep.email]],
      ['Example Primary School', [people.schoolRep.email]],
    ]);
    expect(review?.agencies.find((a) => a.kind === 'police')?.lead?.email).toBe(people.policeRep.email);
    expect(review?.chair).toEqual({ name: people.chair.name, email: people.chair.email });
  }, 20_000);

  it('refuses a tick that is not in the directory and a chair it cannot find, saving nothing', async () => {
    await setUpDirectory();
    const result = await h.client.act(people.officer, 'review.open', {
      ...openReviewValues(),
      directoryAgencies: 'exampleshire-police,made-up-agency',
      chair: '00000000-0000-4000-8000-00000000dead',
    });
    const text = JSON.stringify(result.body);
    expect(text).toContain('made-up-agency');
    expect(text).toContain('is not in the partnership directory');
    // The picked id is looked up in the organisation's directory, where no one has it.
    expect(text).toContain('No one with this id is in the organisation’s directory');
    expect(await h.app.deps.store.listReviews()).toEqual([]);
  });

  it('takes a chair picked from the organisation who is not in the partnership directory, looked up by id', async () => {
    await setUpDirectory();
    const result = await h.client.act(people.officer, 'review.open', {
      ...openReviewValues(),
      chair: people.outsider.aadObjectId,
    });
    expect(JSON.stringify(result.body)).toContain('is opened');
    await h.app.idle();
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    // A guest: the e-mail is their own, not the tenant's sign-in name for them.
    expect(review?.chair).toEqual({
      name: people.outsider.name,
      email: people.outsider.email,
      aadObjectId: people.outsider.aadObjectId,
    });
  });
});
