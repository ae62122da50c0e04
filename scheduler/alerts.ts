/**
 * Countdown alerts: which alerts a review owes today, as a pure function of (review, profile, now,
 * calendar). Every statutory deadline the timeline knows is watched; each alert occurrence has a key
 * that is unique per (review, alert, day), so the outbox can be told the same alert many times (by
 * every tick of every instance) and still post it once.
 *
 * An alert exists only on a working day of the partnership's calendar, at or after the partnership's
 * alert hour (Europe/London), while the review is open and the milestone it watches is not met. The
 * texts name the review by reference and pseudonym only, agencies by name and people by @mention:
 * never the child, the family, an address or a date of birth (alerts are read outside the restricted
 * channel: on phones, in notifications, in the business unit's channel).
 */
import { agenciesAsked } from '../review/initialCaseDiscussion';
import type { Person, Review } from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import { uniquePeople } from '../review/quorumPresence';
import { addCalendarDays, civilDateInLondon, formatShortDate, londonHour, type CivilDate } from './civilDate';
import { overdueMilestones, reviewStatus, type MilestoneStatus, type ReviewStatusView } from './reviewStatus';
import type { MilestoneKey } from './timeline';
import { calendarFor, type WorkingDayCalendar } from './workingDayCalendar';

export const alertKinds = [
  'countdown',
  'sin-date:missing',
  'scoping-returns:due-tomorrow',
  'scoping-returns:due-today',
  'scoping-returns:overdue',
  'no-meeting:window-opens',
  'no-meeting:window-closes',
  'review-complete:due',
  'review-complete:overdue',
  'panel-report:due',
  'panel-response:expected',
  'panel-response:overdue',
  'post-review-meeting:due',
  'escalation',
  // Nudges (scheduler/nudges.ts): 1:1 messages to one person, through the same outbox.
  'nudge:return-due-tomorrow',
  'nudge:return-overdue',
  'nudge:sign-off',
  'nudge:meeting-today',
] as const;
export type AlertKind = (typeof alertKinds)[number];

/** 'person': a nudge, sent in the recipient's 1:1 chat with the bot. */
export type AlertTarget = 'review-channel' | 'business-unit-channel' | 'person';

export interface DueAlert {
  /** `${reviewId}:${kind}:${dueOn}`: one occurrence of one alert of one review. */
  key: string;
  reviewId: string;
  /** The review reference (never a name), for logs and the business unit. */
  reference: string;
  kind: AlertKind;
  target: AlertTarget;
  /** The working day the alert belongs to. */
  dueOn: CivilDate;
  text: string;
  mentions: Person[];
  /** A nudge's one recipient (by object id and name only). */
  recipient?: Person;
  /** A button under the text (a nudge's way to its review's channel). */
  link?: { title: string; url: string };
}

/** States in which the report has gone to the National Panel, whatever the anchors say. */
const submittedStates: ReadonlySet<Review['state']> = new Set(['submitted-to-panel', 'panel-responded']);
/** States in which a meeting is booked or has happened. */
const meetingStates: ReadonlySet<Review['state']> = new Set([
  'meeting-booked',
  'meeting-held',
  'decided',
  'signed-off',
  'submitted-to-panel',
  'panel-responded',
]);

/** How the countdown names what comes next ("next: scoping returns due Thu 7 Jan"). */
const nextPhrases: Record<MilestoneKey, string> = {
  'sin-due': 'SIN due to the National Panel',
  'scoping-requests-sent': 'scoping requests due out',
  'scoping-returns-due': 'scoping returns due',
  'meeting-window-opens': 'meeting window opens',
  'meeting-window-closes': 'meeting window closes',
  'review-complete': 'Rapid Review due to complete',
  'panel-report-due': 'report due to the National Panel',
  'panel-deadline': "National Panel's deadline",
  'panel-response-expected': 'National Panel response expected',
  'post-review-meeting-due': 'post Rapid Review meeting due',
};

/** How the countdown names what is overdue ("overdue: scoping returns"). */
const overduePhrases: Record<MilestoneKey, string> = {
  'sin-due': 'SIN to the National Panel',
  'scoping-requests-sent': 'scoping requests',
  'scoping-returns-due': 'scoping returns',
  'meeting-window-opens': 'meeting window',
  'meeting-window-closes': 'review meeting (window closed)',
  'review-complete': 'Rapid Review completion',
  'panel-report-due': 'report to the National Panel',
  'panel-deadline': "National Panel's deadline",
  'panel-response-expected': 'National Panel response',
  'post-review-meeting-due': 'post Rapid Review meeting',
};

