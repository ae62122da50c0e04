/**
 * Where a review stands today: the status view model behind the status card, the welcome card's
 * timeline, the portfolio and the reminder texts. A pure function of (review, profile, today,
 * calendar), so every place that shows a review's status shows the same thing.
 *
 * The view holds no subject data (name, date of birth, address, family): it may be shown outside the
 * review's restricted channel, so it is built only from the reference, the pseudonym, dates, agency
 * names and the people who acted.
 */
import {
  agencyKindLabels,
  type Agency,
  type AgencyKind,
  type Instant,
  type Review,
  type ReviewState,
  type ScopingReturn,
} from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import { agenciesAsked, scopingWaitsFor } from '../review/initialCaseDiscussion';
import { scopingReturnConcerns } from '../review/scopingConcerns';
import { civilDateInLondon, formatShortDate, type CivilDate } from './civilDate';
import { computeTimeline, type AnchorKey, type MilestoneKey } from './timeline';
import { calendarFor, type WorkingDayCalendar } from './workingDayCalendar';

export type MilestoneState = 'done' | 'due' | 'overdue' | 'pending';
export type Rag = 'red' | 'amber' | 'green';

/** A deadline this close (in working days) or closer turns the review amber. */
export const amberWithinWorkingDays = 2;

export interface MilestoneStatus {
  key: MilestoneKey;
  label: string;
  state: MilestoneState;
  due: CivilDate | null;
  /** Working-day number of `due` on the review's clock, when both are known. */
  workingDay: number | null;
  /** The anchor the milestone runs from and how many working days after it (e.g. for alert texts). */
  from: AnchorKey;
  days: number;
  metOn: CivilDate | null;
  /** For 'due': working days from today to the due date (0 = due today). */
  workingDaysLeft: number | null;
  /** For 'overdue': working days since the due date (0 when only a weekend or holiday has passed). */
  workingDaysOverdue: number | null;
  /** For 'pending': why it cannot be computed yet. */
  reason: string | null;
  /** False for dates that open something (the meeting window) rather than close it. */
  isDeadline: boolean;
  /** One line for a card, e.g. 'due Tue 29 Dec, in 1 working day'. */
  summary: string;
}

export interface ClockStatus {
  anchor: AnchorKey;
  label: string;
  start: CivilDate | null;
  completionDays: number;
  /** Today's working-day number on the clock (the anchor day is day 0), when the anchor is known. */
  workingDay: number | null;
  /** e.g. 'day 6 of 15', or why the clock has not started. */
  text: string;
  /** The same count from the referral, shown beside the clock when the clock runs from another anchor. */
  referral: { start: CivilDate; workingDay: number; text: string } | null;
}

export interface AgencyReturnStatus {
  agencyId: string;
  agencyName: string;
  agencyKind: AgencyKind;
  kindLabel: string;
  status: 'requested' | 'submitted';
  /**
   * What in the submitted return needs the business unit's attention (records not secured, no alert
   * on the records); empty when nothing does. Such a return is in, but not accepted silently.
   */
  needsAttention: string[];
  revision: number;
  submittedAt: Instant | null;
  submittedBy: string | null;
  due: CivilDate | null;
  /** Still requested after the returns' due date. */
  overdue: boolean;
  summary: string;
}

export interface NextMilestone {
  key: MilestoneKey;
  label: string;
  due: CivilDate;
  workingDaysLeft: number;
}

export interface ReviewStatusView {
  reviewId: string;
  reference: string;
  pseudonym: string;
  state: ReviewState;
  today: CivilDate;
  clock: ClockStatus;
  milestones: MilestoneStatus[];
  returns: AgencyReturnStatus[];
  meeting: {
    status: 'proposed' | 'booked' | 'cancelled' | 'held';
    start: Instant;
    end: Instant;
    /** Booked after the statutory window closed (a reconvened meeting): the day it closed. */
    lateAfter: CivilDate | null;
  } | null;
  next: NextMilestone | null;
  rag: Rag;
  /**
   * Set while the date the review's clock runs from is not recorded, e.g. "No SIN date recorded: the
   * statutory deadline cannot be computed — record sin DATE". Null once it is (or the review is closed).
   */
  missingClockAnchor: string | null;
  /**
   * Set while the scoping requests wait for a step the profile puts first (the Initial Case
   * Discussion), with the command that records it; null otherwise.
   */
  scopingWaits: string | null;
}

