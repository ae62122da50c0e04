/**
 * The ReviewStore for production and for more than one instance: PostgreSQL through a `pg` pool.
 * Every read-modify-write locks the review's row (SELECT … FOR UPDATE) for the length of one
 * transaction, so instances writing the same review queue behind each other and never lose an update;
 * migrations run under a transaction-scoped advisory lock, so instances starting together apply each
 * migration once.
 */
import { Pool, type DatabaseError, type PoolClient } from 'pg';
import { AuditChainCheck, chainEvents, chainHash, genesisHash, type AuditChainReport } from './auditChain';
import { emptyDirectory, type DirectoryChange, type PartnershipDirectory } from './directory';
import { developmentCipher, type FieldCipher } from './fieldCipher';
import type { AuditEvent, Review, ScopingReturn } from './model';
import {
  assertReferenceYear,
  formatReference,
  migrations as releasedMigrations,
  migrationFailed,
  pendingMigrations,
  schemaMigrationsTable,
  type Migration,
} from './migrations';
import {
  alertsDueReviewOf,
  onlyReturnOf,
  openReturn,
  openReview,
  returnWithoutAnswers,
  resealAudit,
  returnRowChanges,
  returnSealingKey,
  sealingKeys,
  sealReturn,
  sealReview,
  sealReviewDocument,
} from './sealedReview';
import {
  checkedPageLimit,
  savedOutcome,
  type AlertsDuePage,
  type AlertsDueReview,
  type AlertSweep,
  DuplicateReferenceError,
  ReviewNotFoundError,
  type ChangeResult,
  type ReviewFilter,
  type ReviewPage,
  type ResealOutcome,
  type ResealRun,
  type ReviewStore,
  type UpdateOutcome,
} from './store';

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema of its own (created if missing), e.g. one per test run; default: the server's search_path. */
  schema?: string;
  /** TLS with certificate verification (Azure Database for PostgreSQL requires TLS). */
  ssl?: boolean;
  /**
   * Asked for the password each time a connection opens, for short-lived credentials such as a
   * Microsoft Entra access token; a password in the connection string is used otherwise.
   */
  password?: () => Promise<string>;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /** The migrations `migrate()` applies; the released list unless a test supplies its own. */
  migrations?: readonly Migration[];
  /** Seals subject details and free text at rest; default: the public development key. */
  cipher?: FieldCipher;
  /**
   * Told when an idle pooled connection fails (e.g. the server restarted); the pool drops that
   * connection and opens a new one on the next query. Default: a process warning.
   */
  onPoolError?: (error: Error) => void;
}

interface ReviewRow {
  id: string;
  doc: Record<string, unknown>;
  version: number;
}

interface ReturnRow {
  review_id: string;
  agency_id: string;
  position: number;
  status: ScopingReturn['status'];
  revision: number;
  doc: Record<string, unknown>;
}

const returnColumns = 'review_id, agency_id, position, status, revision, doc';

interface AuditRow {
  seq: string;
  prev_hash: string | null;
  hash: string | null;
  review_id: string;
  at: Date;
  actor: AuditEvent['actor'];
  action: string;
  detail: Record<string, unknown> | null;
}

const schemaNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const { schema } = options;
  if (schema !== undefined && !schemaNamePattern.test(schema)) {
    throw new Error(`schema: '${schema}' is not a plain identifier (letters, digits, underscore)`);
  }
  const pool = new Pool({
    connectionString: options.connectionString,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl ? { rejectUnauthorized: true } : false }),
    ...(options.password === undefined ? {} : { password: options.password }),
    // Set at connection start-up, so no query on a pooled connection can ever run in another schema.
    ...(schema === undefined ? {} : { options: `-c search_path="${schema}"` }),
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  const onPoolError = options.onPoolError ?? ((error: Error) => process.emitWarning(error));
  pool.on('error', onPoolError);
  const store = new PostgresStore(pool, options.migrations ?? releasedMigrations, options.cipher);
  if (schema !== undefined) {
    try {
      await store.transaction(async (client) => {
        // Two instances creating the same schema at once would otherwise race on the catalogue.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('rapid-review:create-schema'))`);
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
  }
  return store;
}

export class PostgresStore implements ReviewStore {
  readonly kind = 'postgres' as const;

  /** `pool` is exposed so adapters that share the database (e.g. the alert outbox) share its connections. */
  constructor(
    readonly pool: Pool,
    private readonly migrationList: readonly Migration[] = releasedMigrations,
    private readonly cipher: FieldCipher = developmentCipher(),
  ) {}

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      // Keyed by schema, so test schemas migrate side by side while instances sharing one schema queue.
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtext('rapid-review:migrate:' || coalesce(current_schema(), '')))`,
      );
      await client.query(schemaMigrationsTable.postgres);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      for (const migration of pendingMigrations(
        this.migrationList,
        rows.map((row) => row.version),
      )) {
        await client.query(migration.sql.postgres).catch((error: unknown) => {
          throw migrationFailed(migration, error);
        });
        if (migration.then === 'chain-audit') await chainExistingAudit(client);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.id,
          migration.name,
        ]);
      }
    });
  }

  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ present: boolean }>(
      `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
    );
    if (!rows[0]?.present) return 0;
    const result = await this.pool.query<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_migrations',
    );
    return result.rows[0]?.version ?? 0;
  }

  async createReview(review: Review, audit: AuditEvent[]): Promise<Review> {
    const stored: Review = { ...review, version: 1 };
    const doc = JSON.stringify(sealReviewDocument(stored, this.cipher));
    try {
      await this.transaction(async (client) => {
        await client.query(
          `INSERT INTO reviews (id, reference, state, profile_id, channel_id, open, doc, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [...indexedColumns(stored), doc, stored.version],
        );
        await this.writeReturns(client, stored.id, [], stored.scopingReturns);
        await insertAudit(client, audit);
      });
    } catch (error) {
      throw duplicateReference(error, stored.reference);
    }
    return JSON.parse(JSON.stringify(stored)) as Review;
  }

  async getReview(id: string): Promise<Review | undefined> {
    const { rows } = await this.pool.query<ReviewRow>('SELECT id, doc, version FROM reviews WHERE id = $1', [
      id,
    ]);
    return (await this.withReturns(this.pool, rows))[0];
  }

  async findByReference(reference: string): Promise<Review | undefined> {
    const { rows } = await this.pool.query<ReviewRow>(
      'SELECT id, doc, version FROM reviews WHERE reference = $1',
      [reference],
    );
    return (await this.withReturns(this.pool, rows))[0];
  }

  async findByChannel(channelId: string): Promise<Review | undefined> {
    const { rows } = await this.pool.query<ReviewRow>(
      'SELECT id, doc, version FROM reviews WHERE channel_id = $1 ORDER BY created_at DESC, id LIMIT 1',
      [channelId],
    );
    return (await this.withReturns(this.pool, rows))[0];
  }

  async reviewIdByChannel(channelId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM reviews WHERE channel_id = $1 ORDER BY created_at DESC, id LIMIT 1',
      [channelId],
    );
    return rows[0]?.id;
  }

  async listReviews(filter: ReviewFilter = {}): Promise<Review[]> {
    const where = filter.openOnly ? 'WHERE open' : '';
    const { rows } = await this.pool.query<ReviewRow>(
      `SELECT id, doc, version FROM reviews ${where} ORDER BY created_at, id`,
    );
    return this.withReturns(this.pool, rows);
  }

  async listReviewPage(page: ReviewPage): Promise<Review[]> {
    const limit = checkedPageLimit(page.limit);
    const conditions = [
      ...(page.openOnly ? ['open'] : []),
      ...(page.afterId === undefined ? [] : ['id > $2']),
    ];
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.pool.query<ReviewRow>(
      `SELECT id, doc, version FROM reviews ${where} ORDER BY id LIMIT $1`,
      page.afterId === undefined ? [limit] : [limit, page.afterId],
    );
    return this.withReturns(this.pool, rows);
  }

  async updateReview(id: string, change: (current: Review) => ChangeResult): Promise<UpdateOutcome> {
    let reference = '';
    try {
      return await this.transaction(async (client): Promise<UpdateOutcome> => {
        const { rows } = await client.query<ReviewRow>(
          'SELECT id, doc, version FROM reviews WHERE id = $1 FOR UPDATE',
          [id],
        );
        const [current] = await this.withReturns(client, rows);
        const row = rows[0];
        if (!row || !current) throw new ReviewNotFoundError(id);
        const before = current.scopingReturns;
        const result = change(current);
        if (!result.ok) {
          await insertAudit(client, result.audit ?? []);
          return { ok: false, reason: result.reason };
        }
        if (result.review.id !== id) {
          throw new Error(`a change to review ${id} returned review ${result.review.id}: ids never change`);
        }
        const saved: Review = { ...result.review, version: row.version + 1 };
        reference = saved.reference;
        const doc = JSON.stringify(sealReviewDocument(saved, this.cipher));
        await client.query(
          // A changed review is due for the alert tick at once: what it owes may have changed.
          `UPDATE reviews SET reference = $2, state = $3, profile_id = $4, channel_id = $5, open = $6, doc = $7,
             version = $8, updated_at = now(), alerts_due_on = ''
           WHERE id = $1`,
          [...indexedColumns(saved), doc, saved.version],
        );
        await this.writeReturns(client, id, before, saved.scopingReturns);
        await insertAudit(client, result.audit);
        return savedOutcome(saved);
      });
    } catch (error) {
      throw duplicateReference(error, reference);
    }
  }

  async updateScopingReturn(
    id: string,
    agencyId: string,
    change: (current: Review) => ChangeResult,
  ): Promise<UpdateOutcome> {
    return this.transaction(async (client): Promise<UpdateOutcome> => {
      const { rows } = await client.query<ReviewRow>(
        'SELECT id, doc, version FROM reviews WHERE id = $1 FOR UPDATE',
        [id],
      );
      const row = rows[0];
      if (!row) throw new ReviewNotFoundError(id);
      const owned = await client.query<ReturnRow>(
        `SELECT ${returnColumns} FROM scoping_returns WHERE review_id = $1 AND agency_id = $2`,
        [id, agencyId],
      );
      const own = owned.rows[0];
      const current = this.toReview(row, own ? [this.toReturn(own)] : []);
      const result = change(current);
      if (!result.ok) {
        await insertAudit(client, result.audit ?? []);
        return { ok: false, reason: result.reason };
      }
      const entry = onlyReturnOf(id, agencyId, current, result.review);
      const saved: Review = { ...result.review, version: row.version + 1 };
      const doc = JSON.stringify(sealReturn(id, entry, this.cipher));
      if (own) {
        // The revision read above is the one replaced: a row changed meanwhile is not overwritten.
        const written = await client.query(
          `UPDATE scoping_returns SET status = $3, revision = $4, doc = $5, updated_at = now()
           WHERE review_id = $1 AND agency_id = $2 AND revision = $6`,
          [id, agencyId, entry.status, entry.revision, doc, own.revision],
        );
        if (written.rowCount !== 1) throw new Error(`the return of ${agencyId} changed while it was saved`);
      } else {
        await client.query(
          `INSERT INTO scoping_returns (${returnColumns})
           VALUES ($1, $2, (SELECT count(*) FROM scoping_returns WHERE review_id = $1), $3, $4, $5)`,
          [id, agencyId, entry.status, entry.revision, doc],
        );
      }
      await client.query(
        "UPDATE reviews SET version = $2, updated_at = now(), alerts_due_on = '' WHERE id = $1",
        [id, saved.version],
      );
      await insertAudit(client, result.audit);
      return savedOutcome(saved);
    });
  }

  async listAlertsDue(page: AlertsDuePage): Promise<AlertsDueReview[]> {
    const limit = checkedPageLimit(page.limit);
    const after = page.after;
    const { rows } = await this.pool.query<
      ReviewRow & { alerts_due_on: string; alerts_swept_on: string | null }
    >(
      `SELECT id, doc, version, alerts_due_on, alerts_swept_on FROM reviews
       WHERE open AND alerts_due_on <= $1 ${after ? 'AND (alerts_due_on, id) > ($3, $4)' : ''}
       ORDER BY alerts_due_on, id LIMIT $2`,
      [page.dueBy, limit, ...(after ? [after.dueOn, after.id] : [])],
    );
    const returns = new Map<string, ScopingReturn[]>();
    if (rows.length > 0) {
      const returnRows = await this.pool.query<{ review_id: string; doc: Record<string, unknown> }>(
        `SELECT review_id, doc FROM scoping_returns WHERE review_id = ANY($1::text[])
         ORDER BY review_id, position`,
        [rows.map((row) => row.id)],
      );
      for (const own of returnRows.rows) {
        let list = returns.get(own.review_id);
        if (!list) returns.set(own.review_id, (list = []));
        list.push(returnWithoutAnswers(own.doc));
      }
    }
    return rows.map((row) => alertsDueReviewOf(row, returns.get(row.id) ?? []));
  }

  async markAlertsSwept(sweeps: AlertSweep[]): Promise<void> {
    if (sweeps.length === 0) return;
    await this.pool.query(
      `UPDATE reviews SET alerts_swept_on = sweep.swept_on, alerts_due_on = sweep.due_on
       FROM jsonb_to_recordset($1::jsonb) AS sweep (id text, version integer, swept_on text, due_on text)
       WHERE reviews.id = sweep.id AND reviews.version = sweep.version`,
      [
        JSON.stringify(
          sweeps.map((s) => ({ id: s.id, version: s.version, swept_on: s.sweptOn, due_on: s.dueOn })),
        ),
      ],
    );
  }

  async recordAlertSettings(profileId: string, fingerprint: string): Promise<boolean> {
    // Settings as recorded (every start of every instance): read without a transaction or the lock.
    const recorded = await this.pool.query<{ fingerprint: string }>(
      'SELECT fingerprint FROM alert_settings WHERE profile_id = $1',
      [profileId],
    );
    if (recorded.rows[0]?.fingerprint === fingerprint) return false;
    return this.transaction(async (client) => {
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtext('rapid-review:alert-settings:' || coalesce(current_schema(), '')))`,
      );
      const { rows } = await client.query<{ fingerprint: string }>(
        'SELECT fingerprint FROM alert_settings WHERE profile_id = $1',
        [profileId],
      );
      if (rows[0]?.fingerprint === fingerprint) return false;
      await client.query(`UPDATE reviews SET alerts_due_on = '' WHERE open AND profile_id = $1`, [profileId]);
      await client.query(
        `INSERT INTO alert_settings (profile_id, fingerprint) VALUES ($1, $2)
         ON CONFLICT (profile_id) DO UPDATE SET fingerprint = excluded.fingerprint`,
        [profileId, fingerprint],
      );
      return true;
    });
  }

  async getDirectory(): Promise<PartnershipDirectory> {
    const { rows } = await this.pool.query<{ doc: PartnershipDirectory; version: number }>(
      "SELECT doc, version FROM partnership_directory WHERE id = 'partnership'",
    );
    return rows[0] ? { ...rows[0].doc, version: rows[0].version } : emptyDirectory;
  }

  async updateDirectory(
    change: (current: PartnershipDirectory) => DirectoryChange,
  ): Promise<DirectoryChange> {
    return this.transaction(async (client): Promise<DirectoryChange> => {
      // The row does not exist before the first save, so a row lock cannot serialise writers: a
      // transaction-scoped advisory lock does, for both the first save and later ones.
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtext('rapid-review:directory:' || coalesce(current_schema(), '')))`,
      );
      const { rows } = await client.query<{ doc: PartnershipDirectory; version: number }>(
        "SELECT doc, version FROM partnership_directory WHERE id = 'partnership'",
      );
      const row = rows[0];
      const current: PartnershipDirectory = row ? { ...row.doc, version: row.version } : emptyDirectory;
      const result = change(current);
      if (!result.ok) {
        await insertAudit(client, result.audit ?? []);
        return result;
      }
      const saved: PartnershipDirectory = { ...result.directory, version: current.version + 1 };
      await client.query(
        `INSERT INTO partnership_directory (id, doc, version) VALUES ('partnership', $1, $2)
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, version = excluded.version, updated_at = now()`,
        [JSON.stringify(saved), saved.version],
      );
      await insertAudit(client, result.audit);
      return { ...result, directory: saved };
    });
  }

  async appendAudit(events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.transaction((client) => insertAudit(client, events));
  }

  async auditTrail(reviewId: string): Promise<AuditEvent[]> {
    const { rows } = await this.pool.query<AuditRow>(
      'SELECT review_id, at, actor, action, detail FROM audit_events WHERE review_id = $1 ORDER BY seq',
      [reviewId],
    );
    return rows.map(auditEventOf);
  }

  async verifyAuditChain(): Promise<AuditChainReport> {
    const check = new AuditChainCheck();
    let afterSeq = '0';
    for (;;) {
      const { rows } = await this.pool.query<AuditRow>(
        `SELECT seq, prev_hash, hash, review_id, at, actor, action, detail FROM audit_events
         WHERE seq > $1 ORDER BY seq LIMIT 1000`,
        [afterSeq],
      );
      for (const row of rows) {
        const line = {
          seq: Number(row.seq),
          prevHash: row.prev_hash,
          hash: row.hash,
          event: auditEventOf(row),
        };
        if (!check.add(line)) return check.report();
      }
      if (rows.length < 1000) return check.report();
      afterSeq = rows[rows.length - 1]?.seq ?? afterSeq;
    }
  }

  async resealReviews(run: ResealRun): Promise<ResealOutcome> {
    const limit = checkedPageLimit(run.batchSize);
    const outcome: ResealOutcome = { reviews: 0, resealed: 0, batches: 0 };
    let afterId = '';
    for (;;) {
      const rows = await this.transaction(async (client) => {
        const batch = await client.query<{ id: string; doc: Record<string, unknown> }>(
          'SELECT id, doc FROM reviews WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE',
          [afterId, limit],
        );
        const audit: AuditEvent[] = [];
        for (const row of batch.rows) {
          // Every review and return is opened, re-sealed or not: a value that no longer opens stops the run.
          const review = openReview(row.doc, this.cipher);
          const ownRows = await client.query<ReturnRow>(
            `SELECT ${returnColumns} FROM scoping_returns WHERE review_id = $1 ORDER BY position FOR UPDATE`,
            [row.id],
          );
          const returns = ownRows.rows.map((own) => ({
            agencyId: own.agency_id,
            key: returnSealingKey(own.doc),
            entry: openReturn(row.id, own.doc, this.cipher),
          }));
          const documentKeys = [...sealingKeys(row.doc)].filter((key) => key !== this.cipher.currentKeyId);
          const stale = returns.filter(
            (own) => own.key !== undefined && own.key !== this.cipher.currentKeyId,
          );
          const from = [...new Set([...documentKeys, ...stale.map((own) => own.key as string)])].sort();
          if (from.length === 0) continue;
          if (documentKeys.length > 0) {
            const doc = JSON.stringify(sealReview(review, this.cipher));
            await client.query('UPDATE reviews SET doc = $2 WHERE id = $1', [row.id, doc]);
          }
          for (const own of stale) {
            await client.query(
              'UPDATE scoping_returns SET doc = $3 WHERE review_id = $1 AND agency_id = $2',
              [row.id, own.agencyId, JSON.stringify(sealReturn(row.id, own.entry, this.cipher))],
            );
          }
          audit.push(resealAudit(row.id, run, from, this.cipher.currentKeyId));
        }
        await insertAudit(client, audit);
        outcome.resealed += audit.length;
        return batch.rows;
      });
      if (rows.length > 0) outcome.batches += 1;
      outcome.reviews += rows.length;
      if (rows.length < limit) return outcome;
      afterId = rows[rows.length - 1]?.id ?? afterId;
    }
  }

  async nextReference(year: number): Promise<string> {
    assertReferenceYear(year);
    // One upsert: concurrent callers queue on the year's row, and each gets the number it incremented.
    const { rows } = await this.pool.query<{ allocated: number }>(
      `INSERT INTO reference_counters (year, next) VALUES ($1, 2)
       ON CONFLICT (year) DO UPDATE SET next = reference_counters.next + 1
       RETURNING next - 1 AS allocated`,
      [year],
    );
    const allocated = rows[0]?.allocated;
    if (allocated === undefined) throw new Error(`no reference was allocated for ${year}`);
    return formatReference(year, allocated);
  }

  async close(): Promise<void> {
    if (!this.pool.ended && !this.pool.ending) await this.pool.end();
  }

  private toReview(row: ReviewRow, returns: ScopingReturn[]): Review {
    // The version column is the truth; the copy inside the document is kept equal but never trusted.
    const review = openReview(row.doc, this.cipher);
    review.version = row.version;
    review.scopingReturns = returns;
    return review;
  }

  private toReturn(row: ReturnRow): ScopingReturn {
    // As with a review's version, the columns are the truth.
    return { ...openReturn(row.review_id, row.doc, this.cipher), status: row.status, revision: row.revision };
  }

  /** The reviews of `rows`, in their order, each with its returns (read in one query). */
  private async withReturns(db: Pool | PoolClient, rows: ReviewRow[]): Promise<Review[]> {
    if (rows.length === 0) return [];
    const returns = await db.query<ReturnRow>(
      `SELECT ${returnColumns} FROM scoping_returns WHERE review_id = ANY($1::text[])
       ORDER BY review_id, position`,
      [rows.map((row) => row.id)],
    );
    const byReview = new Map<string, ScopingReturn[]>();
    for (const own of returns.rows) {
      let list = byReview.get(own.review_id);
      if (!list) byReview.set(own.review_id, (list = []));
      list.push(this.toReturn(own));
    }
    return rows.map((row) => this.toReview(row, byReview.get(row.id) ?? []));
  }

  /** Writes the return rows a change made new or different, and removes those it dropped. */
  private async writeReturns(
    client: PoolClient,
    reviewId: string,
    before: ScopingReturn[],
    after: ScopingReturn[],
  ): Promise<void> {
    const { write, remove } = returnRowChanges(before, after);
    for (const { entry, position } of write) {
      await client.query(
        `INSERT INTO scoping_returns (${returnColumns}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (review_id, agency_id) DO UPDATE SET position = excluded.position, status = excluded.status,
           revision = excluded.revision, doc = excluded.doc, updated_at = now()`,
        [
          reviewId,
          entry.agencyId,
          position,
          entry.status,
          entry.revision,
          JSON.stringify(sealReturn(reviewId, entry, this.cipher)),
        ],
      );
    }
    if (remove.length > 0) {
      await client.query('DELETE FROM scoping_returns WHERE review_id = $1 AND agency_id = ANY($2::text[])', [
        reviewId,
        remove,
      ]);
    }
  }

  /** Runs `work` on one connection between BEGIN and COMMIT; any error rolls it back and is rethrown. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError) {
        // A connection that cannot even roll back is broken: destroy it rather than pool it.
        client.release(rollbackError instanceof Error ? rollbackError : true);
      }
      throw error;
    }
  }
}

/** The columns kept beside the document so lookups and filters need no JSON operators. */
function indexedColumns(review: Review): [string, string, string, string, string | null, boolean] {
  return [
    review.id,
    review.reference,
    review.state,
    review.profileId,
    review.teamspace.channelId ?? null,
    review.state !== 'closed',
  ];
}

/**
 * Appends lines to the hash chain, inside the caller's transaction. The chain lock (transaction-scoped,
 * per schema) makes writers append one after another, so no two read the same head and fork the
 * chain; it is the last lock any transaction takes, so it cannot deadlock with the review row locks.
 */
async function insertAudit(client: PoolClient, events: AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtext('rapid-review:audit-chain:' || coalesce(current_schema(), '')))`,
  );
  const { rows } = await client.query<{ hash: string | null }>(
    'SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const chained = chainEvents(rows[0]?.hash ?? undefined, events);
  // One round trip for all lines; WITH ORDINALITY keeps the caller's order in the sequence numbers.
  await client.query(
    `INSERT INTO audit_events (review_id, at, actor, action, detail, prev_hash, hash)
     SELECT e.item->'event'->>'reviewId', (e.item->'event'->>'at')::timestamptz, e.item->'event'->'actor',
       e.item->'event'->>'action', e.item->'event'->'detail', e.item->>'prevHash', e.item->>'hash'
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(item, n)
     ORDER BY e.n`,
    [JSON.stringify(chained)],
  );
}

/** Hashes, in sequence order, the lines written before the chain existed (migration 3). */
async function chainExistingAudit(client: PoolClient): Promise<void> {
  const { rows } = await client.query<AuditRow>(
    'SELECT seq, prev_hash, hash, review_id, at, actor, action, detail FROM audit_events ORDER BY seq',
  );
  let previous = genesisHash;
  for (const row of rows) {
    if (row.hash !== null) {
      previous = row.hash;
      continue;
    }
    const hash = chainHash(previous, auditEventOf(row));
    await client.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3', [
      previous,
      hash,
      row.seq,
    ]);
    previous = hash;
  }
}

function auditEventOf(row: AuditRow): AuditEvent {
  return {
    reviewId: row.review_id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    ...(row.detail === null ? {} : { detail: row.detail }),
  };
}

function duplicateReference(error: unknown, reference: string): unknown {
  const { code, constraint } =
    typeof error === 'object' && error !== null ? (error as Partial<DatabaseError>) : {};
  if (code === '23505' && constraint === 'reviews_reference_unique') {
    return new DuplicateReferenceError(reference);
  }
  return error;
}
