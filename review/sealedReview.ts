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
import type { AuditEvent, Review, ScopingReturn } from './model';
import type { AlertsDueReview, ResealRun } from './store';

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

/**
 * The review a stored document holds with every sealable slot left out (not decrypted): what the alert
 * tick reads, which never shows subject details or free text.
 */
export function openReviewWithoutSealed(doc: Doc): Review {
  return mapSlots(doc, () => undefined) as unknown as Review;
}

/** One stored return without its answers (not decrypted), for the alert tick. */
export function returnWithoutAnswers(stored: Doc): ScopingReturn {
  const { answers: _answers, ...rest } = stored;
  return rest as unknown as ScopingReturn;
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

/*
 * Scoping returns are stored one row per agency (migration 6), beside the review's document and not
 * in it, so saving one agency's return writes that row alone. A row's answers are sealed under the
 * same context they had inside the document (`<id>/scopingReturns/<agency>/answers`), so moving them
 * out needed no re-sealing.
 */

/** The context one agency's sealed answers are bound to. */
export function returnAnswersContext(reviewId: string, agencyId: string): string {
  return `${reviewId}/scopingReturns/${agencyId}/answers`;
}

/** The stored form of one agency's return: its answers sealed under the current key. */
export function sealReturn(reviewId: string, entry: ScopingReturn, cipher: FieldCipher): Doc {
  if (entry.answers === undefined) return { ...entry };
  return {
    ...entry,
    answers: cipher.seal(JSON.stringify(entry.answers), returnAnswersContext(reviewId, entry.agencyId)),
  };
}

/** One stored return as the review holds it; answers still in clear (never re-sealed) are read as they are. */
export function openReturn(reviewId: string, stored: Doc, cipher: FieldCipher): ScopingReturn {
  const answers = stored.answers;
  if (typeof answers !== 'string' || !answers.startsWith(sealedPrefix)) {
    return stored as unknown as ScopingReturn;
  }
  return {
    ...stored,
    answers: JSON.parse(cipher.open(answers, returnAnswersContext(reviewId, String(stored.agencyId)))),
  } as unknown as ScopingReturn;
}

/** The key a stored return's answers are sealed with; 'clear' when in clear, undefined with no answers. */
export function returnSealingKey(stored: Doc): string | undefined {
  if (stored.answers === undefined) return undefined;
  return sealedKeyId(stored.answers) ?? 'clear';
}

/** The review's document as stored: everything but the returns, which have rows of their own. */
export function sealReviewDocument(review: Review, cipher: FieldCipher): Doc {
  const { scopingReturns: _returns, ...rest } = review;
  return sealReview(rest as Review, cipher);
}

/** A return row to write: the agency's return and its place in the review's list. */
export interface ReturnRowWrite {
  entry: ScopingReturn;
  position: number;
}

/**
 * The rows a change must write: returns new or changed (content or place) since `before`, and the
 * agencies whose return is gone. A change that leaves the returns alone writes no row.
 */
export function returnRowChanges(
  before: readonly ScopingReturn[],
  after: readonly ScopingReturn[],
): { write: ReturnRowWrite[]; remove: string[] } {
  const previous = new Map(before.map((entry, position) => [entry.agencyId, { entry, position }]));
  const write: ReturnRowWrite[] = [];
  after.forEach((entry, position) => {
    const old = previous.get(entry.agencyId);
    if (
      old === undefined ||
      old.position !== position ||
      (old.entry !== entry && JSON.stringify(old.entry) !== JSON.stringify(entry))
    ) {
      write.push({ entry, position });
    }
  });
  const kept = new Set(after.map((entry) => entry.agencyId));
  const remove = before.filter((entry) => !kept.has(entry.agencyId)).map((entry) => entry.agencyId);
  return { write, remove };
}

/**
 * Whether a change given one agency's return touched nothing but that return: every other part of
 * the review is the same object (changes copy what they change), so the check costs no comparison of
 * content.
 */
export function changedOnlyReturn(current: Review, changed: Review): boolean {
  const keys = new Set([...Object.keys(current), ...Object.keys(changed)]);
  for (const key of keys) {
    if (key === 'scopingReturns' || key === 'version') continue;
    if ((current as unknown as Doc)[key] !== (changed as unknown as Doc)[key]) return false;
  }
  return true;
}

/**
 * The one return a change to an agency's return saved, checked to be all it changed: the store writes
 * that row alone, so anything else the change did would be silently lost.
 */
export function onlyReturnOf(id: string, agencyId: string, current: Review, changed: Review): ScopingReturn {
  if (changed.id !== id) {
    throw new Error(`a change to review ${id} returned review ${changed.id}: ids never change`);
  }
  const entry = changed.scopingReturns.find((r) => r.agencyId === agencyId);
  if (!entry || changed.scopingReturns.length !== 1 || !changedOnlyReturn(current, changed)) {
    throw new Error(`a change to the return of ${agencyId} in review ${id} changed more than that return`);
  }
  return entry;
}

/**
 * One review of an alerts-due page, from its stored row (the document already parsed) and its
 * returns without their answers: nothing sealed is opened, as no alert shows it.
 */
export function alertsDueReviewOf(
  row: { doc: Doc; version: number; alerts_due_on: string; alerts_swept_on: string | null },
  returns: ScopingReturn[],
): AlertsDueReview {
  const review = openReviewWithoutSealed(row.doc);
  review.version = row.version;
  review.scopingReturns = returns;
  return {
    review,
    dueOn: row.alerts_due_on,
    ...(row.alerts_swept_on === null ? {} : { sweptOn: row.alerts_swept_on }),
  };
}
