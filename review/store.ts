/**
 * The one persistence port of the domain. Two implementations (SQLite, PostgreSQL) pass one
 * contract suite (test/store.contract.test.ts).
 *
 * A review is stored as one document plus a version, and its agencies' scoping returns as one row
 * each (so saving a return writes that row alone: `updateScopingReturn`); every other change goes
 * through `updateReview`, which
 * runs the caller's pure change function inside one transaction that holds the review's write lock,
 * so two writers to the same review never lose each other's update, and the audit lines of a change
 * are written in the same transaction as the change itself (nothing is half-saved).
 */
import type { AuditChainReport } from './auditChain';
import type { DirectoryChange, PartnershipDirectory } from './directory';
import type { AuditEvent, Instant, Review } from './model';

export type ChangeResult =
  | { ok: true; review: Review; audit: AuditEvent[] }
  /** A refused change saves nothing but its audit lines (refusals are audited too). */
  | { ok: false; reason: string; audit?: AuditEvent[] };

export type UpdateOutcome = { ok: true; review: Review } | { ok: false; reason: string };

export interface ReviewFilter {
  /** Only reviews whose state is not 'closed'. */
  openOnly?: boolean;
}

/** One page of reviews in id order, for readers that must not hold every review at once. */
export interface ReviewPage {
  /** Only reviews whose state is not 'closed'. */
  openOnly?: boolean;
  /** Start after this id (the last id of the previous page); from the first review when absent. */
  afterId?: string;
  /** Most reviews on the page (at least 1). */
  limit: number;
}

/**
 * The outcome of a saved change, a copy of the saved review made when first asked for: a caller that
 * goes on from its own change result (which the store saved with the next version) does not pay for
 * copying what may be a large document.
 */
export function savedOutcome(saved: Review): UpdateOutcome {
  let review: Review | undefined;
  return {
    ok: true,
    get review(): Review {
      review ??= JSON.parse(JSON.stringify(saved)) as Review;
      return review;
    },
  };
}

