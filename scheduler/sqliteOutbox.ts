/**
 * The alert outbox in the SQLite file the review store uses (migration 2 creates its table). Each
 * instance opens its own connection to the file (or shares the store's handle); every change is one
 * statement inside an IMMEDIATE transaction, which takes SQLite's write lock before reading, so two
 * connections claiming at once queue on the lock and never lease the same row.
 */
import Database from 'better-sqlite3';
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
  payload: string;
  status: string;
  attempts: number;
  claimed_by: string | null;
  lease_until: string | null;
  next_attempt_at: string;
  sent_at: string | null;
  activity_id: string | null;
  late: number;
  reason: string | null;
  created_at: string;
}

export interface SqliteOutboxOptions {
  /** The database file the review store uses; the outbox opens its own connection to it. */
  path?: string;
  /** Or an open connection (e.g. SqliteStore.database), which the outbox then does not close. */
  database?: Database.Database;
}

export function openSqliteOutbox(options: SqliteOutboxOptions): SqliteOutbox {
  if (options.database) return new SqliteOutbox(options.database, false);
  if (!options.path) throw new Error('path: the SQLite file of the review store is required');
  const database = new Database(options.path);
  try {
    database.pragma('journal_mode = WAL');
    // Several instances share the file: a writer waits for the lock rather than failing.
    database.pragma('busy_timeout = 5000');
  } catch (error) {
    database.close();
    throw error;
  }
  return new SqliteOutbox(database, true);
}

const columns = `key, review_id, kind, target, due_on, payload, status, attempts, claimed_by, lease_until,
  next_attempt_at, sent_at, activity_id, late, reason, created_at`;

