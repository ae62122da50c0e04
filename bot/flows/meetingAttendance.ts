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
import type { CardReply } from './commands';
import type { FlowDeps } from './deps';
import { noticeMessage, postInReviewChannel } from './meetingChannel';
import { recordAttendance } from './meetingLifecycle';
import { refusalReply } from './presenters';

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
      'Teams’ attendance report was not available yet; business unit: mention me with "attendance" later to reconcile again.',
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

/** Reads the report, reconciles, stores and posts the summary. Safe to repeat (the entries are replaced). */
export async function reconcileMeetingAttendance(
  deps: FlowDeps,
  reviewId: string,
  actor: Actor | { system: string },
): Promise<AttendanceReconciliation | undefined> {
  const review = await deps.store.getReview(reviewId);
  if (!review?.meeting) return undefined;
  const profile = deps.profiles.get(review.profileId);
  const { records, error } = await attendanceRecordsOf(deps, review);
  const at = deps.clock.now().toISOString();
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
  if (!saved.ok || !reconciliation) return undefined;
  const summary = attendanceSummary(saved.review, profile, reconciliation, {
    reportRecords: records.length,
    ...(error !== undefined ? { reportError: error } : {}),
  });
  await postInReviewChannel(
    deps,
    saved.review,
    noticeMessage(saved.review, summary.text, [], summary.concerns ? 'warning' : 'info'),
  );
  return reconciliation;
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
  const reconciliation = await reconcileMeetingAttendance(deps, reviewId, actor);
  if (!reconciliation) return refusalReply('The attendance could not be reconciled; please try again.');
  return { text: 'Attendance reconciled: the summary is posted in this channel.' };
}
