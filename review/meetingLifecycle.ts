/**
 * Changes to a review's meeting record that the core lifecycle leaves to the meeting flows: the
 * booking attempt written down before Graph is called, the online meeting found for it, the live
 * attendance kept from the meeting chat's events, and the reconciled attendance. Each is a pure
 * function (review, input) → the changed review with its audit line, run by the store inside
 * updateReview like every lifecycle command, so the record and its audit are saved together.
 */
import type { AttendanceReconciliation } from './attendance';
import type { Actor } from './lifecycle';
import {
  applyParticipantEvent,
  emptyLiveAttendance,
  endLiveAttendance,
  presentPeople,
  type ParticipantEvent,
} from './liveAttendance';
import type { AuditEvent, Instant, Meeting, Person, Review } from './model';
import type { ChangeResult } from './store';

const bot = { system: 'rapid-review-bot' };

function auditLine(
  review: Review,
  actor: Actor | { system: string },
  at: Instant,
  action: string,
  detail: Record<string, unknown>,
): AuditEvent {
  return { reviewId: review.id, at, actor: 'person' in actor ? actor.person : actor, action, detail };
}

/** The attempt number inside a transactionId made by `bookingTransactionId`. */
function attemptOf(transactionId: string | undefined): number {
  const match = /-(\d+)$/.exec(transactionId ?? '');
  return match ? Number(match[1]) : 0;
}

/**
 * The transactionId for the next booking attempt: the unfinished attempt's own id when there is one
 * (so Graph hands back the event a crashed attempt created instead of making a second), a new one
 * after a cancelled meeting.
 */
export function bookingTransactionId(review: Review): string {
  const meeting = review.meeting;
  if (meeting && (meeting.status === 'proposed' || meeting.status === 'booked')) return meeting.transactionId;
  return `rr-${review.id}-meeting-${attemptOf(meeting?.transactionId) + 1}`;
}

/**
 * Writes the chosen time down as a proposed meeting before the event is created. A booked meeting
 * is left alone (a reschedule changes it through bookMeeting).
 */
export function proposeMeeting(
  review: Review,
  proposal: {
    start: Instant;
    end: Instant;
    organizer: string;
    chair?: Person;
    /** Set when the time is after the statutory window (allowed only after a reconvene). */
    late?: Meeting['late'] | null;
  },
  actor: Actor,
  at: Instant,
): ChangeResult {
  if (review.meeting?.status === 'booked') {
    return { ok: false, reason: 'the meeting is already booked' };
  }
  const meeting: Meeting = {
    status: 'proposed',
    start: proposal.start,
    end: proposal.end,
    organizer: proposal.organizer,
    transactionId: bookingTransactionId(review),
    ...(proposal.chair ? { chair: proposal.chair } : {}),
    ...(proposal.late ? { late: proposal.late } : {}),
  };
  return {
    ok: true,
    review: { ...review, meeting },
    audit: [
      auditLine(review, actor, at, 'meeting.proposed', {
        start: meeting.start,
        end: meeting.end,
        transactionId: meeting.transactionId,
        late: meeting.late ?? null,
      }),
    ],
  };
}

/** The online meeting behind the booked event: its id (for attendance) and its chat (for the bot). */
export function recordOnlineMeeting(
  review: Review,
  online: { onlineMeetingId: string; chatId: string },
  at: Instant,
): ChangeResult {
  if (!review.meeting) return { ok: false, reason: 'there is no meeting' };
  if (review.meeting.onlineMeetingId === online.onlineMeetingId && review.meeting.chatId === online.chatId) {
    return { ok: false, reason: 'already recorded' };
  }
  return {
    ok: true,
    review: { ...review, meeting: { ...review.meeting, ...online } },
    audit: [auditLine(review, bot, at, 'meeting.online-meeting.found', { chatId: online.chatId })],
  };
}

/**
 * One join or leave event from the meeting chat. A repeated event changes nothing and is not saved
 * (Teams may deliver an event twice).
 */
export function recordParticipantEvent(review: Review, event: ParticipantEvent): ChangeResult {
  const meeting = review.meeting;
  if (!meeting || meeting.status === 'cancelled') {
    return { ok: false, reason: 'the review has no meeting in progress' };
  }
  const before = meeting.live ?? emptyLiveAttendance();
  const live = applyParticipantEvent(before, event);
  if (live === before) return { ok: false, reason: 'nothing changed' };
  return {
    ok: true,
    review: { ...review, meeting: { ...meeting, live } },
    audit: [
      auditLine(review, bot, event.at, `meeting.participant.${event.kind === 'join' ? 'joined' : 'left'}`, {
        // Object ids only: who the person is stays in the live view, not the audit.
        aadObjectIds: event.members.map((m) => m.aadObjectId),
        present: presentPeople(live).length,
      }),
    ],
  };
}

export function recordMeetingStarted(review: Review, at: Instant): ChangeResult {
  if (!review.meeting || review.meeting.status === 'cancelled') {
    return { ok: false, reason: 'the review has no booked meeting' };
  }
  return {
    ok: true,
    review: { ...review, meeting: { ...review.meeting, live: review.meeting.live ?? emptyLiveAttendance() } },
    audit: [auditLine(review, bot, at, 'meeting.started', { bookedStart: review.meeting.start })],
  };
}

/** Everyone still in the live view leaves when the meeting ends. */
export function recordMeetingEnded(review: Review, at: Instant): ChangeResult {
  if (!review.meeting) return { ok: false, reason: 'the review has no meeting' };
  const live = endLiveAttendance(review.meeting.live ?? emptyLiveAttendance(), at);
  return {
    ok: true,
    review: { ...review, meeting: { ...review.meeting, live } },
    audit: [auditLine(review, bot, at, 'meeting.ended', { stays: live.history.length })],
  };
}

/** Stores the reconciled attendance (the report and the live view, matched to the register). */
export function recordAttendance(
  review: Review,
  reconciliation: AttendanceReconciliation,
  sources: { reportRecords: number },
  actor: Actor | { system: string },
  at: Instant,
): ChangeResult {
  return {
    ok: true,
    review: { ...review, attendance: reconciliation.entries },
    audit: [
      auditLine(review, actor, at, 'attendance.reconciled', {
        attendees: reconciliation.entries.length,
        unknown: reconciliation.unknown.length,
        belowMinimum: reconciliation.agencies.filter((a) => a.belowMinimum).map((a) => a.agencyId),
        reportRecords: sources.reportRecords,
      }),
    ],
  };
}

/**
 * A rescheduled meeting starts afresh: the previous session's live view, quorum decision and
 * attendance belong to a meeting that did not decide anything.
 */
export function clearMeetingSession(review: Review): Review {
  const { quorumDecision: _decision, attendance: _attendance, ...rest } = review;
  void _decision;
  void _attendance;
  if (!rest.meeting) return rest;
  const { live: _live, ...meeting } = rest.meeting;
  void _live;
  return { ...rest, meeting };
}
