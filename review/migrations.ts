/**
 * Versioned schema migrations for both stores. Each migration has a number, a name and one SQL script
 * per dialect; a store applies the ones its database has not recorded in `schema_migrations`, in
 * number order, inside one transaction that holds the migration lock (see sqliteStore.ts and
 * postgresStore.ts). A migration, once released, is never edited: a change to the schema is a new
 * migration appended to the list (the alert outbox will be number 2).
 */
export type SqlDialect = 'sqlite' | 'postgres';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: Readonly<Record<SqlDialect, string>>;
  /**
   * Work the store does in code right after this migration's SQL, in the same transaction:
   * 'chain-audit' hashes the audit lines written before the chain existed (review/auditChain.ts).
   */
  readonly then?: 'chain-audit';
}

/** Created before any numbered migration runs, so the ledger itself needs no migration. */
export const schemaMigrationsTable: Readonly<Record<SqlDialect, string>> = {
  sqlite: `
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT`,
  postgres: `
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
};

const reviewsAuditAndReferences: Migration = {
  id: 1,
  name: 'reviews, append-only audit trail, reference counters',
  sql: {
    sqlite: `
      CREATE TABLE reviews (
        id TEXT PRIMARY KEY,
        reference TEXT NOT NULL CONSTRAINT reviews_reference_unique UNIQUE,
        state TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        channel_id TEXT,
        open INTEGER NOT NULL CHECK (open IN (0, 1)),
        doc TEXT NOT NULL CHECK (json_valid(doc)),
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;
      CREATE INDEX reviews_channel_id ON reviews (channel_id) WHERE channel_id IS NOT NULL;

      -- No foreign key to reviews: the audit trail outlives a review's disposal after the retention
      -- period (the disposal itself is audited), and refused attempts are audited too.
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        review_id TEXT NOT NULL,
        at TEXT NOT NULL CHECK (julianday(at) IS NOT NULL),
        actor TEXT NOT NULL CHECK (json_valid(actor)),
        action TEXT NOT NULL,
        detail TEXT CHECK (detail IS NULL OR json_valid(detail))
      ) STRICT;
      CREATE INDEX audit_events_review ON audit_events (review_id, seq);
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END;

      CREATE TABLE reference_counters (
        year INTEGER PRIMARY KEY,
        next INTEGER NOT NULL CHECK (next >= 1)
      ) STRICT;`,
    postgres: `
      CREATE TABLE reviews (
        id text PRIMARY KEY,
        reference text NOT NULL CONSTRAINT reviews_reference_unique UNIQUE,
        state text NOT NULL,
        profile_id text NOT NULL,
        channel_id text,
        open boolean NOT NULL,
        doc jsonb NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX reviews_channel_id ON reviews (channel_id) WHERE channel_id IS NOT NULL;

      -- No foreign key to reviews: the audit trail outlives a review's disposal after the retention
      -- period (the disposal itself is audited), and refused attempts are audited too.
      CREATE TABLE audit_events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        review_id text NOT NULL,
        at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        action text NOT NULL,
        detail jsonb
      );
      CREATE INDEX audit_events_review ON audit_events (review_id, seq);
      CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      -- Statement-level, so even an UPDATE or DELETE that matches no row, and TRUNCATE, are refused.
      CREATE TRIGGER audit_events_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

      CREATE TABLE reference_counters (
        year integer PRIMARY KEY,
        next integer NOT NULL CHECK (next >= 1)
      );`,
  },
};

/*
 * The alert outbox (scheduler/outbox.ts): one row per alert occurrence, keyed by the occurrence, so
 * enqueueing the same alert from every instance and every tick stores it once. Instants are ISO 8601
 * UTC text in SQLite (one fixed width, so text order is time order).
 */
const alertOutbox: Migration = {
  id: 2,
  name: 'alert outbox',
  sql: {
    sqlite: `
      CREATE TABLE alert_outbox (
        key TEXT PRIMARY KEY,
        review_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL CHECK (target IN ('review-channel', 'business-unit-channel')),
        due_on TEXT NOT NULL CHECK (date(due_on) = due_on),
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'claimed', 'sending', 'sent', 'failed', 'skipped', 'withdrawn')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        claimed_by TEXT,
        lease_until TEXT,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT,
        activity_id TEXT,
        late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
        reason TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX alert_outbox_ready ON alert_outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
      CREATE INDEX alert_outbox_leased ON alert_outbox (lease_until) WHERE status IN ('claimed', 'sending');
      CREATE INDEX alert_outbox_review ON alert_outbox (review_id, due_on);`,
    postgres: `
      CREATE TABLE alert_outbox (
        key text PRIMARY KEY,
        review_id text NOT NULL,
        kind text NOT NULL,
        target text NOT NULL CHECK (target IN ('review-channel', 'business-unit-channel')),
        due_on date NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL
          CHECK (status IN ('queued', 'claimed', 'sending', 'sent', 'failed', 'skipped', 'withdrawn')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        claimed_by text,
        lease_until timestamptz,
        next_attempt_at timestamptz NOT NULL,
        sent_at timestamptz,
        activity_id text,
        late boolean NOT NULL DEFAULT false,
        reason text,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX alert_outbox_ready ON alert_outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
      CREATE INDEX alert_outbox_leased ON alert_outbox (lease_until) WHERE status IN ('claimed', 'sending');
      CREATE INDEX alert_outbox_review ON alert_outbox (review_id, due_on);`,
  },
};

/*
 * The audit trail's hash chain (review/auditChain.ts). Lines written before it get their hashes once,
 * in sequence order, as this migration is applied; afterwards the only change the database lets
 * through is that one: filling the hashes of a line that has none.
 */
const auditChain: Migration = {
  id: 3,
  name: 'audit trail hash chain',
  sql: {
    sqlite: `
      ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_events ADD COLUMN hash TEXT;
      DROP TRIGGER audit_events_no_update;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        WHEN OLD.hash IS NOT NULL OR NEW.seq IS NOT OLD.seq OR NEW.review_id IS NOT OLD.review_id
          OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action
          OR NEW.detail IS NOT OLD.detail
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;`,
    postgres: `
      ALTER TABLE audit_events ADD COLUMN prev_hash text, ADD COLUMN hash text;
      DROP TRIGGER audit_events_append_only ON audit_events;
      CREATE TRIGGER audit_events_append_only
        BEFORE DELETE OR TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
      CREATE TRIGGER audit_events_no_update
        BEFORE UPDATE ON audit_events
        FOR EACH ROW
        WHEN (OLD.hash IS NOT NULL
          OR (NEW.seq, NEW.review_id, NEW.at, NEW.action) IS DISTINCT FROM (OLD.seq, OLD.review_id, OLD.at, OLD.action)
          OR NEW.actor IS DISTINCT FROM OLD.actor OR NEW.detail IS DISTINCT FROM OLD.detail)
        EXECUTE FUNCTION audit_events_refuse_change();`,
  },
  then: 'chain-audit',
};

/**
 * The partnership directory (review/directory.ts): one document, versioned like a review, so a change
 * from a card and an import never overwrite each other. Its changes go to audit_events.
 */
const partnershipDirectory: Migration = {
  id: 4,
  name: 'partnership directory',
  sql: {
    sqlite: `
      CREATE TABLE partnership_directory (
        id TEXT PRIMARY KEY CHECK (id = 'partnership'),
        doc TEXT NOT NULL CHECK (json_valid(doc)),
        version INTEGER NOT NULL CHECK (version >= 1),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT;`,
    postgres: `
      CREATE TABLE partnership_directory (
        id text PRIMARY KEY CHECK (id = 'partnership'),
        doc jsonb NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        updated_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
};

/*
 * Nudges (scheduler/nudges.ts) go through the alert outbox to one person: the target check gains
 * 'person'. SQLite cannot change a CHECK in place, so its table is rebuilt (rows kept as they are).
 */
const outboxPersonTarget: Migration = {
  id: 5,
  name: 'alert outbox: nudges to one person',
  sql: {
    sqlite: `
      CREATE TABLE alert_outbox_next (
        key TEXT PRIMARY KEY,
        review_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL CHECK (target IN ('review-channel', 'business-unit-channel', 'person')),
        due_on TEXT NOT NULL CHECK (date(due_on) = due_on),
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'claimed', 'sending', 'sent', 'failed', 'skipped', 'withdrawn')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        claimed_by TEXT,
        lease_until TEXT,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT,
        activity_id TEXT,
        late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
        reason TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO alert_outbox_next SELECT key, review_id, kind, target, due_on, payload, status, attempts,
        claimed_by, lease_until, next_attempt_at, sent_at, activity_id, late, reason, created_at FROM alert_outbox;
      DROP TABLE alert_outbox;
      ALTER TABLE alert_outbox_next RENAME TO alert_outbox;
      CREATE INDEX alert_outbox_ready ON alert_outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
      CREATE INDEX alert_outbox_leased ON alert_outbox (lease_until) WHERE status IN ('claimed', 'sending');
      CREATE INDEX alert_outbox_review ON alert_outbox (review_id, due_on);`,
    postgres: `
      ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_target_check;
      ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_target_check
        CHECK (target IN ('review-channel', 'business-unit-channel', 'person'));`,
  },
};

/*
 * Scoping returns in rows of their own, one per review and agency, so saving a return writes that row
 * alone instead of re-sealing and rewriting the whole review. Existing returns move out of the
 * documents as they are: their answers stay sealed under the same context (review id + agency), so
 * nothing is decrypted or re-sealed here. `position` keeps the order the review lists them in;
 * `status` and `revision` are kept beside the row's document (and are the truth, like a review's
 * version) so a save can check the revision it replaces without reading the document.
 */
const scopingReturnRows: Migration = {
  id: 6,
  name: 'scoping returns in their own rows',
  sql: {
    sqlite: `
      CREATE TABLE scoping_returns (
        review_id TEXT NOT NULL REFERENCES reviews (id),
        agency_id TEXT NOT NULL,
        position INTEGER NOT NULL CHECK (position >= 0),
        status TEXT NOT NULL CHECK (status IN ('requested', 'submitted')),
        revision INTEGER NOT NULL CHECK (revision >= 0),
        doc TEXT NOT NULL CHECK (json_valid(doc)),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (review_id, agency_id)
      ) STRICT;
      INSERT INTO scoping_returns (review_id, agency_id, position, status, revision, doc)
        SELECT reviews.id, json_extract(entry.value, '$.agencyId'), entry.key,
               json_extract(entry.value, '$.status'), coalesce(json_extract(entry.value, '$.revision'), 0),
               entry.value
        FROM reviews, json_each(reviews.doc, '$.scopingReturns') AS entry
        WHERE json_type(reviews.doc, '$.scopingReturns') = 'array';
      UPDATE reviews SET doc = json_remove(doc, '$.scopingReturns')
        WHERE json_type(doc, '$.scopingReturns') IS NOT NULL;`,
    postgres: `
      CREATE TABLE scoping_returns (
        review_id text NOT NULL REFERENCES reviews (id),
        agency_id text NOT NULL,
        position integer NOT NULL CHECK (position >= 0),
        status text NOT NULL CHECK (status IN ('requested', 'submitted')),
        revision integer NOT NULL CHECK (revision >= 0),
        doc jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (review_id, agency_id)
      );
      INSERT INTO scoping_returns (review_id, agency_id, position, status, revision, doc)
        SELECT reviews.id, entry.value ->> 'agencyId', entry.ordinality - 1, entry.value ->> 'status',
               coalesce((entry.value ->> 'revision')::integer, 0), entry.value
        FROM reviews,
          jsonb_array_elements(CASE WHEN jsonb_typeof(reviews.doc -> 'scopingReturns') = 'array'
            THEN reviews.doc -> 'scopingReturns' ELSE '[]'::jsonb END) WITH ORDINALITY AS entry (value, ordinality);
      UPDATE reviews SET doc = doc - 'scopingReturns' WHERE doc ? 'scopingReturns';`,
  },
};

/*
 * What the alert tick has already worked out, kept with each review so that no instance, not even a
 * freshly started one, works out again what is already in the outbox: `alerts_swept_on` is the last
 * day whose alerts are all enqueued, `alerts_due_on` the next day anything can be due ('' when the
 * review changed since, or was never swept: due at once). The tick reads only open reviews due by
 * today, through the index. `alert_settings` keeps the fingerprint of each profile's settings the
 * sweeps were made under: when it changes, that profile's reviews are all due again.
 */
const alertSweeps: Migration = {
  id: 7,
  name: 'alert sweep state per review',
  sql: {
    sqlite: `
      ALTER TABLE reviews ADD COLUMN alerts_due_on TEXT NOT NULL DEFAULT '';
      ALTER TABLE reviews ADD COLUMN alerts_swept_on TEXT;
      CREATE INDEX reviews_alerts_due ON reviews (alerts_due_on, id) WHERE open = 1;
      CREATE TABLE alert_settings (
        profile_id TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL
      ) STRICT;`,
    postgres: `
      ALTER TABLE reviews ADD COLUMN alerts_due_on text NOT NULL DEFAULT '', ADD COLUMN alerts_swept_on text;
      CREATE INDEX reviews_alerts_due ON reviews (alerts_due_on, id) WHERE open;
      CREATE TABLE alert_settings (
        profile_id text PRIMARY KEY,
        fingerprint text NOT NULL
      );`,
  },
};

/*
 * A review's Teams records keyed by id become lists of records that carry their id: each agency's
 * scoping card (`teamspace.scopingCards`, was an object by agency id) and each member's Teams user
 * id (`teamspace.teamsUserIds`, was an object by member key). An object keyed by ids people type
 * (an agency called "constructor") needed own-property reads everywhere; a list is read with a Map.
 * A rewritten review gets a new version, so a copy read before the migration cannot be saved over it.
 */
const teamspaceRecordLists: Migration = {
  id: 8,
  name: "a review's Teams records as lists",
  sql: {
    sqlite: `
      UPDATE reviews SET
        doc = json_set(doc, '$.teamspace.scopingCards', (
          SELECT json_group_array(json_set(card.value, '$.agencyId', card.key))
          FROM json_each(reviews.doc, '$.teamspace.scopingCards') AS card)),
        version = version + 1
        WHERE json_type(doc, '$.teamspace.scopingCards') = 'object';
      UPDATE reviews SET
        doc = json_set(doc, '$.teamspace.teamsUserIds', (
          SELECT json_group_array(json_object('memberKey', entry.key, 'teamsUserId', entry.value))
          FROM json_each(reviews.doc, '$.teamspace.teamsUserIds') AS entry)),
        version = version + 1
        WHERE json_type(doc, '$.teamspace.teamsUserIds') = 'object';`,
    postgres: `
      UPDATE reviews SET
        doc = jsonb_set(doc, '{teamspace,scopingCards}', (
          SELECT coalesce(jsonb_agg(card.value || jsonb_build_object('agencyId', card.key) ORDER BY card.key), '[]'::jsonb)
          FROM jsonb_each(reviews.doc -> 'teamspace' -> 'scopingCards') AS card)),
        version = version + 1
        WHERE jsonb_typeof(doc -> 'teamspace' -> 'scopingCards') = 'object';
      UPDATE reviews SET
        doc = jsonb_set(doc, '{teamspace,teamsUserIds}', (
          SELECT coalesce(jsonb_agg(jsonb_build_object('memberKey', entry.key, 'teamsUserId', entry.value)
            ORDER BY entry.key), '[]'::jsonb)
          FROM jsonb_each(reviews.doc -> 'teamspace' -> 'teamsUserIds') AS entry)),
        version = version + 1
        WHERE jsonb_typeof(doc -> 'teamspace' -> 'teamsUserIds') = 'object';`,
  },
};

export const migrations: readonly Migration[] = [
  reviewsAuditAndReferences,
  alertOutbox,
  auditChain,
  partnershipDirectory,
  outboxPersonTarget,
  scopingReturnRows,
  alertSweeps,
  teamspaceRecordLists,
];

/** The schema version this build expects once `migrate()` has run. */
export function latestSchemaVersion(list: readonly Migration[] = migrations): number {
  return list.reduce((highest, migration) => Math.max(highest, migration.id), 0);
}

/**
 * The migrations still to apply, in order. Refuses a list whose numbers are not strictly increasing
 * (an edit mistake that would apply migrations out of order), and a database that has recorded a
 * migration this build does not know: that database belongs to a newer release, and running older
 * code against it could write data the newer schema no longer expects.
 */
export function pendingMigrations(list: readonly Migration[], applied: Iterable<number>): Migration[] {
  list.forEach((migration, index) => {
    if (!Number.isInteger(migration.id) || migration.id < 1) {
      throw new Error(`migration '${migration.name}': id must be a positive integer (got ${migration.id})`);
    }
    const previous = list[index - 1];
    if (previous && migration.id <= previous.id) {
      throw new Error(`migration ${migration.id} is listed after ${previous.id}: ids must increase`);
    }
  });
  const known = new Set(list.map((migration) => migration.id));
  const recorded = new Set(applied);
  const unknown = [...recorded].filter((version) => !known.has(version)).sort((a, b) => a - b);
  if (unknown.length > 0) {
    throw new Error(
      `the database has migration(s) ${unknown.join(', ')} applied, which this build does not know ` +
        `(it knows up to ${latestSchemaVersion(list)}): run a newer release against this database`,
    );
  }
  return list.filter((migration) => !recorded.has(migration.id));
}

/** Names the migration that failed, so the one line an operator sees says where to look. */
export function migrationFailed(migration: Migration, error: unknown): Error {
  const reason =
    typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return new Error(`migration ${migration.id} (${migration.name}) failed: ${reason}`, { cause: error });
}

/*
 * reference_counters keeps one serial per year; this is how a serial becomes the reference both stores
 * hand out, so the two cannot drift apart.
 */
export function assertReferenceYear(year: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`reference year must be a four-digit year (got ${year})`);
  }
}

/** 'RR-2026-003': three digits at least, more once a year passes 999 reviews. */
export function formatReference(year: number, serial: number): string {
  return `RR-${year}-${String(serial).padStart(3, '0')}`;
}
