import { ProfileRegistry } from '../review/profile';
import { galleryReview, galleryToday } from './cardGallery';
import type { AdaptiveCard } from './cardTemplate';
import { openReviewForm } from './openReviewForm';
import { outcomeForm } from './outcomeCards';
import { scopingForm, scopingSubmittedCard } from './scopingCards';
import { fieldErrors, longTextMaxLength, writtenAnswersMaxLength } from './formFields';
import { openReviewSubmission } from './openReviewSubmission';
import { outcomeSubmission } from './outcomeSubmission';
import { scopingReturnSubmission } from './scopingReturnSubmission';

const profiles = new ProfileRegistry();
const england = profiles.get('england');
const today = galleryToday;

type Node = Record<string, unknown>;

/** Every element list in the card (body, container items, column items), in order. */
function elementLists(value: unknown, lists: Node[][] = []): Node[][] {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'object' && v !== null && 'type' in v)) lists.push(value as Node[]);
    value.forEach((v) => elementLists(v, lists));
  } else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((v) => elementLists(v, lists));
  }
  return lists;
}

/** What Teams would send from this card if the user pressed the button without changing anything. */
function inputValues(card: AdaptiveCard): Record<string, string> {
  const values: Record<string, string> = {};
  for (const list of elementLists(card)) {
    for (const node of list) {
      if (typeof node.type === 'string' && node.type.startsWith('Input.')) {
        values[node.id as string] = node.value === undefined ? '' : String(node.value);
      }
    }
  }
  return values;
}

/** The text shown right under the input with this id, if it is an error. */
function errorBeside(card: AdaptiveCard, id: string): string | undefined {
  for (const list of elementLists(card)) {
    const at = list.findIndex(
      (n) => typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === id,
    );
    if (at < 0) continue;
    const next = list[at + 1];
    return next?.type === 'TextBlock' && next.color === 'Attention' ? (next.text as string) : undefined;
  }
  throw new Error(`no input '${id}' on the card`);
}

function errorSummary(card: AdaptiveCard): string[] {
  const container = (card.body as Node[]).find((n) => n.type === 'Container' && n.style === 'attention');
  return ((container?.items as Node[] | undefined) ?? []).map((n) => n.text as string);
}

/** The data the card's submit action sends back with the inputs (Action.Execute merges them). */
function submitActionData(card: unknown): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const visit = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && record.data) found = record.data as Record<string, unknown>;
    Object.values(record).forEach(visit);
  };
  visit(card);
  if (!found) throw new Error('no Action.Execute on the card');
  return found;
}

