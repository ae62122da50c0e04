/**
 * The statutory timeline: a pure function from a review's anchor dates and its partnership profile
 * to every milestone, its due date and its working-day number on the review's clock.
 *
 * A milestone whose anchor is not known yet is reported as not computable (with the missing anchor
 * named) rather than guessed: a guessed statutory deadline is worse than an honest gap.
 */
import type { CivilDate, Review, ReviewAnchors } from '../review/model';
import type { MeetingWindow } from '../review/meetingRules';
import { resolveAnchor, type ClockAnchor, type PartnershipProfile } from '../review/profile';
import { calendarFor, type WorkingDayCalendar } from './workingDayCalendar';

export const milestoneKeys = [
  'sin-due',
  'scoping-requests-sent',
  'scoping-returns-due',
  'meeting-window-opens',
  'meeting-window-closes',
  'review-complete',
  'panel-report-due',
  'panel-deadline',
  'panel-response-expected',
  'post-review-meeting-due',
] as const;
export type MilestoneKey = (typeof milestoneKeys)[number];

export type AnchorKey = keyof ReviewAnchors;

export interface Milestone {
  key: MilestoneKey;
  label: string;
  /** Null when the anchor it runs from is not known yet. */
  due: CivilDate | null;
  /** Working-day number of `due` on the review's clock (day 0 = the clock's anchor), when both are known. */
  workingDay: number | null;
  /** The anchor this milestone runs from and how many working days after it. */
  from: AnchorKey;
  days: number;
  /** The date the milestone was met, when a recorded anchor shows it. */
  metOn: CivilDate | null;
  /** Why it cannot be computed yet, e.g. "needs the date scoping requests were sent". */
  pending?: string;
  /** Set when `due` is a plan rather than a deadline from a recorded date (see `project`). */
  projected?: string;
  /** Set when `due` was brought forward to fit a later statutory deadline. */
  capped?: string;
}

export interface Timeline {
  profileId: string;
  /** The anchor the review's clock runs from, and its date when known. */
  clock: { anchor: AnchorKey; label: string; start: CivilDate | null; completionDays: number };
  milestones: Milestone[];
}

export interface TimelineOptions {
  /** A per-review scoping-return timescale, where the profile lets the business unit agree one. */
  scopingReturnDays?: number;
  /**
   * Plan the milestones that run from dates not recorded yet: scoping returns from the last day for
   * sending the requests, the report from the meeting window's last day. For planning (the CLI), not
   * for deadlines that alerts act on.
   */
  project?: boolean;
}

const anchorOfClock: Record<ClockAnchor, AnchorKey> = {
  'sin-sent': 'sinSent',
  referral: 'referral',
  aware: 'aware',
};

const anchorNames: Record<AnchorKey, string> = {
  aware: 'the date the local authority became aware',
  sinSent: 'the date the SIN was sent',
  referral: 'the referral date',
  scopingSent: 'the date scoping requests were sent',
  meetingHeld: 'the date of the review meeting',
  panelSubmitted: 'the date the report was sent to the Panel',
  panelResponse: 'the date of the Panel response',
};

interface MilestoneRule {
  key: MilestoneKey;
  label: string;
  from: AnchorKey;
  days: number;
  /** The anchor whose recording shows this milestone was met. */
  metBy?: AnchorKey;
}

function rulesFor(profile: PartnershipProfile, options: TimelineOptions): MilestoneRule[] {
  const clockAnchor = anchorOfClock[profile.clock.anchor];
  const windowFrom = anchorOfClock[resolveAnchor(profile, profile.meetingWindow.from)];
  const rules: MilestoneRule[] = [
    {
      key: 'sin-due',
      label: 'SIN sent to the National Panel',
      from: 'aware',
      days: profile.sinDueDays,
      metBy: 'sinSent',
    },
    {
      key: 'scoping-requests-sent',
      label: 'Scoping requests sent to agencies',
      from: anchorOfClock[resolveAnchor(profile, profile.scopingRequests.from)],
      days: profile.scopingRequests.withinDays,
      metBy: 'scopingSent',
    },
    {
      key: 'scoping-returns-due',
      label: 'Scoping returns due',
      from: 'scopingSent',
      days: options.scopingReturnDays ?? profile.scopingReturns.withinDays,
    },
    {
      key: 'meeting-window-opens',
      label: 'Review meeting window opens',
      from: windowFrom,
      days: profile.meetingWindow.openDay,
    },
    {
      key: 'meeting-window-closes',
      label: 'Review meeting window closes',
      from: windowFrom,
      days: profile.meetingWindow.closeDay,
      metBy: 'meetingHeld',
    },
    {
      key: 'review-complete',
      label: 'Rapid Review complete',
      from: clockAnchor,
      days: profile.clock.completionDays,
      metBy: 'panelSubmitted',
    },
    {
      key: 'panel-report-due',
      label: 'Report sent to the National Panel',
      from: 'meetingHeld',
      days: profile.panel.reportDays,
      metBy: 'panelSubmitted',
    },
    {
      key: 'panel-deadline',
      label: `National Panel's deadline (${profile.panel.deadlineDays} working days from the SIN)`,
      from: 'sinSent',
      days: profile.panel.deadlineDays,
      metBy: 'panelSubmitted',
    },
    {
      key: 'panel-response-expected',
      label: 'National Panel response expected',
      from: 'panelSubmitted',
      days: profile.panel.responseDays,
      metBy: 'panelResponse',
    },
  ];
  if (profile.postReviewMeetingDays !== null) {
    rules.push({
      key: 'post-review-meeting-due',
      label: 'Post Rapid Review meeting',
      from: 'panelResponse',
      days: profile.postReviewMeetingDays,
    });
  }
  return rules;
}