/** The command that records each anchor the clock can run from. */
const recordCommands: Partial<Record<AnchorKey, { name: string; command: string }>> = {
  sinSent: { name: 'SIN date', command: 'record sin DATE' },
  aware: { name: 'date of awareness', command: 'record aware DATE' },
  referral: { name: 'referral date', command: 'record referral DATE' },
};

/** The loud line shown while a review has no date for its clock to run from, or null. */
export function missingClockAnchorText(review: Review, profile: PartnershipProfile): string | null {
  const anchor = anchorOfClock[profile.clock.anchor];
  if (review.state === 'closed' || review.anchors[anchor]) return null;
  const record = recordCommands[anchor] as { name: string; command: string };
  return `No ${record.name} recorded: the statutory deadline cannot be computed — ${record.command}`;
}

const anchorOfClock: Record<PartnershipProfile['clock']['anchor'], AnchorKey> = {
  'sin-sent': 'sinSent',
  referral: 'referral',
  aware: 'aware',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function instantDate(instant: Instant): CivilDate {
  return civilDateInLondon(new Date(instant));
}

function clockText(start: CivilDate | null, workingDay: number | null, completionDays: number): string {
  if (start === null || workingDay === null) return 'not started';
  if (workingDay < 0) return `starts ${formatShortDate(start)}`;
  return `day ${workingDay} of ${completionDays}`;
}

function milestoneSummary(m: Omit<MilestoneStatus, 'summary'>): string {
  switch (m.state) {
    case 'done':
      return m.metOn ? `done ${formatShortDate(m.metOn)}` : 'done';
    case 'pending':
      return `not yet known: ${m.reason ?? 'its start date is not recorded'}`;
    case 'due': {
      const due = formatShortDate(m.due as CivilDate);
      if (m.workingDaysLeft === 0) return `due today (${due})`;
      return `due ${due}, in ${plural(m.workingDaysLeft as number, 'working day')}`;
    }
    case 'overdue': {
      const due = formatShortDate(m.due as CivilDate);
      if (m.workingDaysOverdue === 0) return `overdue: was due ${due}`;
      return `overdue by ${plural(m.workingDaysOverdue as number, 'working day')} (was due ${due})`;
    }
  }
}

/** Each agency's return by agency id (the first, should an agency appear twice). */
function returnsByAgency(review: Review): Map<string, ScopingReturn> {
  const byAgency = new Map<string, ScopingReturn>();
  for (const ret of review.scopingReturns) if (!byAgency.has(ret.agencyId)) byAgency.set(ret.agencyId, ret);
  return byAgency;
}

/** The date every agency's return was in, when all of them are. */
function allReturnsInOn(review: Review, returns: Map<string, ScopingReturn>): CivilDate | null {
  const asked = agenciesAsked(review);
  if (asked.length === 0) return null;
  let latest: CivilDate | null = null;
  for (const agency of asked) {
    const ret = returns.get(agency.id);
    if (!ret || ret.status !== 'submitted' || !ret.submittedAt) return null;
    const on = instantDate(ret.submittedAt);
    if (latest === null || on > latest) latest = on;
  }
  return latest;
}

function returnStatusOf(
  agency: Agency,
  ret: ScopingReturn | undefined,
  returnsDue: CivilDate | null,
  closed: boolean,
  today: CivilDate,
): AgencyReturnStatus {
  const submitted = ret?.status === 'submitted';
  const overdue = !submitted && !closed && returnsDue !== null && returnsDue < today;
  const revision = ret?.revision ?? 0;
  const needsAttention = submitted ? scopingReturnConcerns(ret?.answers) : [];
  let summary: string;
  if (submitted) {
    const at = ret?.submittedAt ? ` on ${formatShortDate(instantDate(ret.submittedAt))}` : '';
    const by = ret?.submittedBy ? ` by ${ret.submittedBy.name}` : '';
    summary = `submitted${by}${at}${revision > 1 ? ` (revision ${revision})` : ''}`;
    if (needsAttention.length > 0) summary += `; needs attention: ${needsAttention.join('; ')}`;
  } else if (overdue) {
    summary = `outstanding: was due ${formatShortDate(returnsDue as CivilDate)}`;
  } else {
    summary = returnsDue ? `requested, due ${formatShortDate(returnsDue)}` : 'requested';
  }
  return {
    agencyId: agency.id,
    agencyName: agency.name,
    agencyKind: agency.kind,
    kindLabel: agencyKindLabels[agency.kind],
    status: submitted ? 'submitted' : 'requested',
    needsAttention,
    revision,
    submittedAt: ret?.submittedAt ?? null,
    submittedBy: ret?.submittedBy?.name ?? null,
    due: returnsDue,
    overdue,
    summary,
  };
}

function timelineOf(review: Review, profile: PartnershipProfile, calendar: WorkingDayCalendar) {
  return computeTimeline(
    review.anchors,
    profile,
    review.scopingReturnDays === undefined ? {} : { scopingReturnDays: review.scopingReturnDays },
    calendar,
  );
}

/**
 * One agency's line of `reviewStatus(…).returns`, without the rest of the view: a card about one
 * agency's return is built on every submission, and a review may ask fifty agencies.
 */
export function agencyReturnStatus(
  review: Review,
  agencyId: string,
  profile: PartnershipProfile,
  today: CivilDate,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): AgencyReturnStatus | undefined {
  const agency = review.agencies.find((a) => a.id === agencyId);
  if (!agency) return undefined;
  const returnsDue =
    timelineOf(review, profile, calendar).milestones.find((m) => m.key === 'scoping-returns-due')?.due ??
    null;
  const ret = review.scopingReturns.find((r) => r.agencyId === agencyId);
  return returnStatusOf(agency, ret, returnsDue, review.state === 'closed', today);
}

export function reviewStatus(
  review: Review,
  profile: PartnershipProfile,
  today: CivilDate,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): ReviewStatusView {
  const timeline = timelineOf(review, profile, calendar);
  const closed = review.state === 'closed';
  const returnsOf = returnsByAgency(review);
  const returnsInOn = allReturnsInOn(review, returnsOf);

  const milestones = timeline.milestones.map((m): MilestoneStatus => {
    let metOn = m.metOn;
    // No anchor records these two, so the review's own state says when they were met.
    if (m.key === 'scoping-returns-due' && returnsInOn) metOn = returnsInOn;
    if (m.key === 'meeting-window-opens' && m.due !== null && m.due <= today) metOn = m.due;
    // The post Rapid Review meeting is recorded as held on the review, not as an anchor date.
    if (m.key === 'post-review-meeting-due' && review.postReviewMeeting)
      metOn = review.postReviewMeeting.heldOn;
    let state: MilestoneState;
    let workingDaysLeft: number | null = null;
    let workingDaysOverdue: number | null = null;
    let reason: string | null = null;
    if (metOn !== null) state = 'done';
    else if (closed) {
      state = 'pending';
      reason = 'the review is closed';
    } else if (m.due === null) {
      state = 'pending';
      reason = m.pending ?? null;
    } else if (m.due >= today) {
      state = 'due';
      workingDaysLeft = calendar.workingDaysBetween(today, m.due);
    } else {
      state = 'overdue';
      workingDaysOverdue = calendar.workingDaysBetween(m.due, today);
    }
    // One object literal rather than spreads: every alert tick builds this for every open review.
    const status: MilestoneStatus = {
      key: m.key,
      label: m.label,
      due: m.due,
      workingDay: m.workingDay,
      from: m.from,
      days: m.days,
      metOn,
      workingDaysLeft,
      workingDaysOverdue,
      reason,
      isDeadline: m.key !== 'meeting-window-opens',
      state,
      summary: '',
    };
    status.summary = milestoneSummary(status);
    return status;
  });

  const clockStart = timeline.clock.start;
  const clockDay = clockStart === null ? null : calendar.workingDaysBetween(clockStart, today);
  const referralDay = calendar.workingDaysBetween(review.anchors.referral, today);
  const clock: ClockStatus = {
    anchor: timeline.clock.anchor,
    label: timeline.clock.label,
    start: clockStart,
    completionDays: timeline.clock.completionDays,
    workingDay: clockDay,
    text:
      clockStart === null
        ? `not started: needs the date of ${timeline.clock.label}`
        : clockText(clockStart, clockDay, timeline.clock.completionDays),
    referral:
      anchorOfClock[profile.clock.anchor] === 'referral'
        ? null
        : {
            start: review.anchors.referral,
            workingDay: referralDay,
            text:
              referralDay < 0
                ? `referral ${formatShortDate(review.anchors.referral)}`
                : `day ${referralDay} since the referral`,
          },
  };

  const returnsDue = milestones.find((m) => m.key === 'scoping-returns-due')?.due ?? null;
  const returns = agenciesAsked(review).map((agency) =>
    returnStatusOf(agency, returnsOf.get(agency.id), returnsDue, closed, today),
  );

  const upcoming = milestones
    .filter((m) => m.state === 'due')
    // Stable sort: equal dates keep the timeline's own order.
    .sort((a, b) => ((a.due as CivilDate) < (b.due as CivilDate) ? -1 : a.due === b.due ? 0 : 1));
  const first = upcoming[0];
  const next: NextMilestone | null = first
    ? {
        key: first.key,
        label: first.label,
        due: first.due as CivilDate,
        workingDaysLeft: first.workingDaysLeft as number,
      }
    : null;
  const nextDeadline = upcoming.find((m) => m.isDeadline);
  const missingClockAnchor = missingClockAnchorText(review, profile);
  const scopingWaits = closed ? null : scopingWaitsFor(review, profile);
  const rag: Rag = milestones.some((m) => m.state === 'overdue')
    ? 'red'
    : missingClockAnchor || scopingWaits
      ? 'amber'
      : nextDeadline && (nextDeadline.workingDaysLeft as number) <= amberWithinWorkingDays
        ? 'amber'
        : 'green';

  return {
    reviewId: review.id,
    reference: review.reference,
    pseudonym: review.pseudonym,
    state: review.state,
    today,
    clock,
    milestones,
    returns,
    meeting: review.meeting
      ? {
          status: review.meeting.status,
          start: review.meeting.start,
          end: review.meeting.end,
          lateAfter: review.meeting.late?.windowClosedOn ?? null,
        }
      : null,
    next,
    rag,
    missingClockAnchor,
    scopingWaits,
  };
}

/**
 * The milestones to call overdue: the Panel's deadline only where it says something the review's own
 * completion date does not (a clock from the SIN gives them the same date).
 */
export function overdueMilestones(view: Pick<ReviewStatusView, 'milestones'>): MilestoneStatus[] {
  const complete = view.milestones.find((m) => m.key === 'review-complete');
  return view.milestones.filter(
    (m) =>
      m.state === 'overdue' &&
      !(m.key === 'panel-deadline' && complete?.state === 'overdue' && complete.due === m.due),
  );
}

/** One line of the business unit's portfolio: reference and pseudonym only, never subject data. */
export interface PortfolioRow {
  reviewId: string;
  reference: string;
  pseudonym: string;
  state: ReviewState;
  /** Today's working day on the review's clock, when its anchor is known. */
  workingDay: number | null;
  clockText: string;
  next: { label: string; due: CivilDate; workingDaysLeft: number } | null;
  /** Labels of the milestones that are overdue, so a red row says why. */
  overdue: string[];
  rag: Rag;
  /** See ReviewStatusView.missingClockAnchor: shown loud on the portfolio row. */
  missingClockAnchor: string | null;
  /** See ReviewStatusView.scopingWaits. */
  scopingWaits: string | null;
  returns: { submitted: number; total: number };
}

export function portfolioRow(
  review: Review,
  profile: PartnershipProfile,
  today: CivilDate,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): PortfolioRow {
  const view = reviewStatus(review, profile, today, calendar);
  return {
    reviewId: view.reviewId,
    reference: view.reference,
    pseudonym: view.pseudonym,
    state: view.state,
    workingDay: view.clock.workingDay,
    clockText: view.clock.text,
    next: view.next
      ? { label: view.next.label, due: view.next.due, workingDaysLeft: view.next.workingDaysLeft }
      : null,
    overdue: overdueMilestones(view).map((m) => m.label),
    rag: view.rag,
    missingClockAnchor: view.missingClockAnchor,
    scopingWaits: view.scopingWaits,
    returns: {
      submitted: view.returns.filter((r) => r.status === 'submitted').length,
      total: view.returns.length,
    },
  };
}
