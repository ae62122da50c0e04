/**
 * Issue 12: kill -9 at each step of set-up and dispatch — nothing lost, nothing posted twice.
 *
 * The bot runs in a child process (test/security/killNineBot.ts) on a SQLite file or a PostgreSQL
 * schema of its own (each store its own run of every kill point), against this
 * process's Graph sandbox and fake Teams connector. Each kill point SIGKILLs it at one step: while
 * Graph or Teams holds a request the bot made — before carrying it out, or after (the channel made,
 * the card posted, the answer never back) — or, in the child, right after one of its own writes is
 * committed. A new bot then starts on the same file and the same "Teams" and its own timers run (the
 * start-up upkeep, then two rounds of upkeep and alerts two minutes apart on its clock), and the
 * story goes on to its end: the review opened and set up, three working days of alerts, the weekly
 * digest and the nudges. Then: the review exists if the officer was told it opened; one channel;
 * each member once; the welcome and each scoping card once; the business unit told "ready" once;
 * each alert once and every alert owed gone; one digest. The subject is the fixtures' fictitious one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FaultPolicy } from '../graph-sandbox/graphSandbox';
import { openReviewValues, people, reviewChannels, startTenant, tenantId, type Tenant } from '../bot/harness';
import { TeamsClient, type InvokeResult } from '../teamsClient/teamsClient';
import type { RecordedActivity } from '../teamsClient/fakeConnector';
import { alertTokenIn } from '../../scheduler/dispatcher';
import { dropScratchSchema } from '../../scheduler/simulation/database';
import { databaseUrl } from '../storeContract';
import type { KillNineReport, KillNineRequest } from './killNineBot';
import { storesUnderTest, type StoreUnderTest } from './stores';

const reference = 'RR-2026-001';
const openedAt = '2026-12-02T10:00:00.000Z';
/** Working days after opening: a countdown alert each; Monday the 7th the weekly digest; the 8th nudges. */
const alertDays = ['2026-12-03T09:00:00.000Z', '2026-12-07T09:00:00.000Z', '2026-12-08T09:00:00.000Z'];
/** Kill points run this many at a time, each with its own tenant, file and bot. */
const atOnce = 3;

interface KillPoint {
  name: string;
  /** Graph holds the Nth request matching: before carrying it out (landed false) or after. */
  graph?: { method: string; path: RegExp; nth?: number; landed: boolean };
  /** Teams holds the Nth post matching: before taking it, or after (posted, answer lost). */
  teams?: {
    kind: RecordedActivity['kind'];
    where: RegExp;
    text?: RegExp;
    nth?: number;
    at: 'before' | 'after';
  };
  /** The child kills itself right after this write (killNineBot.ts). */
  child?: string;
  /**
   * Told "ready" twice is the one duplicate allowed, and only here: the message went to the officer's
   * 1:1 chat, which the bot cannot read back (Chat.Read.All is not asked for), so a "ready" Teams took
   * but the bot never recorded is told again rather than risk never telling it.
   */
  readyMayRepeat?: boolean;
}

const channel = /^19:(?!business-unit)[0-9a-f]+@thread\.tacv2/;
const officerChat = /^a:personal-/;
const nudgeChat = /^19:[0-9a-f-]+_/;
const businessUnit = /^19:business-unit@thread\.tacv2/;

