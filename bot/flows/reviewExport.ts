/**
 * `export` in a review's channel: the business unit asks for everything held about the review as one
 * file (a subject access request, the LCSPR reviewer). The file goes to the partnership's secure
 * reports folder, never into Teams: the channel is told its name, which carries the reference only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../../review/lifecycle';
import { exportFileName, writeReviewExport } from '../../review/reviewExport';
import type { CardReply, Place } from './replies';
import type { FlowDeps } from './deps';
import { noticeReply } from './meetingChannel';
import { defaultReportsDir } from './outcome';
import { refusalReply } from './presenters';
import { refuseAttempt } from './refusals';

export async function exportReviewReply(
  deps: FlowDeps,
  reviewId: string,
  actor: Actor,
  place: Place,
): Promise<CardReply> {
  if (!actor.businessUnit) {
    return refuseAttempt(
      deps,
      { actor, action: 'review.export', code: 'not-business-unit', place: place.kind, reviewId },
      'Only the business unit exports a review.',
    );
  }
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const dir = deps.settings.reportsDir ?? defaultReportsDir;
  const at = deps.clock.now().toISOString();
  try {
    await fs.mkdir(dir, { recursive: true });
    const written = await writeReviewExport(
      deps.store,
      review,
      path.join(dir, exportFileName(review.reference, at)),
      actor.person,
      at,
    );
    return noticeReply(
      review,
      `Everything held about ${review.reference} is exported to the secure reports folder as ${written.file} ` +
        `(the review, its decisions and ${written.auditLines} audit line(s)). It holds the child's details: ` +
        'keep it as the review itself is kept. The export is in the audit trail.',
    );
  } catch (error) {
    deps.log.warn({ err: { name: (error as Error).name }, review: review.reference }, 'export failed');
    return refusalReply(
      'The export could not be written; nothing was kept. Try again, or ask the administrator.',
    );
  }
}
