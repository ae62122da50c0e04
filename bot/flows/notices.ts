/**
 * Notices to the roles a profile names, at the start of a review, its outcome and the National
 * Panel's response (review/notices.ts says who and what). Each goes to the role's own channel where
 * one is configured, else to the business unit's channel to pass on; it names the review by
 * reference only, is recorded only after its post succeeded, and is sent once: a later run (the
 * upkeep timer) sends only what is still owed.
 */
import { recordNoticeSent } from '../../review/lifecycle';
import { noticeEvents, type NoticeEvent, type Review } from '../../review/model';
import { noticePlace, noticesOwed, noticeText } from '../../review/notices';
import type { FlowDeps } from './deps';
import { noticeMessage } from './meetingChannel';

export interface NoticesResult {
  sent: string[];
  /** Roles with no place to be told, or whose post failed: owed, tried again by the upkeep timer. */
  notSent: string[];
}

export function sendNotices(deps: FlowDeps, reviewId: string, event: NoticeEvent): Promise<NoticesResult> {
  // Two runs at once (the reply's follow-up and the upkeep timer) could post the same notice twice.
  return deps.background.oneAtATime(`notices:${reviewId}:${event}`, () =>
    sendNoticesNow(deps, reviewId, event),
  );
}

async function sendNoticesNow(deps: FlowDeps, reviewId: string, event: NoticeEvent): Promise<NoticesResult> {
  const result: NoticesResult = { sent: [], notSent: [] };
  const review = await deps.store.getReview(reviewId);
  if (!review) return result;
  const owed = noticesOwed(review, deps.profiles.get(review.profileId), event);
  for (const role of owed) {
    const place = noticePlace(role, deps.settings);
    if (!place) {
      result.notSent.push(role);
      continue;
    }
    const text = noticeText(review.reference, role, event, place.via === 'business-unit-channel');
    try {
      // By reference only: the pseudonym too stays in the review's own places.
      await deps.messenger.startThread(
        place.channelId,
        noticeMessage({ reference: review.reference, pseudonym: review.reference }, text),
      );
    } catch (error) {
      deps.log.warn(
        { review: review.reference, event, err: { message: (error as Error).message } },
        'notice not posted',
      );
      result.notSent.push(role);
      continue;
    }
    const at = deps.clock.now().toISOString();
    const saved = await deps.store.updateReview(reviewId, (current) =>
      recordNoticeSent(current, { event, role, via: place.via }, at),
    );
    if (saved.ok) result.sent.push(role);
  }
  if (result.notSent.length > 0) {
    deps.log.warn({ review: review.reference, event, roles: result.notSent.length }, 'notices owed');
  }
  return result;
}

/**
 * Sends what a review (as just read) still owes and has a place for, for the upkeep timer: a post
 * that failed is tried again on its next run. Reads nothing more for a review that owes nothing.
 */
export async function sendOwedNotices(deps: FlowDeps, review: Review): Promise<string[]> {
  const profile = deps.profiles.get(review.profileId);
  const sent: string[] = [];
  for (const event of noticeEvents) {
    const owed = noticesOwed(review, profile, event).filter((role) => noticePlace(role, deps.settings));
    if (owed.length > 0) sent.push(...(await sendNotices(deps, review.id, event)).sent);
  }
  return sent;
}
