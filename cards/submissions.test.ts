import { openReview } from '../review/lifecycle';
import { ProfileRegistry } from '../review/profile';
import {
  fieldErrors,
  longTextMaxLength,
  openReviewSubmission,
  outcomeSubmission,
  scopingReturnSubmission,
} from './submissions';
import { agencyIdFromName } from '../review/directory';

const profiles = new ProfileRegistry();
const england = profiles.get('england');
const walsall = profiles.get('walsall');
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

/** A minimal valid open-review form as Teams sends it. */
function openValues(overrides: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    reference: 'RR-2026-014',
    profileId: 'england',
    pseudonym: 'Child A',
    referral: '2026-12-17',
    aware: '2026-12-16',
    sinSent: '',
    childName: 'Ellis Nobody-Example',
    dateOfBirth: '2018-04-09',
    address: '',
    family1Name: 'Jo Nobody-Example',
    family1Relationship: 'mother',
    family2Name: '',
    family2Relationship: '',
    agency1Name: 'Sampleshire Police',
    agency1Kind: 'police',
    agency1Rep1Name: 'Sam Specimen',
    agency1Rep1Email: 'Sam.Specimen@police.example.org',
    agency1LeadName: 'Jordan Mocklead',
    agency1LeadEmail: 'jordan@police.example.org',
    agency2Name: 'Sampleshire Council Children’s Services',
    agency2Kind: 'local-authority',
    agency2Rep1Name: 'Robin Placeholder',
    agency2Rep1Email: 'robin@la.example.org',
    agency2Rep2Name: '',
    agency2Rep2Email: '',
    agency3Name: '',
    agency3Kind: '',
    verb: 'review.open',
    ...overrides,
  };
}

const openSchema = openReviewSubmission({ today, profiles: [england, walsall] });
const openErrors = (overrides: Record<string, string | number>) =>
  fieldErrors(openSchema.safeParse(openValues(overrides)));

describe('openReviewSubmission', () => {
  it('builds what openReview needs, skipping blank rows, and the lifecycle accepts it', () => {
    const result = openSchema.safeParse(openValues());
    expect(result.success).toBe(true);
    const review = result.data?.review;
    expect(review?.anchors).toEqual({ referral: '2026-12-17', aware: '2026-12-16' });
    expect(review?.subject).toEqual({
      childName: 'Ellis Nobody-Example',
      dateOfBirth: '2018-04-09',
      familyMembers: [{ name: 'Jo Nobody-Example', relationship: 'mother' }],
    });
    expect(review?.agencies).toEqual([
      {
        id: 'sampleshire-police',
        name: 'Sampleshire Police',
        kind: 'police',
        representatives: [{ name: 'Sam Specimen', email: 'sam.specimen@police.example.org' }],
        lead: { name: 'Jordan Mocklead', email: 'jordan@police.example.org' },
      },
      {
        id: 'sampleshire-council-children-s-services',
        name: 'Sampleshire Council Children’s Services',
        kind: 'local-authority',
        representatives: [{ name: 'Robin Placeholder', email: 'robin@la.example.org' }],
      },
    ]);
    const opened = openReview(
      { id: 'review-1', ...(review as NonNullable<typeof review>) },
      { person: { name: 'BU' }, businessUnit: true },
      '2026-12-22T10:00:00.000Z',
    );
    expect(opened.ok).toBe(true);
  });

  it('warns, without refusing, about statutory partners not listed yet and partners without a lead', () => {
    const result = openSchema.safeParse(openValues());
    expect(result.data?.warnings).toEqual([
      'No Integrated Care Board agency is listed yet: the review meeting is quorate only with one present.',
      'Sampleshire Council Children’s Services has no partner lead yet: one is needed to sign off the outcome.',
    ]);
  });

  it('requires at least one agency, each with a kind and a representative', () => {
    const noAgencies = Object.fromEntries(
      Object.entries(openValues()).filter(([key]) => !key.startsWith('agency')),
    );
    expect(fieldErrors(openSchema.safeParse(noAgencies))).toEqual({
      agency1Name: 'At least one agency is required',
    });
    expect(openErrors({ agency3Name: 'Oakfield School' })).toEqual({
      agency3Kind: 'Required: choose what kind of agency this is',
      agency3Rep1Name: 'At least one representative is required per agency',
    });
    expect(openErrors({ agency3Kind: 'school' })).toEqual({
      agency3Name: 'Required when anything else about this agency is given',
      agency3Kind:
        'Must be one of: local-authority, police, icb, health-provider, education, probation, other',
      agency3Rep1Name: 'At least one representative is required per agency',
    });
  });

  it('checks representatives’ emails and asks for names and emails in pairs', () => {
    expect(openErrors({ agency1Rep1Email: 'sam.specimen@police' })).toEqual({
      agency1Rep1Email: 'Must be an email address, e.g. name@agency.gov.uk',
    });
    expect(openErrors({ agency2Rep2Name: 'Ash Exampleton' })).toEqual({
      agency2Rep2Email: "Required when the representative's name is given",
    });
    expect(openErrors({ agency2Rep2Email: 'ash@la.example.org' })).toEqual({
      agency2Rep2Name: "Required when the representative's email is given",
    });
  });

  it('refuses the same agency twice and a partner lead for an agency that is not a statutory partner', () => {
    expect(
      openErrors({
        agency3Name: 'Sampleshire  Police',
        agency3Kind: 'police',
        agency3Rep1Name: 'A',
        agency3Rep1Email: 'a@police.example.org',
      }),
    ).toEqual({ agency3Name: 'Listed twice (also agency 1)' });
    expect(
      openErrors({
        agency3Name: 'Oakfield School',
        agency3Kind: 'education',
        agency3Rep1Name: 'Quinn Madeup',
        agency3Rep1Email: 'quinn@school.example.org',
        agency3LeadName: 'Head Teacher',
        agency3LeadEmail: 'head@school.example.org',
      }),
    ).toEqual({
      agency3LeadName:
        'Only a statutory partner (Local authority, Police, Integrated Care Board) has a partner lead',
    });
  });

  it('checks the reference, the profile and the dates', () => {
    expect(openErrors({ reference: 'RR-26-1', profileId: 'kent' })).toEqual({
      reference: 'Must look like RR-2026-003 (RR, the year, a number of at least three digits)',
      profileId: 'Must be one of: england, walsall',
    });
    expect(openErrors({ referral: '', dateOfBirth: '2027-01-01' })).toEqual({
      referral: 'Required',
      dateOfBirth: 'Must not be in the future',
    });
    expect(openErrors({ sinSent: '2026-12-15' })).toEqual({
      sinSent: 'Must not be before the date the local authority became aware',
    });
  });

  it('requires a relationship for each family member named, and a name for each relationship', () => {
    expect(openErrors({ family2Name: 'Rae Nobody-Example' })).toEqual({
      family2Relationship: 'Required when a name is given, e.g. mother, sibling',
    });
    expect(openErrors({ family2Relationship: 'sibling' })).toEqual({
      family2Name: 'Required when a relationship is given',
    });
  });

  it('takes a per-review returns timescale only where the partnership agrees one per review', () => {
    const agreed = openSchema.safeParse(openValues({ profileId: 'walsall', scopingReturnDays: 7 }));
    expect(agreed.data?.review.scopingReturnDays).toBe(7);
    expect(openErrors({ profileId: 'walsall', scopingReturnDays: '0' })).toEqual({
      scopingReturnDays: 'Must be a whole number of working days from 1 to 60',
    });
    expect(openErrors({ scopingReturnDays: '7' })).toEqual({
      scopingReturnDays:
        'Leave blank: England (Working Together 2023 defaults) sets returns at 5 working days',
    });
  });

  it('refuses an agreed returns timescale that would end after the meeting window closes (issue 11, point 9)', () => {
    expect(openErrors({ profileId: 'walsall', scopingReturnDays: '11' })).toEqual({
      scopingReturnDays:
        'Must end before the meeting window closes (working day 13; requests go out by working day 2): at most 10 working days',
    });
    const latest = openSchema.safeParse(openValues({ profileId: 'walsall', scopingReturnDays: 10 }));
    expect(latest.data?.review.scopingReturnDays).toBe(10);
  });
});

