/**
 * The business unit's form to open a review. It holds the child's details, so the bot shows it only in
 * a 1:1 chat or in a channel only the business unit belongs to, never in the review team's standard
 * channels. Shown again after a refused submission, it keeps every value typed and puts each problem
 * next to its field.
 */
import { directoryFormFields, tickedByDefault, type PartnershipDirectory } from '../review/directory';
import { agencyKindLabels, agencyKinds } from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import type { CivilDate } from '../scheduler/civilDate';
import { bindTemplate, executeAction, type AdaptiveCard } from './cardTemplate';
import {
  openReviewFieldIds as ids,
  openReviewFixedFields,
  openReviewRowLimits as limits,
} from './openReviewSubmission';
import template from './templates/open-review-form.json';
import { cardVerbs } from './verbs';

export interface OpenReviewFormOptions {
  profiles: PartnershipProfile[];
  today: CivilDate;
  /** The next free reference, e.g. 'RR-2026-004'. */
  suggestedReference: string;
  /** What was submitted before (flat Input values), when the form is shown again. */
  values?: Record<string, string>;
  /** Problems by Input id, from `fieldErrors`. */
  errors?: Record<string, string>;
  warnings?: string[];
  /** The partnership directory: its agencies are ticked rather than typed, its chairs offered. */
  directory?: PartnershipDirectory;
  agencySlots?: number;
  familySlots?: number;
  representativeSlots?: number;
}

export const openReviewFormDefaults = { agencySlots: 6, familySlots: 4, representativeSlots: 2 };

/** One-off agency blocks shown beside the directory's agencies. */
const oneOffAgencySlots = 2;

const fixedFields: Record<(typeof openReviewFixedFields)[number], string> = {
  reference: 'Reference',
  pseudonym: 'Pseudonym',
  profileId: 'Partnership procedure',
  scopingReturnDays: 'Scoping-return timescale',
  referral: 'Referral date',
  aware: 'Date the local authority became aware',
  sinSent: 'Date the SIN was sent',
  childName: "Child's name",
  dateOfBirth: 'Date of birth',
  address: 'Address',
};

/** "Agency 100000" for a row key past the rows the form shows (its error is about that row). */
function rowBeyondForm(id: string): string | undefined {
  const family = /^family(\d+)/.exec(id);
  if (family) return `Family member ${family[1]}`;
  const agency = /^agency(\d+)(?:Rep(\d+))?/.exec(id);
  if (!agency) return undefined;
  return agency[2] === undefined ? `Agency ${agency[1]}` : `Agency ${agency[1]}: representative ${agency[2]}`;
}

/**
 * The highest row filled in before, for family members, agencies and each agency's representatives,
 * in one pass over the keys. Row numbers beyond the form's limits are left out (the submission was
 * refused with a field error for them): a key such as 'agency100000Name' must not build that many rows.
 */
function rowsFilled(values: Record<string, string>): {
  family: number;
  agencies: number;
  representatives: Map<number, number>;
} {
  const filled = { family: 0, agencies: 0, representatives: new Map<number, number>() };
  const row = (digits: string, limit: number) => {
    const n = Number(digits);
    return digits.startsWith('0') || n > limit ? 0 : n;
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === '') continue;
    const family = /^family(\d+)/.exec(key);
    if (family) filled.family = Math.max(filled.family, row(family[1], limits.family));
    const agency = /^agency(\d+)(?:Rep(\d+))?/.exec(key);
    if (!agency) continue;
    const n = row(agency[1], limits.agencies);
    if (n === 0) continue;
    filled.agencies = Math.max(filled.agencies, n);
    if (agency[2] === undefined) continue;
    const m = row(agency[2], limits.representatives);
    filled.representatives.set(n, Math.max(filled.representatives.get(n) ?? 0, m));
  }
  return filled;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

