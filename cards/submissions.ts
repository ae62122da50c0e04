/**
 * What the cards submit, checked on the server. Teams sends every Input.* value flat and as text:
 * toggles as 'true'/'false', blanks as '', dates as 'YYYY-MM-DD'. The client-side checks on the
 * cards (isRequired, regex) are only a convenience and never trusted.
 *
 * Each schema turns the flat values into domain values, or fails with one issue per field whose
 * path is the Input id, so `fieldErrors` can put each message next to its field when the form is
 * shown again. Rules that depend on the date (nothing in the future) take `today` as a parameter:
 * time is injected, never read here.
 */
import { z } from 'zod';
import type { OpenReviewInput } from '../review/lifecycle';
import { referencePattern } from '../review/lifecycle';
import {
  agencyKindLabels,
  agencyKinds,
  involvementValues,
  lcsprAnswers,
  nationalImportanceAnswers,
  type LcsprAnswer,
  type NationalImportanceAnswer,
  type Agency,
  type AgencyKind,
  type CivilDate,
  type Outcome,
  type Person,
  type ScopingReturnAnswers,
} from '../review/model';
import { anchorOrderIssues, futureDateIssue } from '../review/anchorDates';
import { agencyIdFromName } from '../review/directory';
import { agreedReturnDaysIssue, type PartnershipProfile } from '../review/profile';
import { isStorableText, unstorableCharacterMessage } from '../review/storableText';
import { isCivilDate } from '../scheduler/civilDate';

/**
 * Written answers are capped so that a form shown again with them, or the card summarising them,
 * still fits Teams' 40 KB message limit even when every character takes three bytes: one answer may
 * be long, but all of them together stay within `writtenAnswersMaxLength`.
 */
export const longTextMaxLength = 2500;
export const shortTextMaxLength = 200;
export const writtenAnswersMaxLength = 8000;

/**
 * One submitted value as Teams sends it, normalised to trimmed text ('' for a blank). Its type is
 * checked before anything is turned into text: an object or an array is refused ('Must be text'),
 * never stringified.
 */
const submittedValue = z
  .union([z.string(), z.number().finite(), z.boolean(), z.null(), z.undefined()])
  .transform((value) => (value === null || value === undefined ? '' : String(value).trim()));

