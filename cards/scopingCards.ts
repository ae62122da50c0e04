/**
 * One agency's scoping request, in three views:
 * - the shared card everyone in the review channel sees: agency, due date, status, no answers;
 * - the form its representatives get as their own view of that card (Universal Actions refresh),
 *   prefilled with the current return, or shown again with the problems of a refused submission;
 * - what the submitter sees once the return is saved.
 */
import {
  agencyKindLabels,
  type Agency,
  type Instant,
  type Review,
  type ScopingReturnAnswers,
} from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import { scopingPeriodText } from '../review/scopingPeriod';
import type { CivilDate } from '../scheduler/civilDate';
import { agencyReturnStatus, type AgencyReturnStatus } from '../scheduler/reviewStatus';
import type { WorkingDayCalendar } from '../scheduler/workingDayCalendar';
import { bindTemplate, cardVersion, executeAction, type AdaptiveCard } from './cardTemplate';
import { formatDate, formatInstant, yesNo } from './cardText';
import { escapeMarkdown as md } from './markdown';
import { longTextMaxLength, shortTextMaxLength } from './formFields';
import { scopingReturnFields, type ScopingReturnField } from './scopingReturnSubmission';
import formTemplate from './templates/scoping-form.json';
import { cardVerbs } from './verbs';

/** Teams gives at most this many people their own refreshed view of one card. */
export const maxRefreshUserIds = 60;

/**
 * Who gets their own view of an agency's card, as Teams user MRIs: the '29:…' id the Bot
 * Framework puts in `activity.from.id` and `TeamsInfo.getMember(…).id`, NOT the AAD object id.
 * Microsoft's "User Specific Views" page and its Universal Actions FAQ call `refresh.userIds` "an
 * array of user MRIs" (example '29:1bSnHZ7Js2…'), and the official Node sample fills it from
 * `context.activity.from.id`. bot/ resolves a representative's aadObjectId to that id with
 * TeamsInfo.getMember before binding.
 */
export interface RefreshUserIds {
  representatives: string[];
  businessUnit: string[];
}

/**
 * Representatives first, since they are the ones with a form to fill in; past Teams' limit the rest
 * still reach their view through the card's button, which runs the same refresh verb.
 */
export function refreshUserIdsFor(ids: RefreshUserIds | undefined): string[] {
  if (!ids) return [];
  return [...new Set([...ids.representatives, ...ids.businessUnit].filter((id) => id !== ''))].slice(
    0,
    maxRefreshUserIds,
  );
}

export const scopingFieldLabels: Record<ScopingReturnField, string> = {
  involvement:
    'Did your agency have any involvement with the child and/or the named family members in the scoping period?',
  involvementWith: 'Involvement with (the child and/or which family members)',
  periodFrom: 'Involvement from',
  periodTo: 'Involvement to',
  natureOfInvolvement: 'Nature of involvement',
  keyContacts: 'Key contacts and dates',
  recordsSecured: 'Records have been secured',
  recordsSecuredOn: 'Records secured on',
  recordsSecuredBy: 'Records secured by',
  alertAdded: "A 'subject to a Rapid Review' alert has been added to the child's and family's records",
  staffInformed: 'Staff involved have been informed and are being supported',
  immediateActions: 'Immediate actions already taken',
  immediateLearning: 'Immediate learning',
  keyInformation: 'Key information of note',
  seniorLeadersSighted: "Senior leaders have been sighted on the agency's involvement",
};

function agencyIn(review: Review, agencyId: string): Agency {
  const agency = review.agencies.find((a) => a.id === agencyId);
  if (!agency) throw new Error(`agency '${agencyId}' is not part of review ${review.reference}`);
  return agency;
}

function returnStatus(
  review: Review,
  agencyId: string,
  profile: PartnershipProfile,
  today: CivilDate,
  calendar?: WorkingDayCalendar,
): AgencyReturnStatus {
  const found = agencyReturnStatus(review, agencyId, profile, today, calendar);
  if (!found) throw new Error(`agency '${agencyId}' is not part of review ${review.reference}`);
  return found;
}

