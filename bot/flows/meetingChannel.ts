/**
 * What the meeting, quorum and outcome flows say in the review's own channel, and how they find a
 * review from the meeting chat. A message to the channel is a side effect after a saved change: a
 * failure to post is logged and never undoes what was saved.
 */
import { alertCard } from '../../cards/conversationCards';
import type { Person, Review } from '../../review/model';
import type { OutgoingMessage } from '../../review/ports';
import type { CardReply } from './replies';
import type { FlowDeps } from './deps';

/** A short informational card headed by the review's reference and pseudonym only. */
export function noticeReply(review: Pick<Review, 'reference' | 'pseudonym'>, text: string): CardReply {
  return { card: alertCard({ review, text, mentions: [] }) as Record<string, unknown> };
}

export function noticeMessage(
  review: Pick<Review, 'reference' | 'pseudonym'>,
  text: string,
  mentions: Person[] = [],
  severity: 'info' | 'warning' | 'overdue' = 'info',
): OutgoingMessage {
  return { card: alertCard({ review, text, mentions, severity }) as Record<string, unknown> };
}

export async function postInReviewChannel(
  deps: FlowDeps,
  review: Review,
  message: OutgoingMessage,
): Promise<boolean> {
  const reference = review.teamspace.conversationReference;
  if (!reference) {
    deps.log.warn({ review: review.reference }, 'review channel not set up yet; message not posted');
    return false;
  }
  try {
    await deps.messenger.post(reference, message);
    return true;
  } catch (error) {
    deps.log.warn(
      { review: review.reference, err: { message: (error as Error).message } },
      'posting to the review channel failed',
    );
    return false;
  }
}

/** The chat a Bot Framework conversation reference points at (the meeting chat's thread id). */
export function conversationIdOf(origin: unknown): string | undefined {
  if (!origin || typeof origin !== 'object') return undefined;
  const conversation = (origin as { conversation?: { id?: unknown } }).conversation;
  return typeof conversation?.id === 'string' ? conversation.id : undefined;
}

/**
 * The open review whose booked meeting uses this chat (or join link). The store has no index on it;
 * open reviews are few, so a scan is enough.
 */
export async function reviewOfMeeting(
  deps: FlowDeps,
  meeting: { chatId?: string; joinUrl?: string },
): Promise<Review | undefined> {
  if (!meeting.chatId && !meeting.joinUrl) return undefined;
  const reviews = await deps.store.listReviews({ openOnly: true });
  const live = reviews.filter((r) => r.meeting && r.meeting.status !== 'cancelled');
  return (
    (meeting.chatId ? live.find((r) => r.meeting?.chatId === meeting.chatId) : undefined) ??
    (meeting.joinUrl ? live.find((r) => sameJoinUrl(r.meeting?.joinUrl, meeting.joinUrl)) : undefined)
  );
}

function decodedFully(url: string): string {
  let current = url;
  for (let i = 0; i < 3; i += 1) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      current = next;
    } catch {
      break;
    }
  }
  return current.toLowerCase();
}

/** Join links arrive encoded differently by Graph and by Teams events. */
export function sameJoinUrl(a: string | undefined, b: string | undefined): boolean {
  return Boolean(a && b && decodedFully(a) === decodedFully(b));
}