export function alertKey(reviewId: string, kind: AlertKind, dueOn: CivilDate): string {
  return `${reviewId}:${kind}:${dueOn}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "tomorrow, Thu 7 Jan", or "on the next working day, Mon 11 Jan" across a weekend or holiday. */
function nextWorkingDayPhrase(day: CivilDate, due: CivilDate): string {
  return addCalendarDays(day, 1) === due
    ? `tomorrow, ${formatShortDate(due)}`
    : `on the next working day, ${formatShortDate(due)}`;
}

/** The review's own first alert day: nothing is owed for days before the bot knew of the review. */
export function firstAlertDay(review: Review): CivilDate {
  return civilDateInLondon(new Date(review.openedAt));
}

/** True when `now` is a working day of the profile's calendar at or after its alert hour in London. */
export function isAlertTime(
  profile: PartnershipProfile,
  now: Date,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): boolean {
  return calendar.isWorkingDay(civilDateInLondon(now)) && londonHour(now) >= profile.alerts.hour;
}

interface Context {
  review: Review;
  profile: PartnershipProfile;
  day: CivilDate;
  calendar: WorkingDayCalendar;
  view: ReviewStatusView;
  header: string;
}

function milestoneOf(view: ReviewStatusView, key: MilestoneKey): MilestoneStatus | undefined {
  return view.milestones.find((m) => m.key === key);
}

/** Working days from the alert's day to `due`: positive ahead, 0 on the day, negative once past. */
function daysTo(ctx: Context, due: CivilDate): number {
  return ctx.calendar.workingDaysBetween(ctx.day, due);
}

function make(ctx: Context, kind: AlertKind, text: string, mentions: Person[] = []): DueAlert {
  const target: AlertTarget = kind === 'escalation' ? 'business-unit-channel' : 'review-channel';
  return {
    key: alertKey(ctx.review.id, kind, ctx.day),
    reviewId: ctx.review.id,
    reference: ctx.review.reference,
    kind,
    target,
    dueOn: ctx.day,
    text: kind === 'escalation' ? text : `${ctx.header}: ${text}`,
    mentions: uniquePeople(mentions),
  };
}

function countdown(ctx: Context): DueAlert {
  const { view } = ctx;
  const { clock } = view;
  let where: string;
  if (clock.workingDay === null) {
    where = `The review clock has not started: it runs from ${clock.label}, and that date is not recorded yet`;
  } else if (clock.workingDay < 0) {
    where = `The review clock starts ${formatShortDate(clock.start as CivilDate)}`;
  } else {
    where = `Working day ${clock.workingDay} of ${clock.completionDays}`;
    if (clock.workingDay > clock.completionDays) {
      where += ` (${plural(clock.workingDay - clock.completionDays, 'working day')} past the deadline)`;
    }
  }
  const next = view.next
    ? `next: ${nextPhrases[view.next.key]} ${formatShortDate(view.next.due)} (${
        view.next.workingDaysLeft === 0 ? 'today' : plural(view.next.workingDaysLeft, 'working day')
      })`
    : 'next: nothing scheduled';
  const overdue = overdueMilestones(view).map((m) => overduePhrases[m.key]);
  const overdueText = overdue.length > 0 ? ` — overdue: ${overdue.join('; ')}` : '';
  return make(ctx, 'countdown', `${where} — ${next}${overdueText}`);
}

/**
 * A review whose clock runs from the SIN has no statutory deadline until the SIN date is recorded:
 * the business unit is asked for it every working day until it is (one alert per day, by its key).
 */
function sinDateMissing(ctx: Context): DueAlert[] {
  const missing = ctx.view.missingClockAnchor;
  if (!missing || ctx.view.clock.anchor !== 'sinSent') return [];
  return [make(ctx, 'sin-date:missing', missing, [ctx.review.openedBy])];
}

function scopingReturns(ctx: Context): DueAlert[] {
  const due = milestoneOf(ctx.view, 'scoping-returns-due')?.due;
  if (!due) return [];
  const outstanding = agenciesAsked(ctx.review).filter(
    (agency) => ctx.review.scopingReturns.find((r) => r.agencyId === agency.id)?.status !== 'submitted',
  );
  if (outstanding.length === 0) return [];
  const names = `Still outstanding: ${outstanding.map((a) => a.name).join(', ')}.`;
  const reps = outstanding.flatMap((a) => a.representatives);
  const n = daysTo(ctx, due);
  if (n === 1) {
    return [
      make(
        ctx,
        'scoping-returns:due-tomorrow',
        `Scoping returns are due ${nextWorkingDayPhrase(ctx.day, due)}. ${names}`,
        reps,
      ),
    ];
  }
  if (n === 0) {
    return [
      make(
        ctx,
        'scoping-returns:due-today',
        `Scoping returns are due today, ${formatShortDate(due)}. ${names}`,
        reps,
      ),
    ];
  }
  if (n < 0) {
    return [
      make(
        ctx,
        'scoping-returns:overdue',
        `Scoping returns are overdue by ${plural(-n, 'working day')} (they were due ${formatShortDate(due)}). ${names}`,
        reps,
      ),
    ];
  }
  return [];
}

function meetingBooked(review: Review): boolean {
  if (review.anchors.meetingHeld) return true;
  if (review.meeting && (review.meeting.status === 'booked' || review.meeting.status === 'held')) return true;
  return meetingStates.has(review.state);
}

function noMeeting(ctx: Context): DueAlert[] {
  if (meetingBooked(ctx.review)) return [];
  const opens = milestoneOf(ctx.view, 'meeting-window-opens')?.due;
  const closes = milestoneOf(ctx.view, 'meeting-window-closes')?.due;
  const alerts: DueAlert[] = [];
  const coordinator = [ctx.review.openedBy];
  if (opens && daysTo(ctx, opens) === 1) {
    const closing = closes ? `, and closes ${formatShortDate(closes)}` : '';
    alerts.push(
      make(
        ctx,
        'no-meeting:window-opens',
        `No review meeting is booked. The meeting window opens ${nextWorkingDayPhrase(ctx.day, opens)}${closing}.`,
        coordinator,
      ),
    );
  }
  if (closes) {
    const n = daysTo(ctx, closes);
    if (n === 2 || n === 0) {
      const when =
        n === 0 ? `today, ${formatShortDate(closes)}` : `in 2 working days, ${formatShortDate(closes)}`;
      alerts.push(
        make(
          ctx,
          'no-meeting:window-closes',
          `No review meeting is booked and the meeting window closes ${when}.`,
          coordinator,
        ),
      );
    }
  }
  return alerts;
}

function reviewComplete(ctx: Context, submitted: boolean): DueAlert[] {
  const m = milestoneOf(ctx.view, 'review-complete');
  if (!m?.due || submitted || m.metOn) return [];
  const n = daysTo(ctx, m.due);
  const coordinator = [ctx.review.openedBy];
  const dayNumber = m.workingDay === null ? '' : ` (working day ${m.workingDay})`;
  if (n === 2 || n === 1) {
    return [
      make(
        ctx,
        'review-complete:due',
        `The Rapid Review is due to complete in ${plural(n, 'working day')}, ${formatShortDate(m.due)}${dayNumber}.`,
        coordinator,
      ),
    ];
  }
  if (n === 0) {
    return [
      make(
        ctx,
        'review-complete:due',
        `The Rapid Review is due to complete today, ${formatShortDate(m.due)}${dayNumber}.`,
        coordinator,
      ),
    ];
  }
  if (n < 0) {
    return [
      make(
        ctx,
        'review-complete:overdue',
        `The Rapid Review is overdue by ${plural(-n, 'working day')}: it was due to complete ${formatShortDate(m.due)}.`,
        coordinator,
      ),
    ];
  }
  return [];
}

function panelReport(ctx: Context, submitted: boolean): DueAlert[] {
  const m = milestoneOf(ctx.view, 'panel-report-due');
  if (!m?.due || submitted) return [];
  const n = daysTo(ctx, m.due);
  if (n !== 0 && n !== 1) return [];
  const when = n === 0 ? `today, ${formatShortDate(m.due)}` : nextWorkingDayPhrase(ctx.day, m.due);
  return [
    make(
      ctx,
      'panel-report:due',
      `The Rapid Review report is due to the National Panel ${when} (${plural(m.days, 'working day')} after the meeting).`,
      [ctx.review.openedBy],
    ),
  ];
}

function panelResponse(ctx: Context): DueAlert[] {
  const m = milestoneOf(ctx.view, 'panel-response-expected');
  if (!m?.due || ctx.review.anchors.panelResponse) return [];
  const n = daysTo(ctx, m.due);
  if (n === 0) {
    return [
      make(
        ctx,
        'panel-response:expected',
        `The National Panel's response is expected today, ${formatShortDate(m.due)}. Record it when it arrives.`,
        [ctx.review.openedBy],
      ),
    ];
  }
  if (n < 0) {
    return [
      make(
        ctx,
        'panel-response:overdue',
        `The National Panel's response is ${plural(-n, 'working day')} overdue (expected ${formatShortDate(m.due)}). Record it when it arrives.`,
        [ctx.review.openedBy],
      ),
    ];
  }
  return [];
}

