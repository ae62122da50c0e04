/**
 * The embedded ReviewStore: one SQLite file (WAL) under ./data/, so one command runs everything on a
 * laptop. better-sqlite3 is synchronous; the methods stay async to match the port, and every
 * read-modify-write runs inside one IMMEDIATE transaction, which takes SQLite's write lock before
 * reading — so a second connection (or a second process) on the same file waits (busy_timeout) rather
 * than overwriting a change it never saw.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditChainCheck, chainEvents, chainHash, genesisHash, type AuditChainReport } from './auditChain';
import { emptyDirectory, type DirectoryChange, type PartnershipDirectory } from './directory';
import { developmentCipher, type FieldCipher } from './fieldCipher';
import { checkpointInBackground, type WalCheckpoints } from './walCheckpoints';
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

export const defaultSqlitePath = './data/rapid-review.db';

export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. Default './data/rapid-review.db'. */
  path?: string;
  /** A private in-memory database (nothing survives close; no second connection can see it). */
  memory?: boolean;
  /** The migrations `migrate()` applies; the released list unless a test supplies its own. */
  migrations?: readonly Migration[];
  /** Seals subject details and free text at rest; default: the public development key. */
  cipher?: FieldCipher;
  /**
   * Where the write-ahead log is checkpointed: 'background' (default for a file) on a worker thread,
   * off every request; 'inline' inside the commits, SQLite's own default.
   */
  checkpoints?: 'background' | 'inline';
  /** How often the background thread checkpoints; default every second. */
  checkpointEveryMs?: number;
}

interface ReviewRow {
  id: string;
  doc: string;
  version: number;
}

interface ReturnRow {
  review_id: string;
  agency_id: string;
  position: number;
  status: ScopingReturn['status'];
  revision: number;
  doc: string;
}

const returnColumns = 'review_id, agency_id, position, status, revision, doc';

interface AuditRow {
  seq: number;
  prev_hash: string | null;
  hash: string | null;
  review_id: string;
  at: string;
  actor: string;
  action: string;
  detail: string | null;
}

const nowSql = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** Review documents kept opened for reads of one review (see SqliteStore.openedDocument). */
const openedDocumentsKept = 32;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function openSqliteStore(options: SqliteStoreOptions = {}): SqliteStore {
  let database: Database.Database;
  let path: string | undefined;
  if (options.memory) {
    database = new Database(':memory:');
  } else {
    path = options.path ?? defaultSqlitePath;
    mkdirSync(dirname(path), { recursive: true });
    database = new Database(path);
  }
  let checkpoints: WalCheckpoints | undefined;
  try {
    // WAL lets readers carry on while one writer holds the lock; busy_timeout makes a second writer
    // wait for the lock instead of failing at once.
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    if (path !== undefined && path !== ':memory:' && (options.checkpoints ?? 'background') === 'background') {
      checkpoints = checkpointInBackground(database, path, options.checkpointEveryMs);
    }
  } catch (error) {
    database.close();
    throw error;
  }
  return new SqliteStore(database, options.migrations ?? releasedMigrations, options.cipher, checkpoints);
}

export class SqliteStore implements ReviewStore {
  readonly kind = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  /** By review id, least recently used first: the stored text and the review it opened to. */
  private readonly openedDocuments = new Map<string, { doc: string; review: Review }>();

  /** `database` is exposed so adapters that share the file (e.g. the alert outbox) share its connection. */
  constructor(
    readonly database: Database.Database,
    private readonly migrationList: readonly Migration[] = releasedMigrations,
    private readonly cipher: FieldCipher = developmentCipher(),
    /** The write-ahead log's checkpoints on their own thread (file databases; see walCheckpoints.ts). */
    readonly checkpoints?: WalCheckpoints,
  ) {}

  async migrate(): Promise<void> {
    this.database
      .transaction(() => {
        this.database.exec(schemaMigrationsTable.sqlite);
        const applied = this.database
          .prepare('SELECT version FROM schema_migrations')
          .all()
          .map((row) => (row as { version: number }).version);
        const record = this.database.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
        for (const migration of pendingMigrations(this.migrationList, applied)) {
          try {
            this.database.exec(migration.sql.sqlite);
          } catch (error) {
            throw migrationFailed(migration, error);
          }
          if (migration.then === 'chain-audit') this.chainExistingAudit();
          record.run(migration.id, migration.name);
        }
      })
      .immediate();
    // Migrations change the schema, so statements prepared against the old one are dropped.
    this.statements.clear();
  }