const killPoints: KillPoint[] = [
  // Set-up, in its order.
  { name: 'people look-up at opening', graph: { method: 'POST', path: /\/\$batch$/, landed: false } },
  { name: 'review row saved, before the officer is answered', child: 'store:review.created' },
  {
    name: 'team members added (answer lost)',
    graph: { method: 'POST', path: /\/teams\/[^/]+\/members\/add$/, landed: true },
  },
  {
    name: 'channel create, before Graph',
    graph: { method: 'POST', path: /\/teams\/[^/]+\/channels$/, landed: false },
  },
  {
    name: 'channel created (answer lost)',
    graph: { method: 'POST', path: /\/teams\/[^/]+\/channels$/, landed: true },
  },
  { name: 'channel created and recorded', child: 'store:channel.created' },
  {
    name: 'app enabled in the channel (answer lost)',
    graph: { method: 'POST', path: /enabledApps\/\$ref$/, landed: true },
  },
  {
    name: 'channel members added (answer lost)',
    graph: { method: 'POST', path: /\/\$batch$/, nth: 2, landed: true },
  },
  { name: 'welcome card, before Teams', teams: { kind: 'create', where: channel, at: 'before' } },
  { name: 'welcome card posted (answer lost)', teams: { kind: 'create', where: channel, at: 'after' } },
  {
    name: 'first scoping card posted (answer lost)',
    teams: { kind: 'create', where: channel, nth: 2, at: 'after' },
  },
  {
    name: 'third scoping card, before Teams',
    teams: { kind: 'create', where: channel, nth: 4, at: 'before' },
  },
  {
    name: 'last scoping card posted (answer lost)',
    teams: { kind: 'create', where: channel, nth: 5, at: 'after' },
  },
  { name: 'scoping sent recorded, before "ready"', child: 'store:scoping.sent' },
  {
    name: '"ready", before Teams',
    teams: { kind: 'reply', where: officerChat, text: /is ready/, at: 'before' },
  },
  {
    name: '"ready" posted (answer lost)',
    teams: { kind: 'reply', where: officerChat, text: /is ready/, at: 'after' },
    readyMayRepeat: true,
  },
  // Dispatch.
  { name: 'alert claimed', child: 'outbox:claim' },
  {
    name: 'alert, before Teams',
    teams: { kind: 'reply', where: channel, text: /Working day/, at: 'before' },
  },
  {
    name: 'alert posted (answer lost)',
    teams: { kind: 'reply', where: channel, text: /Working day/, at: 'after' },
  },
  {
    name: 'nudge: app installed for the person (answer lost)',
    graph: { method: 'POST', path: /\/users\/[^/]+\/teamwork\/installedApps$/, landed: true },
  },
  { name: 'nudge posted (answer lost)', teams: { kind: 'reply', where: nudgeChat, nth: 2, at: 'after' } },
  { name: 'weekly digest, before Teams', teams: { kind: 'create', where: businessUnit, at: 'before' } },
  { name: 'weekly digest posted (answer lost)', teams: { kind: 'create', where: businessUnit, at: 'after' } },
];

class Killed extends Error {}

/** One bot process: its Teams client, and its commands over IPC (rejected with Killed if it dies). */
interface Bot {
  client: TeamsClient;
  child: ChildProcess;
  dead(): boolean;
  /** Whether the bot has died, given a moment for its exit to be seen (a request may fail first). */
  died(): Promise<boolean>;
  ask(command: KillNineRequest['command'], iso?: string): Promise<unknown>;
  stop(): Promise<void>;
}

async function startBot(
  tenant: Tenant,
  dir: string,
  clock: string,
  killAt?: string,
  pgSchema?: string,
): Promise<Bot> {
  const child = fork(path.join(__dirname, 'killNineBot.ts'), [], {
    execArgv: ['--require', path.join(__dirname, 'transpileHook.js')],
    env: {
      ...process.env,
      RR_SQLITE_PATH: path.join(dir, 'rapid-review.db'),
      RR_REPORTS_DIR: path.join(dir, 'reports'),
      RR_GRAPH_URL: tenant.sandbox.url,
      RR_CONNECTOR_URL: tenant.connector.url,
      RR_CLOCK: clock,
      RR_KILL_AT: killAt ?? '',
      RR_PG_SCHEMA: pgSchema ?? '',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  void exit.then(() => {
    for (const waiting of pending.values()) waiting.reject(new Killed('the bot died'));
    pending.clear();
  });
  let nextId = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: { ready?: string; id?: number; result?: unknown; error?: string }) => {
      if (message.ready) return resolve(message.ready);
      const waiting = pending.get(message.id ?? -1);
      if (!waiting) return;
      pending.delete(message.id as number);
      if (message.error !== undefined) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
    void exit.then(() => reject(new Killed('the bot died starting')));
  });
  const client = new TeamsClient({
    botUrl: url,
    connector: tenant.connector,
    tenantId,
    botId: '28:rapid-review',
  });
  tenant.deliverTo(client);
  return {
    client,
    child,
    dead: () => exited,
    died: async () => {
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 2000))]);
      return exited;
    },
    ask: (command, iso) => {
      if (exited) return Promise.reject(new Killed('the bot is dead'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send((command === 'clock' ? { id, command, iso } : { id, command }) as KillNineRequest);
      });
    },
    stop: async () => {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}

