/**
 * The meeting, quorum and outcome commands and card verbs, by place. commands.ts asks these first and
 * falls back to its own; undefined means "not a meeting command".
 */
import { cardVerbs } from '../../cards/verbs';
import type { Actor } from '../../review/lifecycle';
import type { CardReply, Place } from './commands';
import type { FlowDeps } from './deps';
import { attendanceReply } from './meetingAttendance';
import { bookChosenSlot, cancelMeetingFlow, proposeMeetingReply } from './meetingBooking';
import { conversationIdOf } from './meetingChannel';
import {
  closeReviewReply,
  postReviewMeetingReply,
  reconveneReply,
  reportPartReply,
  reportSentReply,
  outcomeFormReply,
  recordEndorsementReply,
  recordPanelResponseReply,
  reportReply,
  signOffCardReply,
  signOffFlow,
  submitOutcomeFlow,
} from './outcome';
import { refusalReply } from './presenters';
import { decideQuorum, quorumReply } from './quorum';

const bookCommands = new Set([
  'meeting',
  'book meeting',
  'book a meeting',
  'book the meeting',
  'propose meeting',
]);
const rescheduleCommands = new Set([
  'reschedule',
  'reschedule meeting',
  'reschedule the meeting',
  'move meeting',
]);

/** The words after a command, from the text as typed (a reason keeps its case). */
function argumentAfter(rawText: string, words: number): string {
  return rawText.trim().split(/\s+/).slice(words).join(' ');
}

export async function meetingTextCommand(
  deps: FlowDeps,
  rawText: string,
  actor: Actor,
  place: Place,
  origin: unknown,
): Promise<CardReply | undefined> {
  const text = rawText.toLowerCase().replace(/\s+/g, ' ').trim();
  if (place.kind === 'meeting-chat') {
    const chat = { chatId: conversationIdOf(origin) };
    if (text === 'quorum') return quorumReply(deps, { chat });
    if (text === 'outcome') {
      // The meeting chat reaches people outside the review channel; the outcome holds case detail.
      return refusalReply('Record the outcome in the review’s own channel: mention me there with "outcome".');
    }
    return undefined;
  }
  if (place.kind !== 'review-channel') return undefined;
  const reviewId = place.reviewId;
  if (bookCommands.has(text) || rescheduleCommands.has(text))
    return proposeMeetingReply(deps, reviewId, actor);
  if (text === 'cancel meeting' || text.startsWith('cancel meeting ')) {
    return cancelMeetingFlow(deps, reviewId, argumentAfter(rawText, 2), actor);
  }
  if (text === 'attendance') return attendanceReply(deps, reviewId, actor);
  if (text === 'quorum') return quorumReply(deps, { reviewId });
  if (text === 'outcome') return outcomeFormReply(deps, reviewId, actor);
  if (text === 'sign-off' || text === 'sign off' || text === 'signoff')
    return signOffCardReply(deps, reviewId);
  let match: RegExpExecArray | null;
  if ((match = /^(?:record )?(?:endorsed|endorsement)(?: on)?(?: (\S+))?$/.exec(text))) {
    return recordEndorsementReply(deps, reviewId, match[1] ?? '', actor);
  }
  if (
    (match =
      /^(?:record )?panel response(?: (agrees|agreed|more-information|more information|national|national-review))?(?: on)?(?: (\S+))?$/.exec(
        text,
      ))
  ) {
    return recordPanelResponseReply(
      deps,
      reviewId,
      match[2] ?? '',
      actor,
      (match[1] ?? 'agrees').replace(' ', '-'),
    );
  }
  if ((match = /^(?:record )?report sent(?: on)?(?: (\S+))?$/.exec(text))) {
    return reportSentReply(deps, reviewId, match[1] ?? '', actor);
  }
  if ((match = /^report (summary|incident|episodes|practice|context)\b/.exec(text))) {
    return reportPartReply(deps, reviewId, match[1], argumentAfter(rawText, 2), actor);
  }
  if (text.startsWith('post meeting held')) {
    return postReviewMeetingReply(deps, reviewId, argumentAfter(rawText, 3), actor);
  }
  if (text === 'reconvene' || text.startsWith('reconvene ')) {
    return reconveneReply(deps, reviewId, argumentAfter(rawText, 1), actor);
  }
  if (text === 'close review' || text.startsWith('close review ')) {
    return closeReviewReply(deps, reviewId, argumentAfter(rawText, 2), actor);
  }
  if (text === 'report' || text === 'write report') return reportReply(deps, reviewId, actor);
  return undefined;
}

export async function meetingCardAction(
  deps: FlowDeps,
  verb: string,
  data: Record<string, unknown>,
  actor: Actor,
): Promise<CardReply | undefined> {
  const reviewId = typeof data.reviewId === 'string' ? data.reviewId : '';
  switch (verb) {
    case cardVerbs.meetingAccept:
    case cardVerbs.meetingPick:
      return bookChosenSlot(deps, data, actor);
    case cardVerbs.quorumConfirm:
      return decideQuorum(deps, reviewId, true, actor);
    case cardVerbs.quorumNotQuorate:
      return decideQuorum(deps, reviewId, false, actor);
    case cardVerbs.outcomeRecord:
      return submitOutcomeFlow(deps, data, actor);
    case cardVerbs.outcomeSignOff:
      return signOffFlow(deps, data, actor);
    default:
      return undefined;
  }
}
