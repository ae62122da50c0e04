import { fieldErrors, longTextMaxLength } from './formFields';
import { scopingReturnSubmission } from './scopingReturnSubmission';

const today = '2026-12-22';

/** A scoping return as Teams sends it: every value text, toggles 'true'/'false', blanks ''. */
function scopingValues(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    reviewId: 'review-1',
    agencyId: 'police',
    revision: '0',
    involvement: 'yes',
    involvementWith: 'the child; mother',
    periodFrom: '2025-09-01',
    periodTo: '2026-12-14',
    natureOfInvolvement: 'Three domestic abuse call-outs.',
    keyContacts: '',
    recordsSecured: 'true',
    recordsSecuredOn: '2026-12-18',
    recordsSecuredBy: 'DS 3456',
    alertAdded: 'true',
    staffInformed: 'false',
    immediateActions: '',
    immediateLearning: '',
    keyInformation: '  ',
    seniorLeadersSighted: 'true',
    ...overrides,
  };
}

function scopingErrors(overrides: Record<string, string>) {
  return fieldErrors(scopingReturnSubmission({ today }).safeParse(scopingValues(overrides)));
}

describe('scopingReturnSubmission', () => {
  it('turns the flat card values into answers: booleans from toggles, blanks left out', () => {
    const result = scopingReturnSubmission({ today }).safeParse(scopingValues());
    expect(result.success).toBe(true);
    expect(result.data).toEqual({
      reviewId: 'review-1',
      agencyId: 'police',
      madeFromRevision: 0,
      answers: {
        involvement: 'yes',
        involvementWith: 'the child; mother',
        periodFrom: '2025-09-01',
        periodTo: '2026-12-14',
        natureOfInvolvement: 'Three domestic abuse call-outs.',
        recordsSecured: true,
        recordsSecuredOn: '2026-12-18',
        recordsSecuredBy: 'DS 3456',
        alertAdded: true,
        staffInformed: false,
        seniorLeadersSighted: true,
      },
    });
  });

  it('requires the date and the person when records are secured', () => {
    expect(scopingErrors({ recordsSecuredOn: '', recordsSecuredBy: '' })).toEqual({
      recordsSecuredOn: 'Required when records are secured',
      recordsSecuredBy: 'Required when records are secured',
    });
  });

  it('asks for the date and person to be left blank when records are not secured', () => {
    expect(scopingErrors({ recordsSecured: 'false' })).toEqual({
      recordsSecuredOn: 'Leave blank unless records are secured',
      recordsSecuredBy: 'Leave blank unless records are secured',
    });
    const none = scopingReturnSubmission({ today }).safeParse(
      scopingValues({ recordsSecured: 'false', recordsSecuredOn: '', recordsSecuredBy: '' }),
    );
    expect(none.data?.answers.recordsSecured).toBe(false);
  });

  it('requires who, when and the nature of the involvement when the agency was involved', () => {
    expect(
      scopingErrors({ involvementWith: '', periodFrom: '', periodTo: '', natureOfInvolvement: '' }),
    ).toEqual({
      involvementWith: 'Required when the agency was involved',
      periodFrom: 'Required when the agency was involved',
      periodTo: 'Required when the agency was involved',
      natureOfInvolvement: 'Required when the agency was involved',
    });
  });

  it('accepts no involvement with the details blank, and refuses details beside a no', () => {
    const blank = { involvementWith: '', periodFrom: '', periodTo: '', natureOfInvolvement: '' };
    const result = scopingReturnSubmission({ today }).safeParse(
      scopingValues({ involvement: 'no', ...blank }),
    );
    expect(result.success).toBe(true);
    expect(result.data?.answers.involvement).toBe('no');
    expect(result.data?.answers.natureOfInvolvement).toBeUndefined();
    expect(scopingErrors({ involvement: 'no', ...blank, natureOfInvolvement: 'Seen once' })).toEqual({
      natureOfInvolvement: 'Leave blank when there was no involvement, or answer yes',
    });
  });

  it('requires an answer to the involvement question, and only yes or no', () => {
    expect(scopingErrors({ involvement: '' })).toEqual({ involvement: 'Required: choose yes or no' });
    expect(scopingErrors({ involvement: 'maybe' })).toEqual({ involvement: 'Must be yes or no' });
  });

  it('checks the period runs forwards and no date is in the future', () => {
    expect(scopingErrors({ periodFrom: '2026-12-15', periodTo: '2026-12-14' })).toEqual({
      periodTo: 'Must not be before the start of the period',
    });
    expect(scopingErrors({ periodTo: '2026-12-23', recordsSecuredOn: '2027-01-04' })).toEqual({
      periodTo: 'Must not be in the future',
      recordsSecuredOn: 'Must not be in the future',
    });
    // Today itself is not the future.
    expect(scopingErrors({ periodTo: today })).toEqual({});
  });

  it('names a date that is not a real date', () => {
    expect(scopingErrors({ periodFrom: '2026-02-30' })).toEqual({
      periodFrom: 'Must be a date as YYYY-MM-DD',
    });
    expect(scopingErrors({ periodFrom: '01/09/2025' })).toEqual({
      periodFrom: 'Must be a date as YYYY-MM-DD',
    });
  });

  it('accepts only true or false from a toggle', () => {
    expect(scopingErrors({ alertAdded: 'yes' })).toEqual({ alertAdded: 'Must be true or false' });
  });

  it('caps long answers so the form still fits in a Teams message', () => {
    const long = 'x'.repeat(longTextMaxLength + 1);
    expect(scopingErrors({ natureOfInvolvement: long })).toEqual({
      natureOfInvolvement: `At most 2,500 characters (this has 2,501)`,
    });
    const answers = { natureOfInvolvement: 'n'.repeat(2500), keyContacts: 'k'.repeat(2400) };
    expect(
      scopingErrors({ ...answers, immediateActions: 'a'.repeat(2000), keyInformation: 'i'.repeat(1100) }),
    ).toEqual({
      natureOfInvolvement:
        'Together the written answers are 8,024 characters; at most 8,000 fit in a Teams card. ' +
        'Shorten this answer or another',
    });
  });

  it('requires the revision the form was made from, as a whole number', () => {
    const missing = 'Missing: the card did not say which version of the return it was made from';
    expect(scopingErrors({ revision: '' })).toEqual({ revision: missing });
    for (const bad of ['-1', '1.5', '1e3', 'two', '99999999']) {
      expect(scopingErrors({ revision: bad })).toEqual({
        revision: 'Must be a whole number from 0 to 1,000,000',
      });
    }
    const parsed = scopingReturnSubmission({ today }).safeParse(scopingValues({ revision: '3' }));
    expect(parsed.data?.madeFromRevision).toBe(3);
  });

  it('refuses a submission that does not say which review and agency it is for', () => {
    expect(scopingErrors({ reviewId: '', agencyId: '' })).toEqual({
      reviewId: 'Missing: the card did not say which review this is',
      agencyId: 'Missing: the card did not say which agency this is',
    });
  });
});
