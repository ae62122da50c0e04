import {
  agenciesAsked,
  initialCaseDiscussionIssue,
  parseInitialCaseDiscussion,
  recordInitialCaseDiscussion,
  scopingWaitsFor,
} from './initialCaseDiscussion';
import { ProfileRegistry } from './profile';
import { sampleReview } from '../test/fixtures/sampleReview';

const profiles = new ProfileRegistry();
const northYorkshire = profiles.get('north-yorkshire');
const england = profiles.get('england');
const officer = { person: { name: 'Bea Unit', email: 'bea@example.org' }, businessUnit: true };
const rep = { person: { name: 'Sam Specimen', email: 'sam@example.org' }, businessUnit: false };
const at = '2026-03-05T10:00:00.000Z';
const today = '2026-03-05';

function opened() {
  return sampleReview({
    profileId: 'north-yorkshire',
    state: 'opened',
    anchors: { aware: '2026-03-02', referral: '2026-03-03', sinSent: '2026-03-04' },
  });
}

const input = {
  heldOn: '2026-03-05',
  linesOfEnquiry: ['What did agencies know of the home?', 'Was the referral of 12 Feb acted on?'],
  agencyIds: ['la', 'police', 'icb', 'school'],
};

describe('the Initial Case Discussion (issue 11, point 7; North Yorkshire)', () => {
  it('is a profile setting: North Yorkshire waits for it before scoping, England does not', () => {
    expect(northYorkshire.initialCaseDiscussion).toBe(true);
    expect(england.initialCaseDiscussion).toBe(false);
    expect(scopingWaitsFor(opened(), northYorkshire)).toContain('Scoping requests not sent');
    expect(scopingWaitsFor(opened(), northYorkshire)).toContain('icd ask AGENCIES');
    expect(scopingWaitsFor(opened(), england)).toBeNull();
  });

  it('is recorded by the business unit, audited without the wording, and stops the wait', () => {
    const result = recordInitialCaseDiscussion(opened(), northYorkshire, input, officer, at, today);
    if (!result.ok) throw new Error(result.reason);
    expect(result.review.initialCaseDiscussion).toMatchObject({
      heldOn: '2026-03-05',
      agencyIds: ['la', 'police', 'icb', 'school'],
      linesOfEnquiry: input.linesOfEnquiry,
      recordedBy: officer.person,
    });
    expect(result.audit[0]).toEqual({
      reviewId: result.review.id,
      at,
      actor: officer.person,
      action: 'icd.recorded',
      detail: { heldOn: '2026-03-05', agencyIds: input.agencyIds, linesOfEnquiry: 2, replaces: null },
    });
    expect(JSON.stringify(result.audit)).not.toContain('referral of 12 Feb');
    expect(scopingWaitsFor(result.review, northYorkshire)).toBeNull();
    expect(agenciesAsked(result.review).map((a) => a.id)).toEqual(['la', 'police', 'icb', 'school']);
  });

  it('asks every agency where no discussion names them', () => {
    expect(agenciesAsked(opened())).toHaveLength(10);
  });

  it('is refused to others, where the profile holds none, and once the requests are out, audited', () => {
    const notBu = recordInitialCaseDiscussion(opened(), northYorkshire, input, rep, at, today);
    expect(notBu).toMatchObject({
      ok: false,
      reason: 'only the business unit records the Initial Case Discussion',
    });
    expect(notBu.audit?.[0]).toMatchObject({ action: 'icd.recorded.refused' });
    const none = recordInitialCaseDiscussion(opened(), england, input, officer, at, today);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toContain('holds no Initial Case Discussion');
    const sent = recordInitialCaseDiscussion(
      sampleReview({ profileId: 'north-yorkshire', state: 'scoping' }),
      northYorkshire,
      input,
      officer,
      at,
      today,
    );
    expect(!sent.ok && sent.reason).toContain('already gone out');
    const cardOut = opened();
    cardOut.teamspace.scopingCards = [{ agencyId: 'la', conversationReference: {}, activityId: '1' }];
    expect(recordInitialCaseDiscussion(cardOut, northYorkshire, input, officer, at, today).ok).toBe(false);
  });

  it('refuses bad input naming the field and the rule', () => {
    const review = opened();
    const issue = (change: Partial<typeof input>) =>
      initialCaseDiscussionIssue(review, { ...input, ...change }, today);
    expect(issue({ heldOn: '2026-03-06' })).toBe(
      'heldOn 2026-03-06: Must not be in the future (today is 2026-03-05)',
    );
    expect(issue({ heldOn: '2026-03-01' })).toBe(
      'heldOn 2026-03-01: Must not be before the partnership knew of the incident (2026-03-02)',
    );
    expect(issue({ agencyIds: [] })).toBe('agencies: Name at least one agency to ask');
    expect(issue({ agencyIds: ['nobody'] })).toBe("agencies: 'nobody' is not an agency of this review");
    expect(issue({ agencyIds: ['la', 'la'] })).toBe('agencies: An agency is named twice');
    expect(issue({ linesOfEnquiry: [] })).toBe('linesOfEnquiry: Agree at least one key line of enquiry');
    expect(issue({ linesOfEnquiry: ['ok', ' '] })).toBe('linesOfEnquiry 2: Must not be empty');
    expect(issue({ linesOfEnquiry: ['x'.repeat(1001)] })).toBe(
      'linesOfEnquiry 1: At most 1000 characters (got 1001)',
    );
    expect(issue({ linesOfEnquiry: ['a\u0000b'] })).toBe(
      'linesOfEnquiry 1: Contains characters that cannot be stored as text',
    );
    expect(issue({ linesOfEnquiry: ['lone \ud800 surrogate'] })).toContain('cannot be stored');
    expect(issue({ linesOfEnquiry: Array.from({ length: 21 }, () => 'q') })).toBe(
      'linesOfEnquiry: At most 20 key lines of enquiry',
    );
    expect(issue({})).toBeNull();
  });

  it('reads the command: agencies by id or name, or all; the date defaults to today', () => {
    const review = opened();
    expect(
      parseInitialCaseDiscussion(
        'ask la, Exampleshire Constabulary, ICB ; What was known? ; Were referrals acted on?',
        review,
        today,
      ),
    ).toEqual({
      ok: true,
      input: {
        heldOn: today,
        agencyIds: ['la', 'police', 'icb'],
        linesOfEnquiry: ['What was known?', 'Were referrals acted on?'],
      },
    });
    const all = parseInitialCaseDiscussion('on 2026-03-04 ask all; One', review, today);
    expect(all.ok && all.input.agencyIds).toHaveLength(10);
    expect(all.ok && all.input.heldOn).toBe('2026-03-04');
    const unknown = parseInitialCaseDiscussion('ask la, fire brigade; One', review, today);
    expect(!unknown.ok && unknown.reason).toContain(
      "agencies: 'fire brigade' is not an agency of this review",
    );
    expect(!unknown.ok && unknown.reason).toContain('police (Exampleshire Constabulary)');
    expect(parseInitialCaseDiscussion('on 2026-02-30 ask la; One', review, today)).toEqual({
      ok: false,
      reason: "heldOn: must be a real date as YYYY-MM-DD (got '2026-02-30')",
    });
    expect(parseInitialCaseDiscussion('police; One', review, today).ok).toBe(false);
  });
});