export function openReviewForm(options: OpenReviewFormOptions): AdaptiveCard {
  const submitted = options.values;
  const errors = options.errors ?? {};
  const values: Record<string, string> = submitted ?? {
    reference: options.suggestedReference,
    pseudonym: 'Child A',
    profileId: options.profiles.length === 1 ? options.profiles[0].id : '',
  };
  const value = (id: string) => values[id] ?? '';
  const error = (id: string) => errors[id] ?? '';
  const labels = new Map<string, string>(Object.entries(fixedFields));

  const filled = rowsFilled(values);
  const directory = options.directory;
  const hasDirectory =
    directory !== undefined && (directory.agencies.length > 0 || directory.chairs.length > 0);
  const familyRows = range(
    Math.max(filled.family, options.familySlots ?? openReviewFormDefaults.familySlots),
  ).map((n) => {
    const nameId = ids.familyName(n);
    const relationshipId = ids.familyRelationship(n);
    labels.set(nameId, `Family member ${n}: name`);
    labels.set(relationshipId, `Family member ${n}: relationship`);
    return {
      label: `Family member ${n}`,
      nameId,
      relationshipId,
      name: value(nameId),
      relationship: value(relationshipId),
      nameError: error(nameId),
      relationshipError: error(relationshipId),
    };
  });

  const representativeSlots = options.representativeSlots ?? openReviewFormDefaults.representativeSlots;
  const agencySlots = range(
    Math.max(
      filled.agencies,
      options.agencySlots ?? (hasDirectory ? oneOffAgencySlots : openReviewFormDefaults.agencySlots),
    ),
  ).map((n) => {
    const person = (label: string, nameId: string, emailId: string) => {
      labels.set(nameId, `Agency ${n}: ${label.toLowerCase()} name`);
      labels.set(emailId, `Agency ${n}: ${label.toLowerCase()} email`);
      return {
        label,
        nameId,
        emailId,
        name: value(nameId),
        email: value(emailId),
        nameError: error(nameId),
        emailError: error(emailId),
      };
    };
    const people = range(Math.max(filled.representatives.get(n) ?? 0, representativeSlots)).map((m) =>
      person(`Representative ${m}`, ids.representativeName(n, m), ids.representativeEmail(n, m)),
    );
    people.push(person('Partner lead (statutory partners only)', ids.leadName(n), ids.leadEmail(n)));
    labels.set(ids.agencyName(n), `Agency ${n}: name`);
    labels.set(ids.agencyKind(n), `Agency ${n}: kind`);
    return {
      title: `Agency ${n}`,
      nameId: ids.agencyName(n),
      kindId: ids.agencyKind(n),
      name: value(ids.agencyName(n)),
      kind: value(ids.agencyKind(n)),
      nameError: error(ids.agencyName(n)),
      kindError: error(ids.agencyKind(n)),
      people,
    };
  });

  const agreeing = options.profiles.filter((p) => p.scopingReturns.agreedPerReview);
  const days = value('scopingReturnDays');
  const errorSummary = Object.entries(errors).map(
    ([id, message]) => `${labels.get(id) ?? rowBeyondForm(id) ?? 'This form'}: ${message}`,
  );
  const card = bindTemplate(template, {
    today: options.today,
    values: {
      ...Object.fromEntries(Object.keys(fixedFields).map((id) => [id, value(id)])),
      scopingReturnDaysNumber: /^\d+$/.test(days) ? Number(days) : null,
    },
    errors: Object.fromEntries(Object.keys(fixedFields).map((id) => [id, error(id)])),
    errorHeading: `Please correct ${errorSummary.length === 1 ? 'this answer' : `these ${errorSummary.length} answers`}:`,
    errorSummary,
    warnings: options.warnings ?? [],
    profileChoices: options.profiles.map((p) => ({ title: p.name, value: p.id })),
    showScopingReturnDays: agreeing.length > 0,
    scopingReturnDaysLabel:
      agreeing.length === 1
        ? `Scoping returns due within (working days; blank for ${agreeing[0].scopingReturns.withinDays})`
        : 'Scoping returns due within (working days, where the partnership agrees it per review)',
    familyRows,
    agencySlots,
    kindChoices: agencyKinds.map((kind) => ({ title: agencyKindLabels[kind], value: kind })),
    action: executeAction(cardVerbs.openReview, {}),
  });
  if (!hasDirectory) return card;
  const body = card.body as Record<string, unknown>[];
  const at = body.findIndex((element) => element.text === 'Agencies and their representatives');
  body.splice(
    at < 0 ? body.length : at,
    0,
    ...directoryElements(directory, value, error, submitted !== undefined),
  );
  return card;
}

