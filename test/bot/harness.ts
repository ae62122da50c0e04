/**
 * Starts the whole bot as the demo and the HTTP tests use it: the real server and adapter (local,
 * unauthenticated loopback mode), a SQLite file, the local Graph sandbox and a fake Teams connector.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBotApp, type BotApp, type BotAppOverrides } from '../../bot/app';
import { loadConfig, type AppConfig } from '../../bot/config';
import { silentLogger, type Logger } from '../../bot/log';
import type { Clock } from '../../review/ports';
import { startGraphSandbox, type GraphSandbox } from '../graph-sandbox/graphSandbox';
import type { SandboxUserSeed } from '../graph-sandbox/sandboxTenant';
import { startFakeConnector, type FakeConnector, type RosterMember } from '../teamsClient/fakeConnector';
import { TeamsClient } from '../teamsClient/teamsClient';

export const tenantId = '6f1a7c2e-0b1d-4c3e-9a55-2b8f0d1e7a10';
export const teamId = '0a1b2c3d-1111-4222-8333-444455556666';
export const businessUnitChannelId = '19:business-unit@thread.tacv2';

const person = (key: string, name: string, email: string): RosterMember => ({
  id: `29:${key}`,
  aadObjectId: `00000000-0000-4000-8000-${key.padStart(12, '0')}`,
  name,
  email,
});

/** Fictitious people of a fictitious partnership. */
export const people = {
  officer: person('1', 'Bea Unit', 'bea.unit@partnership.example'),
  laRep: person('2', 'Lara Authority', 'lara.authority@council.example'),
  policeRep: person('3', 'Pete Constable', 'pete.constable@police.example'),
  icbRep: person('4', 'Isla Board', 'isla.board@icb.example'),
  schoolRep: person('5', 'Sam Teacher', 'sam.teacher@school.example'),
  chair: person('6', 'Chris Chair', 'chris.chair@partnership.example'),
  outsider: person('7', 'Olly Outsider', 'olly.outsider@elsewhere.example'),
};

/** The bot's Teams app as the tenant's app catalog knows it (installed in the partnership's team). */
export const teamsAppId = 'c0ffee00-0000-4000-8000-00000000a11c';
/** The mailbox that organises review meetings: a user in the directory like anyone else. */
export const meetingOrganizer = 'review-meetings@partnership.example';
export const tenantDomain = 'partnership.onmicrosoft.com';
/** People of the partnership's own organisation; everyone else is a guest from their own tenant. */
const partnershipDomain = 'partnership.example';

/**
 * Someone as the partnership's directory (Entra ID) holds them: staff of the partnership are members
 * whose sign-in name is their e-mail; people from other organisations are guests whose user principal
 * name is NOT their e-mail.
 */
export function directoryEntry(member: RosterMember): SandboxUserSeed {
  const [local, domain] = member.email.split('@');
  const guest = domain !== partnershipDomain;
  return {
    id: member.aadObjectId,
    displayName: member.name,
    mail: member.email,
    userPrincipalName: guest ? `${local}_${domain}#EXT#@${tenantDomain}` : member.email,
    userType: guest ? 'Guest' : 'Member',
  };
}

const organizerEntry: SandboxUserSeed = {
  id: '00000000-0000-4000-8000-0000000000aa',
  displayName: 'Review meetings',
  mail: meetingOrganizer,
  userPrincipalName: meetingOrganizer,
  userType: 'Member',
};

/** A clock that stays where a test puts it. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => (now = new Date(next)) };
}

/**
 * The partnership's Microsoft 365 tenant as the bot meets it: the strict Graph sandbox (directory,
 * the partnership's team with the bot installed, permissions) and the fake Teams connector, which
 * refuses posts into a channel the bot has not been added to. When the bot enables its app in a
 * channel, Teams sends it the install event a moment later, as a real tenant does.
 */
export interface Tenant {
  sandbox: GraphSandbox;
  connector: FakeConnector;
  /** Where Teams sends its events (the running bot's client). */
  deliverTo(client: TeamsClient): void;
  /** The tenant's time (attendance reports appear a while after a meeting ends), e.g. the bot's clock. */
  useClock(now: () => Date): void;
  eventsDelivered(): Promise<void>;
  eventsPending(): boolean;
  close(): Promise<void>;
}

