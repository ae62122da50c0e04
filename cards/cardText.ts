/**
 * The words and date formats cards share, so a state or a decision reads the same on every card.
 * Times are shown on a London clock whatever the server's time zone: the partnership works in it.
 */
import {
  agencyKindLabels,
  type AgencyKind,
  type Instant,
  type OutcomeDecision,
  type PanelAnswer,
  type ReviewState,
} from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import {
  formatShortDate,
  londonClockTime,
  type CivilDate,
  type LondonClockTime,
} from '../scheduler/civilDate';

export const reviewStateLabels: Record<ReviewState, string> = {
  opened: 'Opened',
  scoping: 'Scoping',
  'meeting-booked': 'Meeting booked',
  'meeting-held': 'Meeting held',
  decided: 'Decided',
  'signed-off': 'Signed off',
  'submitted-to-panel': 'Sent to the National Panel',
  'panel-responded': 'National Panel responded',
  closed: 'Closed',
};

export const panelAnswerLabels: Record<PanelAnswer, string> = {
  agrees: 'Agrees with the partnership’s decision',
  'more-information': 'Asks for more information',
  'national-review': 'Will undertake a national review',
};

export const outcomeDecisionLabels: Record<OutcomeDecision, string> = {
  'national-review': 'Recommend a national review by the Child Safeguarding Practice Review Panel',
  lcspr: 'Undertake a Local Child Safeguarding Practice Review (LCSPR)',
  'other-learning-review': 'Undertake another form of learning review',
  'no-further-review': 'No further review',
};

function londonClockOf(instant: Instant): LondonClockTime {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an instant: '${instant.slice(0, 40)}'`);
  return londonClockTime(date);
}

/**
 * 'Tue 9 Mar 2027, 10:00' on a London clock: the words of formatDate (so 'Sep', whatever the ICU
 * version's own abbreviation), the clock from the cached per-hour offset rather than Intl per call.
 */
export function formatInstant(instant: Instant): string {
  const clock = londonClockOf(instant);
  return `${formatDate(clock.date)}, ${clock.time}`;
}

/** 'Tue 9 Mar 2027, 10:00–12:00' (the end's date is assumed to be the start's). */
export function formatTimeRange(start: Instant, end: Instant): string {
  return `${formatInstant(start)}–${londonClockOf(end).time}`;
}

/** 'Thu 24 Dec 2026': short, but with the year, for cards read months later. */
export function formatDate(d: CivilDate): string {
  return `${formatShortDate(d)} ${d.slice(0, 4)}`;
}

/** How the profile names a statutory partner, falling back to the generic kind label. */
export function partnerLabel(profile: PartnershipProfile, kind: AgencyKind): string {
  return profile.statutoryPartners.find((p) => p.kind === kind)?.label ?? agencyKindLabels[kind];
}

export function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}
