/**
 * Attendance after the meeting: Graph's attendance report (produced once the meeting ends) reconciled
 * with the bot's live view and the register of representatives, stored on the review and summarised
 * in the review channel — statutory partners present for less than the profile's minimum are flagged,
 * attendees nobody registered are listed for the business unit to check.
 */
import { reconcileAttendance, type AttendanceReconciliation } from '../../review/attendance';
import { samePerson, type Actor } from '../../review/lifecycle';
import { agencyKindLabels, type Review } from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import type { AttendanceRecord } from '../../review/ports';
import type { CardReply } from './replies';
import type { FlowDeps } from './deps';
import { noticeMessage, postInReviewChannel } from './meetingChannel';
import { recordAttendance } from '../../review/meetingLifecycle';
import { refusalReply } from './presenters';

const bot = { system: 'rapid-review-bot' };

export function durationText(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The attendance summary posted in the review channel (professionals' names only, never the child's). */
export function attendanceSummary(
  review: Review,
  profile: PartnershipProfile,
  reconciliation: AttendanceReconciliation,
  source: { reportRecords: number; reportError?: string },
): { text: string; concerns: boolean } {
  const minimum = profile.meeting.minimumAttendanceMinutes;
  const partnerLabels = new Map(profile.statutoryPartners.map((p) => [p.kind, p.label]));
  const secondsOf = new Map(reconciliation.people.map((p) => [p.person.name, p.seconds]));
  const lines: string[] = [];
  for (const agency of reconciliation.agencies) {
    const named = review.agencies.find((a) => a.id === agency.agencyId);
    const label = partnerLabels.get(agency.agencyKind) ?? agencyKindLabels[agency.agencyKind];
    const who =
      agency.people.length === 0
        ? 'nobody attended'
        : agency.people.map((name) => `${name} (${durationText(secondsOf.get(name) ?? 0)})`).join(', ');
    const flag = agency.belowMinimum
      ? ` — ⚠ below the ${minimum}-minute minimum for a statutory partner`
      : '';
    lines.push(`- ${named?.name ?? agency.agencyId} (${label}): ${who}${flag}`);
  }
  const others = reconciliation.people.filter((p) => p.role);
  if (others.length > 0) {
    lines.push(
      `- Chair and business unit: ${others.map((p) => `${p.person.name} (${durationText(p.seconds)})`).join(', ')}`,
    );
  }
  const unknown = reconciliation.people.filter((p) => !p.agencyId && !p.role);
  const parts = [`Attendance at the review meeting, from ${sourceText(source)}:`, lines.join('\n')];
  if (unknown.length > 0) {
    parts.push(
      `Not on the register of representatives (please check who they are): ${unknown
        .map((p) => `${p.person.name} (${durationText(p.seconds)})`)
        .join(', ')}`,
    );
  }
  if (source.reportError !== undefined || source.reportRecords === 0) {
    parts.push(
      'Teams did not produce an attendance report within a day of the meeting, so this is from what I saw in ' +
        'the meeting chat only; business unit: mention me with "attendance" to reconcile again if it appears.',
    );
  }
  return {
    text: parts.join('\n\n'),
    concerns: reconciliation.agencies.some((a) => a.belowMinimum) || unknown.length > 0,
  };
}

function sourceText(source: { reportRecords: number; reportError?: string }): string {
  if (source.reportError !== undefined || source.reportRecords === 0)
    return 'the live view in the meeting chat';
  return 'Teams’ attendance report and the live view in the meeting chat';
}

async function attendanceRecordsOf(
  deps: FlowDeps,
  review: Review,
): Promise<{ records: AttendanceRecord[]; error?: string }> {
  const meeting = review.meeting;
  if (!meeting?.organizer) return { records: [], error: 'no organiser' };
  try {
    let onlineMeetingId = meeting.onlineMeetingId;
    if (!onlineMeetingId && meeting.joinUrl) {
      onlineMeetingId = (await deps.teamspace.findOnlineMeeting(meeting.organizer, meeting.joinUrl))?.id;
    }
    if (!onlineMeetingId) return { records: [], error: 'online meeting not found' };
    return { records: await deps.teamspace.attendanceRecords(meeting.organizer, onlineMeetingId) };
  } catch (error) {
    deps.log.warn(
      { review: review.reference, err: { message: (error as Error).message } },
      'attendance report not read',
    );
    return { records: [], error: (error as Error).name };
  }
}

/**
 * Teams produces the attendance report some time after the meeting ends: at meetingEnd (and for a
 * while after) Graph answers 404 or an empty list. The bot looks again with backoff — 1, 2, 4, …
 * minutes, at most an hour apart — for up to a day, and only then falls back to its live view.
 */
export const attendanceRetryPolicy = { firstDelayMinutes: 1, maxDelayMinutes: 60, giveUpAfterHours: 24 };

const PENDING = 'attendance.pending';

/** When to look again after `attempt` attempts (1 = the one at meetingEnd). */
export function nextAttendanceAttempt(lastAttempt: Date, attempt: number): Date {
  const { firstDelayMinutes, maxDelayMinutes } = attendanceRetryPolicy;
  const minutes = Math.min(firstDelayMinutes * 2 ** Math.max(attempt - 1, 0), maxDelayMinutes);
  return new Date(lastAttempt.getTime() + minutes * 60_000);
}

export type AttendanceOutcome =
  | { status: 'reconciled'; reconciliation: AttendanceReconciliation }
  | { status: 'pending'; nextAttemptAt: string }
  | { status: 'failed' };

interface PendingDetail {
  attempt: number;
  since: string;
  nextAttemptAt: string;
}

async function lastPending(deps: FlowDeps, reviewId: string): Promise<PendingDetail | undefined> {
  const trail = await deps.store.auditTrail(reviewId);
  const line = [...trail]
    .reverse()
    .find((event) => event.action === PENDING || event.action === 'attendance.reconciled');
  if (line?.action !== PENDING) return undefined;
  return line.detail as unknown as PendingDetail;
}

/**
 * Reads the report, reconciles, stores and posts the summary. Safe to repeat (the entries are
 * replaced). While Teams has no report yet it records only that reconciliation is pending (an audit
 * line with the next attempt) and tells nobody anything: the summary is posted once, when it is real.
 * `final` reconciles from the live view alone if the report is still missing (and says so).
 */
export async function reconcileMeetingAttendance(
  deps: FlowDeps,
  reviewId: string,
  actor: Actor | { system: string },
  options: { final?: boolean } = {},
): Promise<AttendanceOutcome> {
  const review = await deps.store.getReview(reviewId);
  if (!review?.meeting) return { status: 'failed' };
  const profile = deps.profiles.get(review.profileId);
  const { records, error } = await attendanceRecordsOf(deps, review);
  const now = deps.clock.now();
  const at = now.toISOString();
  if (records.length === 0 && !options.final) {
    const previous = await lastPending(deps, reviewId);
    const attempt = (previous?.attempt ?? 0) + 1;
    const detail: PendingDetail = {
      attempt,
      since: previous?.since ?? at,
      nextAttemptAt: nextAttendanceAttempt(now, attempt).toISOString(),
    };
    const who = 'person' in actor ? actor.person : actor;
    await deps.store.appendAudit([
      {
        reviewId,
        at,
        actor: who,
        action: PENDING,
        detail: { ...detail, ...(error ? { reason: error } : {}) },
      },
    ]);
    deps.log.info(
      { review: review.reference, attempt, next: detail.nextAttemptAt },
      'attendance report not ready',
    );
    return { status: 'pending', nextAttemptAt: detail.nextAttemptAt };
  }
  let reconciliation: AttendanceReconciliation | undefined;
  const saved = await deps.store.updateReview(reviewId, (current) => {
    reconciliation = reconcileAttendance(
      current,
      records,
      current.meeting?.live,
      profile.meeting.minimumAttendanceMinutes,
      { partnerKinds: profile.statutoryPartners.map((p) => p.kind) },
    );
    return recordAttendance(current, reconciliation, { reportRecords: records.length }, actor, at);
  });
  if (!saved.ok || !reconciliation) return { status: 'failed' };
  const summary = attendanceSummary(saved.review, profile, reconciliation, {
    reportRecords: records.length,
    ...(error !== undefined ? { reportError: error } : {}),
  });
  await postInReviewChannel(
    deps,
    saved.review,
    noticeMessage(saved.review, summary.text, [], summary.concerns ? 'warning' : 'info'),
  );
  return { status: 'reconciled', reconciliation };
}

/**
 * The retry: every held meeting whose attendance is still pending and due is looked at again; past a
 * day it is reconciled from the live view. Run it on a timer (e.g. with the alert tick); it keeps no
 * state of its own — the pending marker is in each review's audit trail, so any instance may run it.
 */
export async function reconcilePendingAttendance(
  deps: FlowDeps,
): Promise<{ reconciled: string[]; pending: string[] }> {
  const reconciled: string[] = [];
  const pending: string[] = [];
  for (const review of await deps.store.listReviews({ openOnly: true })) {
    const outcome = await retryPendingAttendance(deps, review);
    if (outcome === 'reconciled') reconciled.push(review.reference);
    if (outcome === 'pending') pending.push(review.reference);
  }
  return { reconciled, pending };
}

/**
 * One review's turn of that retry: nothing to do unless its meeting is held and its attendance is
 * pending; 'pending' while Teams still has no report (or its next attempt is not yet due).
 */
export async function retryPendingAttendance(
  deps: FlowDeps,
  review: Review,
): Promise<'reconciled' | 'pending' | 'none'> {
  if (review.meeting?.status !== 'held' || review.attendance !== undefined) return 'none';
  const marker = await lastPending(deps, review.id);
  if (!marker) return 'none';
  const now = deps.clock.now();
  if (now < new Date(marker.nextAttemptAt)) return 'pending';
  const final =
    now.getTime() - Date.parse(marker.since) >= attendanceRetryPolicy.giveUpAfterHours * 3_600_000;
  try {
    const outcome = await reconcileMeetingAttendance(deps, review.id, bot, { final });
    return outcome.status === 'reconciled' ? 'reconciled' : 'pending';
  } catch (error) {
    deps.log.warn(
      { review: review.reference, err: { message: (error as Error).message } },
      'attendance retry failed',
    );
    return 'pending';
  }
}

/** "attendance": reconcile again (e.g. once Teams has produced its report). Chair or business unit. */
export async function attendanceReply(deps: FlowDeps, reviewId: string, actor: Actor): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const chair = review.meeting?.chair;
  if (!actor.businessUnit && !(chair && samePerson(chair, actor.person))) {
    return refusalReply('Only the business unit or the chair reconciles the meeting’s attendance.');
  }
  if (review.meeting?.status !== 'held') {
    return refusalReply('Attendance is reconciled after the review meeting has been held.');
  }
  const outcome = await reconcileMeetingAttendance(deps, reviewId, actor);
  if (outcome.status === 'pending') {
    return {
      text:
        'Teams’ attendance report is not available yet. I will reconcile the attendance as soon as it is, ' +
        'and post the summary in this channel.',
    };
  }
  if (outcome.status === 'failed')
    return refusalReply('The attendance could not be reconciled; please try again.');
  return { text: 'Attendance reconciled: the summary is posted in this channel.' };
}
