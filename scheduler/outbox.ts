/**
 * The alert outbox: the durable list of alert occurrences owed, and where each one is on its way to
 * Teams. Two implementations (sqliteOutbox.ts, postgresOutbox.ts) keep one contract
 * (test/outbox.contract.test.ts).
 *
 * A row's life: queued → claimed (one instance holds a lease) → sending (an attempt has started: the
 * post may reach Teams from here on) → sent. A failed attempt goes to failed and is claimed again
 * after a backoff; a claim whose instance died is claimed again once its lease runs out. Rows never
 * sent end as skipped (a countdown superseded by today's) or withdrawn (the milestone was met, or the
 * review closed, before it could be posted). `attempts` counts attempts that reached 'sending', so a
 * claim with attempts > 0 is one whose earlier attempt may already have posted: the dispatcher asks
 * Teams (PostedActivityLookup) before posting again.
 */
import type { Person } from '../review/model';
import type { DueAlert } from './alerts';

export const outboxStatuses = [
  'queued',
  'claimed',
  'sending',
  'sent',
  'failed',
  'skipped',
  'withdrawn',
] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** What the row carries to Teams, stored as JSON. */
export interface AlertPayload {
  reference: string;
  text: string;
  mentions: Person[];
  recipient?: Person;
  link?: { title: string; url: string };
}

/** An alert occurrence owed (what the tick enqueued) and where it is on its way to Teams. */
export interface OutboxRow extends DueAlert {
  status: OutboxStatus;
  attempts: number;
  claimedBy: string | null;
  leaseUntil: Date | null;
  nextAttemptAt: Date;
  sentAt: Date | null;
  activityId: string | null;
  late: boolean;
  /** Why the last attempt failed, or why the row was skipped or withdrawn. */
  reason: string | null;
  createdAt: Date;
}

/** A row an instance holds a lease on. */
export type ClaimedAlert = Omit<OutboxRow, 'status' | 'claimedBy' | 'leaseUntil'> & {
  status: 'claimed';
  claimedBy: string;
  leaseUntil: Date;
};

export interface OutboxFilter {
  status?: OutboxStatus;
  reviewId?: string;
}

export type OutboxStats = Record<OutboxStatus, number> & { total: number; late: number };

export interface AlertOutbox {
  /**
   * Adds the alerts not already there (INSERT … ON CONFLICT (key) DO NOTHING), claimable from
   * `at`; returns how many were new. Telling it the same alert again is a no-op, whatever its row's
   * status, so every instance may enqueue everything it computes.
   */
  enqueue(alerts: readonly DueAlert[], at: Date): Promise<number>;
  /** Records alerts that will never be posted (superseded countdowns), unless already there. */
  recordSkipped(alerts: readonly DueAlert[], at: Date, reason: string): Promise<number>;
  /**
   * Atomically leases up to `limit` rows to `instanceId` until now + leaseMs: rows queued or failed
   * whose next attempt is due, and rows claimed or sending whose lease has run out. Two instances
   * claiming at once never get the same row.
   */
  claim(instanceId: string, now: Date, limit: number, leaseMs: number): Promise<ClaimedAlert[]>;
  /**
   * Records that an attempt starts (attempts + 1, lease renewed to now + leaseMs), only while
   * `instanceId` still holds an unexpired claim; false means the claim was lost and nothing may be
   * posted.
   */
  markSending(key: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** The row was posted; a second markSent of a sent row changes nothing. */
  markSent(key: string, activityId: string, sentAt: Date, late: boolean): Promise<void>;
  /** The attempt failed: the row is claimable again from `nextAttemptAt`. */
  markFailed(key: string, error: string, nextAttemptAt: Date): Promise<void>;
  /** Gives a claim back untouched (no attempt made), claimable again from `until`. */
  release(key: string, instanceId: string, until: Date, reason: string): Promise<void>;
  /** Ends a claimed row that must not be posted: 'skipped' or 'withdrawn', with why. */
  settle(key: string, instanceId: string, status: 'skipped' | 'withdrawn', reason: string): Promise<void>;
  get(key: string): Promise<OutboxRow | undefined>;
  list(filter?: OutboxFilter): Promise<OutboxRow[]>;
  stats(): Promise<OutboxStats>;
  close(): Promise<void>;
}

/**
 * Asks the place alerts are posted to whether an activity carrying this outbox key exists there,
 * and returns its id. It must read the destination itself (not a local note written after the post
 * returned), because the case it exists for is the instance that died after Teams accepted the post
 * and before anything was recorded locally.
 */
export interface PostedActivityLookup {
  /** The activity's id; undefined: not there; cannotTell: the destination cannot be read back. */
  findByKey(key: string): Promise<string | undefined | typeof cannotTell>;
}

/** What a look-up answers when the place posted to cannot be read (a 1:1 chat with the bot). */
export const cannotTell: unique symbol = Symbol('cannot tell');

/** Exponential backoff after the n-th failed attempt (n >= 1): base · 2^(n-1), at most `maxMs`. */
export function backoffMs(attempts: number, baseMs = 30_000, maxMs = 3_600_000): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(baseMs * 2 ** exponent, maxMs);
}

export function payloadOf(alert: DueAlert): AlertPayload {
  return {
    reference: alert.reference,
    text: alert.text,
    mentions: alert.mentions,
    ...(alert.recipient ? { recipient: alert.recipient } : {}),
    ...(alert.link ? { link: alert.link } : {}),
  };
}

/** The optional parts of a stored payload, back onto its row. */
export function payloadExtras(payload: AlertPayload): Pick<OutboxRow, 'recipient' | 'link'> {
  return {
    ...(payload.recipient ? { recipient: payload.recipient } : {}),
    ...(payload.link ? { link: payload.link } : {}),
  };
}

export function emptyStats(): OutboxStats {
  const stats = { total: 0, late: 0 } as OutboxStats;
  for (const status of outboxStatuses) stats[status] = 0;
  return stats;
}