/** The lines of enquiry the Initial Case Discussion agreed, as the request and the form show them. */
function linesOfEnquiryView(review: Review): { linesOfEnquiryHeading: string; linesOfEnquiry: string[] } {
  const discussion = review.initialCaseDiscussion;
  if (!discussion) return { linesOfEnquiryHeading: '', linesOfEnquiry: [] };
  return {
    linesOfEnquiryHeading: `Key lines of enquiry (Initial Case Discussion, ${formatDate(discussion.heldOn)})`,
    linesOfEnquiry: discussion.linesOfEnquiry.map((line, index) => `${index + 1}\\. ${md(line)}`),
  };
}

function statusLine(status: AgencyReturnStatus): string {
  if (status.status !== 'submitted') return status.overdue ? 'Overdue' : 'Requested';
  return status.revision > 1 ? `Submitted (revision ${status.revision})` : 'Submitted';
}

function submittedDetail(submittedBy: string | null, submittedAt: Instant | null): string {
  const by = submittedBy ? md(submittedBy) : 'a representative';
  const at = submittedAt ? ` on ${formatInstant(submittedAt)}` : '';
  return `Submitted by ${by}${at}.`;
}

function statusDetail(status: AgencyReturnStatus, agencyName: string): string {
  if (status.status === 'submitted') return submittedDetail(status.submittedBy, status.submittedAt);
  if (status.overdue && status.due) return `${agencyName}'s return was due ${formatDate(status.due)}.`;
  return `Waiting for ${agencyName}'s return.`;
}

export interface ScopingRequestOptions {
  today: CivilDate;
  refreshUserIds: RefreshUserIds;
  calendar?: WorkingDayCalendar;
}

/** The shared card posted once per agency in the review channel. */
export function scopingRequestCard(
  review: Review,
  agencyId: string,
  profile: PartnershipProfile,
  options: ScopingRequestOptions,
): AdaptiveCard {
  return requestCardFrom(scopingRequestView(review, agencyId, profile, options));
}

/** What the shared card shows, as the data templates/scoping-request.json is bound to. */
export function scopingRequestView(
  review: Review,
  agencyId: string,
  profile: PartnershipProfile,
  options: ScopingRequestOptions,
) {
  const agency = agencyIn(review, agencyId);
  const status = returnStatus(review, agencyId, profile, options.today, options.calendar);
  return {
    requestTitle: profile.scopingRequests.formName,
    ...linesOfEnquiryView(review),
    reference: review.reference,
    pseudonym: md(review.pseudonym),
    agencyName: md(agency.name),
    kindLabel: agencyKindLabels[agency.kind],
    dueText: status.due ? formatDate(status.due) : 'once the scoping requests are sent',
    scopingPeriodText: scopingPeriodText(review, profile, formatDate) ?? '',
    statusText: statusLine(status),
    statusDetail: statusDetail(status, md(agency.name)),
    statusColor: status.status === 'submitted' ? 'Good' : status.overdue ? 'Attention' : 'Default',
    representatives: agency.representatives.map((r) => md(r.name)).join(', ') || 'none named yet',
    actionTitle: status.status === 'submitted' ? 'View or edit the return' : 'Fill in the return',
    refreshUserIds: refreshUserIdsFor(options.refreshUserIds),
    action: executeAction(cardVerbs.scopingReturnRefresh, { reviewId: review.id, agencyId }),
  };
}

export type ScopingRequestView = ReturnType<typeof scopingRequestView>;

/**
 * templates/scoping-request.json bound to `view`, written out in code: this card is rebuilt after
 * every submission, and evaluating the template's expressions cost more than everything else in
 * building it. The template stays the card's reference (it opens in the designer), and
 * cards/scopingCards.test.ts checks the two give the same JSON, user text included.
 */
/** The card's refresh: each person named sees their own view of it when Teams shows it. */
function viewRefresh(view: {
  action: { data: Record<string, unknown> };
  refreshUserIds: readonly string[];
}): Record<string, unknown> {
  return {
    action: {
      type: 'Action.Execute',
      title: 'Show my view',
      verb: cardVerbs.scopingReturnRefresh,
      data: { ...view.action.data },
    },
    userIds: [...view.refreshUserIds],
  };
}

