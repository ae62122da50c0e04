/**
 * Binds flow results to the cards in cards/. Kept in one place so the flows read as the process
 * (who may do what, what is saved) and the card details stay in cards/.
 */
import { helpCard, refusalCard, type HelpPlace } from '../../cards/conversationCards';
import { openReviewForm } from '../../cards/openReviewForm';
import { portfolioCard, reviewStatusCard, welcomeCard } from '../../cards/reviewCards';
import { scopingForm, scopingRequestCard, scopingSubmittedCard } from '../../cards/scopingCards';
import { fieldErrors, openReviewSubmission, scopingReturnSubmission } from '../../cards/submissions';
import type { OpenReviewInput } from '../../review/lifecycle';
import { scopingReturnsEditable } from '../../review/lifecycle';
import type { Person, Review, ScopingReturnAnswers } from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import type { OutgoingMessage } from '../../review/ports';
import { civilDateInLondon, type CivilDate } from '../../scheduler/civilDate';
import type { PortfolioRow, ReviewStatusView } from '../../scheduler/reviewStatus';
import type { CardReply } from './commands';
import { noticeReply } from './meetingChannel';
import type { FlowDeps } from './deps';

type Card = Record<string, unknown>;

/**
 * Teams gives per-user views only to Teams user ids ('29:…'), resolved when the review was set up.
 * Anyone without one still reaches their own view through the card's button (the same verb).
 */
function refreshUsers(review: Review, agencyId: string, deps: FlowDeps) {
  const ids = review.teamspace.teamsUserIds ?? {};
  const idOf = (p: Person) => ids[(p.aadObjectId ?? p.email ?? '').toLowerCase()];
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

/** The flat Input values a card action sends, as text ('' for a blank), without the routing verb. */
export function flat(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'verb') continue;
    out[key] = value === undefined || value === null ? '' : String(value);
  }
  return out;
}

export function refusalReply(message: string): CardReply {
  return { card: refusalCard(message) as Card };
}

export function helpReply(place: string): CardReply {
  const known: HelpPlace[] = ['personal', 'business-unit-channel', 'review-channel', 'meeting-chat'];
  const helpPlace = (known as string[]).includes(place) ? (place as HelpPlace) : 'personal';
  return { card: helpCard(helpPlace) as Card };
}

export function openReviewFormCard(
  deps: FlowDeps,
  input: {
    reference?: string;
    values?: Record<string, unknown>;
    errors?: Record<string, string>;
    today: CivilDate;
  },
): Card {
  const values = input.values ? flat(input.values) : undefined;
  return openReviewForm({
    profiles: deps.profiles.all(),
    today: input.today,
    suggestedReference: input.reference ?? values?.reference ?? '',
    ...(values ? { values } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
  }) as Card;
}

export function parseOpenReview(
  values: Record<string, unknown>,
  today: CivilDate,
  deps: FlowDeps,
): { ok: true; value: Omit<OpenReviewInput, 'id'> } | { ok: false; errors: Record<string, string> } {
  const result = openReviewSubmission({ today, profiles: deps.profiles.all() }).safeParse(flat(values));
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
 * The scoping-return schema of the current day. It depends only on the day, and building a zod schema
 * (which compiles itself on first use) costs far more than parsing one submission with it.
 */
let scopingSchemaOfDay: { today: CivilDate; schema: ReturnType<typeof scopingReturnSubmission> } | undefined;

function scopingSchemaFor(today: CivilDate): ReturnType<typeof scopingReturnSubmission> {
  if (scopingSchemaOfDay?.today !== today) {
    scopingSchemaOfDay = { today, schema: scopingReturnSubmission({ today }) };
  }
  return scopingSchemaOfDay.schema;
}

export function parseScopingReturn(
  values: Record<string, unknown>,
  today: CivilDate,
): { ok: true; value: ScopingReturnAnswers } | { ok: false; errors: Record<string, string> } {
  const result = scopingSchemaFor(today).safeParse(flat(values));
  if (!result.success) return { ok: false, errors: fieldErrors(result) };
  return { ok: true, value: result.data.answers };
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
  return scopingSubmittedCard(review, agencyId, profileOf(deps, review), {
    today: today(deps),
    editable: scopingReturnsEditable(review, deps.clock.now().toISOString()) === null,
  }) as Card;
}

export function reviewStatusCardFor(view: ReviewStatusView): Card {
  return reviewStatusCard(view) as Card;
}

export function portfolioCardFor(rows: PortfolioRow[], day: CivilDate, partnershipName: string): Card {
  return portfolioCard(rows, { today: day, partnershipName }) as Card;
}