export async function startTenant(options: { graphLog?: string } = {}): Promise<Tenant> {
  const pendingEvents = new Set<Promise<unknown>>();
  let client: TeamsClient | undefined;
  let now = () => new Date();
  let postedIn: FakeConnector['channelMessages'] = () => [];
  const sandbox = await startGraphSandbox({
    // Teams holds what the bot posted; Graph reads it back (the look-up before a re-post).
    channelMessages: (channelId, threadId) => postedIn(channelId, threadId),
    logFile: options.graphLog,
    now: () => now(),
    teamsAppId,
    directory: [...Object.values(people).map(directoryEntry), organizerEntry],
    teams: [
      {
        id: teamId,
        displayName: 'Exampleshire Safeguarding Partnership',
        // The business unit and the chair work in the team; agencies' people join review by review.
        members: [people.officer.aadObjectId, people.chair.aadObjectId],
        owners: [people.officer.aadObjectId],
        channels: [{ id: businessUnitChannelId, displayName: 'Business unit' }],
        installedApps: [teamsAppId],
      },
    ],
    onAppEnabledInChannel: (event) => {
      const delivered = new Promise((resolve) => setTimeout(resolve, 5)).then(() =>
        client?.botAddedToChannel(event.teamId, event.channelId),
      );
      const tracked: Promise<unknown> = delivered
        .catch(() => undefined)
        .finally(() => pendingEvents.delete(tracked));
      pendingEvents.add(tracked);
    },
  });
  const connector = await startFakeConnector(Object.values(people), {
    channelAccess: (channelId) => sandbox.appEnabledInChannel(channelId),
    personalChatAccess: (chatId) => sandbox.personalChatOpen(chatId),
  });
  postedIn = (channelId, threadId) => connector.channelMessages(channelId, threadId);
  return {
    sandbox,
    connector,
    deliverTo: (next) => {
      client = next;
    },
    useClock: (next) => {
      now = next;
    },
    eventsDelivered: async () => {
      await Promise.all([...pendingEvents]);
    },
    eventsPending: () => pendingEvents.size > 0,
    close: async () => {
      await connector.close();
      await sandbox.close();
    },
  };
}

/** The bot's configuration in a test: local mode, the partnership's team and officer, its tenant only. */
export function localBotConfig(where: {
  sqlitePath: string;
  reportsDir: string;
  graphUrl: string;
}): AppConfig {
  return loadConfig({
    RR_MODE: 'local',
    NODE_ENV: 'test',
    SQLITE_PATH: where.sqlitePath,
    REPORTS_DIR: where.reportsDir,
    GRAPH_BASE_URL: where.graphUrl,
    BUSINESS_UNIT_TEAM_ID: teamId,
    BUSINESS_UNIT_CHANNEL_ID: businessUnitChannelId,
    BUSINESS_UNIT_USERS: people.officer.aadObjectId,
    TEAMS_APP_ID: teamsAppId,
    // Served as production serves its own tenant: activities from any other are refused.
    LOCAL_TENANT_IDS: tenantId,
    LOG_LEVEL: 'silent',
  });
}

export interface Harness {
  app: BotApp;
  /** Adds people to Teams (the connector's roster) and to the partnership's directory. */
  addPeople(members: readonly RosterMember[]): void;
  sandbox: GraphSandbox;
  connector: FakeConnector;
  client: TeamsClient;
  config: AppConfig;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    clock?: Clock;
    sqlitePath?: string;
    graphLog?: string;
    skipResume?: boolean;
    /** Where the bot logs (silent by default). */
    log?: Logger;
    /** Reuse a running tenant (Graph and Teams), e.g. to restart the bot against the same "Teams". */
    tenant?: Tenant;
    /** A connector of the test's own in place of the tenant's (e.g. one with its own channel rules). */
    connector?: FakeConnector;
    /** Graph's retry waits scaled and its request timeout (tests that inject Graph faults). */
    graphTiming?: BotAppOverrides['graphTiming'];
    /** A store of the test's own (e.g. PostgreSQL in a scratch schema) in place of the SQLite file; the test closes it. */
    store?: BotAppOverrides['store'];
  } = {},
): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-bot-'));
  const tenant = options.tenant ?? (await startTenant({ graphLog: options.graphLog }));
  const { sandbox } = tenant;
  const connector = options.connector ?? tenant.connector;
  const config = localBotConfig({
    sqlitePath: options.sqlitePath ?? path.join(dataDir, 'rapid-review.db'),
    // Reports and exports stay in the test's own folder, never the working directory.
    reportsDir: path.join(dataDir, 'reports'),
    graphUrl: sandbox.url,
  });
  const app = await startBotApp(
    { ...config, server: { ...config.server, port: 0 } },
    {
      clock: options.clock ?? fixedClock('2026-12-02T10:00:00.000Z'),
      log: options.log ?? silentLogger,
      serviceUrl: connector.url,
      skipResume: options.skipResume,
      manualTimers: true,
      ...(options.graphTiming && { graphTiming: options.graphTiming }),
      ...(options.store && { store: options.store }),
    },
  );
  const client = new TeamsClient({ botUrl: app.url, connector, tenantId, botId: '28:rapid-review' });
  tenant.deliverTo(client);
  // Tests and the demo move the bot's clock (and may replace it): the tenant keeps the same time.
  tenant.useClock(() => app.deps.clock.now());
  const appIdle = app.idle;
  app.idle = async () => {
    do {
      await appIdle();
      await tenant.eventsDelivered();
    } while (tenant.eventsPending());
    await appIdle();
  };
  return {
    app,
    sandbox,
    connector,
    client,
    config,
    dataDir,
    addPeople: (members) => {
      for (const member of members) {
        // Teams finds a member by Teams id, object id or e-mail.
        for (const key of [member.id, member.aadObjectId, member.email.toLowerCase()]) {
          connector.roster.set(key, member);
        }
      }
      sandbox.addUsers(members.map(directoryEntry));
    },
    close: async () => {
      await app.close();
      if (!options.tenant) await tenant.close();
    },
  };
}