export function requestCardFrom(view: ScopingRequestView): AdaptiveCard {
  const action = view.action;
  return {
    type: 'AdaptiveCard',
    version: cardVersion,
    fallbackText: `${view.requestTitle} for ${view.agencyName} (${view.reference}).`,
    refresh: viewRefresh(view),
    body: [
      {
        type: 'TextBlock',
        text: `${view.requestTitle}: ${view.agencyName}`,
        style: 'heading',
        size: 'Medium',
        weight: 'Bolder',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: `${view.reference} · ${view.pseudonym} · ${view.kindLabel}`,
        isSubtle: true,
        wrap: true,
        spacing: 'None',
      },
      ...(view.linesOfEnquiry.length > 0
        ? [
            {
              type: 'Container',
              items: [
                { type: 'TextBlock', text: view.linesOfEnquiryHeading, weight: 'Bolder', wrap: true },
                ...view.linesOfEnquiry.map((line) => ({
                  type: 'TextBlock',
                  text: line,
                  wrap: true,
                  spacing: 'None',
                })),
              ],
            },
          ]
        : []),
      {
        type: 'FactSet',
        facts: [
          { title: 'Return due', value: view.dueText },
          ...(view.scopingPeriodText !== ''
            ? [{ title: 'Scoping period', value: view.scopingPeriodText }]
            : []),
          { title: 'Status', value: view.statusText },
          { title: 'Representatives', value: view.representatives },
        ],
      },
      { type: 'TextBlock', text: view.statusDetail, color: view.statusColor, wrap: true },
      {
        type: 'TextBlock',
        text: `Only ${view.agencyName}'s representatives and the business unit can see and edit this return.`,
        isSubtle: true,
        size: 'Small',
        wrap: true,
      },
    ],
    actions: [
      {
        type: 'Action.Execute',
        title: view.actionTitle,
        verb: cardVerbs.scopingReturnRefresh,
        data: { ...action.data },
        fallback: { type: 'Action.Submit', title: view.actionTitle, data: { ...action.fallbackData } },
      },
    ],
  };
}

/** Flat Input values from saved answers, as the form shows them. */
export function scopingAnswersToValues(
  answers: ScopingReturnAnswers | undefined,
): Record<ScopingReturnField, string> {
  return Object.fromEntries(
    scopingReturnFields.map((field) => {
      const answer = answers?.[field];
      return [field, answer === undefined ? '' : String(answer)];
    }),
  ) as Record<ScopingReturnField, string>;
}

export interface ScopingFormOptions {
  today: CivilDate;
  /** What was submitted (flat Input values), when the form is shown again after a refusal. */
  values?: Record<string, string>;
  /** Problems by Input id, from `fieldErrors`. */
  errors?: Record<string, string>;
  /** Keeps the view the representative's own when the shared card is updated. */
  refreshUserIds?: RefreshUserIds;
  calendar?: WorkingDayCalendar;
}