/** What a milestone runs from when its own anchor is not recorded and the timeline is projected. */
const projections: Partial<Record<AnchorKey, { from: MilestoneKey; text: string }>> = {
  scopingSent: { from: 'scoping-requests-sent', text: 'planned from the last day for sending the requests' },
  meetingHeld: { from: 'meeting-window-closes', text: "planned from a meeting on the window's last day" },
};

export function computeTimeline(
  anchors: ReviewAnchors,
  profile: PartnershipProfile,
  options: TimelineOptions = {},
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): Timeline {
  const clockAnchor = anchorOfClock[profile.clock.anchor];
  const clockStart = anchors[clockAnchor] ?? null;
  const rules = rulesFor(profile, options);
  const closeRule = rules.find((r) => r.key === 'meeting-window-closes') as MilestoneRule;
  const closeFrom = anchors[closeRule.from];
  const windowCloses = closeFrom ? calendar.addWorkingDays(closeFrom, closeRule.days) : null;
  const milestones: Milestone[] = [];
  for (const rule of rules) {
    let start = anchors[rule.from];
    let projected: string | undefined;
    const projection = projections[rule.from];
    if (!start && options.project && projection) {
      const planned = milestones.find((m) => m.key === projection.from);
      if (planned?.due) {
        start = planned.metOn ?? planned.due;
        projected = projection.text;
      }
    }
    const metOn = rule.metBy ? (anchors[rule.metBy] ?? null) : null;
    if (!start) {
      milestones.push({
        key: rule.key,
        label: rule.label,
        due: null,
        workingDay: null,
        from: rule.from,
        days: rule.days,
        metOn,
        pending: `needs ${anchorNames[rule.from]}`,
      });
      continue;
    }
    let due = calendar.addWorkingDays(start, rule.days);
    let capped: string | undefined;
    if (rule.key === 'scoping-returns-due') {
      const latest = windowCloses ? latestReturnsDue(windowCloses, calendar) : null;
      if (latest && due > latest) {
        due = latest;
        capped = `due before the meeting window closes (${windowCloses as CivilDate})`;
      }
    }
    milestones.push({
      key: rule.key,
      label: rule.label,
      due,
      workingDay: clockStart ? calendar.workingDaysBetween(clockStart, due) : null,
      from: rule.from,
      days: rule.days,
      metOn,
      ...(projected ? { projected } : {}),
      ...(capped ? { capped } : {}),
    });
  }
  return {
    profileId: profile.id,
    clock: {
      anchor: clockAnchor,
      label: profile.clock.anchorLabel,
      start: clockStart,
      completionDays: profile.clock.completionDays,
    },
    milestones,
  };
}

/** The last day scoping returns can be due: the working day before the meeting window closes. */
export function latestReturnsDue(windowCloses: CivilDate, calendar: WorkingDayCalendar): CivilDate {
  return calendar.addWorkingDays(windowCloses, -1);
}

export function milestone(timeline: Timeline, key: MilestoneKey): Milestone | undefined {
  return timeline.milestones.find((m) => m.key === key);
}

/** The statutory meeting window from the review's anchors, or why it cannot be known yet. */
export function statutoryMeetingWindow(
  review: Pick<Review, 'anchors' | 'scopingReturnDays'>,
  profile: PartnershipProfile,
): { ok: true; window: MeetingWindow } | { ok: false; reason: string } {
  const timeline = computeTimeline(
    review.anchors,
    profile,
    review.scopingReturnDays === undefined ? {} : { scopingReturnDays: review.scopingReturnDays },
  );
  const opens = milestone(timeline, 'meeting-window-opens');
  const closes = milestone(timeline, 'meeting-window-closes');
  if (!opens?.due || !closes?.due) {
    return {
      ok: false,
      reason: `the meeting window is not known yet: it ${opens?.pending ?? closes?.pending ?? 'needs an anchor date'}`,
    };
  }
  return { ok: true, window: { from: opens.due, to: closes.due } };
}
