/**
 * Which parts of a review are sealed at rest, and how a review document becomes its stored form and
 * back. Sealed: the subject's details (child, date of birth, address, family) and every free text
 * people type (scoping answers, report parts, the outcome's reasons, the post-meeting record, reasons
 * for reconvening and closing, the Initial Case Discussion's lines of enquiry). Left in clear: what the bot needs to find, schedule and list reviews
 * (reference, state, dates, agencies, people of the partnership, Teams ids) — none of it identifies
 * the child or family.
 *
 * Each sealed slot's context (review id + field path) is bound into its ciphertext, so a value moved
 * to another review or field does not open.
 */
import { sealedKeyId, sealedPrefix, type FieldCipher } from './fieldCipher';
import type { AuditEvent, Review } from './model';
import type { ResealRun } from './store';

type Doc = Record<string, unknown>;
type Slot = (value: unknown, context: string) => unknown;

const outcomeTexts = ['rationale', 'immediateActions', 'learning'] as const;
const postMeetingTexts = ['panelResponse', 'nextSteps', 'parentalEngagement'] as const;

function isRecord(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `doc` with each sealable slot replaced by `slot(value, context)`; the input is not changed. */
function mapSlots(doc: Doc, slot: Slot): Doc {
  const id = String(doc.id);
  const out: Doc = { ...doc };
  const apply = (value: unknown, path: string): unknown =>
    value === undefined ? undefined : slot(value, `${id}/${path}`);

  out.subject = apply(doc.subject, 'subject');
  if (doc.reportParts !== undefined) out.reportParts = apply(doc.reportParts, 'reportParts');
  if (Array.isArray(doc.scopingReturns)) {
    out.scopingReturns = doc.scopingReturns.map((entry: unknown) => {
      if (!isRecord(entry) || entry.answers === undefined) return entry;
      return { ...entry, answers: apply(entry.answers, `scopingReturns/${String(entry.agencyId)}/answers`) };
    });
  }
  for (const [key, fields] of [
    ['outcome', outcomeTexts],
    ['postReviewMeeting', postMeetingTexts],
  ] as const) {
    const part = doc[key];
    if (!isRecord(part)) continue;
    const copy: Doc = { ...part };
    for (const field of fields) {
      if (part[field] !== undefined) copy[field] = apply(part[field], `${key}/${field}`);
    }
    out[key] = copy;
  }
  if (Array.isArray(doc.reconvenings)) {
    out.reconvenings = doc.reconvenings.map((entry: unknown, index: number) =>
      isRecord(entry) && entry.reason !== undefined
        ? { ...entry, reason: apply(entry.reason, `reconvenings/${index}/reason`) }
        : entry,
    );
  }
  if (isRecord(doc.initialCaseDiscussion) && doc.initialCaseDiscussion.linesOfEnquiry !== undefined) {
    out.initialCaseDiscussion = {
      ...doc.initialCaseDiscussion,
      linesOfEnquiry: apply(doc.initialCaseDiscussion.linesOfEnquiry, 'initialCaseDiscussion/linesOfEnquiry'),
    };
  }
  if (isRecord(doc.meeting) && doc.meeting.cancellationReason !== undefined) {
    out.meeting = {
      ...doc.meeting,
      cancellationReason: apply(doc.meeting.cancellationReason, 'meeting/cancellationReason'),
    };
  }
  if (isRecord(doc.closure) && doc.closure.reason !== undefined) {
    out.closure = { ...doc.closure, reason: apply(doc.closure.reason, 'closure/reason') };
  }
  if (out.subject === undefined) delete out.subject;
  return out;
}

/** The stored form of a review: every sealable slot sealed under the current key. */
export function sealReview(review: Review, cipher: FieldCipher): Doc {
  return mapSlots(review as unknown as Doc, (value, context) => cipher.seal(JSON.stringify(value), context));
}

/**
 * The review a stored document holds. A slot still in clear (written before encryption existed, and
 * not yet re-sealed by rotate-keys) is read as it is; a sealed slot that does not open throws.
 */
export function openReview(doc: Doc, cipher: FieldCipher): Review {
  return mapSlots(doc, (value, context) =>
    typeof value === 'string' && value.startsWith(sealedPrefix)
      ? (JSON.parse(cipher.open(value, context)) as unknown)
      : value,
  ) as unknown as Review;
}

/** The key ids the stored document's slots are sealed with; 'clear' for a slot not sealed at all. */
export function sealingKeys(doc: Doc): Set<string> {
  const keys = new Set<string>();
  mapSlots(doc, (value) => {
    keys.add(sealedKeyId(value) ?? 'clear');
    return value;
  });
  return keys;
}

/**
 * The keys ('clear' for none) a stored document has slots under other than the current key, sorted;
 * undefined when it is wholly sealed under the current key and needs no re-sealing.
 */
export function resealFrom(doc: Doc, cipher: FieldCipher): string[] | undefined {
  const others = [...sealingKeys(doc)].filter((key) => key !== cipher.currentKeyId).sort();
  return others.length > 0 ? others : undefined;
}

/** The audit line of one re-sealed review: key ids only. */
export function resealAudit(reviewId: string, run: ResealRun, from: string[], to: string): AuditEvent {
  return { reviewId, at: run.at, actor: run.actor, action: 'data.resealed', detail: { from, to } };
}
