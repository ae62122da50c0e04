/**
 * The meeting chat's events: start, people joining and leaving, end. The bot keeps its own live view
 * of who is in the meeting (Graph's attendance report exists only after the end), saved with the
 * review at every event so the quorum check sees it whichever instance answers. At the end the
 * meeting is recorded as held (unless the chair found it not quorate: it is then rescheduled, not
 * held) and the attendance is reconciled — or, while Teams has not produced its attendance report yet
 * (it comes some time after the end), marked pending for reconcilePendingAttendance to retry.
 */
import { recordMeetingHeld } from '../../review/lifecycle';
import type { LiveParticipant } from '../../review/liveAttendance';
import { civilDateInLondon } from '../../scheduler/civilDate';
import type { CardReply } from './replies';
import type { FlowDeps } from './deps';
import { reconcileMeetingAttendance } from './meetingAttendance';
import { noticeMessage, noticeReply, postInReviewChannel, reviewOfMeeting } from './meetingChannel';
import {
  recordMeetingEnded,
  recordMeetingStarted,
  recordParticipantEvent,
} from '../../review/meetingLifecycle';

/** How the bot recognises the meeting an event belongs to. */
export interface MeetingChat {
  /** The meeting chat's thread id (the conversation id of every activity in it). */
  chatId?: string;
  joinUrl?: string;
}

const bot = { system: 'rapid-review-bot' };

/** meetingStart: noted, and the chair is reminded how to check quorum. */
export async function meetingStarted(deps: FlowDeps, chat: MeetingChat): Promise<CardReply | undefined> {
  const review = await reviewOfMeeting(deps, chat);
  if (!review) {
    deps.log.info('meeting started in a chat that belongs to no open review');
    return undefined;
  }
  const at = deps.clock.now().toISOString();
  const saved = await deps.store.updateReview(review.id, (current) => recordMeetingStarted(current, at));
  if (!saved.ok) return undefined;
  return noticeReply(
    review,
    'The review meeting has started. The meeting is quorate only with each statutory partner present: ' +
      'mention me with "quorum" to see who is here; the chair confirms.',
  );
}

/** meetingParticipantJoin / meetingParticipantLeave. */
export async function participantsChanged(
  deps: FlowDeps,
  chat: MeetingChat,
  kind: 'join' | 'leave',
  members: LiveParticipant[],
): Promise<void> {
  const review = await reviewOfMeeting(deps, chat);
  if (!review) return;
  const at = deps.clock.now().toISOString();
  const saved = await deps.store.updateReview(review.id, (current) =>
    recordParticipantEvent(current, { kind, members, at }),
  );
  if (saved.ok) {
    deps.log.debug({ review: review.reference, kind, count: members.length }, 'meeting participants changed');
  }
}

/**
 * meetingEnd: the live view is closed, the meeting recorded as held, attendance reconciled after (or
 * marked pending: the report may not exist yet, and nobody is told anything until it is reconciled).
 */
export async function meetingEnded(deps: FlowDeps, chat: MeetingChat): Promise<void> {
  const review = await reviewOfMeeting(deps, chat);
  if (!review) return;
  const now = deps.clock.now();
  const at = now.toISOString();
  const ended = await deps.store.updateReview(review.id, (current) => recordMeetingEnded(current, at));
  if (!ended.ok) return;
  const decision = ended.review.quorumDecision;
  if (decision && !decision.quorate) {
    // A meeting the chair found not quorate decided nothing: the same booking is moved, not closed.
    await postInReviewChannel(
      deps,
      ended.review,
      noticeMessage(
        ended.review,
        'The review meeting ended without quorum, so it is not recorded as held. Business unit: mention me ' +
          'with "reschedule meeting" to move it to a time each statutory partner can attend.',
        [],
        'warning',
      ),
    );
    return;
  }
  if (ended.review.state !== 'meeting-booked') return; // a repeated end event
  const held = await deps.store.updateReview(review.id, (current) =>
    recordMeetingHeld(current, civilDateInLondon(now), bot, at),
  );
  if (!held.ok) {
    deps.log.warn({ review: review.reference, reason: held.reason }, 'meeting not recorded as held');
    return;
  }
  deps.log.info({ review: review.reference }, 'review meeting held');
  deps.background.afterReply(() => reconcileMeetingAttendance(deps, review.id, bot));
}