/** Whether a submitted value is one `submittedValue` accepts (text, a number, a toggle or a blank). */
export function isSubmittedValue(value: unknown): value is string | number | boolean | null | undefined {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Rows the open-review form accepts at most; a higher row number is refused with a field error. */
export const openReviewRowLimits = { family: 20, agencies: 60, representatives: 10 } as const;

type Issue = (field: string, message: string) => void;

function collector(ctx: z.RefinementCtx): { issue: Issue; failed: () => boolean } {
  let count = 0;
  return {
    issue: (field, message) => {
      count += 1;
      ctx.addIssue({ code: 'custom', message, path: [field] });
    },
    failed: () => count > 0,
  };
}

const emailSchema = z.email();

interface TextRule {
  required?: string | false;
  max?: number;
}

function text(value: string, field: string, issue: Issue, rule: TextRule = {}): string | undefined {
  if (value === '') {
    if (rule.required) issue(field, rule.required);
    return undefined;
  }
  if (!isStorableText(value)) {
    issue(field, unstorableCharacterMessage);
    return undefined;
  }
  const max = rule.max ?? shortTextMaxLength;
  if (value.length > max) {
    issue(
      field,
      `At most ${max.toLocaleString('en-GB')} characters (this has ${value.length.toLocaleString('en-GB')})`,
    );
  }
  return value;
}

function date(
  value: string,
  field: string,
  issue: Issue,
  today: CivilDate,
  required: string | false = false,
): CivilDate | undefined {
  if (value === '') {
    if (required) issue(field, required);
    return undefined;
  }
  if (!isCivilDate(value)) {
    issue(field, 'Must be a date as YYYY-MM-DD');
    return undefined;
  }
  const future = futureDateIssue(value, today);
  if (future) {
    issue(field, future);
    return undefined;
  }
  return value;
}

function toggle(value: string, field: string, issue: Issue): boolean {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  issue(field, 'Must be true or false');
  return false;
}

function email(value: string, field: string, issue: Issue): string | undefined {
  if (value === '') return undefined;
  if (!emailSchema.safeParse(value).success) {
    issue(field, 'Must be an email address, e.g. name@agency.gov.uk');
    return undefined;
  }
  return value.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Opening a review
// ---------------------------------------------------------------------------------------------

/** Input ids of the open-review form's repeated rows (numbered from 1). */
export const openReviewFieldIds = {
  familyName: (n: number) => `family${n}Name`,
  familyRelationship: (n: number) => `family${n}Relationship`,
  agencyName: (n: number) => `agency${n}Name`,
  agencyKind: (n: number) => `agency${n}Kind`,
  representativeName: (n: number, m: number) => `agency${n}Rep${m}Name`,
  representativeEmail: (n: number, m: number) => `agency${n}Rep${m}Email`,
  leadName: (n: number) => `agency${n}LeadName`,
  leadEmail: (n: number) => `agency${n}LeadEmail`,
};

/** The open-review form's fields that are not numbered rows. */
export const openReviewFixedFields = [
  'reference',
  'pseudonym',
  'profileId',
  'scopingReturnDays',
  'referral',
  'aware',
  'sinSent',
  'childName',
  'dateOfBirth',
  'address',
] as const;

const openReviewRowKey =
  /^(?:family\d+(?:Name|Relationship)|agency\d+(?:Name|Kind|LeadName|LeadEmail|Rep\d+(?:Name|Email)))$/;

/**
 * Whether a submitted key is one of the open-review form's own fields (a row number past the form's
 * limits included: it gets its field error). Any other key is no answer of the officer's.
 */
export function isOpenReviewField(key: string): boolean {
  return (openReviewFixedFields as readonly string[]).includes(key) || openReviewRowKey.test(key);
}

export interface OpenReviewContext {
  today: CivilDate;
  /** The profiles offered on the form; the chosen one decides the per-review rules. */
  profiles: PartnershipProfile[];
}

export interface OpenReviewSubmission {
  /** Everything `openReview` needs except the review id, which the bot assigns. */
  review: Omit<OpenReviewInput, 'id'>;
  /** Worth telling the business unit, but no reason to refuse (e.g. a statutory partner not listed yet). */
  warnings: string[];
}

/**
 * The numbered rows of the open-review form that were filled in, found in one pass over the submitted
 * keys: family rows, agency rows and each agency's representative rows. A row number outside
 * 1..limit (or written with leading zeros) is refused on its own key, never built: a key such as
 * 'agency100000Name' must not make the form build a hundred thousand rows.
 */
function openReviewRows(
  values: Record<string, string>,
  issue: Issue,
): { family: number[]; agencies: number[]; representatives: Map<number, number[]> } {
  const family = new Set<number>();
  const agencies = new Set<number>();
  const representatives = new Map<number, Set<number>>();
  const within = (key: string, digits: string, limit: number, what: string): number | undefined => {
    const n = Number(digits);
    if (digits.startsWith('0') || n < 1 || n > limit) {
      issue(key, `At most ${limit} ${what}: rows are numbered 1 to ${limit}`);
      return undefined;
    }
    return n;
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === '') continue;
    const familyRow = /^family(\d+)(?:Name|Relationship)$/.exec(key);
    if (familyRow) {
      const n = within(key, familyRow[1], openReviewRowLimits.family, 'family members');
      if (n !== undefined) family.add(n);
      continue;
    }
    const agencyRow = /^agency(\d+)(?:(Name|Kind|LeadName|LeadEmail)|Rep(\d+)(?:Name|Email))?/.exec(key);
    if (!agencyRow) continue;
    const n = within(key, agencyRow[1], openReviewRowLimits.agencies, 'agencies');
    if (n === undefined) continue;
    agencies.add(n);
    if (agencyRow[3] !== undefined) {
      const m = within(key, agencyRow[3], openReviewRowLimits.representatives, 'representatives per agency');
      if (m === undefined) continue;
      const reps = representatives.get(n) ?? new Set<number>();
      reps.add(m);
      representatives.set(n, reps);
    }
  }
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return {
    family: sorted(family),
    agencies: sorted(agencies),
    representatives: new Map([...representatives].map(([n, reps]) => [n, sorted(reps)])),
  };
}

function person(name: string | undefined, mail: string | undefined): Person | undefined {
  if (name === undefined || mail === undefined) return undefined;
  return { name, email: mail };
}

/** A name and email given as a pair: either both or neither. */
function personPair(
  values: Record<string, string>,
  nameField: string,
  emailField: string,
  issue: Issue,
  what: string,
): Person | undefined {
  const name = text(values[nameField] ?? '', nameField, issue);
  const mail = email(values[emailField] ?? '', emailField, issue);
  if (name !== undefined && (values[emailField] ?? '') === '')
    issue(emailField, `Required when the ${what}'s name is given`);
  if (name === undefined && (values[emailField] ?? '') !== '')
    issue(nameField, `Required when the ${what}'s email is given`);
  return person(name, mail);
}

export function openReviewSubmission(context: OpenReviewContext): z.ZodType<OpenReviewSubmission> {
  const profileIds = context.profiles.map((p) => p.id);
  return z.record(z.string(), submittedValue).transform((values, ctx): OpenReviewSubmission => {
    const { issue, failed } = collector(ctx);
    const { today } = context;
    const value = (field: string) => values[field] ?? '';
    const warnings: string[] = [];

    const reference = text(value('reference'), 'reference', issue, { required: 'Required' });
    if (reference !== undefined && !referencePattern.test(reference)) {
      issue('reference', 'Must look like RR-2026-003 (RR, the year, a number of at least three digits)');
    }
    const profileId = value('profileId');
    const profile = context.profiles.find((p) => p.id === profileId);
    if (profileId === '') issue('profileId', 'Required');
    else if (!profile) issue('profileId', `Must be one of: ${profileIds.join(', ')}`);
    const pseudonym = text(value('pseudonym'), 'pseudonym', issue, {
      required: 'Required: the name used for the child outside the review channel, e.g. Child A',
      max: 40,
    });

    const referral = date(value('referral'), 'referral', issue, today, 'Required');
    const aware = date(value('aware'), 'aware', issue, today);
    const sinSent = date(value('sinSent'), 'sinSent', issue, today);
    for (const order of anchorOrderIssues({ aware, sinSent })) issue(order.field, order.message);

    let scopingReturnDays: number | undefined;
    const days = value('scopingReturnDays');
    if (days !== '' && profile) {
      if (!profile.scopingReturns.agreedPerReview) {
        issue(
          'scopingReturnDays',
          `Leave blank: ${profile.name} sets returns at ${profile.scopingReturns.withinDays} working days`,
        );
      } else if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 60) {
        issue('scopingReturnDays', 'Must be a whole number of working days from 1 to 60');
      } else {
        // An agreed return period cannot end after the meeting window closes.
        const late = agreedReturnDaysIssue(profile, Number(days));
        if (late) issue('scopingReturnDays', late);
        else scopingReturnDays = Number(days);
      }
    }

    const childName = text(value('childName'), 'childName', issue, { required: 'Required' });
    const dateOfBirth = date(value('dateOfBirth'), 'dateOfBirth', issue, today);
    const address = text(value('address'), 'address', issue, { max: 500 });

    const rows = openReviewRows(values, issue);
    const familyMembers: { name: string; relationship: string }[] = [];
    for (const n of rows.family) {
      const nameField = openReviewFieldIds.familyName(n);
      const relationshipField = openReviewFieldIds.familyRelationship(n);
      const name = text(value(nameField), nameField, issue, {
        required: 'Required when a relationship is given',
      });
      const relationship = text(value(relationshipField), relationshipField, issue, {
        required: 'Required when a name is given, e.g. mother, sibling',
      });
      if (name !== undefined && relationship !== undefined) familyMembers.push({ name, relationship });
    }

    const statutoryKinds = (profile?.statutoryPartners ?? []).map((p) => p.kind);
    const agencies: Agency[] = [];
    const agencyIds = new Map<string, number>();
    const agencyRows = rows.agencies;
    if (agencyRows.length === 0) issue(openReviewFieldIds.agencyName(1), 'At least one agency is required');
    for (const n of agencyRows) {
      const nameField = openReviewFieldIds.agencyName(n);
      const kindField = openReviewFieldIds.agencyKind(n);
      const name = text(value(nameField), nameField, issue, {
        required: 'Required when anything else about this agency is given',
      });
      const kindText = value(kindField);
      let kind: AgencyKind | undefined;
      if (kindText === '') issue(kindField, 'Required: choose what kind of agency this is');
      else if (!(agencyKinds as readonly string[]).includes(kindText)) {
        issue(kindField, `Must be one of: ${agencyKinds.join(', ')}`);
      } else kind = kindText as AgencyKind;

      const representatives: Person[] = [];
      const repRows = rows.representatives.get(n) ?? [];
      for (const m of repRows) {
        const rep = personPair(
          values,
          openReviewFieldIds.representativeName(n, m),
          openReviewFieldIds.representativeEmail(n, m),
          issue,
          'representative',
        );
        if (rep) representatives.push(rep);
      }
      if (repRows.length === 0) {
        issue(
          openReviewFieldIds.representativeName(n, 1),
          'At least one representative is required per agency',
        );
      }
      const lead = personPair(
        values,
        openReviewFieldIds.leadName(n),
        openReviewFieldIds.leadEmail(n),
        issue,
        'lead',
      );
      // Without a known profile there is no list of statutory partners to judge the lead by.
      if (lead && kind && profile && !statutoryKinds.includes(kind)) {
        issue(
          openReviewFieldIds.leadName(n),
          `Only a statutory partner (${statutoryKinds.map((k) => agencyKindLabels[k]).join(', ')}) has a partner lead`,
        );
      }
      if (name === undefined || kind === undefined) continue;
      const id = agencyIdFromName(name);
      if (agencyIds.has(id)) {
        issue(nameField, `Listed twice (also agency ${agencyIds.get(id)})`);
        continue;
      }
      agencyIds.set(id, n);
      agencies.push({ id, name, kind, representatives, ...(lead ? { lead } : {}) });
    }

    for (const kind of statutoryKinds) {
      if (agencies.length > 0 && !agencies.some((a) => a.kind === kind)) {
        const label =
          profile?.statutoryPartners.find((p) => p.kind === kind)?.label ?? agencyKindLabels[kind];
        warnings.push(
          `No ${label} agency is listed yet: the review meeting is quorate only with one present.`,
        );
      }
    }
    for (const agency of agencies) {
      if (statutoryKinds.includes(agency.kind) && !agency.lead) {
        warnings.push(`${agency.name} has no partner lead yet: one is needed to sign off the outcome.`);
      }
    }

    if (failed() || !reference || !profile || !pseudonym || !referral || !childName) return z.NEVER;
    return {
      review: {
        reference,
        pseudonym,
        profileId: profile.id,
        anchors: { referral, ...(aware ? { aware } : {}), ...(sinSent ? { sinSent } : {}) },
        ...(scopingReturnDays === undefined ? {} : { scopingReturnDays }),
        subject: {
          childName,
          ...(dateOfBirth ? { dateOfBirth } : {}),
          ...(address ? { address } : {}),
          familyMembers,
        },
        agencies,
      },
      warnings,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// A scoping return
// ---------------------------------------------------------------------------------------------

/** Input ids of the scoping form: exactly the answer names, so errors and values line up. */
export const scopingReturnFields = [
  'involvement',
  'involvementWith',
  'periodFrom',
  'periodTo',
  'natureOfInvolvement',
  'keyContacts',
  'recordsSecured',
  'recordsSecuredOn',
  'recordsSecuredBy',
  'alertAdded',
  'staffInformed',
  'immediateActions',
  'immediateLearning',
  'keyInformation',
  'seniorLeadersSighted',
] as const satisfies readonly (keyof ScopingReturnAnswers)[];
export type ScopingReturnField = (typeof scopingReturnFields)[number];

export interface ScopingReturnSubmission {
  reviewId: string;
  agencyId: string;
  /** The revision of the saved return the form was made from (0 before any): a stale one is refused. */
  madeFromRevision: number;
  answers: ScopingReturnAnswers;
}

/** The most revisions a return can have: far more than any review makes, well inside a safe integer. */
const revisionMax = 1_000_000;

const scopingShape = Object.fromEntries(
  ['reviewId', 'agencyId', 'revision', ...scopingReturnFields].map((field) => [
    field,
    submittedValue.optional(),
  ]),
) as Record<'reviewId' | 'agencyId' | 'revision' | ScopingReturnField, z.ZodOptional<typeof submittedValue>>;

export function scopingReturnSubmission(context: { today: CivilDate }): z.ZodType<ScopingReturnSubmission> {
  return z.object(scopingShape).transform((raw, ctx): ScopingReturnSubmission => {
    const { issue, failed } = collector(ctx);
    const { today } = context;
    const value = (field: keyof typeof raw) => raw[field] ?? '';
    const reviewId = value('reviewId');
    const agencyId = value('agencyId');
    if (reviewId === '') issue('reviewId', 'Missing: the card did not say which review this is');
    if (agencyId === '') issue('agencyId', 'Missing: the card did not say which agency this is');
    const revisionText = value('revision');
    const madeFromRevision = /^\d{1,7}$/.test(revisionText) ? Number(revisionText) : -1;
    if (revisionText === '') {
      issue('revision', 'Missing: the card did not say which version of the return it was made from');
    } else if (madeFromRevision < 0 || madeFromRevision > revisionMax) {
      issue('revision', `Must be a whole number from 0 to ${revisionMax.toLocaleString('en-GB')}`);
    }

    const involvementText = value('involvement');
    const involved = involvementText === 'yes';
    if (involvementText === '') issue('involvement', 'Required: choose yes or no');
    else if (!(involvementValues as readonly string[]).includes(involvementText)) {
      issue('involvement', 'Must be yes or no');
    }
    const whenInvolved = involved ? 'Required when the agency was involved' : false;
    const involvementWith = text(value('involvementWith'), 'involvementWith', issue, {
      required: whenInvolved,
      max: 500,
    });
    const periodFrom = date(value('periodFrom'), 'periodFrom', issue, today, whenInvolved);
    const periodTo = date(value('periodTo'), 'periodTo', issue, today, whenInvolved);
    if (periodFrom && periodTo && periodFrom > periodTo) {
      issue('periodTo', 'Must not be before the start of the period');
    }
    const natureOfInvolvement = text(value('natureOfInvolvement'), 'natureOfInvolvement', issue, {
      required: whenInvolved,
      max: longTextMaxLength,
    });
    const keyContacts = text(value('keyContacts'), 'keyContacts', issue, { max: longTextMaxLength });
    if (involvementText === 'no') {
      // An answer of 'no' with details beside it is contradictory: ask rather than drop what was typed.
      for (const field of [
        'involvementWith',
        'periodFrom',
        'periodTo',
        'natureOfInvolvement',
        'keyContacts',
      ] as const) {
        if (value(field) !== '') issue(field, 'Leave blank when there was no involvement, or answer yes');
      }
    }

    const recordsSecured = toggle(value('recordsSecured'), 'recordsSecured', issue);
    const recordsSecuredOn = date(
      value('recordsSecuredOn'),
      'recordsSecuredOn',
      issue,
      today,
      recordsSecured ? 'Required when records are secured' : false,
    );
    const recordsSecuredBy = text(value('recordsSecuredBy'), 'recordsSecuredBy', issue, {
      required: recordsSecured ? 'Required when records are secured' : false,
    });
    if (!recordsSecured) {
      for (const field of ['recordsSecuredOn', 'recordsSecuredBy'] as const) {
        if (value(field) !== '') issue(field, 'Leave blank unless records are secured');
      }
    }
    const alertAdded = toggle(value('alertAdded'), 'alertAdded', issue);
    const staffInformed = toggle(value('staffInformed'), 'staffInformed', issue);
    const seniorLeadersSighted = toggle(value('seniorLeadersSighted'), 'seniorLeadersSighted', issue);
    const long = { max: longTextMaxLength };
    const immediateActions = text(value('immediateActions'), 'immediateActions', issue, long);
    const immediateLearning = text(value('immediateLearning'), 'immediateLearning', issue, long);
    const keyInformation = text(value('keyInformation'), 'keyInformation', issue, long);

    const written = (
      [
        'involvementWith',
        'natureOfInvolvement',
        'keyContacts',
        'recordsSecuredBy',
        'immediateActions',
        'immediateLearning',
        'keyInformation',
      ] as const
    ).map((field) => ({ field, length: value(field).length }));
    const total = written.reduce((sum, w) => sum + w.length, 0);
    if (total > writtenAnswersMaxLength) {
      const longest = written.reduce((a, b) => (b.length > a.length ? b : a));
      issue(
        longest.field,
        `Together the written answers are ${total.toLocaleString('en-GB')} characters; at most ` +
          `${writtenAnswersMaxLength.toLocaleString('en-GB')} fit in a Teams card. Shorten this answer or another`,
      );
    }

    if (failed()) return z.NEVER;
    const optional = {
      involvementWith,
      periodFrom,
      periodTo,
      natureOfInvolvement,
      keyContacts,
      recordsSecuredOn,
      recordsSecuredBy,
      immediateActions,
      immediateLearning,
      keyInformation,
    };
    return {
      reviewId,
      agencyId,
      madeFromRevision,
      answers: {
        involvement: involved ? 'yes' : 'no',
        recordsSecured,
        alertAdded,
        staffInformed,
        seniorLeadersSighted,
        ...(Object.fromEntries(
          Object.entries(optional).filter(([, v]) => v !== undefined),
        ) as Partial<ScopingReturnAnswers>),
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The outcome of the review meeting
// ---------------------------------------------------------------------------------------------

export const outcomeFields = [
  'lcspr',
  'nationalImportance',
  'rationale',
  'immediateActions',
  'learning',
] as const;
export type OutcomeField = (typeof outcomeFields)[number];

export interface OutcomeSubmission {
  reviewId: string;
  outcome: Omit<Outcome, 'recordedBy' | 'recordedAt'>;
}

export function outcomeSubmission(): z.ZodType<OutcomeSubmission> {
  return z
    .object({
      reviewId: submittedValue.optional(),
      lcspr: submittedValue.optional(),
      nationalImportance: submittedValue.optional(),
      rationale: submittedValue.optional(),
      immediateActions: submittedValue.optional(),
      learning: submittedValue.optional(),
    })
    .transform((raw, ctx): OutcomeSubmission => {
      const { issue, failed } = collector(ctx);
      const reviewId = raw.reviewId ?? '';
      if (reviewId === '') issue('reviewId', 'Missing: the card did not say which review this is');
      // Two questions, answered separately: an LCSPR and national importance are not one choice.
      const lcspr = raw.lcspr ?? '';
      if (lcspr === '') issue('lcspr', 'Required: is an LCSPR needed?');
      else if (!(lcsprAnswers as readonly string[]).includes(lcspr)) {
        issue('lcspr', `Must be one of: ${lcsprAnswers.join(', ')}`);
      }
      const national = raw.nationalImportance ?? '';
      if (national === '')
        issue('nationalImportance', 'Required: may the case raise issues of national importance?');
      else if (!(nationalImportanceAnswers as readonly string[]).includes(national)) {
        issue('nationalImportance', `Must be one of: ${nationalImportanceAnswers.join(', ')}`);
      }
      const long = (required: string) => ({ required, max: longTextMaxLength });
      const rationale = text(
        raw.rationale ?? '',
        'rationale',
        issue,
        long('Required: the Panel reads the rationale'),
      );
      const immediateActions = text(
        raw.immediateActions ?? '',
        'immediateActions',
        issue,
        long('Required: write "None" if no immediate safeguarding action is needed'),
      );
      const learning = text(
        raw.learning ?? '',
        'learning',
        issue,
        long('Required: write "None identified yet" if so'),
      );
      if (failed() || !rationale || !immediateActions || !learning) return z.NEVER;
      return {
        reviewId,
        outcome: {
          lcspr: lcspr as LcsprAnswer,
          nationalImportance: national as NationalImportanceAnswer,
          rationale,
          immediateActions,
          learning,
        },
      };
    });
}

// ---------------------------------------------------------------------------------------------

/** One message per field (the first rule it broke), keyed by Input id; '_form' for the whole form. */
export function fieldErrors(result: { success: boolean; error?: z.ZodError }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (result.success || !result.error) return errors;
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    // The lenient input schemas only fail on a value that is not text at all.
    const message =
      issue.code === 'custom'
        ? issue.message
        : field === '_form'
          ? 'The card sent no form values'
          : 'Must be text';
    if (!(field in errors)) errors[field] = message;
  }
  return errors;
}