describe('the scoping form', () => {
  const review = galleryReview();

  it('is prefilled with the agency’s current return, and submits it unchanged', () => {
    const card = scopingForm(review, 'police', england, { today });
    const saved = review.scopingReturns.find((r) => r.agencyId === 'police');
    const sent: Record<string, unknown> = { ...inputValues(card), ...submitActionData(card) };
    expect(sent).toMatchObject({ reviewId: review.id, agencyId: 'police', revision: saved?.revision });
    expect(sent.natureOfInvolvement).toBe(saved?.answers?.natureOfInvolvement);
    const parsed = scopingReturnSubmission({ today }).safeParse(sent);
    expect(fieldErrors(parsed)).toEqual({});
    expect(parsed.data?.answers).toEqual(saved?.answers);
  });

  it('starts empty, with every toggle off, for an agency that has not returned yet', () => {
    const values = inputValues(scopingForm(review, 'school', england, { today }));
    expect(values.natureOfInvolvement).toBe('');
    expect(values.involvement).toBe('');
    expect(values.recordsSecured).toBe('false');
    expect(values.seniorLeadersSighted).toBe('false');
  });

  it('shown again after a refusal, puts each problem under its field, lists them at the top, and keeps what was typed', () => {
    const typed = {
      reviewId: review.id,
      agencyId: 'school',
      revision: '0',
      involvement: 'yes',
      involvementWith: 'the child; “Mum” & ${sibling}',
      periodFrom: '2026-09-01',
      periodTo: '2026-06-30',
      natureOfInvolvement: '',
      recordsSecured: 'true',
      recordsSecuredOn: '',
      recordsSecuredBy: '',
      alertAdded: 'true',
      staffInformed: 'false',
      immediateLearning: 'Attendance concerns were logged but not escalated.',
      seniorLeadersSighted: 'true',
    };
    const errors = fieldErrors(scopingReturnSubmission({ today }).safeParse(typed));
    const card = scopingForm(review, 'school', england, { today, values: typed, errors });
    expect(errorBeside(card, 'periodTo')).toBe('Must not be before the start of the period');
    expect(errorBeside(card, 'natureOfInvolvement')).toBe('Required when the agency was involved');
    expect(errorBeside(card, 'recordsSecuredOn')).toBe('Required when records are secured');
    expect(errorBeside(card, 'recordsSecuredBy')).toBe('Required when records are secured');
    expect(errorBeside(card, 'periodFrom')).toBeUndefined();
    expect(errorSummary(card)).toEqual([
      'The return was not saved. Please correct these 4 answers:',
      '• Involvement to: Must not be before the start of the period',
      '• Nature of involvement: Required when the agency was involved',
      '• Records secured on: Required when records are secured',
      '• Records secured by: Required when records are secured',
    ]);
    const { reviewId: _r, agencyId: _a, revision: _v, ...answers } = typed;
    expect(inputValues(card)).toMatchObject(answers);
  });

  it('has no error summary when there is nothing to correct', () => {
    expect(errorSummary(scopingForm(review, 'school', england, { today }))).toEqual([]);
  });

  it('still fits in a Teams message with the longest answers allowed, in three-byte characters', () => {
    // '’' is three bytes in UTF-8: the worst case for text typed in Word and pasted in.
    const lengths = {
      natureOfInvolvement: longTextMaxLength,
      keyContacts: longTextMaxLength,
      immediateActions: longTextMaxLength,
    };
    const rest = writtenAnswersMaxLength - 3 * longTextMaxLength;
    const values: Record<string, string> = {
      reviewId: review.id,
      agencyId: 'school',
      revision: '0',
      involvement: 'yes',
      involvementWith: '’'.repeat(rest),
      periodFrom: '2026-01-01',
      periodTo: '2026-02-01',
      recordsSecured: 'false',
      ...Object.fromEntries(Object.entries(lengths).map(([field, n]) => [field, '’'.repeat(n)])),
    };
    const parsed = scopingReturnSubmission({ today }).safeParse(values);
    expect(fieldErrors(parsed)).toEqual({});
    // Shown again with a message under every field, the form still fits.
    const everyError = Object.fromEntries(
      Object.keys(values).map((f) => [f, 'Required when the agency was involved']),
    );
    const form = scopingForm(review, 'school', england, { today, values, errors: everyError });
    expect(Buffer.byteLength(JSON.stringify(form))).toBeLessThan(40 * 1024);
    const answers = parsed.data?.answers;
    const saved = {
      ...review,
      scopingReturns: review.scopingReturns.map((r) =>
        r.agencyId === 'school'
          ? {
              ...r,
              status: 'submitted' as const,
              answers,
              revision: 1,
              submittedAt: '2026-12-30T10:00:00.000Z',
            }
          : r,
      ),
    };
    const summary = scopingSubmittedCard(saved, 'school', { editable: true });
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(40 * 1024);
  });
});

describe('scopingSubmittedCard', () => {
  const review = galleryReview();

  it('shows what was recorded and offers an edit only while returns can still change', () => {
    const open = scopingSubmittedCard(review, 'police', { editable: true });
    expect(JSON.stringify(open)).toContain('This is revision 2.');
    expect(JSON.stringify(open)).toContain('Yes, on Fri 18 Dec 2026 by DS 3456, public protection unit');
    expect(open.actions).toEqual([expect.objectContaining({ verb: 'scopingReturn.refresh' })]);
    const closed = scopingSubmittedCard(review, 'police', { editable: false });
    expect(closed.actions).toEqual([]);
    expect(JSON.stringify(closed)).toContain('can no longer be changed');
  });
});