function postReviewMeeting(ctx: Context): DueAlert[] {
  if (ctx.profile.postReviewMeetingDays === null || ctx.review.postReviewMeeting) return [];
  const m = milestoneOf(ctx.view, 'post-review-meeting-due');
  if (!m?.due) return [];
  const n = daysTo(ctx, m.due);
  if (n !== 0 && n !== 1) return [];
  const when = n === 0 ? `today, ${formatShortDate(m.due)}` : nextWorkingDayPhrase(ctx.day, m.due);
  return [
    make(
      ctx,
      'post-review-meeting:due',
      `The post Rapid Review meeting is due ${when} (${plural(m.days, 'working day')} after the Panel's response).`,
      [ctx.review.openedBy],
    ),
  ];
}

function escalation(ctx: Context): DueAlert[] {
  const overdue = overdueMilestones(ctx.view);
  if (overdue.length === 0) return [];
  // Reference only: the business unit's channel is seen by people outside the review.
  const list = overdue.map((m) => `${m.label} (was due ${formatShortDate(m.due as CivilDate)})`).join('; ');
  return [make(ctx, 'escalation', `${ctx.review.reference} has overdue deadlines: ${list}.`)];
}

/**
 * The alerts a review owes on working day `day`, judged on the review as it stands now: an alert for
 * an earlier day whose milestone has been met since is no longer owed. Assumes `day` is a working
 * day; says nothing about the hour (see dueAlerts).
 */
