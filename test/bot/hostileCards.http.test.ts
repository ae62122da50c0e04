/**
 * Hostile and unlucky card actions against the real bot over HTTP (issue 12, points 1, 3, 4, 5, 6 and
 * 9): where a card action comes from, text the database cannot store, values that are not text, an
 * agency called 'constructor', row numbers in the hundred thousands, huge values and Markdown.
 */
import { randomUUID } from 'node:crypto';
import { scopingCardOf } from '../../review/lifecycle';
import type { Review } from '../../review/model';
import { cardOf, type InvokeResult, type Where } from '../teamsClient/teamsClient';
import {
  businessUnitChannelId,
  openReviewValues,
  people,
  scopingReturnValues,
  startHarness,
  teamId,
  tenantId,
  type Harness,
} from './harness';

const identifying = ['Zebedee', 'Quartermaine', 'Yolanda', 'Nowhere Lane'];
const answerText = 'Two welfare visits';

function textOf(value: unknown): string {
  return JSON.stringify(value ?? {});
}

describe('hostile card actions, over HTTP', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  async function open(overrides: Record<string, string> = {}): Promise<Review> {
    const result = await h.client.act(people.officer, 'review.open', openReviewValues(overrides));
    await h.app.idle();
    const review = await h.app.deps.store.findByReference(overrides.reference ?? 'RR-2026-001');
    if (!review) throw new Error(`review not opened: ${textOf(cardOf(result)).slice(0, 800)}`);
    return review;
  }

  const channelOf = (review: Review): Where => ({
    kind: 'channel',
    channelId: review.teamspace.channelId as string,
    teamId,
  });

  function agencyOfKind(review: Review, kind: string) {
    const agency = review.agencies.find((a) => a.kind === kind);
    if (!agency) throw new Error(`no ${kind} agency`);
    return agency;
  }

  /** A card action pressed in a group chat that is not a meeting chat. */
  function inGroupChat(verb: string, data: Record<string, unknown>, submit: boolean) {
    const base = {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      from: {
        id: people.policeRep.id,
        aadObjectId: people.policeRep.aadObjectId,
        name: people.policeRep.name,
      },
      recipient: { id: '28:rapid-review', name: 'Rapid Review' },
      conversation: { id: '19:group-chat@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId },
      channelData: { tenant: { id: tenantId } },
    };
    return h.client.post(
      submit
        ? { ...base, type: 'message', value: { ...data, verb } }
        : {
            ...base,
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb, data } },
          },
    );
  }

  describe('point 1: a scoping card acts only in its own review channel', () => {
    it('refuses the card’s actions from a 1:1 chat, a group chat, another channel and another review’s channel, showing nothing of the review', async () => {
      const review = await open();
      const other = await open({
        reference: 'RR-2026-002',
        childName: 'Someone Else',
        family1Name: 'Another Person',
        address: '2 Elsewhere Road',
      });
      const police = agencyOfKind(review, 'police');
      const refresh = { reviewId: review.id, agencyId: police.id };
      const submit = { ...refresh, ...scopingReturnValues() };
      const places: Where[] = [
        { kind: 'personal' },
        { kind: 'channel', channelId: businessUnitChannelId, teamId },
        { kind: 'channel', channelId: '19:some-other-channel@thread.tacv2', teamId },
        channelOf(other),
      ];
      const before = h.connector.activities.length;
      const results: InvokeResult[] = [];
      for (const where of places) {
        results.push(await h.client.act(people.policeRep, 'scopingReturn.refresh', refresh, where));
        results.push(await h.client.act(people.policeRep, 'scopingReturn.submit', submit, where));
        results.push(await h.client.submit(people.policeRep, 'scopingReturn.refresh', refresh, where));
        results.push(await h.client.submit(people.policeRep, 'scopingReturn.submit', submit, where));
      }
      for (const submitted of [false, true]) {
        results.push(await inGroupChat('scopingReturn.refresh', refresh, submitted));
        results.push(await inGroupChat('scopingReturn.submit', submit, submitted));
      }
      await h.app.idle();
      const said = textOf(results.map((r) => r.body)) + textOf(h.client.since(before));
      for (const text of [...identifying, answerText])
        expect({ text, found: said.includes(text) }).toEqual({ text, found: false });
      expect(said).toContain('review’s own channel');
      const after = await h.app.deps.store.getReview(review.id);
      expect(after?.scopingReturns.find((r) => r.agencyId === police.id)?.status).toBe('requested');
    });

    it('answers the Action.Submit fallback in the review channel with a notice, not the agency’s answers', async () => {
      const review = await open();
      const police = agencyOfKind(review, 'police');
      const where = channelOf(review);
      const ids = { reviewId: review.id, agencyId: police.id };
      const before = h.connector.activities.length;
      await h.client.submit(people.policeRep, 'scopingReturn.refresh', ids, where);
      await h.client.submit(
        people.policeRep,
        'scopingReturn.submit',
        { ...ids, ...scopingReturnValues({ recordsSecuredOn: '' }) },
        where,
      );
      await h.client.submit(
        people.policeRep,
        'scopingReturn.submit',
        { ...ids, ...scopingReturnValues() },
        where,
      );
      await h.app.idle();
      const replies = h.client.since(before).filter((a) => a.kind === 'reply');
      expect(replies).toHaveLength(3);
      const posted = textOf(replies);
      for (const text of [...identifying, answerText, 'Duty sergeant']) {
        expect({ text, found: posted.includes(text) }).toEqual({ text, found: false });
      }
      expect(posted).toContain('recordsSecuredOn: Required when records are secured');
      expect(posted).toMatch(/scoping return of Exampleshire Police for RR-2026-001 is saved/);
      const after = await h.app.deps.store.getReview(review.id);
      expect(after?.scopingReturns.find((r) => r.agencyId === police.id)?.status).toBe('submitted');
    });
  });

  describe('points 3 and 4: a field error, never a failed turn or text made of an object', () => {
    it('refuses a NUL and a lone surrogate in the open-review form, naming the field and the rule', async () => {
      const result = await h.client.act(people.officer, 'review.open', {
        ...openReviewValues(),
        childName: 'Zebedee\u0000Quartermaine',
        address: 'Flat \uD800 1',
      });
      expect(result.status).toBe(200);
      const card = textOf(cardOf(result));
      expect(card).toContain("• Child's name: Must not contain a NUL character or an unpaired surrogate");
      expect(card).toContain('• Address: Must not contain a NUL character or an unpaired surrogate');
      expect(await h.app.deps.store.listReviews()).toEqual([]);
    });

    it('leaves out keys the open-review form does not have, whatever they hold, and opens the review', async () => {
      const result = await h.client.act(people.officer, 'review.open', {
        ...openReviewValues(),
        stray: { toString: 1 },
        constructor: ['x'],
        'agency1Name ': [1],
      });
      expect(result.status).toBe(200);
      const card = textOf(cardOf(result));
      expect(card).not.toContain('This form');
      expect(card).toContain('The review is opened');
      await h.app.idle();
      expect((await h.app.deps.store.listReviews()).map((r) => r.reference)).toEqual(['RR-2026-001']);
    });

    it('refuses a typed command holding a lone surrogate instead of failing to save it', async () => {
      const review = await open();
      const where = { kind: 'channel' as const, channelId: review.teamspace.channelId as string, teamId };
      const mark = h.connector.activities.length;
      await h.client.say(people.officer, 'close Done \uD800 here', where);
      const said = JSON.stringify(h.connector.activities.slice(mark).map((a) => a.activity));
      expect(said).toContain('must not contain a NUL character or an unpaired surrogate');
      expect((await h.app.deps.store.getReview(review.id))?.state).not.toBe('closed');
    });

    it('refuses {"toString":1}, objects and arrays in the open-review form as "Must be text", never as text', async () => {
      const result = await h.client.act(people.officer, 'review.open', {
        ...openReviewValues(),
        family1Name: { toString: 1 },
        family1Relationship: ['Mother'],
        dateOfBirth: ['2015-04-02'],
        pseudonym: { name: 'Child A' },
      });
      expect(result.status).toBe(200);
      const card = textOf(cardOf(result));
      for (const label of [
        'Pseudonym',
        'Date of birth',
        'Family member 1: name',
        'Family member 1: relationship',
      ]) {
        expect(card).toContain(`• ${label}: Must be text`);
      }
      expect(card).not.toContain('[object Object]');
      expect(await h.app.deps.store.listReviews()).toEqual([]);
    });

    it('refuses the same in a scoping return and saves nothing', async () => {
      const review = await open();
      const police = agencyOfKind(review, 'police');
      const ids = { reviewId: review.id, agencyId: police.id };
      const where = channelOf(review);
      const cases: [string, unknown, RegExp][] = [
        ['natureOfInvolvement', 'Visits\u0000 noted', /NUL character/],
        ['keyContacts', 'Sergeant \uDC00', /unpaired surrogate/],
        ['immediateActions', { toString: 1 }, /Must be text/],
        ['periodFrom', ['2025-06-01'], /Must be text/],
        ['involvementWith', { a: 1 }, /Must be text/],
      ];
      for (const [field, value, rule] of cases) {
        const result = await h.client.act(
          people.policeRep,
          'scopingReturn.submit',
          { ...ids, ...scopingReturnValues(), [field]: value },
          where,
        );
        expect({ field, status: result.status }).toEqual({ field, status: 200 });
        const card = textOf(cardOf(result));
        expect({ field, rule: rule.test(card), named: card.includes(field) }).toEqual({
          field,
          rule: true,
          named: true,
        });
      }
      const after = await h.app.deps.store.getReview(review.id);
      expect(after?.scopingReturns.find((r) => r.agencyId === police.id)?.status).toBe('requested');
    });
  });

  describe('point 3: a review id the store cannot look up', () => {
    it('refuses a reviewId that is not text or holds a NUL, for every verb, before reading the store', async () => {
      const review = await open();
      const where = channelOf(review);
      for (const reviewId of [{ toString: 1 }, 'x\u0000y', ['r'], 'r'.repeat(5000)]) {
        for (const verb of ['meeting.accept', 'quorum.confirm', 'outcome.record', 'scopingReturn.refresh']) {
          const result = await h.client.act(people.officer, verb, { reviewId }, where);
          expect({ verb, status: result.status }).toEqual({ verb, status: 200 });
          expect(textOf(cardOf(result))).toMatch(/did not say which review|own channel/);
        }
      }
    });
  });

  describe('point 5: an agency called constructor', () => {
    it('gets its scoping card, and its return updates that card', async () => {
      const review = await open({ agency4Name: 'Constructor' });
      const agency = review.agencies.find((a) => a.id === 'constructor');
      expect(agency).toBeDefined();
      const thread = scopingCardOf(review, 'constructor');
      if (!thread) throw new Error('no card recorded for the agency called constructor');
      expect(
        h.connector.activities.some((a) => a.kind === 'create' && a.activityId === thread.activityId),
      ).toBe(true);
      const updatesBefore = h.connector.activities.filter((a) => a.kind === 'update').length;
      const result = await h.client.act(
        people.schoolRep,
        'scopingReturn.submit',
        { reviewId: review.id, agencyId: 'constructor', ...scopingReturnValues() },
        channelOf(review),
      );
      await h.app.idle();
      expect(textOf(cardOf(result))).toContain('Return received');
      const updates = h.connector.activities.filter((a) => a.kind === 'update').slice(updatesBefore);
      expect(updates.map((u) => u.activityId)).toContain(thread.activityId);
    });
  });

  describe('point 6: row numbers are capped', () => {
    it('refuses agency100000Name with a field error, quickly, without building the rows', async () => {
      const started = Date.now();
      const result = await h.client.act(people.officer, 'review.open', {
        ...openReviewValues(),
        agency100000Name: 'Far away',
        agency1Rep11Name: 'Eleventh Rep',
        family999Name: 'Distant',
      });
      expect(Date.now() - started).toBeLessThan(5000);
      const card = textOf(cardOf(result));
      expect(card.length).toBeLessThan(40_000);
      expect(card).toMatch(/At most 60 agencies/);
      expect(card).toMatch(/At most 10 representatives per agency/);
      expect(card).toMatch(/At most 20 family members/);
      expect(await h.app.deps.store.listReviews()).toEqual([]);
    });
  });

  describe('point 9: what a card shows of what was typed', () => {
    it('caps a 300,000-character value echoed on a refused form, and keeps its field error', async () => {
      const review = await open();
      const police = agencyOfKind(review, 'police');
      const huge = 'x'.repeat(300_000);
      const scoping = await h.client.act(
        people.policeRep,
        'scopingReturn.submit',
        {
          reviewId: review.id,
          agencyId: police.id,
          ...scopingReturnValues({ natureOfInvolvement: huge, keyContacts: huge }),
        },
        channelOf(review),
      );
      const scopingCard = textOf(cardOf(scoping));
      expect(Buffer.byteLength(scopingCard)).toBeLessThan(40_000);
      expect(scopingCard).toMatch(/At most 2,500 characters \(this has 300,000\)/);

      const opening = await h.client.act(people.officer, 'review.open', {
        ...openReviewValues({ reference: 'RR-2026-009' }),
        childName: huge,
        address: huge,
        family1Name: huge,
      });
      const openingCard = textOf(cardOf(opening));
      expect(Buffer.byteLength(openingCard)).toBeLessThan(40_000);
      expect(openingCard).toMatch(/At most 200 characters \(this has 300,000\)/);
    });

    it('shows Markdown typed into the subject’s details as typed on the welcome card', async () => {
      const review = await open({
        childName: '**Zebedee** [Quartermaine](https://evil.example)',
        family1Name: '_Yolanda_',
        address: '- 1 Nowhere Lane',
      });
      const welcome = textOf(
        h.connector.activities.find((a) => a.activityId === review.teamspace.welcomeActivityId),
      );
      expect(welcome).toContain('Zebedee');
      expect(welcome).not.toContain('[Quartermaine](https://evil.example)');
      expect(welcome).not.toContain('**Zebedee**');
      expect(welcome).not.toContain('"_Yolanda_"');
      expect(welcome).not.toContain('"- 1 Nowhere Lane"');
    });

    it('shows Markdown typed into names and answers as typed, not as links or bold', async () => {
      const review = await open({ agency4Name: '**Urgent** [click](https://evil.example)' });
      const agency = review.agencies.find((a) => a.name.startsWith('**Urgent**'));
      if (!agency) throw new Error('agency not opened');
      const thread = scopingCardOf(review, agency.id);
      if (!thread) throw new Error('no card recorded for the agency');
      const posted = textOf(
        h.connector.activities.find((a) => a.kind === 'create' && a.activityId === thread.activityId),
      );
      expect(posted).not.toContain('[click](https://evil.example)');
      expect(posted).not.toContain('**Urgent**');
      const result = await h.client.act(
        people.schoolRep,
        'scopingReturn.submit',
        {
          reviewId: review.id,
          agencyId: agency.id,
          ...scopingReturnValues({ keyInformation: 'See [the file](https://evil.example/x)' }),
        },
        channelOf(review),
      );
      const card = textOf(cardOf(result));
      expect(card).toContain('Return received');
      expect(card).not.toContain('[the file](https://evil.example/x)');
    });
  });
});
