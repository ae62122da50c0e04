/**
 * The bot as test/security/killNine.test.ts runs it in a child process, so it can be killed with
 * SIGKILL: the real server, adapter, store (a SQLite file, or with RR_PG_SCHEMA a PostgreSQL schema
 * at DATABASE_URL), upkeep and alert tick, against the parent's Graph sandbox and fake Teams
 * connector, configured as test/bot/harness.ts configures it. Its clock and its timers are the
 * parent's to move (over IPC), as the harness's manual timers are.
 *
 * Most kill points are the parent's (it kills this process while Graph or Teams holds a request).
 * The few that fall between two writes of the bot's own database are here: with RR_KILL_AT set, the
 * process kills itself right after the named write is committed.
 *   store:<audit action>  after the review write whose audit carries that action (e.g. scoping.sent)
 *   store:review.created  after the new review row is saved, before the officer's answer
 *   outbox:claim          after the alert tick's claim of at least one alert is committed
 */
import { startBotApp } from '../../bot/app';
import { silentLogger } from '../../bot/log';
import { openStore } from '../../review/openStore';
import type { ReviewStore } from '../../review/store';
import { openPostgresStore } from '../../review/postgresStore';
import { PostgresOutbox } from '../../scheduler/postgresOutbox';
import { SqliteOutbox } from '../../scheduler/sqliteOutbox';
import { databaseUrl } from '../storeContract';
import { outboxFor } from '../../bot/alerts';
import { fixedClock, localBotConfig } from '../bot/harness';

/** What the parent asks; every request is answered with its id. */
export type KillNineRequest =
  | { id: number; command: 'clock'; iso: string }
  | { id: number; command: 'upkeep' | 'alerts' | 'idle' | 'report' };

/** What the parent reads back about the one review and the outbox after a run. */
export interface KillNineReport {
  /** The store the bot ran on ('sqlite' or 'postgres'). */
  store: string;
  reviews: {
    reference: string;
    state: string;
    channelId?: string;
    welcomeActivityId?: string;
    scopingCards: string[];
    readyOwed?: boolean;
    audit: string[];
  }[];
  outbox: { kind: string; target: string; dueOn: string; status: string; reason: string | null }[];
}

const killAt = process.env.RR_KILL_AT ?? '';
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: killed');
};

/** The store, killing this process right after the write RR_KILL_AT names is committed. */
function killingStore(store: ReviewStore): ReviewStore {
  if (killAt === 'store:review.created') {
    const create = store.createReview.bind(store);
    store.createReview = async (...args) => {
      await create(...args);
      return die();
    };
  } else if (killAt.startsWith('store:')) {
    const action = killAt.slice('store:'.length);
    const update = store.updateReview.bind(store);
    store.updateReview = async (id, change) => {
      let named = false;
      const result = await update(id, (current) => {
        const changed = change(current);
        named = changed.ok && changed.audit.some((line) => line.action === action);
        return changed;
      });
      if (named && result.ok) die();
      return result;
    };
  }
  return store;
}

if (killAt === 'outbox:claim') {
  for (const outbox of [SqliteOutbox.prototype, PostgresOutbox.prototype]) {
    const claim = outbox.claim;
    outbox.claim = async function claimThenDie(this: typeof outbox, ...args) {
      const rows = await claim.apply(this, args);
      if (rows.length > 0) die();
      return rows;
    };
  }
}

/** The store the bot would open from its configuration, or the PostgreSQL schema the parent named. */
async function openBotStore(config: Parameters<typeof openStore>[0]): Promise<ReviewStore> {
  const schema = process.env.RR_PG_SCHEMA;
  if (!schema) return openStore(config);
  const store = await openPostgresStore({ connectionString: databaseUrl(), schema, poolSize: 4 });
  await store.migrate();
  return store;
}

async function main(): Promise<void> {
  const env = process.env;
  const clock = fixedClock(env.RR_CLOCK ?? '2026-12-02T10:00:00.000Z');
  const config = localBotConfig({
    sqlitePath: String(env.RR_SQLITE_PATH),
    reportsDir: String(env.RR_REPORTS_DIR),
    graphUrl: String(env.RR_GRAPH_URL),
  });
  const app = await startBotApp(
    { ...config, server: { ...config.server, port: 0 } },
    {
      clock,
      log: silentLogger,
      serviceUrl: env.RR_CONNECTOR_URL,
      manualTimers: true,
      // A request Graph never answers is given up on in seconds, not the configured 30.
      graphTiming: { delayScale: 0.001, requestTimeoutMs: 3000 },
      openStore: async (storeConfig) => killingStore(await openBotStore(storeConfig)),
    },
  );
  const answer = async (request: KillNineRequest): Promise<unknown> => {
    switch (request.command) {
      case 'clock':
        clock.set(request.iso);
        return null;
      case 'upkeep':
        return app.runUpkeep?.();
      case 'alerts':
        return app.runAlerts?.();
      case 'idle':
        return app.idle();
      case 'report':
        return report(app.deps.store);
    }
  };
  process.on('message', (request: KillNineRequest) => {
    answer(request).then(
      (result) => process.send?.({ id: request.id, result: result ?? null }),
      (error: unknown) => process.send?.({ id: request.id, error: (error as Error).message }),
    );
  });
  process.send?.({ ready: app.url });
}

async function report(store: ReviewStore): Promise<KillNineReport> {
  const reviews = await Promise.all(
    (await store.listReviews()).map(async (review) => ({
      reference: review.reference,
      state: review.state,
      channelId: review.teamspace.channelId,
      welcomeActivityId: review.teamspace.welcomeActivityId,
      scopingCards: review.teamspace.scopingCards.map((card) => card.agencyId),
      readyOwed: review.teamspace.readyOwed,
      audit: (await store.auditTrail(review.id)).map((line) => line.action),
    })),
  );
  const outbox = (await outboxFor(store).list()).map((row) => ({
    kind: row.kind,
    target: row.target,
    dueOn: row.dueOn,
    status: row.status,
    reason: row.reason,
  }));
  return { store: store.kind, reviews, outbox };
}

main().catch((error: unknown) => {
  console.error(`kill -9 bot: ${(error as Error).message}`);
  process.exit(1);
});
