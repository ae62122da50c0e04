/**
 * The phrasing table answered through the bot's text commands, on a real store, at a fixed time:
 * Thursday 12 March 2026, day 6 of 15 on a review whose returns were due on Wednesday, three of ten in.
 */
import { phrasings } from '../../review/questions.test';
import { ProfileRegistry } from '../../review/profile';
import { openSqliteStore } from '../../review/sqliteStore';
import type { ReviewStore } from '../../review/store';
import type { Review } from '../../review/model';
import { sampleReview } from '../../test/fixtures/sampleReview';
import { silentLogger } from '../log';
import { BackgroundWork } from './background';
import { textCommand } from './commands';
import type { Place } from './replies';
import type { FlowDeps } from './deps';

const officer = { aadObjectId: 'oid-officer', name: 'Olu Officer', email: 'officer@example.org' };
const rep = { aadObjectId: 'oid-rep', name: 'Sam Specimen', email: 'sam@police.example.org' };

/** What a correct answer to each question says about this review today. */
const expected = {
  'due-this-week': ['Due this week on RR-2026-003', 'Review meeting window opens: due Fri 13 Mar'],
  'not-returned': ['Exampleshire Hospitals NHS Trust (overdue)', 'Example Ambulance Service'],
  'meeting-when': ['is booked for Tue 17 Mar at 10:00'],
  overdue: ['returns not in from', 'Riverside Example Surgery'],
  'days-left': ['day 6 of 15', '9 working days left until Wed 25 Mar'],
} as const;

/** What it must never say (the three agencies that returned are not "not returned"). */
const never = {
  'due-this-week': ['Scoping returns due: due'],
  'not-returned': ['Exampleshire Constabulary', 'Integrated Care Board'],
  'meeting-when': ['No meeting'],
  overdue: ['Exampleshire Constabulary'],
  'days-left': ['overdue'],
} as const;

describe('questions in plain words, answered', () => {
  let store: ReviewStore;
  let deps: FlowDeps;
  let review: Review;

  beforeAll(async () => {
    store = openSqliteStore({ memory: true });
    await store.migrate();
    const base = sampleReview();
    review = sampleReview({
      reference: 'RR-2026-003',
      scopingReturns: base.agencies.map((a, i) =>
        i < 3
          ? {
              agencyId: a.id,
              status: 'submitted',
              revision: 1,
              submittedAt: '2026-03-10T11:00:00.000Z',
              submittedBy: { name: a.representatives[0].name },
            }
          : { agencyId: a.id, status: 'requested', revision: 0 },
      ),
      meeting: {
        status: 'booked',
        start: '2026-03-17T10:00:00.000Z',
        end: '2026-03-17T11:30:00.000Z',
        transactionId: 'tx-q',
        chatId: '19:meeting_q@thread.v2',
      },
    });
    await store.createReview(review, []);
    deps = {
      store,
      profiles: new ProfileRegistry(),
      teamspace: {} as FlowDeps['teamspace'],
      messenger: {} as FlowDeps['messenger'],
      clock: { now: () => new Date('2026-03-12T10:00:00.000Z') },
      log: silentLogger,
      background: new BackgroundWork(),
      settings: {
        teamId: 'team-1',
        defaultProfileId: 'england',
        businessUnit: { aadObjectIds: [officer.aadObjectId], emails: [] },
      },
    };
  });

  afterAll(() => store.close());

  // By default a representative of the review: its answers are for its own people.
  const ask = async (text: string, place: Place, who?: typeof rep) => {
    const person = who ?? review.agencies[0].representatives[0];
    const reply = await textCommand(deps, text, { person, businessUnit: person === officer }, place, {
      conversation: { id: '19:meeting_q@thread.v2' },
    });
    return reply.text ?? JSON.stringify(reply.card);
  };

  it.each(phrasings)('answers “%s” (%s) in the review channel', async (text, kind) => {
    const answer = await ask(text, { kind: 'review-channel', reviewId: review.id });
    for (const part of expected[kind]) expect(answer).toContain(part);
    for (const part of never[kind]) expect(answer).not.toContain(part);
    expect(answer).not.toContain('Fictional-Testchild');
  });

  it('answers nobody outside the review in its channel', async () => {
    const answer = await ask('what is overdue', { kind: 'review-channel', reviewId: review.id }, rep);
    expect(answer).toContain('for the people of this review only');
    expect(answer).not.toContain('Police');
  });

  it('answers in the meeting chat, for the review whose meeting it is', async () => {
    const answer = await ask('how many days left?', { kind: 'meeting-chat', meetingId: 'm-1' });
    expect(answer).toContain('day 6 of 15');
  });

  it('answers the business unit in a 1:1 chat about the review it names, by reference only', async () => {
    const answer = await ask(`who hasn't returned on ${review.reference}?`, { kind: 'personal' }, officer);
    expect(answer).toContain(`Not returned on ${review.reference}`);
    expect(answer).not.toContain(review.pseudonym);
    expect(await ask('who hasn’t returned on RR-2031-999', { kind: 'personal' }, officer)).toContain(
      'There is no review RR-2031-999',
    );
  });

  it('tells a representative in a 1:1 chat to ask in the review channel, naming nothing', async () => {
    const answer = await ask(`who hasn't returned on ${review.reference}?`, { kind: 'personal' });
    expect(answer).toContain('Ask in the review’s own channel');
    expect(answer).not.toContain('Hospitals');
  });

  it('refuses to answer about another review in a review channel', async () => {
    const answer = await ask('what is overdue on RR-2026-999', {
      kind: 'review-channel',
      reviewId: review.id,
    });
    expect(answer).toContain('ask about RR-2026-999 in its own channel');
  });

  it('gives the business unit the weekly digest: every open review, RAG, this week’s deadlines, who is late', async () => {
    const answer = await ask('digest', { kind: 'personal' }, officer);
    expect(answer).toContain('**Week of Thu 12 Mar: 1 open review**');
    expect(answer).toContain('**RR-2026-003** · RED · day 6 of 15');
    expect(answer).toContain('This week: Review meeting window opens Fri 13 Mar');
    expect(answer).toContain('Riverside Example Surgery: return not in');
    expect(answer).not.toContain('Exampleshire Constabulary');
    expect(answer).not.toContain(review.pseudonym);
    expect(await ask('digest', { kind: 'personal' })).toContain('for the business unit only');
  });

  it('greets "hi" briefly with where to start, not the whole help', async () => {
    const answer = await ask('hi', { kind: 'review-channel', reviewId: review.id }, rep);
    expect(answer).toContain('Hello Sam.');
    expect(answer).toContain('**status**');
    expect(answer).not.toContain('What you can ask');
  });

  it('answers something it does not understand with the closest commands, not the help card', async () => {
    const answer = await ask('quorom', { kind: 'review-channel', reviewId: review.id });
    expect(answer).toContain('The closest here: **quorum**');
    expect(answer).not.toContain('What you can ask');
  });
});
