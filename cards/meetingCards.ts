/**
 * Cards of the review meeting: the proposed slot, the booked meeting, the report that no slot fits,
 * the live quorum check in the meeting chat and the chair's decision on it. A meeting chat can hold
 * people who are not members of the review channel (a guest, a deputy), and its title and messages
 * outlive the review, so these cards show the reference and pseudonym only.
 */
import { assessQuorum } from '../review/lifecycle';
import type { Instant, Meeting, Person, QuorumDecision, Review } from '../review/model';
import type { MeetingWindow } from '../review/meetingRules';
import type { PartnershipProfile } from '../review/profile';
import type { CivilDate } from '../scheduler/civilDate';
import { bindTemplate, executeAction, type AdaptiveCard } from './cardTemplate';
import { formatDate, formatInstant, formatTimeRange, partnerLabel } from './cardText';
import meetingTemplate from './templates/meeting.json';
import noSlotTemplate from './templates/no-slot.json';
import quorumDecisionTemplate from './templates/quorum-decision.json';
import quorumTemplate from './templates/quorum.json';
import slotProposalTemplate from './templates/slot-proposal.json';
import { cardVerbs } from './verbs';

export interface MeetingSlot {
  start: Instant;
  end: Instant;
}

export type { MeetingWindow };

function names(people: Person[]): string {
  return people.map((p) => p.name).join(', ') || 'nobody';
}

function windowText(window: MeetingWindow): string {
  return `${formatDate(window.from)} to ${formatDate(window.to)}`;
}

/** An ISO 8601 interval, so a chosen alternative carries its own end. */
export function slotValue(slot: MeetingSlot): string {
  return `${slot.start}/${slot.end}`;
}

export interface SlotProposal {
  proposed: MeetingSlot;
  alternatives: MeetingSlot[];
  window: MeetingWindow;
  attendees: Person[];
  /** People whose calendars could not be read: they were not checked and may not be free. */
  unchecked?: Person[];
  /** After a reconvene: the statutory window closed on this day, and a later time is late. */
  lateAfter?: CivilDate | null;
}

export function slotProposalCard(review: Review, proposal: SlotProposal): AdaptiveCard {
  const unchecked = proposal.unchecked ?? [];
  return bindTemplate(slotProposalTemplate, {
    reference: review.reference,
    pseudonym: review.pseudonym,
    proposedText: formatTimeRange(proposal.proposed.start, proposal.proposed.end),
    windowText: proposal.lateAfter
      ? `${windowText(proposal.window)} (reconvened: the meeting window closed ${formatDate(proposal.lateAfter)}, so a later time is late)`
      : windowText(proposal.window),
    attendeesText: names(proposal.attendees),
    freeText:
      unchecked.length === 0
        ? 'Everyone invited is free at these times.'
        : `Everyone else is free; these calendars could not be read, so check with them: ${names(unchecked)}.`,
    alternatives: proposal.alternatives.map((slot) => ({
      title: formatTimeRange(slot.start, slot.end),
      value: slotValue(slot),
    })),
    accept: executeAction(cardVerbs.meetingAccept, {
      reviewId: review.id,
      start: proposal.proposed.start,
      end: proposal.proposed.end,
    }),
    pick: executeAction(cardVerbs.meetingPick, { reviewId: review.id }),
  });
}

export function meetingCard(review: Review, meeting: Meeting, attendees: Person[]): AdaptiveCard {
  if (!meeting.joinUrl) throw new Error(`the meeting for ${review.reference} has no join link yet`);
  return bindTemplate(meetingTemplate, {
    reference: review.reference,
    pseudonym: review.pseudonym,
    whenText: formatTimeRange(meeting.start, meeting.end),
    chairText: meeting.chair?.name ?? 'not named yet',
    attendeesText: names(attendees),
    joinUrl: meeting.joinUrl,
  });
}

export interface NoSlotReport {
  window: MeetingWindow;
  lengthMinutes: number;
  /** The people whose calendars leave no common slot, and why. */
  blockers: { person: Person; reason: string }[];
}

export function noSlotCard(review: Review, report: NoSlotReport): AdaptiveCard {
  return bindTemplate(noSlotTemplate, {
    reference: review.reference,
    pseudonym: review.pseudonym,
    summary: `No ${report.lengthMinutes}-minute slot in working hours between ${windowText(
      report.window,
    )} suits everyone invited.`,
    windowText: windowText(report.window),
    lengthText: `${report.lengthMinutes} minutes`,
    blockers: report.blockers.map((b) => ({ name: b.person.name, reason: b.reason })),
    advice:
      'Ask those named whether they can move something or send a deputy, then ask the bot for a meeting again. ' +
      'The meeting is quorate only with each statutory partner present.',
  });
}

export type QuorumAssessment = ReturnType<typeof assessQuorum>;

function ruleText(profile: PartnershipProfile): string {
  const n = profile.quorum.minimumPerPartner;
  const partners = profile.statutoryPartners.map((p) => p.label).join(', ');
  return `Quorate only with at least ${n} representative${n === 1 ? '' : 's'} of each statutory partner: ${partners}.`;
}

/** Live in the meeting chat: who is here for each statutory partner; the chair confirms. */
export function quorumCard(
  review: Review,
  profile: PartnershipProfile,
  assessment: QuorumAssessment,
): AdaptiveCard {
  const data = { reviewId: review.id };
  return bindTemplate(quorumTemplate, {
    reference: review.reference,
    pseudonym: review.pseudonym,
    ruleText: ruleText(profile),
    metText: assessment.quorate
      ? 'The rule is met'
      : `The rule is not met: missing ${assessment.missing.map((k) => partnerLabel(profile, k)).join(', ')}`,
    metColor: assessment.quorate ? 'Good' : 'Attention',
    metStyle: assessment.quorate ? 'good' : 'attention',
    partners: assessment.present.map((p) => ({
      label: partnerLabel(profile, p.agencyKind),
      statusText: p.people.length > 0 ? `Present: ${p.people.join(', ')}` : 'Missing',
      color: assessment.missing.includes(p.agencyKind) ? 'Attention' : 'Good',
    })),
    unknown: assessment.unknown.map((p) => p.name),
    unknownText: names(assessment.unknown),
    confirm: executeAction(cardVerbs.quorumConfirm, data),
    notQuorate: executeAction(cardVerbs.quorumNotQuorate, data),
  });
}

export function quorumDecisionCard(
  review: Review,
  decision: QuorumDecision,
  profile: PartnershipProfile,
): AdaptiveCard {
  return bindTemplate(quorumDecisionTemplate, {
    reference: review.reference,
    pseudonym: review.pseudonym,
    decisionText: decision.quorate
      ? 'Quorate: the meeting can decide the outcome'
      : 'Not quorate: the meeting cannot decide the outcome',
    color: decision.quorate ? 'Good' : 'Attention',
    decidedText: `Confirmed by ${decision.decidedBy.name} at ${formatInstant(decision.decidedAt)}`,
    partners: decision.present.map((p) => ({
      label: partnerLabel(profile, p.agencyKind),
      people: p.people.length > 0 ? p.people.join(', ') : 'missing',
    })),
  });
}