/** The page size asked for, or a RangeError: a zero or fractional limit is a caller's mistake. */
export function checkedPageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit: must be a whole number of at least 1 (got ${limit})`);
  }
  return limit;
}

/** A page of the open reviews whose alerts may be owed (see ReviewStore.listAlertsDue). */
export interface AlertsDuePage {
  /** Reviews due on or before this day ('YYYY-MM-DD', London). */
  dueBy: string;
  /** Start after this review (the last of the previous page); from the first when absent. */
  after?: { dueOn: string; id: string };
  /** Most reviews on the page (at least 1). */
  limit: number;
}

export interface AlertsDueReview {
  /**
   * The review as the alerts need it: its sealed parts (subject details, free text, the returns'
   * answers) are left out, not decrypted — no alert may show them.
   */
  review: Review;
  /** The day it is due ('' when it changed since its last sweep or was never swept). */
  dueOn: string;
  /** The last day whose alerts are all in the outbox, if any. */
  sweptOn?: string;
}

/** A review whose alerts up to `sweptOn` are all in the outbox, judged on `version`. */
export interface AlertSweep {
  id: string;
  version: number;
  sweptOn: string;
  /** The next day on which anything can be due. */
  dueOn: string;
}

/** How a re-sealing run (rotate-keys) is done and recorded. */
export interface ResealRun {
  /** Reviews per transaction (at least 1). */
  batchSize: number;
  actor: AuditEvent['actor'];
  at: Instant;
}

export interface ResealOutcome {
  /** Reviews read. */
  reviews: number;
  /** Reviews re-sealed under the current key (the others already were). */
  resealed: number;
  batches: number;
}

export class DuplicateReferenceError extends Error {
  constructor(reference: string) {
    super(`reference: ${reference} is already used by another review`);
    this.name = 'DuplicateReferenceError';
  }
}

export class ReviewNotFoundError extends Error {
  constructor(id: string) {
    super(`review ${id} does not exist`);
    this.name = 'ReviewNotFoundError';
  }
}

export interface ReviewStore {
  /** The partnership directory (empty, version 0, until first saved). */
  getDirectory(): Promise<PartnershipDirectory>;
  /**
   * Reads the directory under its write lock, applies `change` (pure), and saves it with its audit
   * lines in one transaction; a refused change saves only its audit lines.
   */
  updateDirectory(change: (current: PartnershipDirectory) => DirectoryChange): Promise<DirectoryChange>;
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  /** The highest migration applied (0 before any). */
  schemaVersion(): Promise<number>;
  /** Creates the review (version 1) with its audit lines in one transaction. */
  createReview(review: Review, audit: AuditEvent[]): Promise<Review>;
  getReview(id: string): Promise<Review | undefined>;
  findByReference(reference: string): Promise<Review | undefined>;
  findByChannel(channelId: string): Promise<Review | undefined>;
  /**
   * The id of the review findByChannel would return, without reading its document: deciding where a
   * card action was taken is on every turn's path, and a review with fifty agencies' returns is large.
   */
  reviewIdByChannel(channelId: string): Promise<string | undefined>;
  listReviews(filter?: ReviewFilter): Promise<Review[]>;
  /**
   * Up to `limit` reviews with ids after `afterId`, in ascending id order (the database's own order
   * of ids, the same from page to page). Read page after page, passing the last id of each page, until
   * a page comes back short; a review opened or closed meanwhile may or may not be on a later page,
   * but no review is ever on two pages.
   */
  listReviewPage(page: ReviewPage): Promise<Review[]>;
  /**
   * Reads the current review under its write lock, applies `change` (pure and synchronous), and saves
   * the result with version + 1 and its audit lines — or saves only the refusal's audit lines. The
   * outcome's review is the saved document, read back when first accessed.
   */
  updateReview(id: string, change: (current: Review) => ChangeResult): Promise<UpdateOutcome>;
  /**
   * Saves one agency's scoping return alone, under the review's write lock: `change` (pure and
   * synchronous) gets the review with only that agency's return in `scopingReturns` (the others are
   * not read), and may change only that return — the store writes that one row (refusing to replace a
   * revision other than the one read), the review's version + 1 and the audit lines, and neither reads
   * nor re-seals anything else. The outcome's review likewise holds only that return. `current` may
   * share its parts with other reads (the SQLite store freezes them): `change` must not alter it.
   */
  updateScopingReturn(
    id: string,
    agencyId: string,
    change: (current: Review) => ChangeResult,
  ): Promise<UpdateOutcome>;
  /**
   * Open reviews whose alerts may be owed by `dueBy`: never swept, changed since their last sweep, or
   * due again by that day — in (due day, id) order, a page at a time, read through an index, so a tick
   * reads only what can be due. A review swept meanwhile drops out of later pages.
   */
  listAlertsDue(page: AlertsDuePage): Promise<AlertsDueReview[]>;
  /**
   * Records sweeps, in one transaction: each review not due again until its `dueOn`. A review whose
   * version is no longer the one swept (it changed meanwhile) stays due.
   */
  markAlertsSwept(sweeps: AlertSweep[]): Promise<void>;
  /**
   * Records the fingerprint of a profile's alert settings; when it differs from the one recorded,
   * every open review of the profile is due again (in the same transaction). True when it differed.
   */
  recordAlertSettings(profileId: string, fingerprint: string): Promise<boolean>;
  /** Appends audit lines that record no change (e.g. a refused attempt by an outsider). */
  appendAudit(events: AuditEvent[]): Promise<void>;
  auditTrail(reviewId: string): Promise<AuditEvent[]>;
  /** Walks the whole audit trail's hash chain (review/auditChain.ts) and names the first broken line. */
  verifyAuditChain(): Promise<AuditChainReport>;
  /**
   * Re-seals, under the current key, every review with a field sealed by an older key or still in
   * clear: one transaction per batch, each re-sealed review audited ('data.resealed', key ids only).
   * The review's version is unchanged (its content is the same).
   */
  resealReviews(run: ResealRun): Promise<ResealOutcome>;
  /** Allocates the next reference for a year atomically: 'RR-2026-001', 'RR-2026-002', … */
  nextReference(year: number): Promise<string>;
  close(): Promise<void>;
}
