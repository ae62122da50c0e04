/**
 * Binds flow results to the cards in cards/. Kept in one place so the flows read as the process
 * (who may do what, what is saved) and the card details stay in cards/.
 */
import { helpCard, refusalCard, type HelpCommand, type HelpPlace } from '../../cards/conversationCards';
import { openReviewForm } from '../../cards/openReviewForm';
import { portfolioCard, reviewStatusCard, welcomeCard } from '../../cards/reviewCards';
import { scopingForm, scopingRequestCard, scopingSubmittedCard } from '../../cards/scopingCards';
import {
  fieldErrors,
  isSubmittedValue,
  longTextMaxLength,
  writtenAnswersMaxLength,
} from '../../cards/formFields';
import { openReviewSubmission } from '../../cards/openReviewSubmission';
import { scopingReturnSubmission } from '../../cards/scopingReturnSubmission';
import type { PartnershipDirectory } from '../../review/directory';
import type { OpenReviewInput } from '../../review/lifecycle';
import { scopingReturnsEditable, teamsUserIdsOf } from '../../review/lifecycle';
import type { Person, Review, ScopingReturnAnswers } from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import type { OutgoingMessage } from '../../review/ports';
import { civilDateInLondon, type CivilDate } from '../../scheduler/civilDate';
import type { PortfolioRow, ReviewStatusView } from '../../scheduler/reviewStatus';
import type { CardReply } from './replies';
import { noticeReply } from './meetingChannel';
import type { BackgroundWork } from './background';
import type { FlowDeps } from './deps';

type Card = Record<string, unknown>;

/**
 * Teams gives per-user views only to Teams user ids ('29:…'), resolved when the review was set up.
 * Anyone without one still reaches their own view through the card's button (the same verb).
 */
function refreshUsers(review: Review, agencyId: string, deps: FlowDeps) {
  const ids = teamsUserIdsOf(review);
  const idOf = (p: Person) => ids.get((p.aadObjectId ?? p.email ?? '').toLowerCase());
  const agency = review.agencies.find((a) => a.id === agencyId);
  const representatives = (agency?.representatives ?? []).map(idOf).filter((id): id is string => Boolean(id));
  const businessUnit = [
    review.openedBy,
    ...deps.settings.businessUnit.aadObjectIds.map((id) => ({ name: '', aadObjectId: id })),
  ]
    .map(idOf)
    .filter((id): id is string => Boolean(id));
  return { representatives, businessUnit };
}

/** The card's values as submitted, without the routing verb, for the schemas to check (types first). */
function submitted(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) if (key !== 'verb') out[key] = value;
  return out;
}

/** At most this many characters of what was submitted are shown again on a form, all fields together. */
const echoBudget = writtenAnswersMaxLength + 4000;

/**
 * The submitted values to show again on a form, as text ('' for a blank): a value that is not text
 * (an object, an array) is shown blank, never turned into text, and what is echoed is capped (each
 * value at the longest any field accepts, all of them within a budget) so that a form shown again
 * with its field errors still fits Teams' 40 KB card limit.
 */
export function flat(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  let budget = echoBudget;
  for (const [key, value] of Object.entries(values)) {
    if (key === 'verb' || key === '__proto__') continue;
    let shown = isSubmittedValue(value) && value !== null && value !== undefined ? String(value) : '';
    if (shown.length > longTextMaxLength) shown = `${shown.slice(0, longTextMaxLength)}…`;
    if (shown.length > budget) shown = '';
    budget -= shown.length;
    out[key] = shown;
  }
  return out;
}

export function refusalReply(message: string): CardReply {
  return { card: refusalCard(message) as Card };
}

/** The help card of a place, listing the commands the route table accepts there. */
export function helpReply(place: HelpPlace, commands: HelpCommand[]): CardReply {
  return { card: helpCard(place, commands) as Card };
}

