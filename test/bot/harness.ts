/**
 * Starts the whole bot as the demo and the HTTP tests use it: the real server and adapter (local,
 * unauthenticated loopback mode), a SQLite file, the local Graph sandbox and a fake Teams connector.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBotApp, type BotApp } from '../../bot/app';
import { loadConfig, type AppConfig } from '../../bot/config';
import { silentLogger, type Logger } from '../../bot/log';
import type { Clock } from '../../review/ports';
import { startGraphSandbox, type GraphSandbox } from '../graph-sandbox/graphSandbox';
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

/** A clock that stays where a test puts it. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => (now = new Date(next)) };
}

export interface Harness {
  app: BotApp;
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
    /** Reuse a running sandbox and connector, e.g. to restart the bot against the same "Teams". */
    sandbox?: GraphSandbox;
    connector?: FakeConnector;
  } = {},
): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-bot-'));
  const sandbox = options.sandbox ?? (await startGraphSandbox({ logFile: options.graphLog }));
  const connector = options.connector ?? (await startFakeConnector(Object.values(people)));
  const config = loadConfig({
    RR_MODE: 'local',
    NODE_ENV: 'test',
    SQLITE_PATH: options.sqlitePath ?? path.join(dataDir, 'rapid-review.db'),
    GRAPH_BASE_URL: sandbox.url,
    BUSINESS_UNIT_TEAM_ID: teamId,
    BUSINESS_UNIT_CHANNEL_ID: businessUnitChannelId,
    BUSINESS_UNIT_USERS: people.officer.aadObjectId,
    LOG_LEVEL: 'silent',
  });
  const app = await startBotApp(
    { ...config, server: { ...config.server, port: 0 } },
    {
      clock: options.clock ?? fixedClock('2026-12-02T10:00:00.000Z'),
      log: options.log ?? silentLogger,
      serviceUrl: connector.url,
      skipResume: options.skipResume,
    },
  );
  const client = new TeamsClient({ botUrl: app.url, connector, tenantId, botId: '28:rapid-review' });
  return {
    app,
    sandbox,
    connector,
    client,
    config,
    dataDir,
    close: async () => {
      await app.close();
      await connector.close();
      await sandbox.close();
    },
  };
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

/** A complete, valid scoping return (flat Input values). */
export function scopingReturnValues(overrides: Record<string, string> = {}): Record<string, string> {
  return {
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