  async schemaVersion(): Promise<number> {
    const ledger = this.database
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
      .get();
    if (!ledger) return 0;
    const row = this.database.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    return row.version ?? 0;
  }

  async createReview(review: Review, audit: AuditEvent[]): Promise<Review> {
    const stored: Review = { ...review, version: 1 };
    const doc = JSON.stringify(sealReviewDocument(stored, this.cipher));
    try {
      this.database
        .transaction(() => {
          this.statement(
            `INSERT INTO reviews (id, reference, state, profile_id, channel_id, open, doc, version)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(...this.indexedColumns(stored), doc, stored.version);
          this.writeReturns(stored.id, [], stored.scopingReturns);
          this.insertAudit(audit);
        })
        .immediate();
    } catch (error) {
      throw duplicateReference(error, stored.reference);
    }
    return JSON.parse(JSON.stringify(stored)) as Review;
  }

  async getReview(id: string): Promise<Review | undefined> {
    const row = this.statement('SELECT id, doc, version FROM reviews WHERE id = ?').get(id) as
      ReviewRow | undefined;
    return row && this.toReview(row, this.returnsOf(this.returnRows(row.id)).get(row.id) ?? [], true);
  }

  async findByReference(reference: string): Promise<Review | undefined> {
    const row = this.statement('SELECT id, doc, version FROM reviews WHERE reference = ?').get(reference) as
      ReviewRow | undefined;
    return row && this.toReview(row, this.returnsOf(this.returnRows(row.id)).get(row.id) ?? [], true);
  }

  async findByChannel(channelId: string): Promise<Review | undefined> {
    const row = this.statement(
      'SELECT id, doc, version FROM reviews WHERE channel_id = ? ORDER BY created_at DESC, id LIMIT 1',
    ).get(channelId) as ReviewRow | undefined;
    return row && this.toReview(row, this.returnsOf(this.returnRows(row.id)).get(row.id) ?? [], true);
  }

  async reviewIdByChannel(channelId: string): Promise<string | undefined> {
    const row = this.statement(
      'SELECT id FROM reviews WHERE channel_id = ? ORDER BY created_at DESC, id LIMIT 1',
    ).get(channelId) as { id: string } | undefined;
    return row?.id;
  }

  async listReviews(filter: ReviewFilter = {}): Promise<Review[]> {
    const where = filter.openOnly ? 'WHERE open = 1' : '';
    const rows = this.statement(
      `SELECT id, doc, version FROM reviews ${where} ORDER BY created_at, id`,
    ).all() as ReviewRow[];
    const returns = this.returnsOf(
      this.statement(
        `SELECT ${returnColumns} FROM scoping_returns
         WHERE review_id IN (SELECT id FROM reviews ${where}) ORDER BY review_id, position`,
      ).all() as ReturnRow[],
    );
    return rows.map((row) => this.toReview(row, returns.get(row.id) ?? []));
  }

  async listReviewPage(page: ReviewPage): Promise<Review[]> {
    const limit = checkedPageLimit(page.limit);
    const conditions = [
      ...(page.openOnly ? ['open = 1'] : []),
      ...(page.afterId === undefined ? [] : ['id > ?']),
    ];
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.statement(`SELECT id, doc, version FROM reviews ${where} ORDER BY id LIMIT ?`).all(
      ...(page.afterId === undefined ? [] : [page.afterId]),
      limit,
    ) as ReviewRow[];
    const returns = this.returnsOf(
      this.statement(
        `SELECT ${returnColumns} FROM scoping_returns
         WHERE review_id IN (SELECT value FROM json_each(?)) ORDER BY review_id, position`,
      ).all(JSON.stringify(rows.map((row) => row.id))) as ReturnRow[],
    );
    return rows.map((row) => this.toReview(row, returns.get(row.id) ?? []));
  }

  async updateReview(id: string, change: (current: Review) => ChangeResult): Promise<UpdateOutcome> {
    let reference = '';
    try {
      return this.database
        .transaction((): UpdateOutcome => {
          const row = this.statement('SELECT id, doc, version FROM reviews WHERE id = ?').get(id) as
            ReviewRow | undefined;
          if (!row) throw new ReviewNotFoundError(id);
          const current = this.toReview(row, this.returnsOf(this.returnRows(id)).get(id) ?? []);
          const before = current.scopingReturns;
          const result = change(current);
          if (!result.ok) {
            this.insertAudit(result.audit ?? []);
            return { ok: false, reason: result.reason };
          }
          if (result.review.id !== id) {
            throw new Error(`a change to review ${id} returned review ${result.review.id}: ids never change`);
          }
          const saved: Review = { ...result.review, version: row.version + 1 };
          reference = saved.reference;
          const doc = JSON.stringify(sealReviewDocument(saved, this.cipher));
          // A changed review is due for the alert tick at once: what it owes may have changed.
          this.statement(
            `UPDATE reviews SET reference = ?, state = ?, profile_id = ?, channel_id = ?, open = ?, doc = ?,
               version = ?, updated_at = ${nowSql}, alerts_due_on = ''
             WHERE id = ?`,
          ).run(...this.indexedColumns(saved).slice(1), doc, saved.version, id);
          this.writeReturns(id, before, saved.scopingReturns);
          this.insertAudit(result.audit);
          return savedOutcome(saved);
        })
        .immediate();
    } catch (error) {
      throw duplicateReference(error, reference);
    }
  }

  async updateScopingReturn(
    id: string,
    agencyId: string,
    change: (current: Review) => ChangeResult,
  ): Promise<UpdateOutcome> {
    return this.database
      .transaction((): UpdateOutcome => {
        const row = this.statement('SELECT id, doc, version FROM reviews WHERE id = ?').get(id) as
          ReviewRow | undefined;
        if (!row) throw new ReviewNotFoundError(id);
        const own = this.statement(
          `SELECT ${returnColumns} FROM scoping_returns WHERE review_id = ? AND agency_id = ?`,
        ).get(id, agencyId) as ReturnRow | undefined;
        const current = this.toReview(row, own ? [this.toReturn(own)] : [], true);
        const result = change(current);
        if (!result.ok) {
          this.insertAudit(result.audit ?? []);
          return { ok: false, reason: result.reason };
        }
        const entry = onlyReturnOf(id, agencyId, current, result.review);
        const saved: Review = { ...result.review, version: row.version + 1 };
        const doc = JSON.stringify(sealReturn(id, entry, this.cipher));
        if (own) {
          // The revision read above is the one replaced: a row changed meanwhile is not overwritten.
          const written = this.statement(
            `UPDATE scoping_returns SET status = ?, revision = ?, doc = ?, updated_at = ${nowSql}
             WHERE review_id = ? AND agency_id = ? AND revision = ?`,
          ).run(entry.status, entry.revision, doc, id, agencyId, own.revision);
          if (written.changes !== 1) throw new Error(`the return of ${agencyId} changed while it was saved`);
        } else {
          this.statement(
            `INSERT INTO scoping_returns (${returnColumns})
             VALUES (?, ?, (SELECT count(*) FROM scoping_returns WHERE review_id = ?), ?, ?, ?)`,
          ).run(id, agencyId, id, entry.status, entry.revision, doc);
        }
        this.statement(
          `UPDATE reviews SET version = ?, updated_at = ${nowSql}, alerts_due_on = '' WHERE id = ?`,
        ).run(saved.version, id);
        this.insertAudit(result.audit);
        return savedOutcome(saved);
      })
      .immediate();
  }

  async listAlertsDue(page: AlertsDuePage): Promise<AlertsDueReview[]> {
    const limit = checkedPageLimit(page.limit);
    const after = page.after;
    const rows = this.statement(
      `SELECT id, doc, version, alerts_due_on, alerts_swept_on FROM reviews INDEXED BY reviews_alerts_due
       WHERE open = 1 AND alerts_due_on <= ? ${after ? 'AND (alerts_due_on, id) > (?, ?)' : ''}
       ORDER BY alerts_due_on, id LIMIT ?`,
    ).all(page.dueBy, ...(after ? [after.dueOn, after.id] : []), limit) as (ReviewRow & {
      alerts_due_on: string;
      alerts_swept_on: string | null;
    })[];
    const returns = new Map<string, ScopingReturn[]>();
    const returnRows = this.statement(
      `SELECT review_id, doc FROM scoping_returns
       WHERE review_id IN (SELECT value FROM json_each(?)) ORDER BY review_id, position`,
    ).all(JSON.stringify(rows.map((row) => row.id))) as { review_id: string; doc: string }[];
    for (const own of returnRows) {
      let list = returns.get(own.review_id);
      if (!list) returns.set(own.review_id, (list = []));
      list.push(returnWithoutAnswers(JSON.parse(own.doc) as Record<string, unknown>));
    }
    return rows.map((row) =>
      alertsDueReviewOf(
        { ...row, doc: JSON.parse(row.doc) as Record<string, unknown> },
        returns.get(row.id) ?? [],
      ),
    );
  }

  async markAlertsSwept(sweeps: AlertSweep[]): Promise<void> {
    if (sweeps.length === 0) return;
    this.database
      .transaction(() => {
        const mark = this.statement(
          'UPDATE reviews SET alerts_swept_on = ?, alerts_due_on = ? WHERE id = ? AND version = ?',
        );
        for (const sweep of sweeps) mark.run(sweep.sweptOn, sweep.dueOn, sweep.id, sweep.version);
      })
      .immediate();
  }

  async recordAlertSettings(profileId: string, fingerprint: string): Promise<boolean> {
    // Settings as recorded (every start of every instance): read without taking the write lock.
    if (this.recordedFingerprint(profileId) === fingerprint) return false;
    return this.database
      .transaction(() => {
        if (this.recordedFingerprint(profileId) === fingerprint) return false;
        this.statement(`UPDATE reviews SET alerts_due_on = '' WHERE open = 1 AND profile_id = ?`).run(
          profileId,
        );
        this.statement(
          `INSERT INTO alert_settings (profile_id, fingerprint) VALUES (?, ?)
           ON CONFLICT (profile_id) DO UPDATE SET fingerprint = excluded.fingerprint`,
        ).run(profileId, fingerprint);
        return true;
      })
      .immediate();
  }

  private recordedFingerprint(profileId: string): string | undefined {
    const row = this.statement('SELECT fingerprint FROM alert_settings WHERE profile_id = ?').get(
      profileId,
    ) as { fingerprint: string } | undefined;
    return row?.fingerprint;
  }

  async getDirectory(): Promise<PartnershipDirectory> {
    const row = this.statement(
      "SELECT doc, version FROM partnership_directory WHERE id = 'partnership'",
    ).get() as { doc: string; version: number } | undefined;
    return row ? { ...(JSON.parse(row.doc) as PartnershipDirectory), version: row.version } : emptyDirectory;
  }

  async updateDirectory(
    change: (current: PartnershipDirectory) => DirectoryChange,
  ): Promise<DirectoryChange> {
    return this.database
      .transaction((): DirectoryChange => {
        const row = this.statement(
          "SELECT doc, version FROM partnership_directory WHERE id = 'partnership'",
        ).get() as { doc: string; version: number } | undefined;
        const current = row
          ? { ...(JSON.parse(row.doc) as PartnershipDirectory), version: row.version }
          : emptyDirectory;
        const result = change(current);
        if (!result.ok) {
          this.insertAudit(result.audit ?? []);
          return result;
        }
        const saved: PartnershipDirectory = { ...result.directory, version: current.version + 1 };
        this.statement(
          `INSERT INTO partnership_directory (id, doc, version) VALUES ('partnership', ?, ?)
           ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, version = excluded.version, updated_at = ${nowSql}`,
        ).run(JSON.stringify(saved), saved.version);
        this.insertAudit(result.audit);
        return { ...result, directory: saved };
      })
      .immediate();
  }

  async appendAudit(events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.database.transaction(() => this.insertAudit(events)).immediate();
  }

  async auditTrail(reviewId: string): Promise<AuditEvent[]> {
    const rows = this.statement(
      'SELECT review_id, at, actor, action, detail FROM audit_events WHERE review_id = ? ORDER BY seq',
    ).all(reviewId) as AuditRow[];
    return rows.map(auditEventOf);
  }

  async verifyAuditChain(): Promise<AuditChainReport> {
    const check = new AuditChainCheck();
    let afterSeq = 0;
    for (;;) {
      const rows = this.statement(
        `SELECT seq, prev_hash, hash, review_id, at, actor, action, detail FROM audit_events
         WHERE seq > ? ORDER BY seq LIMIT 1000`,
      ).all(afterSeq) as AuditRow[];
      for (const row of rows) {
        const going = check.add({
          seq: row.seq,
          prevHash: row.prev_hash,
          hash: row.hash,
          event: auditEventOf(row),
        });
        if (!going) return check.report();
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
      const rows = this.database
        .transaction(() => {
          const batch = this.statement('SELECT id, doc FROM reviews WHERE id > ? ORDER BY id LIMIT ?').all(
            afterId,
            limit,
          ) as { id: string; doc: string }[];
          const audit: AuditEvent[] = [];
          for (const row of batch) {
            const stored = JSON.parse(row.doc) as Record<string, unknown>;
            // Every review and return is opened, re-sealed or not: a value that no longer opens stops the run.
            const review = openReview(stored, this.cipher);
            const returns = this.returnRows(row.id).map((own) => {
              const storedReturn = JSON.parse(own.doc) as Record<string, unknown>;
              return {
                agencyId: own.agency_id,
                key: returnSealingKey(storedReturn),
                entry: openReturn(row.id, storedReturn, this.cipher),
              };
            });
            const documentKeys = [...sealingKeys(stored)].filter((key) => key !== this.cipher.currentKeyId);
            const stale = returns.filter(
              (own) => own.key !== undefined && own.key !== this.cipher.currentKeyId,
            );
            const from = [...new Set([...documentKeys, ...stale.map((own) => own.key as string)])].sort();
            if (from.length === 0) continue;
            if (documentKeys.length > 0) {
              const doc = JSON.stringify(sealReview(review, this.cipher));
              this.statement('UPDATE reviews SET doc = ? WHERE id = ?').run(doc, row.id);
            }
            for (const own of stale) {
              this.statement('UPDATE scoping_returns SET doc = ? WHERE review_id = ? AND agency_id = ?').run(
                JSON.stringify(sealReturn(row.id, own.entry, this.cipher)),
                row.id,
                own.agencyId,
              );
            }
            audit.push(resealAudit(row.id, run, from, this.cipher.currentKeyId));
          }
          this.insertAudit(audit);
          outcome.resealed += audit.length;
          return batch;
        })
        .immediate();
      if (rows.length > 0) outcome.batches += 1;
      outcome.reviews += rows.length;
      if (rows.length < limit) return outcome;
      afterId = rows[rows.length - 1]?.id ?? afterId;
    }
  }

  async nextReference(year: number): Promise<string> {
    assertReferenceYear(year);
    const row = this.database
      .transaction(
        () =>
          this.statement(
            `INSERT INTO reference_counters (year, next) VALUES (?, 2)
             ON CONFLICT (year) DO UPDATE SET next = next + 1
             RETURNING next - 1 AS allocated`,
          ).get(year) as { allocated: number },
      )
      .immediate();
    return formatReference(year, row.allocated);
  }

  async close(): Promise<void> {
    await this.checkpoints?.close();
    if (this.database.open) this.database.close();
  }

  /**
   * `reuse`: one review read on its own (a card's view, a scoping return's save) reuses the document
   * last opened for it while the stored text is the same: saving a scoping return leaves the document
   * as it is, and parsing and opening a 50-agency review's document was the largest part of each
   * save. Lists, and updateReview (whose change may work on its copy in place), open it afresh.
   */
  private toReview(row: ReviewRow, returns: ScopingReturn[], reuse = false): Review {
    // The version column is the truth; the copy inside the document is kept equal but never trusted.
    const document = reuse ? this.openedDocument(row) : this.openDocument(row.doc);
    return { ...document, version: row.version, scopingReturns: returns };
  }

  private openDocument(doc: string): Review {
    return openReview(JSON.parse(doc) as Record<string, unknown>, this.cipher);
  }

  /**
   * The review's document opened, from the last ones opened when its text is unchanged. Shared
   * between reads, so it is frozen all the way down: code that changed a review read from the store
   * in place would fail loudly here instead of changing what the next read sees.
   */
  private openedDocument(row: ReviewRow): Review {
    const known = this.openedDocuments.get(row.id);
    this.openedDocuments.delete(row.id);
    const opened = known?.doc === row.doc ? known.review : deepFreeze(this.openDocument(row.doc));
    this.openedDocuments.set(row.id, { doc: row.doc, review: opened });
    // Map order is insertion order: the first key is the one used longest ago.
    if (this.openedDocuments.size > openedDocumentsKept) {
      const oldest = this.openedDocuments.keys().next().value;
      if (oldest !== undefined) this.openedDocuments.delete(oldest);
    }
    return opened;
  }

  private toReturn(row: ReturnRow): ScopingReturn {
    const entry = openReturn(row.review_id, JSON.parse(row.doc) as Record<string, unknown>, this.cipher);
    // As with a review's version, the columns are the truth.
    return { ...entry, status: row.status, revision: row.revision };
  }

  private returnRows(reviewId: string): ReturnRow[] {
    return this.statement(
      `SELECT ${returnColumns} FROM scoping_returns WHERE review_id = ? ORDER BY position`,
    ).all(reviewId) as ReturnRow[];
  }

  /** Rows (in review and position order) opened and grouped by review. */
  private returnsOf(rows: ReturnRow[]): Map<string, ScopingReturn[]> {
    const byReview = new Map<string, ScopingReturn[]>();
    for (const row of rows) {
      let list = byReview.get(row.review_id);
      if (!list) byReview.set(row.review_id, (list = []));
      list.push(this.toReturn(row));
    }
    return byReview;
  }

  /** Writes the return rows a change made new or different, and removes those it dropped. */
  private writeReturns(reviewId: string, before: ScopingReturn[], after: ScopingReturn[]): void {
    const { write, remove } = returnRowChanges(before, after);
    for (const { entry, position } of write) {
      this.statement(
        `INSERT INTO scoping_returns (${returnColumns}) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (review_id, agency_id) DO UPDATE SET position = excluded.position, status = excluded.status,
           revision = excluded.revision, doc = excluded.doc, updated_at = ${nowSql}`,
      ).run(
        reviewId,
        entry.agencyId,
        position,
        entry.status,
        entry.revision,
        JSON.stringify(sealReturn(reviewId, entry, this.cipher)),
      );
    }
    for (const agencyId of remove) {
      this.statement('DELETE FROM scoping_returns WHERE review_id = ? AND agency_id = ?').run(
        reviewId,
        agencyId,
      );
    }
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.database.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** The columns kept beside the document so lookups and filters need no JSON parsing. */
  private indexedColumns(review: Review): [string, string, string, string, string | null, number] {
    return [
      review.id,
      review.reference,
      review.state,
      review.profileId,
      review.teamspace.channelId ?? null,
      review.state === 'closed' ? 0 : 1,
    ];
  }

  /**
   * Appends lines to the hash chain. Every caller is inside an IMMEDIATE transaction, which holds
   * SQLite's one write lock, so the head read here is still the head when the lines go in.
   */
  private insertAudit(events: AuditEvent[]): void {
    if (events.length === 0) return;
    const head = this.statement('SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as
      { hash: string | null } | undefined;
    const insert = this.statement(
      `INSERT INTO audit_events (review_id, at, actor, action, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const { event, prevHash, hash } of chainEvents(head?.hash ?? undefined, events)) {
      insert.run(
        event.reviewId,
        event.at,
        JSON.stringify(event.actor),
        event.action,
        event.detail === undefined ? null : JSON.stringify(event.detail),
        prevHash,
        hash,
      );
    }
  }

  /** Hashes, in sequence order, the lines written before the chain existed (migration 3). */
  private chainExistingAudit(): void {
    const rows = this.database
      .prepare(
        'SELECT seq, prev_hash, hash, review_id, at, actor, action, detail FROM audit_events ORDER BY seq',
      )
      .all() as AuditRow[];
    const update = this.database.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?');
    let previous = genesisHash;
    for (const row of rows) {
      if (row.hash !== null) {
        previous = row.hash;
        continue;
      }
      const hash = chainHash(previous, auditEventOf(row));
      update.run(previous, hash, row.seq);
      previous = hash;
    }
  }
}

function auditEventOf(row: AuditRow): AuditEvent {
  return {
    reviewId: row.review_id,
    at: row.at,
    actor: JSON.parse(row.actor) as AuditEvent['actor'],
    action: row.action,
    ...(row.detail === null ? {} : { detail: JSON.parse(row.detail) as Record<string, unknown> }),
  };
}

function duplicateReference(error: unknown, reference: string): unknown {
  // Matched by code, not `instanceof SqliteError`: the native addon keeps the error class of whichever
  // module registry loaded it first, which under jest is not necessarily this one.
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes('reviews.reference')) {
    return new DuplicateReferenceError(reference);
  }
  return error;
}