/** The channels the bot created in the partnership's team (its standard channels left out). */
export function reviewChannels(h: Pick<Harness, 'sandbox'>): { id: string; displayName: string }[] {
  return (h.sandbox.state.channels[teamId] ?? []).filter((channel) => channel.membershipType !== 'standard');
}

/** The Graph HTTP requests the bot made: a $batch is one, whatever it carries. */
export function graphHttpRequests(h: Pick<Harness, 'sandbox'>): number {
  return h.sandbox.requests.filter((request) => !request.batched).length;
}

/** The open-review form as the business unit fills it in (flat Input values, as Teams sends them). */
export function openReviewValues(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    reference: 'RR-2026-001',
    pseudonym: 'Child A',
    profileId: 'england',
    referral: '2026-12-01',
    aware: '2026-11-30',
    sinSent: '2026-12-01',
    childName: 'Zebedee Quartermaine',
    dateOfBirth: '2015-04-02',
    address: '1 Nowhere Lane, Exampletown',
    family1Name: 'Yolanda Quartermaine',
    family1Relationship: 'Mother',
    agency1Name: 'Exampleshire Children’s Services',
    agency1Kind: 'local-authority',
    agency1Rep1Name: people.laRep.name,
    agency1Rep1Email: people.laRep.email,
    agency1LeadName: people.laRep.name,
    agency1LeadEmail: people.laRep.email,
    agency2Name: 'Exampleshire Police',
    agency2Kind: 'police',
    agency2Rep1Name: people.policeRep.name,
    agency2Rep1Email: people.policeRep.email,
    agency2LeadName: people.policeRep.name,
    agency2LeadEmail: people.policeRep.email,
    agency3Name: 'Exampleshire ICB',
    agency3Kind: 'icb',
    agency3Rep1Name: people.icbRep.name,
    agency3Rep1Email: people.icbRep.email,
    agency3LeadName: people.icbRep.name,
    agency3LeadEmail: people.icbRep.email,
    agency4Name: 'Example Primary School',
    agency4Kind: 'education',
    agency4Rep1Name: people.schoolRep.name,
    agency4Rep1Email: people.schoolRep.email,
    ...overrides,
  };
}

/**
 * A complete, valid scoping return (flat Input values), sent from a form made before any return was
 * saved (`revision` 0, as the card's data carries it); an edit passes the revision it was made from.
 */
export function scopingReturnValues(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    revision: '0',
    involvement: 'yes',
    involvementWith: 'Child and mother',
    periodFrom: '2025-06-01',
    periodTo: '2026-11-30',
    natureOfInvolvement: 'Two welfare visits (3 Sep, 14 Oct) and one strategy discussion.',
    keyContacts: 'Duty sergeant, 14 Oct',
    recordsSecured: 'true',
    recordsSecuredOn: '2026-12-02',
    recordsSecuredBy: 'Records manager',
    alertAdded: 'true',
    staffInformed: 'true',
    immediateActions: 'Case reviewed by the safeguarding lead.',
    immediateLearning: 'Information sharing after the October visit was slow.',
    keyInformation: 'None further.',
    seniorLeadersSighted: 'true',
    ...overrides,
  };
}
