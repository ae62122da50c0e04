/**
 * The export of one review: everything the bot holds about it, decrypted, for a subject access request
 * or the reviewer of a Local Child Safeguarding Practice Review. Written as a JSON file named by the
 * reference only, readable by its owner alone, never over another file, and audited — an export whose
 * audit line could not be written is removed, since nobody could see it had been made.
 */
import { rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AuditEvent, Instant, Review } from './model';
import type { ReviewStore } from './store';

export const exportKind = 'rapid-review-export';

/** The document written for one review: its decisions first (what a reader looks for), then all of it. */
export function reviewExportDocument(review: Review, auditTrail: AuditEvent[], exportedAt: Instant) {
  return {
    kind: exportKind,
    reference: review.reference,
    exportedAt,
    note: 'Everything the bot holds about this review, decrypted. Special-category data: keep it as the review itself is kept.',
    decisions: {
      quorumDecision: review.quorumDecision ?? null,
      outcome: review.outcome ?? null,
      signOffs: review.signOffs,
      panelResponses: review.panelResponses ?? [],
    },
    reportParts: review.reportParts ?? {},
    review,
    auditTrail,
  };
}

/** A file name for an export made at `at`: the reference and the time, nothing else. */
export function exportFileName(reference: string, at: Instant): string {
  const stamp = at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${reference}-export-${stamp}.json`;
}

export interface WrittenExport {
  file: string;
  auditLines: number;
}

/**
 * Writes the export of `review` to `path` (which must not exist) and audits it with `actor`.
 * Throws, leaving no file, when either step fails.
 */
export async function writeReviewExport(
  store: Pick<ReviewStore, 'auditTrail' | 'appendAudit'>,
  review: Review,
  path: string,
  actor: AuditEvent['actor'],
  exportedAt: Instant,
): Promise<WrittenExport> {
  const auditTrail = await store.auditTrail(review.id);
  const document = reviewExportDocument(review, auditTrail, exportedAt);
  // 'wx': never over a file already there; 0600: readable by the account that runs the bot alone.
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  const file = basename(path);
  try {
    await store.appendAudit([
      {
        reviewId: review.id,
        at: exportedAt,
        actor,
        action: 'review.exported',
        detail: { file, auditLines: auditTrail.length },
      },
    ]);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { file, auditLines: auditTrail.length };
}