export class SqliteOutbox implements AlertOutbox {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly database: Database.Database,
    private readonly ownsDatabase: boolean,
  ) {}

  async enqueue(alerts: readonly DueAlert[], at: Date): Promise<number> {
    return this.insert(alerts, at, 'queued', null);
  }

  async recordSkipped(alerts: readonly DueAlert[], at: Date, reason: string): Promise<number> {
    return this.insert(alerts, at, 'skipped', reason);
  }

  async claim(instanceId: string, now: Date, limit: number, leaseMs: number): Promise<ClaimedAlert[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const rows = this.database
      .transaction(
        () =>
          this.statement(
            `UPDATE alert_outbox SET status = 'claimed', claimed_by = ?, lease_until = ?
             WHERE key IN (
               SELECT key FROM alert_outbox
               WHERE (status IN ('queued', 'failed') AND next_attempt_at <= ?)
                  OR (status IN ('claimed', 'sending') AND lease_until <= ?)
               ORDER BY due_on, next_attempt_at, key
               LIMIT ?)
             RETURNING ${columns}`,
          ).all(instanceId, until, at, at, limit) as Row[],
      )
      .immediate();
    return rows
      .map((row) => toOutboxRow(row) as ClaimedAlert)
      .sort((a, b) => (a.dueOn === b.dueOn ? (a.key < b.key ? -1 : 1) : a.dueOn < b.dueOn ? -1 : 1));
  }

  async markSending(key: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean> {
    const result = this.write(
      `UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, lease_until = ?
       WHERE key = ? AND status = 'claimed' AND claimed_by = ? AND lease_until > ?`,
      new Date(now.getTime() + leaseMs).toISOString(),
      key,
      instanceId,
      now.toISOString(),
    );
    return result.changes === 1;
  }

  async markSent(key: string, activityId: string, sentAt: Date, late: boolean): Promise<void> {
    this.write(
      `UPDATE alert_outbox SET status = 'sent', activity_id = ?, sent_at = ?, late = ?, claimed_by = NULL,
         lease_until = NULL, reason = NULL
       WHERE key = ? AND status <> 'sent'`,
      activityId,
      sentAt.toISOString(),
      late ? 1 : 0,
      key,
    );
  }

  async markFailed(key: string, error: string, nextAttemptAt: Date): Promise<void> {
    this.write(
      `UPDATE alert_outbox SET status = 'failed', reason = ?, next_attempt_at = ?, claimed_by = NULL,
         lease_until = NULL
       WHERE key = ? AND status IN ('claimed', 'sending')`,
      error.slice(0, 500),
      nextAttemptAt.toISOString(),
      key,
    );
  }

  async release(key: string, instanceId: string, until: Date, reason: string): Promise<void> {
    // Back to the status it had before this claim: a row that failed before stays 'failed', so the
    // attempts it made still count for its backoff and its reconciliation.
    this.write(
      `UPDATE alert_outbox SET status = CASE WHEN attempts > 0 THEN 'failed' ELSE 'queued' END,
         next_attempt_at = ?, reason = ?, claimed_by = NULL, lease_until = NULL
       WHERE key = ? AND status = 'claimed' AND claimed_by = ?`,
      until.toISOString(),
      reason.slice(0, 500),
      key,
      instanceId,
    );
  }

  async settle(
    key: string,
    instanceId: string,
    status: 'skipped' | 'withdrawn',
    reason: string,
  ): Promise<void> {
    this.write(
      `UPDATE alert_outbox SET status = ?, reason = ?, claimed_by = NULL, lease_until = NULL
       WHERE key = ? AND status = 'claimed' AND claimed_by = ?`,
      status,
      reason.slice(0, 500),
      key,
      instanceId,
    );
  }

  async get(key: string): Promise<OutboxRow | undefined> {
    const row = this.statement(`SELECT ${columns} FROM alert_outbox WHERE key = ?`).get(key) as
      Row | undefined;
    return row && toOutboxRow(row);
  }

  async list(filter: OutboxFilter = {}): Promise<OutboxRow[]> {
    const rows = this.statement(
      `SELECT ${columns} FROM alert_outbox
       WHERE (@status IS NULL OR status = @status) AND (@reviewId IS NULL OR review_id = @reviewId)
       ORDER BY due_on, key`,
    ).all({ status: filter.status ?? null, reviewId: filter.reviewId ?? null }) as Row[];
    return rows.map(toOutboxRow);
  }

  async stats(): Promise<OutboxStats> {
    const rows = this.statement(
      'SELECT status, COUNT(*) AS n, SUM(late) AS late FROM alert_outbox GROUP BY status',
    ).all() as { status: OutboxStatus; n: number; late: number | null }[];
    const stats = emptyStats();
    for (const row of rows) {
      stats[row.status] = row.n;
      stats.total += row.n;
      stats.late += row.late ?? 0;
    }
    return stats;
  }

  async close(): Promise<void> {
    if (this.ownsDatabase && this.database.open) this.database.close();
  }

  private insert(alerts: readonly DueAlert[], at: Date, status: OutboxStatus, reason: string | null): number {
    if (alerts.length === 0) return 0;
    const insert = this.statement(
      `INSERT INTO alert_outbox (key, review_id, kind, target, due_on, payload, status, next_attempt_at,
         reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    const when = at.toISOString();
    return this.database
      .transaction(() => {
        let added = 0;
        for (const alert of alerts) {
          added += insert.run(
            alert.key,
            alert.reviewId,
            alert.kind,
            alert.target,
            alert.dueOn,
            JSON.stringify(payloadOf(alert)),
            status,
            when,
            reason,
            when,
          ).changes;
        }
        return added;
      })
      .immediate();
  }

  private write(sql: string, ...params: (string | number | null)[]): Database.RunResult {
    const statement = this.statement(sql);
    return this.database.transaction(() => statement.run(...params)).immediate();
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.database.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }
}

function toOutboxRow(row: Row): OutboxRow {
  const payload = JSON.parse(row.payload) as AlertPayload;
  return {
    key: row.key,
    reviewId: row.review_id,
    reference: payload.reference,
    kind: row.kind as OutboxRow['kind'],
    target: row.target as OutboxRow['target'],
    dueOn: row.due_on,
    text: payload.text,
    mentions: payload.mentions,
    ...payloadExtras(payload),
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    claimedBy: row.claimed_by,
    leaseUntil: row.lease_until === null ? null : new Date(row.lease_until),
    nextAttemptAt: new Date(row.next_attempt_at),
    sentAt: row.sent_at === null ? null : new Date(row.sent_at),
    activityId: row.activity_id,
    late: row.late === 1,
    reason: row.reason,
    createdAt: new Date(row.created_at),
  };
}