describe('outcomeSubmission', () => {
  const values = {
    reviewId: 'review-1',
    lcspr: 'yes',
    nationalImportance: 'no',
    rationale: 'Meets the criteria for a local review.',
    immediateActions: 'Strategy discussion held.',
    learning: 'Information sharing after call-outs.',
  };

  it('gives the outcome the lifecycle records', () => {
    expect(outcomeSubmission().safeParse(values).data).toEqual({
      reviewId: 'review-1',
      outcome: {
        lcspr: 'yes',
        nationalImportance: 'no',
        rationale: 'Meets the criteria for a local review.',
        immediateActions: 'Strategy discussion held.',
        learning: 'Information sharing after call-outs.',
      },
    });
  });

  it('asks the two questions apart (LCSPR; national importance) and requires every text (issue 11, point 5)', () => {
    expect(fieldErrors(outcomeSubmission().safeParse({ reviewId: 'r', lcspr: 'scr' }))).toEqual({
      lcspr: 'Must be one of: yes, no, other-learning-review, no-further-review',
      nationalImportance: 'Required: may the case raise issues of national importance?',
      rationale: 'Required: the Panel reads the rationale',
      immediateActions: 'Required: write "None" if no immediate safeguarding action is needed',
      learning: 'Required: write "None identified yet" if so',
    });
    expect(fieldErrors(outcomeSubmission().safeParse({ ...values, lcspr: '' }))).toEqual({
      lcspr: 'Required: is an LCSPR needed?',
    });
  });
});

describe('fieldErrors', () => {
  it('is empty for a success and names a value that is not text at all', () => {
    expect(
      fieldErrors(
        outcomeSubmission().safeParse({
          ...{ reviewId: 'r' },
          lcspr: 'yes',
          nationalImportance: 'yes',
          rationale: 'a',
          immediateActions: 'b',
          learning: 'c',
        }),
      ),
    ).toEqual({});
    expect(
      fieldErrors(outcomeSubmission().safeParse({ reviewId: 'r', lcspr: { pick: 'yes' } })),
    ).toMatchObject({
      lcspr: 'Must be text',
    });
    expect(fieldErrors(outcomeSubmission().safeParse('lcspr'))).toEqual({
      _form: 'The card sent no form values',
    });
  });
});

describe('agencyIdFromName', () => {
  it('makes a short stable id from any name', () => {
    expect(agencyIdFromName('Sampleshire Police')).toBe('sampleshire-police');
    expect(agencyIdFromName('École Saint-Zoë (Primary)')).toBe('ecole-saint-zoe-primary');
    expect(agencyIdFromName('***')).toBe('agency');
    expect(agencyIdFromName('x'.repeat(60)).length).toBeLessThanOrEqual(40);
  });
});
