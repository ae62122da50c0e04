/**
 * Quorum in the meeting chat: who is present for each statutory partner (from the bot's live view),
 * who is present but not on the register, and whether the partnership's rule is met. Only the chair
 * decides; the decision and who was present are posted into the review channel.
 */
import { quorumCard, quorumDecisionCard, type QuorumAssessment } from '../../cards/meetingCards';
import { partnerLabel } from '../../cards/cardText';
import { recordQuorumDecision, type Actor } from '../../review/lifecycle';
import { partnerRepresentativesNotSeen, quorumNow } from '../../review/quorumPresence';
import type { Person, Review } from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import type { CardReply } from './replies';
import { isBusinessUnit, type FlowDeps } from './deps';
import { noticeMessage, postInReviewChannel, reviewOfMeeting } from './meetingChannel';
import type { MeetingChat } from './meetingEvents';
import { refusalReply } from './presenters';

type Card = Record<string, unknown>;

export function assessQuorumNow(
  deps: FlowDeps,
  review: Review,
  profile: PartnershipProfile,
): QuorumAssessment {
  return quorumNow(review, profile, (person) => isBusinessUnit(deps.settings.businessUnit, person));
}

/**
 * Statutory partners' representatives the live view does not show as present. Someone who joined
 * before the bot was in the meeting chat sent it no join event; the Teams layer asks Teams about each.
 */
export async function representativesNotSeen(deps: FlowDeps, chat: MeetingChat): Promise<Person[]> {
  const review = await reviewOfMeeting(deps, chat);
  if (review?.meeting?.status !== 'booked') return [];
  return partnerRepresentativesNotSeen(
    review,
    deps.profiles.get(review.profileId).statutoryPartners.map((p) => p.kind),
  );
}

async function reviewFor(
  deps: FlowDeps,
  where: { reviewId?: string; chat?: MeetingChat },
): Promise<Review | undefined> {
  if (where.reviewId) return deps.store.getReview(where.reviewId);
  return where.chat ? reviewOfMeeting(deps, where.chat) : undefined;
}

/** "quorum": the live check, in the meeting chat (or the review channel). */
export async function quorumReply(
  deps: FlowDeps,
  where: { reviewId?: string; chat?: MeetingChat },
): Promise<CardReply> {
  const review = await reviewFor(deps, where);
  if (!review) return refusalReply('This chat is not the meeting of a Rapid Review I know.');
  if (!review.meeting || review.meeting.status === 'cancelled' || review.meeting.status === 'proposed') {
    return refusalReply('The review meeting is not booked yet.');
  }
  const profile = deps.profiles.get(review.profileId);
  return { card: quorumCard(review, profile, assessQuorumNow(deps, review, profile)) as Card };
}

/** quorum.confirm / quorum.notQuorate: the chair's decision, on the live view as it is now. */
export async function decideQuorum(
  deps: FlowDeps,
  reviewId: string,
  quorate: boolean,
  actor: Actor,
): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const profile = deps.profiles.get(review.profileId);
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) => {
    const assessment = assessQuorumNow(deps, current, profile);
    const decided = recordQuorumDecision(
      current,
      { quorate, present: assessment.present, missing: assessment.missing },
      actor,
      at,
    );
    // Who may decide is checked first, so anyone but the chair is told just that.
    if (!decided.ok || !quorate || assessment.quorate) return decided;
    const missing = assessment.missing.map((kind) => partnerLabel(profile, kind)).join(', ');
    return {
      ok: false,
      reason: `quorum cannot be confirmed: nobody for ${missing} is in the meeting. Wait for them, or record it as not quorate`,
      audit: [
        {
          reviewId,
          at,
          actor: actor.person,
          action: 'quorum.decided.refused',
          detail: { reason: 'rule not met', missing: assessment.missing },
        },
      ],
    };
  });
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  const decision = saved.quorumDecision;
  if (!decision) return refusalReply('The decision was not saved; please try again.');
  deps.log.info({ review: saved.reference, quorate }, 'quorum decided');
  const card = quorumDecisionCard(saved, decision, profile) as Card;
  await postInReviewChannel(deps, saved, { card });
  if (!quorate) {
    await postInReviewChannel(
      deps,
      saved,
      noticeMessage(
        saved,
        'The chair recorded the review meeting as not quorate: it cannot decide the outcome. Business unit: ' +
          'mention me with "reschedule meeting" to find a time each statutory partner can attend.',
        [],
        'warning',
      ),
    );
  }
  return { card };
}