/** Background work done and Teams' install events delivered (as the harness's idle). */
async function settle(bot: Bot, tenant: Tenant): Promise<void> {
  do {
    await bot.ask('idle');
    await tenant.eventsDelivered();
  } while (tenant.eventsPending());
  await bot.ask('idle');
}

const plusMinutes = (iso: string, minutes: number) =>
  new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();

/** Two rounds of the bot's timers (upkeep and alerts), two minutes apart from `from`. */
async function timerRounds(bot: Bot, tenant: Tenant, from: string): Promise<void> {
  let clock = from;
  for (let round = 0; round < 2; round += 1) {
    clock = plusMinutes(clock, 2);
    await bot.ask('clock', clock);
    await bot.ask('upkeep');
    await bot.ask('alerts');
    await settle(bot, tenant);
  }
}

/** Arms the kill point on the tenant; `kill` is called once, when the bot is held at the point. */
function arm(point: KillPoint, tenant: Tenant, kill: () => void): () => boolean {
  let hit = false;
  if (point.graph) {
    const { method, path: target, nth = 1, landed } = point.graph;
    let seen = 0;
    const policy: FaultPolicy = (request) => {
      if (hit || request.batched || request.method !== method || !target.test(request.path.split('?')[0])) {
        return undefined;
      }
      seen += 1;
      if (seen < nth) return undefined;
      hit = true;
      // Killed once the sandbox has carried the request out (if landed) and left it unanswered.
      const poll = setInterval(() => {
        if (tenant.sandbox.requests.some((r) => r.fault === 'hang')) {
          clearInterval(poll);
          kill();
        }
      }, 5);
      return { hang: true, landed };
    };
    tenant.sandbox.setFaultPolicy(policy);
  }
  if (point.teams) {
    const { kind, where, text, nth = 1, at } = point.teams;
    let seen = 0;
    tenant.connector.hold((post) => {
      if (hit || post.kind !== kind || !where.test(post.conversationId)) return undefined;
      if (text && !text.test(post.text)) return undefined;
      seen += 1;
      if (seen < nth) return undefined;
      hit = true;
      setImmediate(kill);
      return at;
    });
  }
  return () => hit || Boolean(point.child);
}

function disarm(tenant: Tenant): void {
  tenant.sandbox.setFaultPolicy(undefined);
  tenant.connector.hold(undefined);
}

interface Outcome {
  /** Where the bot was killed ('' when it never was). */
  killedIn: string;
  /** The officer's first answer to the open-review form said the review is opened. */
  toldOpened: boolean;
  /** Nothing was saved after the kill, and the officer (never told) sent the form again. */
  resubmitted: boolean;
  report: KillNineReport;
  tenant: Tenant;
}

