import { recordScopingFlagged } from './lifecycle';
import type { Review, ScopingReturnAnswers } from './model';
import { scopingConcernsToFlag, scopingReturnConcerns } from './scopingConcerns';
import { sampleReview } from '../test/fixtures/sampleReview';

const answers: ScopingReturnAnswers = {
  involvement: 'yes',
  recordsSecured: true,
  recordsSecuredOn: '2026-12-02',
  recordsSecuredBy: 'Records manager',
  alertAdded: true,
  staffInformed: true,
  seniorLeadersSighted: true,
};
const at = '2026-12-03T10:00:00.000Z';

function withReturn(review: Review, agencyId: string, given: ScopingReturnAnswers, revision = 1): Review {
  return {
    ...review,
    scopingReturns: review.scopingReturns.map((r) =>
      r.agencyId === agencyId
        ? { ...r, status: 'submitted' as const, answers: given, revision, submittedAt: at }
        : r,
    ),
  };
}

describe('scoping returns that need the business unit’s attention', () => {
  it('flags records not secured and no alert, and nothing when both were done', () => {
    expect(scopingReturnConcerns(answers)).toEqual([]);
    expect(scopingReturnConcerns({ ...answers, recordsSecured: false })).toEqual(['records not secured']);
    expect(scopingReturnConcerns({ ...answers, alertAdded: false })).toEqual([
      'no "subject to a Rapid Review" alert on the records',
    ]);
    expect(scopingReturnConcerns({ ...answers, recordsSecured: false, alertAdded: false })).toHaveLength(2);
  });

  it('does not flag an agency that had no involvement (it has no records to secure)', () => {
    expect(
      scopingReturnConcerns({ ...answers, involvement: 'no', recordsSecured: false, alertAdded: false }),
    ).toEqual([]);
    expect(scopingReturnConcerns(undefined)).toEqual([]);
  });

  it('flags once per set of concerns: an edit with the same ones flags nothing again, a change does', () => {
    const base = sampleReview();
    const agencyId = base.scopingReturns[0].agencyId;
    const review = withReturn(base, agencyId, { ...answers, alertAdded: false });
    expect(scopingConcernsToFlag(review, agencyId)).toEqual([
      'no "subject to a Rapid Review" alert on the records',
    ]);
    const flagged = recordScopingFlagged(
      review,
      { agencyId, concerns: scopingConcernsToFlag(review, agencyId), revision: 1 },
      at,
    );
    if (!flagged.ok) throw new Error('not recorded');
    expect(flagged.review.scopingFlags).toEqual([
      { agencyId, concerns: ['no "subject to a Rapid Review" alert on the records'], revision: 1, at },
    ]);
    expect(flagged.audit?.[0]).toMatchObject({ action: 'scoping.flagged' });
    expect(scopingConcernsToFlag(flagged.review, agencyId)).toEqual([]);
    const worse = withReturn(
      flagged.review,
      agencyId,
      { ...answers, recordsSecured: false, alertAdded: false },
      2,
    );
    expect(scopingConcernsToFlag(worse, agencyId)).toHaveLength(2);
    // Another agency's flag is its own.
    const other = base.scopingReturns[1].agencyId;
    expect(
      scopingConcernsToFlag(withReturn(flagged.review, other, { ...answers, alertAdded: false }), other),
    ).toHaveLength(1);
  });
});
