import { agencyIdFromName } from '../review/directory';
import { openReview } from '../review/lifecycle';
import { ProfileRegistry } from '../review/profile';
import { fieldErrors } from './formFields';
import { openReviewSubmission } from './openReviewSubmission';

const profiles = new ProfileRegistry();
const england = profiles.get('england');
const walsall = profiles.get('walsall');
const today = '2026-12-22';

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

describe('agencyIdFromName', () => {
  it('makes a short stable id from any name', () => {
    expect(agencyIdFromName('Sampleshire Police')).toBe('sampleshire-police');
    expect(agencyIdFromName('École Saint-Zoë (Primary)')).toBe('ecole-saint-zoe-primary');
    expect(agencyIdFromName('***')).toBe('agency');
    expect(agencyIdFromName('x'.repeat(60)).length).toBeLessThanOrEqual(40);
  });
});