/** The whole story with one kill point; the second life runs the rest. */
async function runStory(point: KillPoint | undefined, store: StoreUnderTest): Promise<Outcome> {
  const tenant = await startTenant();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-kill9-'));
  // Both lives of the bot on the same database: a file, or a PostgreSQL schema of this story's own.
  const pgSchema = store.name === 'postgres' ? `rr_kill9_${randomBytes(6).toString('hex')}` : undefined;
  let bot = await startBot(tenant, dir, openedAt, point?.child, pgSchema);
  const killed = () => bot.child.kill('SIGKILL');
  const reached = point ? arm(point, tenant, killed) : () => false;
  let killedIn = '';
  let officerAnswer: InvokeResult | undefined;
  const toldOpened = () => JSON.stringify(officerAnswer?.body ?? '').includes('The review is opened');
  let resubmitted = false;
  const stages: { name: string; at: string; run(): Promise<void> }[] = [
    {
      name: 'opening',
      at: openedAt,
      run: async () => {
        officerAnswer = await bot.client.act(people.officer, 'review.open', openReviewValues());
        await settle(bot, tenant);
        await timerRounds(bot, tenant, openedAt);
      },
    },
    ...alertDays.map((at) => ({
      name: at.slice(0, 10),
      at,
      run: async () => {
        await bot.ask('clock', at);
        await bot.ask('upkeep');
        await bot.ask('alerts');
        await settle(bot, tenant);
      },
    })),
  ];
  try {
    for (const stage of stages) {
      try {
        await stage.run();
      } catch (error) {
        if (!(error instanceof Killed) && !(await bot.died())) throw error;
        // The officer's request dies with the bot (fetch fails): no answer came.
        await bot.stop();
      }
      if (!bot.dead()) continue;
      killedIn = stage.name;
      disarm(tenant);
      // Second life, five minutes on: the start-up upkeep runs by itself, then the bot's timers.
      const clock = plusMinutes(stage.at, 5);
      bot = await startBot(tenant, dir, clock, undefined, pgSchema);
      await settle(bot, tenant);
      await timerRounds(bot, tenant, clock);
      const { reviews } = (await bot.ask('report')) as KillNineReport;
      if (stage.name === 'opening' && reviews.length === 0) {
        // Nothing was saved: the officer, never answered, sends the form again.
        resubmitted = true;
        expect(toldOpened()).toBe(false);
        const again = await bot.client.act(people.officer, 'review.open', openReviewValues());
        expect(JSON.stringify(again.body)).toContain('The review is opened');
        await settle(bot, tenant);
        await timerRounds(bot, tenant, plusMinutes(clock, 4));
      }
    }
    if (point)
      expect({ point: point.name, reached: reached(), killed: killedIn !== '' }).toEqual({
        point: point.name,
        reached: true,
        killed: true,
      });
    const report = (await bot.ask('report')) as KillNineReport;
    expect(report.store).toBe(store.name);
    return { killedIn, toldOpened: toldOpened(), resubmitted, report, tenant };
  } catch (error) {
    await tenant.close();
    throw error;
  } finally {
    await bot.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (pgSchema) await dropScratchSchema(databaseUrl(), pgSchema);
  }
}

