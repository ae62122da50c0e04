/**
 * The open-review form's submission, checked on the server (the form itself: openReviewForm.ts). The
 * numbered rows (family members, agencies, their representatives) are found in one pass and capped.
 */
import { z } from 'zod';
import { anchorOrderIssues } from '../review/anchorDates';
import { agencyIdFromName } from '../review/directory';
import { referencePattern, type OpenReviewInput } from '../review/lifecycle';
import {
  agencyKindLabels,
  agencyKinds,
  type Agency,
  type AgencyKind,
  type CivilDate,
  type Person,
} from '../review/model';
import { agreedReturnDaysIssue, type PartnershipProfile } from '../review/profile';
import { collector, date, email, submittedValue, text, type Issue } from './formFields';

/** Rows the open-review form accepts at most; a higher row number is refused with a field error. */
export const openReviewRowLimits = { family: 20, agencies: 60, representatives: 10 } as const;

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