/** The editable return for one agency's representatives (and the business unit). */
export function scopingForm(
  review: Review,
  agencyId: string,
  profile: PartnershipProfile,
  options: ScopingFormOptions,
): AdaptiveCard {
  const agency = agencyIn(review, agencyId);
  const status = returnStatus(review, agencyId, profile, options.today, options.calendar);
  const saved = review.scopingReturns.find((r) => r.agencyId === agencyId);
  const prefill = scopingAnswersToValues(saved?.answers);
  const values = options.values
    ? Object.fromEntries(scopingReturnFields.map((f) => [f, options.values?.[f] ?? '']))
    : prefill;
  // A toggle's value must be 'true' or 'false'; anything else would leave it in an unknown state.
  for (const toggle of ['recordsSecured', 'alertAdded', 'staffInformed', 'seniorLeadersSighted'] as const) {
    values[toggle] = values[toggle] === 'true' ? 'true' : 'false';
  }
  const errors = options.errors ?? {};
  const errorSummary = Object.entries(errors).map(
    ([field, message]) => `${shortLabels[field as ScopingReturnField] ?? 'This form'}: ${message}`,
  );
  const subject = review.subject;
  return bindTemplate(formTemplate, {
    ...linesOfEnquiryView(review),
    reference: review.reference,
    pseudonym: md(review.pseudonym),
    agencyName: md(agency.name),
    dueText: status.due ? formatDate(status.due) : 'not yet set',
    statusText:
      status.status === 'submitted'
        ? `${statusDetail(status, md(agency.name))} Changes are saved as revision ${status.revision + 1}.`
        : `Requested from ${md(agency.name)}. Answer for your agency as a whole.`,
    today: options.today,
    searchFor: [
      { title: 'Child', value: md(subject.childName) },
      { title: 'Date of birth', value: subject.dateOfBirth ? formatDate(subject.dateOfBirth) : 'not known' },
      { title: 'Address', value: subject.address ? md(subject.address) : 'not known' },
      ...subject.familyMembers.map((f) => ({ title: md(f.relationship), value: md(f.name) })),
    ],
    labels: scopingFieldLabels,
    values,
    errors: Object.fromEntries(scopingReturnFields.map((f) => [f, errors[f] ?? ''])),
    errorHeading: `The return was not saved. Please correct ${
      errorSummary.length === 1 ? 'this answer' : `these ${errorSummary.length} answers`
    }:`,
    errorSummary,
    maxLength: { short: shortTextMaxLength, long: longTextMaxLength },
    submitTitle: status.status === 'submitted' ? 'Save the changes' : 'Submit the return',
    refreshUserIds: refreshUserIdsFor(options.refreshUserIds),
    // The revision the form shows: a submission made from an older one is refused, not saved over a newer.
    action: executeAction(cardVerbs.scopingReturnSubmit, {
      reviewId: review.id,
      agencyId,
      revision: saved?.revision ?? 0,
    }),
  });
}

const shortLabels: Record<ScopingReturnField, string> = {
  involvement: 'Involvement',
  involvementWith: 'Involvement with',
  periodFrom: 'Involvement from',
  periodTo: 'Involvement to',
  natureOfInvolvement: 'Nature of involvement',
  keyContacts: 'Key contacts and dates',
  recordsSecured: 'Records secured',
  recordsSecuredOn: 'Records secured on',
  recordsSecuredBy: 'Records secured by',
  alertAdded: 'Alert added',
  staffInformed: 'Staff informed and supported',
  immediateActions: 'Immediate actions',
  immediateLearning: 'Immediate learning',
  keyInformation: 'Key information',
  seniorLeadersSighted: 'Senior leaders sighted',
};

function answerFacts(answers: ScopingReturnAnswers): { title: string; value: string }[] {
  const facts = answerFactsAsTyped(answers);
  return facts.map((fact) => ({ title: fact.title, value: md(fact.value) }));
}

function answerFactsAsTyped(answers: ScopingReturnAnswers): { title: string; value: string }[] {
  const facts: { title: string; value: string }[] = [
    { title: shortLabels.involvement, value: answers.involvement === 'yes' ? 'Yes' : 'No' },
  ];
  if (answers.involvementWith)
    facts.push({ title: shortLabels.involvementWith, value: answers.involvementWith });
  if (answers.periodFrom || answers.periodTo) {
    const from = answers.periodFrom ? formatDate(answers.periodFrom) : '?';
    const to = answers.periodTo ? formatDate(answers.periodTo) : '?';
    facts.push({ title: 'Period', value: `${from} to ${to}` });
  }
  for (const field of ['natureOfInvolvement', 'keyContacts'] as const) {
    const value = answers[field];
    if (value) facts.push({ title: shortLabels[field], value });
  }
  const secured = answers.recordsSecured
    ? `Yes${answers.recordsSecuredOn ? `, on ${formatDate(answers.recordsSecuredOn)}` : ''}${
        answers.recordsSecuredBy ? ` by ${answers.recordsSecuredBy}` : ''
      }`
    : 'No';
  facts.push({ title: shortLabels.recordsSecured, value: secured });
  facts.push({ title: shortLabels.alertAdded, value: yesNo(answers.alertAdded) });
  facts.push({ title: shortLabels.staffInformed, value: yesNo(answers.staffInformed) });
  for (const field of ['immediateActions', 'immediateLearning', 'keyInformation'] as const) {
    const value = answers[field];
    if (value) facts.push({ title: shortLabels[field], value });
  }
  facts.push({ title: shortLabels.seniorLeadersSighted, value: yesNo(answers.seniorLeadersSighted) });
  return facts;
}

