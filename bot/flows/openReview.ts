/**
 * Opening a review: the business unit's form, validated on the server, saved in one transaction with
 * its audit line, then set up in Teams in the background (the card action must be answered within
 * five seconds; provisioning is resumable, so a failure there is finished on the next start).
 */
import { randomUUID } from 'node:crypto';
import { openReview, recordTeamspace, type Actor } from '../../review/lifecycle';
import { DuplicateReferenceError } from '../../review/store';
import { civilDateInLondon } from '../../scheduler/civilDate';
import type { CardReply } from './commands';
import type { FlowDeps } from './deps';
import { openReviewFormCard, openReviewSubmittedReply, parseOpenReview, refusalReply } from './presenters';
import { provisionReview } from './provisionReview';
import { afterReply } from './background';
import { postMeetingProposal } from './meetingBooking';

export async function suggestedReference(deps: FlowDeps): Promise<string> {
  const year = deps.clock.now().getUTCFullYear();
  const used = (await deps.store.listReviews())
    .map((r) => /^RR-(\d{4})-(\d+)$/.exec(r.reference))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) === year)
    .map((m) => Number(m[2]));
  const next = used.length === 0 ? 1 : Math.max(...used) + 1;
  return `RR-${year}-${String(next).padStart(3, '0')}`;
}

export async function openReviewFormReply(deps: FlowDeps, _actor: Actor): Promise<CardReply> {
  return {
    card: openReviewFormCard(deps, {
      reference: await suggestedReference(deps),
      today: civilDateInLondon(deps.clock.now()),
    }),
  };
}

export async function submitOpenReview(
  deps: FlowDeps,
  values: Record<string, unknown>,
  actor: Actor,
  origin: unknown,
): Promise<CardReply> {
  if (!actor.businessUnit)
    return refusalReply('Only the safeguarding partnership’s business unit can open a review.');
  const now = deps.clock.now();
  const today = civilDateInLondon(now);
  const parsed = parseOpenReview(values, today, deps);
  if (!parsed.ok) return { card: openReviewFormCard(deps, { values, errors: parsed.errors, today }) };

  const opened = openReview({ ...parsed.value, id: randomUUID() }, actor, now.toISOString());
  if (!opened.ok)
    return { card: openReviewFormCard(deps, { values, errors: { form: opened.reason }, today }) };
  const withOrigin = recordTeamspace(
    opened.review,
    { originReference: origin },
    now.toISOString(),
    'origin.recorded',
  );
  if (!withOrigin.ok) return refusalReply(withOrigin.reason);
  try {
    await deps.store.createReview(withOrigin.review, opened.audit);
  } catch (error) {
    if (error instanceof DuplicateReferenceError) {
      return { card: openReviewFormCard(deps, { values, errors: { reference: error.message }, today }) };
    }
    throw error;
  }
  const review = withOrigin.review;
  deps.log.info({ review: review.reference, agencies: review.agencies.length }, 'review opened');

  afterReply(() =>
    provisionReview(deps, review.id)
      .then(async (ready) => {
        await deps.messenger.post(origin, {
          text: `${ready.reference} is ready: its restricted channel is set up and ${ready.agencies.length} scoping requests are out.`,
        });
        // The meeting is set as soon as the scoping requests are out: propose a slot straight away.
        // A failure here is not a failure to open the review; "book meeting" proposes again.
        if (deps.settings.chair) {
          await postMeetingProposal(deps, ready.id).catch((error: unknown) =>
            deps.log.warn(
              { review: ready.reference, err: { message: (error as Error).message } },
              'no proposal',
            ),
          );
        }
      })
      .catch(async (error: unknown) => {
        deps.log.warn(
          { review: review.reference, err: { message: (error as Error).message } },
          'provisioning paused',
        );
        await deps.messenger
          .post(origin, {
            text: `${review.reference} is saved, but setting up its channel did not finish. I will resume it automatically.`,
          })
          .catch(() => undefined);
      }),
  );
  return openReviewSubmittedReply(review);
}
