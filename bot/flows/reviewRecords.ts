/**
 * The business unit's record-keeping commands in a review's channel: anchor dates as they become
 * known ("record sin 2026-12-03") and closing a review ("close Panel agreed no further review").
 */
import { recordedAnchorIssue } from '../../review/anchorDates';
import { closeReview, recordAnchor, type Actor } from '../../review/lifecycle';
import { recordScopingPeriod } from '../../review/scopingPeriod';
import { civilDateInLondon, parseCivilDate } from '../../scheduler/civilDate';
import type { CardReply, Place } from './commands';
import type { FlowDeps } from './deps';
import { noticeReply } from './meetingChannel';
import { refusalReply } from './presenters';
import { reviewStatusReply } from './status';

const anchorNames = { sin: 'sinSent', aware: 'aware', referral: 'referral' } as const;

export async function reviewRecordCommand(
  deps: FlowDeps,
  text: string,
  actor: Actor,
  place: Place,
): Promise<CardReply | undefined> {
  const record = /^record (sin|aware|referral)(?: (.*))?$/.exec(text);
  const period = /^record scoping-period(?: (.*))?$/.exec(text);
  const close = /^close(?: (.*))?$/.exec(text);
  if (!record && !close && !period) return undefined;
  if (place.kind !== 'review-channel') return refusalReply('Use this in the review’s own channel.');
  const at = deps.clock.now().toISOString();
  if (period) {
    const [fromText = '', toText = '', ...extra] = (period[1] ?? '').trim().split(/\s+/);
    let from: string;
    let to: string;
    try {
      if (extra.length > 0) throw new Error(`unexpected '${extra.join(' ')}'`);
      from = parseCivilDate(fromText, 'from');
      to = parseCivilDate(toText, 'to');
    } catch (error) {
      return refusalReply(
        `${(error as Error).message}. For example: record scoping-period 2024-12-01 2026-11-30`,
      );
    }
    const today = civilDateInLondon(deps.clock.now());
    const result = await deps.store.updateReview(place.reviewId, (review) =>
      recordScopingPeriod(review, deps.profiles.get(review.profileId), { from, to }, actor, at, today),
    );
    if (!result.ok) return refusalReply(result.reason);
    return reviewStatusReply(deps, place.reviewId);
  }
  if (record) {
    let on: string;
    try {
      on = parseCivilDate(record[2] ?? '', record[1]);
    } catch (error) {
      return refusalReply(`${(error as Error).message}. For example: record ${record[1]} 2026-12-03`);
    }
    const anchor = anchorNames[record[1] as keyof typeof anchorNames];
    const today = civilDateInLondon(deps.clock.now());
    const result = await deps.store.updateReview(place.reviewId, (review) => {
      // The same rules as the opening form: nothing in the future, no impossible order.
      const issue = actor.businessUnit ? recordedAnchorIssue(review.anchors, anchor, on, today) : null;
      if (issue) {
        const refused = { reason: issue, anchor, on };
        return {
          ok: false,
          reason: issue,
          audit: [
            {
              reviewId: review.id,
              at,
              actor: actor.person,
              action: 'anchor.recorded.refused',
              detail: refused,
            },
          ],
        };
      }
      return recordAnchor(review, anchor, on, actor, at);
    });
    if (!result.ok) return refusalReply(result.reason);
    return reviewStatusReply(deps, place.reviewId);
  }
  const reason = close?.[1]?.trim();
  if (!reason)
    return refusalReply('Say why the review is closed, e.g. close Panel response received, no LCSPR.');
  const result = await deps.store.updateReview(place.reviewId, (review) =>
    closeReview(review, reason, actor, at),
  );
  if (!result.ok) return refusalReply(result.reason);
  return noticeReply(result.review, `The review is closed: ${reason}`);
}