export function alertsOn(
  review: Review,
  profile: PartnershipProfile,
  day: CivilDate,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): DueAlert[] {
  if (review.state === 'closed' || day < firstAlertDay(review)) return [];
  const view = reviewStatus(review, profile, day, calendar);
  const ctx: Context = {
    review,
    profile,
    day,
    calendar,
    view,
    header: `${review.reference} (${review.pseudonym})`,
  };
  const submitted = review.anchors.panelSubmitted !== undefined || submittedStates.has(review.state);
  return [
    ...(submitted ? [] : [countdown(ctx)]),
    ...sinDateMissing(ctx),
    ...scopingReturns(ctx),
    ...noMeeting(ctx),
    ...reviewComplete(ctx, submitted),
    ...panelReport(ctx, submitted),
    ...panelResponse(ctx),
    ...postReviewMeeting(ctx),
    ...escalation(ctx),
  ];
}

/** Today's alerts for a review: none on a day off, before the alert hour, or once it is closed. */
export function dueAlerts(
  review: Review,
  profile: PartnershipProfile,
  now: Date,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): DueAlert[] {
  if (!isAlertTime(profile, now, calendar)) return [];
  return alertsOn(review, profile, civilDateInLondon(now), calendar);
}

/** Alerts only worth reading on their own day: a later day's alert of the same kind replaces them. */
const supersededByToday: ReadonlySet<AlertKind> = new Set(['countdown', 'sin-date:missing']);

export interface CatchUp {
  /** Alerts of earlier working days still owed: sent late, once. */
  due: DueAlert[];
  /**
   * Countdowns and missing-date prompts of earlier days: today's supersede them, so they are recorded,
   * not sent.
   */
  superseded: DueAlert[];
}

/**
 * What a review still owes for the working days from `fromDay` up to (not including) today, after
 * downtime. A countdown is only worth reading on its own day, so earlier ones are superseded rather
 * than posted in a burst; every other alert is still owed if its milestone is still unmet.
 */
export function catchUpAlerts(
  review: Review,
  profile: PartnershipProfile,
  now: Date,
  fromDay: CivilDate,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): CatchUp {
  const today = civilDateInLondon(now);
  const result: CatchUp = { due: [], superseded: [] };
  if (review.state === 'closed') return result;
  const first = fromDay > firstAlertDay(review) ? fromDay : firstAlertDay(review);
  let day = calendar.isWorkingDay(first) ? first : calendar.nextWorkingDay(first);
  while (day < today) {
    for (const alert of alertsOn(review, profile, day, calendar)) {
      (supersededByToday.has(alert.kind) ? result.superseded : result.due).push(alert);
    }
    day = calendar.nextWorkingDay(day);
  }
  return result;
}