/** What the story left in Teams and in the store, as counts a person would check. */
function tally(outcome: Outcome) {
  const { tenant, report } = outcome;
  const review = report.reviews.find((r) => r.reference === reference);
  const channelId = review?.channelId ?? '';
  const posts = tenant.connector.activities;
  const tokens = posts
    .filter((a) => a.kind !== 'update')
    .map((a) => alertTokenIn(String(a.activity.text ?? '')))
    .filter((token): token is string => token !== undefined);
  const cardRefs = posts
    .filter((a) => a.kind === 'create' && a.channelId === channelId)
    .map((a) => /\(ref ([0-9a-f]+)\)/.exec(JSON.stringify(a.activity))?.[1] ?? 'none');
  const members = (tenant.sandbox.state.members[channelId] ?? []).map((member) => member.userId);
  const sent = (target: string) =>
    report.outbox.filter((row) => row.target === target && row.status === 'sent').length;
  return {
    reviews: report.reviews.map((r) => `${r.reference} ${r.state}`),
    readyOwed: review?.readyOwed ?? false,
    channels: reviewChannels(tenant).map(
      (c) => `${c.displayName} ${c.id === channelId ? 'recorded' : 'not recorded'}`,
    ),
    members: members.length,
    distinctMembers: new Set(members).size,
    setupCards: cardRefs.length,
    distinctSetupCards: new Set(cardRefs).size,
    scopingCardsRecorded: review?.scopingCards.length ?? 0,
    readyTold: posts.filter(
      (a) =>
        officerChat.test(a.conversationId) &&
        String(a.activity.text ?? '').startsWith(`${reference} is ready`),
    ).length,
    alertsInTeams: tokens.length,
    distinctAlerts: new Set(tokens).size,
    alertsSentToReview: sent('review-channel'),
    nudgesSent: sent('person'),
    owedNotGone: report.outbox.filter((row) => !['sent', 'skipped', 'withdrawn'].includes(row.status)).length,
    digests: posts.filter((a) => a.kind === 'create' && businessUnit.test(a.conversationId)).length,
  };
}

/** At most `limit` stories at once. */
function pool(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** Stories at once, across both stores: each is a bot process, a Graph sandbox and a fake Teams. */
const slot = pool(atOnce);

describe.each(storesUnderTest)('kill -9 at each step of set-up and dispatch (issue 12), $name', (store) => {
  const started = Date.now();
  // Not a beforeAll: jest starts concurrent tests without waiting for one. The first to ask runs it.
  let controlRun: Promise<ReturnType<typeof tally>> | undefined;
  const theControl = () =>
    (controlRun ??= slot(() => runStory(undefined, store)).then(async (outcome) => {
      const counted = tally(outcome);
      if (!outcome.toldOpened) throw new Error('the control: the officer was not told the review opened');
      await outcome.tenant.close();
      return counted;
    }));
  const results: { name: string; passed: boolean }[] = [];

  afterAll(() => {
    const passed = results.filter((r) => r.passed).length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`kill -9 (${store.name}): ${results.length} kill points, ${passed} passed, ${seconds} s`);
  });

  it('runs the story to its end without a kill (the control the kill points are held to)', async () => {
    const control = await theControl();
    expect(control).toMatchObject({
      reviews: [`${reference} scoping`],
      channels: [`${reference} recorded`],
      setupCards: 5,
      readyTold: 1,
      owedNotGone: 0,
      digests: 1,
    });
    expect(control.alertsSentToReview).toBeGreaterThanOrEqual(3);
    expect(control.nudgesSent).toBe(4);
  });

  it.concurrent.each(killPoints)('killed at: $name — nothing lost, nothing twice', async (point) => {
    let passed = false;
    try {
      await check(point);
      passed = true;
    } finally {
      results.push({ name: point.name, passed });
    }
  });

  async function check(point: KillPoint): Promise<void> {
    const control = await theControl();
    const outcome = await slot(() => runStory(point, store));
    try {
      const found = tally(outcome);
      // Told it opened: the review exists, never opened again.
      if (outcome.toldOpened) expect(outcome.resubmitted).toBe(false);
      const nudgePoint = /nudge/.test(point.name);
      expect({
        ...found,
        // A nudge whose post may have landed is not sent again: its chat cannot be read back.
        nudgesSent: nudgePoint ? Math.max(found.nudgesSent, control.nudgesSent) : found.nudgesSent,
        readyTold: point.readyMayRepeat ? Math.min(found.readyTold, control.readyTold) : found.readyTold,
      }).toEqual(control);
      if (nudgePoint) expect(found.nudgesSent).toBeGreaterThanOrEqual(control.nudgesSent - 1);
      if (point.readyMayRepeat) expect(found.readyTold).toBeLessThanOrEqual(2);
    } finally {
      await outcome.tenant.close();
    }
  }
});