describe('the open-review form', () => {
  it('suggests the next reference and Child A, and offers the profile', () => {
    const values = inputValues(
      openReviewForm({ profiles: [england], today, suggestedReference: 'RR-2027-001' }),
    );
    expect(values).toMatchObject({ reference: 'RR-2027-001', pseudonym: 'Child A', profileId: 'england' });
    expect(values).toHaveProperty('agency6Rep1Email');
    expect(values).not.toHaveProperty('agency7Name');
  });

  it('shown again after a refusal, keeps every value typed, even in rows beyond the usual number', () => {
    const typed: Record<string, string> = {
      reference: 'RR-2026-01',
      profileId: 'england',
      pseudonym: 'Child C',
      referral: '2026-12-17',
      childName: 'Ellis Nobody-Example',
      agency1Name: 'Sampleshire Police',
      agency1Kind: 'police',
      agency1Rep1Name: 'Sam Specimen',
      agency1Rep1Email: 'not-an-email',
      agency8Name: 'Sample Ambulance Service',
      agency8Kind: 'other',
      agency8Rep1Name: 'Harper Fictive',
      agency8Rep1Email: 'harper@ambulance.example.org',
      agency8Rep3Name: 'Late Addition',
      agency8Rep3Email: 'late@ambulance.example.org',
    };
    const errors = fieldErrors(openReviewSubmission({ today, profiles: [england] }).safeParse(typed));
    expect(errors).toEqual({
      reference: 'Must look like RR-2026-003 (RR, the year, a number of at least three digits)',
      agency1Rep1Email: 'Must be an email address, e.g. name@agency.gov.uk',
    });
    const card = openReviewForm({
      profiles: [england],
      today,
      suggestedReference: 'RR-2027-001',
      values: typed,
      errors,
    });
    expect(inputValues(card)).toMatchObject(typed);
    expect(errorBeside(card, 'reference')).toBe(errors.reference);
    expect(errorBeside(card, 'agency1Rep1Email')).toBe(errors.agency1Rep1Email);
    expect(errorSummary(card)).toEqual([
      'Please correct these 2 answers:',
      `• Reference: ${errors.reference}`,
      `• Agency 1: representative 1 email: ${errors.agency1Rep1Email}`,
    ]);
    // Once corrected, the same card submits a valid review.
    const corrected = {
      ...inputValues(card),
      reference: 'RR-2026-001',
      agency1Rep1Email: 'sam@police.example.org',
    };
    const result = openReviewSubmission({ today, profiles: [england] }).safeParse(corrected);
    expect(fieldErrors(result)).toEqual({});
    expect(result.data?.review.agencies.map((a) => a.representatives.length)).toEqual([1, 2]);
  });

  it('shows warnings without an error summary', () => {
    const card = openReviewForm({
      profiles: [england],
      today,
      suggestedReference: 'RR-2027-001',
      warnings: ['No Police agency is listed yet.'],
    });
    expect(errorSummary(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('• No Police agency is listed yet.');
  });
});

describe('the outcome form', () => {
  const review = galleryReview();

  it('shown again after a refusal, keeps the decision chosen and names each missing text', () => {
    const typed = {
      reviewId: review.id,
      lcspr: 'yes',
      nationalImportance: 'yes',
      rationale: '',
      immediateActions: 'None',
      learning: '',
    };
    const errors = fieldErrors(outcomeSubmission().safeParse(typed));
    const card = outcomeForm(review, england, { values: typed, errors });
    expect(inputValues(card)).toMatchObject({
      lcspr: 'yes',
      nationalImportance: 'yes',
      immediateActions: 'None',
    });
    expect(errorBeside(card, 'rationale')).toBe('Required: the Panel reads the rationale');
    expect(errorBeside(card, 'learning')).toBe('Required: write "None identified yet" if so');
    expect(errorBeside(card, 'immediateActions')).toBeUndefined();
  });
});
