/**
 * The alert outbox in PostgreSQL (migration 2 creates its table), for more than one instance. Every
 * change is one statement, so each is atomic on its own; a claim picks its rows with
 * FOR UPDATE SKIP LOCKED inside the UPDATE, so instances claiming at once take disjoint rows without
 * waiting for each other.
 */
import type { Pool } from 'pg';
import type { DueAlert } from './alerts';
import {
  emptyStats,
  payloadExtras,
  payloadOf,
  type AlertOutbox,
  type AlertPayload,
  type ClaimedAlert,
  type OutboxFilter,
  type OutboxRow,
  type OutboxStats,
  type OutboxStatus,
} from './outbox';

interface Row {
  key: string;
  review_id: string;
  kind: string;
  target: string;
  due_on: string;
  payload: AlertPayload;
  status: string;
  attempts: number;
  claimed_by: string | null;
  lease_until: Date | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  activity_id: string | null;
  late: boolean;
  reason: string | null;
  created_at: Date;
}

// due_on is read as text: node-postgres would turn a date into a Date at local midnight, which in
// any zone west of UTC is the day before.
const columns = `key, review_id, kind, target, to_char(due_on, 'YYYY-MM-DD') AS due_on, payload, status,
  attempts, claimed_by, lease_until, next_attempt_at, sent_at, activity_id, late, reason, created_at`;

export class PostgresOutbox implements AlertOutbox {
  /**
   * `pool` is usually the review store's (PostgresStore.pool), so the outbox lives in the same schema;
   * the outbox closes it only when `ownsPool` says it opened it.
   */
  constructor(
    readonly pool: Pool,
    private readonly ownsPool = false,
  ) {}

  async enqueue(alerts: readonly DueAlert[], at: Date): Promise<number> {
    return this.insert(alerts, at, 'queued', null);
  }

  async recordSkipped(alerts: readonly DueAlert[], at: Date, reason: string): Promise<number> {
    return this.insert(alerts, at, 'skipped', reason);
  }

  async claim(instanceId: string, now: Date, limit: number, leaseMs: number): Promise<ClaimedAlert[]> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE alert_outbox SET status = 'claimed', claimed_by = $1, lease_until = $2
       WHERE key IN (
         SELECT key FROM alert_outbox
         WHERE (status IN ('queued', 'failed') AND next_attempt_at <= $3)
            OR (status IN ('claimed', 'sending') AND lease_until <= $3)
         ORDER BY due_on, next_attempt_at, key
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING ${columns}`,
      [instanceId, new Date(now.getTime() + leaseMs), now, limit],
    );
    return rows
      .map((row) => toOutboxRow(row) as ClaimedAlert)
      .sort((a, b) => (a.dueOn === b.dueOn ? (a.key < b.key ? -1 : 1) : a.dueOn < b.dueOn ? -1 : 1));
  }

  async markSending(key: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, lease_until = $4
       WHERE key = $1 AND status = 'claimed' AND claimed_by = $2 AND lease_until > $3`,
      [key, instanceId, now, new Date(now.getTime() + leaseMs)],
    );
    return result.rowCount === 1;
  }

  async markSent(key: string, activityId: string, sentAt: Date, late: boolean): Promise<void> {
    await this.pool.query(
      `UPDATE alert_outbox SET status = 'sent', activity_id = $2, sent_at = $3, late = $4, claimed_by = NULL,
         lease_until = NULL, reason = NULL
       WHERE key = $1 AND status <> 'sent'`,
      [key, activityId, sentAt, late],
    );
  }

  async markFailed(key: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.pool.query(
      `UPDATE alert_outbox SET status = 'failed', reason = $2, next_attempt_at = $3, claimed_by = NULL,
         lease_until = NULL
       WHERE key = $1 AND status IN ('claimed', 'sending')`,
      [key, error.slice(0, 500), nextAttemptAt],
    );
  }

  async release(key: string, instanceId: string, until: Date, reason: string): Promise<void> {
    await this.pool.query(
      `UPDATE alert_outbox SET status = CASE WHEN attempts > 0 THEN 'failed' ELSE 'queued' END,
         next_attempt_at = $3, reason = $4, claimed_by = NULL, lease_until = NULL
       WHERE key = $1 AND status = 'claimed' AND claimed_by = $2`,
      [key, instanceId, until, reason.slice(0, 500)],
    );
  }

  async settle(
    key: string,
    instanceId: string,
    status: 'skipped' | 'withdrawn',
    reason: string,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE alert_outbox SET status = $3, reason = $4, claimed_by = NULL, lease_until = NULL
       WHERE key = $1 AND status = 'claimed' AND claimed_by = $2`,
      [key, instanceId, status, reason.slice(0, 500)],
    );
  }

  async get(key: string): Promise<OutboxRow | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${columns} FROM alert_outbox WHERE key = $1`, [key]);
    return rows[0] && toOutboxRow(rows[0]);
  }

  async list(filter: OutboxFilter = {}): Promise<OutboxRow[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${columns} FROM alert_outbox
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR review_id = $2)
       ORDER BY due_on, key`,
      [filter.status ?? null, filter.reviewId ?? null],
    );
    return rows.map(toOutboxRow);
  }

  async stats(): Promise<OutboxStats> {
    const { rows } = await this.pool.query<{ status: OutboxStatus; n: number; late: number }>(
      `SELECT status, COUNT(*)::int AS n, COUNT(*) FILTER (WHERE late)::int AS late
       FROM alert_outbox GROUP BY status`,
    );
    const stats = emptyStats();
    for (const row of rows) {
      stats[row.status] = row.n;
      stats.total += row.n;
      stats.late += row.late;
    }
    return stats;
  }

  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended && !this.pool.ending) await this.pool.end();
  }

  private async insert(
    alerts: readonly DueAlert[],
    at: Date,
    status: OutboxStatus,
    reason: string | null,
  ): Promise<number> {
    if (alerts.length === 0) return 0;
    // One statement for the whole batch: a tick over thousands of reviews is one round trip.
    // Sorted by key, so two instances inserting overlapping batches take the key locks in one order.
    const rows = [...alerts]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((alert) => ({
        key: alert.key,
        review_id: alert.reviewId,
        kind: alert.kind,
        target: alert.target,
        due_on: alert.dueOn,
        payload: payloadOf(alert),
      }));
    const result = await this.pool.query(
      `INSERT INTO alert_outbox (key, review_id, kind, target, due_on, payload, status, next_attempt_at,
         reason, created_at)
       SELECT r.key, r.review_id, r.kind, r.target, r.due_on, r.payload, $2, $3, $4, $3
       FROM jsonb_to_recordset($1::jsonb)
         AS r(key text, review_id text, kind text, target text, due_on date, payload jsonb)
       ON CONFLICT (key) DO NOTHING`,
      [JSON.stringify(rows), status, at, reason],
    );
    return result.rowCount ?? 0;
  }
}

function toOutboxRow(row: Row): OutboxRow {
  return {
    key: row.key,
    reviewId: row.review_id,
    reference: row.payload.reference,
    kind: row.kind as OutboxRow['kind'],
    target: row.target as OutboxRow['target'],
    dueOn: row.due_on,
    text: row.payload.text,
    mentions: row.payload.mentions,
    ...payloadExtras(row.payload),
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    claimedBy: row.claimed_by,
    leaseUntil: row.lease_until,
    nextAttemptAt: row.next_attempt_at,
    sentAt: row.sent_at,
    activityId: row.activity_id,
    late: row.late,
    reason: row.reason,
    createdAt: row.created_at,
  };
}