export function openReviewFormCard(
  deps: FlowDeps,
  input: {
    reference?: string;
    values?: Record<string, unknown>;
    errors?: Record<string, string>;
    today: CivilDate;
    directory?: PartnershipDirectory;
  },
): Card {
  const values = input.values ? flat(input.values) : undefined;
  return openReviewForm({
    profiles: deps.profiles.all(),
    today: input.today,
    suggestedReference: input.reference ?? values?.reference ?? '',
    ...(values ? { values } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
    ...(input.directory ? { directory: input.directory } : {}),
  }) as Card;
}

export function parseOpenReview(
  values: Record<string, unknown>,
  today: CivilDate,
  deps: FlowDeps,
): { ok: true; value: Omit<OpenReviewInput, 'id'> } | { ok: false; errors: Record<string, string> } {
  const result = openReviewSubmission({ today, profiles: deps.profiles.all() }).safeParse(submitted(values));
  if (!result.success) return { ok: false, errors: fieldErrors(result) };
  return { ok: true, value: result.data.review };
}

export function openReviewSubmittedReply(review: Review): CardReply {
  return noticeReply(
    review,
    `The review is opened. I am creating its restricted channel and sending the scoping requests to ` +
      `${review.agencies.length} agencies; I will tell you here when it is ready.`,
  );
}

/**
 * Parses a scoping return with the schema of `today`. The schema depends only on the day, and building
 * a zod schema (which compiles itself on first use) costs far more than parsing one submission with
 * it, so it is built once a day.
 */
export function parseScopingReturn(
  values: Record<string, unknown>,
  today: CivilDate,
  background: Pick<BackgroundWork, 'ofDay'>,
):
  | { ok: true; value: ScopingReturnAnswers; madeFromRevision: number }
  | { ok: false; errors: Record<string, string> } {
  const schema = background.ofDay('scoping-return-schema', today, () => scopingReturnSubmission({ today }));
  const result = schema.safeParse(submitted(values));
  if (!result.success) return { ok: false, errors: fieldErrors(result) };
  return { ok: true, value: result.data.answers, madeFromRevision: result.data.madeFromRevision };
}

function today(deps: FlowDeps): CivilDate {
  return civilDateInLondon(deps.clock.now());
}

function profileOf(deps: FlowDeps, review: Review): PartnershipProfile {
  return deps.profiles.get(review.profileId);
}

export function welcomeMessage(review: Review, profile: PartnershipProfile, now: Date): OutgoingMessage {
  return { card: welcomeCard(review, profile, civilDateInLondon(now)) as Card };
}

export function scopingRequestMessage(review: Review, agencyId: string, deps: FlowDeps): OutgoingMessage {
  return {
    card: scopingRequestCard(review, agencyId, profileOf(deps, review), {
      today: today(deps),
      refreshUserIds: refreshUsers(review, agencyId, deps),
    }) as Card,
  };
}

export function scopingSharedCard(review: Review, agencyId: string, deps: FlowDeps): Card {
  return scopingRequestMessage(review, agencyId, deps).card as Card;
}

export function scopingFormCard(
  review: Review,
  agencyId: string,
  deps: FlowDeps,
  shown: { values?: Record<string, unknown>; errors?: Record<string, string> } = {},
): Card {
  return scopingForm(review, agencyId, profileOf(deps, review), {
    today: today(deps),
    ...(shown.values ? { values: flat(shown.values) } : {}),
    ...(shown.errors ? { errors: shown.errors } : {}),
  }) as Card;
}

export function scopingSubmittedCardFor(review: Review, agencyId: string, deps: FlowDeps): Card {
  return scopingSubmittedCard(review, agencyId, {
    editable: scopingReturnsEditable(review, deps.clock.now().toISOString()) === null,
  }) as Card;
}

export function reviewStatusCardFor(view: ReviewStatusView): Card {
  return reviewStatusCard(view) as Card;
}

export function portfolioCardFor(rows: PortfolioRow[], day: CivilDate, partnershipName: string): Card {
  return portfolioCard(rows, { today: day, partnershipName }) as Card;
}