/**
 * The submitted card says who sent the return and when, never when it was due: it needs neither the
 * review's timeline nor the partnership's profile, and it is built on every submission.
 */
export interface ScopingSubmittedOptions {
  /** False once the meeting has started (see scopingReturnsEditable): no edit button then. */
  editable: boolean;
  refreshUserIds?: RefreshUserIds;
}

/** What the representative sees after their return is saved: what was recorded, and a way back in. */
export function scopingSubmittedCard(
  review: Review,
  agencyId: string,
  options: ScopingSubmittedOptions,
): AdaptiveCard {
  return submittedCardFrom(scopingSubmittedView(review, agencyId, options));
}

/** What that card shows, as the data templates/scoping-submitted.json is bound to. */
export function scopingSubmittedView(
  review: Review,
  agencyId: string,
  options: ScopingSubmittedOptions,
): ScopingSubmittedView {
  const agency = agencyIn(review, agencyId);
  const saved = review.scopingReturns.find((r) => r.agencyId === agencyId);
  if (!saved || saved.status !== 'submitted' || !saved.answers) {
    throw new Error(`${agency.name} has not submitted a return for ${review.reference}`);
  }
  const submitted = submittedDetail(saved.submittedBy?.name ?? null, saved.submittedAt ?? null);
  return {
    reference: review.reference,
    pseudonym: md(review.pseudonym),
    agencyName: md(agency.name),
    detail: `${submitted}${saved.revision > 1 ? ` This is revision ${saved.revision}.` : ''}`,
    answers: answerFacts(saved.answers),
    editable: options.editable,
    editNote: options.editable
      ? 'You can change the return until the review meeting starts; each change is recorded.'
      : 'The review meeting has started, so the return can no longer be changed.',
    refreshUserIds: refreshUserIdsFor(options.refreshUserIds),
    action: executeAction(cardVerbs.scopingReturnRefresh, { reviewId: review.id, agencyId }),
  };
}

/** The data templates/scoping-submitted.json is bound to. */
export interface ScopingSubmittedView {
  reference: string;
  pseudonym: string;
  agencyName: string;
  detail: string;
  answers: { title: string; value: string }[];
  editable: boolean;
  editNote: string;
  refreshUserIds: string[];
  action: ReturnType<typeof executeAction<{ reviewId: string; agencyId: string }>>;
}

/**
 * templates/scoping-submitted.json bound to `view`, written out in code for the same reason as
 * requestCardFrom: it is the reply to every submission. The test checks both give the same JSON.
 */
export function submittedCardFrom(view: ScopingSubmittedView): AdaptiveCard {
  const action = view.action;
  return {
    type: 'AdaptiveCard',
    version: cardVersion,
    ...(view.refreshUserIds.length > 0 ? { refresh: viewRefresh(view) } : {}),
    fallbackText: `Return received from ${view.agencyName} (${view.reference}).`,
    body: [
      {
        type: 'TextBlock',
        text: `Return received: ${view.agencyName}`,
        style: 'heading',
        size: 'Medium',
        weight: 'Bolder',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: `${view.reference} · ${view.pseudonym}`,
        isSubtle: true,
        wrap: true,
        spacing: 'None',
      },
      { type: 'TextBlock', text: view.detail, color: 'Good', wrap: true, spacing: 'Small' },
      { type: 'FactSet', facts: view.answers.map((fact) => ({ title: fact.title, value: fact.value })) },
      { type: 'TextBlock', text: view.editNote, isSubtle: true, size: 'Small', wrap: true },
    ],
    actions: view.editable
      ? [
          {
            type: 'Action.Execute',
            title: 'Edit the return',
            verb: cardVerbs.scopingReturnRefresh,
            data: { ...action.data },
            fallback: { type: 'Action.Submit', title: 'Edit the return', data: { ...action.fallbackData } },
          },
        ]
      : [],
  };
}