/**
 * Teams' people picker: an Input.ChoiceSet whose `choices.data` is a Data.Query over the
 * organisation's users ("People Picker in Adaptive Cards", learn.microsoft.com/microsoftteams/
 * platform/task-modules-and-cards/cards/people-picker: dataset `graph.microsoft.com/users`; the value
 * submitted is the person's Microsoft Entra object id). Clients without it (the Agents Playground)
 * show only the static choices, so a typed e-mail field sits beside every picker.
 */
export function peoplePicker(
  id: string,
  label: string,
  choices: { title: string; value: string }[],
  value: string,
) {
  return {
    type: 'Input.ChoiceSet',
    id,
    label,
    style: 'compact',
    isMultiSelect: false,
    choices,
    'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
    ...(value ? { value } : {}),
  };
}

/** The directory's part of the form: agencies to tick (statutory partners ticked), the chair. */
function directoryElements(
  directory: PartnershipDirectory,
  value: (id: string) => string,
  error: (id: string) => string,
  submitted: boolean,
): Record<string, unknown>[] {
  const people = (list: { name: string }[]) => list.map((p) => p.name).join(', ');
  const ticked = submitted ? value(directoryFormFields.agencies) : tickedByDefault(directory).join(',');
  const errorBlock = (id: string) =>
    error(id)
      ? [{ type: 'TextBlock', text: error(id), color: 'Attention', wrap: true, spacing: 'None' }]
      : [];
  const chairChoices = directory.chairs.map((c) => ({
    title: c.name,
    value: c.email ?? c.aadObjectId ?? c.name,
  }));
  return [
    { type: 'TextBlock', text: 'Agencies from the partnership directory', weight: 'Bolder', wrap: true },
    {
      type: 'Input.ChoiceSet',
      id: directoryFormFields.agencies,
      label:
        'Tick the agencies to ask (the statutory partners are ticked); their standing representatives are filled in',
      isMultiSelect: true,
      style: 'expanded',
      choices: directory.agencies.map((a) => ({
        title: `${a.name} (${agencyKindLabels[a.kind]})${a.representatives.length ? `: ${people(a.representatives)}` : ''}`,
        value: a.id,
      })),
      ...(ticked ? { value: ticked } : {}),
    },
    ...errorBlock(directoryFormFields.agencies),
    { type: 'TextBlock', text: 'Chair of this review', weight: 'Bolder', wrap: true },
    peoplePicker(
      directoryFormFields.chair,
      'Choose the chair, or search the organisation',
      chairChoices,
      submitted ? value(directoryFormFields.chair) : (chairChoices[0]?.value ?? ''),
    ),
    ...errorBlock(directoryFormFields.chair),
    {
      type: 'Input.Text',
      id: directoryFormFields.chairEmail,
      label: "Or type the chair's e-mail (where the search above is not offered)",
      placeholder: 'Name <name@partnership.gov.uk>',
      value: value(directoryFormFields.chairEmail),
    },
    ...errorBlock(directoryFormFields.chairEmail),
    {
      type: 'TextBlock',
      text: 'A one-off agency or person not in the directory: add it below.',
      isSubtle: true,
      wrap: true,
    },
  ];
}
