/**
 * The business unit's record-keeping commands in a review's channel: anchor dates as they become
 * known ("record sin 2026-12-03"), the Initial Case Discussion where the profile holds one ("icd ask
 * la, police; line of enquiry; …") and closing a review ("close Panel agreed no further review").
 */
import { recordedAnchorIssue } from '../../review/anchorDates';
import { closeReview, recordAnchor, type Actor } from '../../review/lifecycle';
import {
  agenciesAsked,
  initialCaseDiscussionRefusal,
  parseInitialCaseDiscussion,
  recordInitialCaseDiscussion,
} from '../../review/initialCaseDiscussion';
import { recordScopingPeriod } from '../../review/scopingPeriod';
import { civilDateInLondon, parseCivilDate } from '../../scheduler/civilDate';
import type { CardReply, Place } from './replies';
import type { FlowDeps } from './deps';
import { noticeReply } from './meetingChannel';
import { setUpReview } from './provisionReview';
import { refusalReply } from './presenters';
import { reviewStatusReply } from './status';

const anchorNames = { sin: 'sinSent', aware: 'aware', referral: 'referral' } as const;

export async function reviewRecordCommand(
  deps: FlowDeps,
  text: string,
  actor: Actor,
  place: Place,
  rawText = text,
): Promise<CardReply | undefined> {
  if (text === 'icd' || text.startsWith('icd ')) {
    if (place.kind !== 'review-channel') return refusalReply('Use this in the review’s own channel.');
    // The lines of enquiry keep their case: they are read as written.
    return initialCaseDiscussionReply(deps, place.reviewId, rawText.trim().slice(3).trim(), actor);
  }
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

/**
 * "icd [on DATE] ask AGENCIES; LINE; LINE…": the Initial Case Discussion, recorded in one step; the
 * review's set-up then carries on and sends "Form 2" with the lines of enquiry to the agencies named.
 */
async function initialCaseDiscussionReply(
  deps: FlowDeps,
  reviewId: string,
  args: string,
  actor: Actor,
): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const today = civilDateInLondon(deps.clock.now());
  const at = deps.clock.now().toISOString();
  const refused = initialCaseDiscussionRefusal(review, deps.profiles.get(review.profileId), actor);
  if (refused) return refusalReply(`The Initial Case Discussion is not recorded: ${refused}.`);
  const parsed = parseInitialCaseDiscussion(args, review, today);
  if (!parsed.ok) return refusalReply(`The Initial Case Discussion is not recorded: ${parsed.reason}.`);
  const result = await deps.store.updateReview(reviewId, (current) =>
    recordInitialCaseDiscussion(
      current,
      deps.profiles.get(current.profileId),
      parsed.input,
      actor,
      at,
      today,
    ),
  );
  if (!result.ok) return refusalReply(`The Initial Case Discussion is not recorded: ${result.reason}.`);
  const saved = result.review;
  deps.background.afterReply(() => setUpReview(deps, reviewId));
  const asked = agenciesAsked(saved);
  return noticeReply(
    saved,
    `The Initial Case Discussion is recorded: ${parsed.input.linesOfEnquiry.length} key lines of enquiry. ` +
      `I am sending the scoping requests with them to ${asked.length} agencies: ${asked.map((a) => a.name).join(', ')}.`,
  );
}
