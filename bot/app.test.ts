/**
 * Configuration in one shape: everything bot/config.ts validates reaches the part of the bot that
 * uses it. The store's DATABASE_AUTH=entra was once validated and then dropped by a hand-made copy of
 * the store settings in this file; these tests would have caught it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../review/openStore';
import type { Teamspace } from '../review/ports';
import { startBotApp } from './app';
import { loadConfig, type AppConfig, type StoreConfig } from './config';
import { selfSignedPem } from './testCertificate';

/** Every leaf path of a plain object ('store.auth', 'settings.chair.email', …). */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

/** A deep proxy that records each property path read through it. */
function recording<T extends object>(target: T, reads: Set<string>, prefix = ''): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof key !== 'string') return value;
      const path = prefix ? `${prefix}.${key}` : key;
      reads.add(path);
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? recording(value, reads, path)
        : value;
    },
  });
}

const onPortZero = (config: AppConfig): AppConfig => ({ ...config, server: { ...config.server, port: 0 } });

/** Validated but consumed by nothing at run time, each for a stated reason. */
const validatedOnly: Record<string, string> = {
  nodeEnv: 'only checked against RR_MODE (local mode is refused with NODE_ENV=production)',
  'identity.appType': 'always SingleTenant; the adapter takes the app type from the credential',
};

describe('configuration reaches its consumers', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rr-app-'));
    const keyFile = join(dir, 'bot.pem');
    writeFileSync(keyFile, selfSignedPem());
    env = {
      HOST: '127.0.0.1',
      MICROSOFT_APP_ID: '3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
      MICROSOFT_APP_TENANT_ID: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
      MICROSOFT_APP_CERT_THUMBPRINT: 'ab'.repeat(20),
      MICROSOFT_APP_CERT_KEY_FILE: keyFile,
      STORE: 'postgres',
      DATABASE_URL: 'postgres://id-rr-bot@psql.example:5432/rapidreview',
      DATABASE_AUTH: 'entra',
      DATABASE_MANAGED_IDENTITY_CLIENT_ID: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      PROFILE: 'england',
      PROFILES_DIR: dir,
      ALERT_HOUR: '8',
      BUSINESS_UNIT_TEAM_ID: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
      BUSINESS_UNIT_CHANNEL_ID: '19:business-unit@thread.tacv2',
      BUSINESS_UNIT_USERS: 'officer.one@example.gov.uk',
      REVIEW_CHAIR_NAME: 'Dr Chair',
      REVIEW_CHAIR_EMAIL: 'chair@example.gov.uk',
      MEETING_ORGANIZER: 'rapid-review@example.gov.uk',
      TEAMS_APP_ID: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
      DATA_ENCRYPTION_KEYS: 'test-2026:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      REPORTS_DIR: join(dir, 'reports'),
      LOG_LEVEL: 'silent',
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(config: AppConfig) {
    const given: StoreConfig[] = [];
    const app = await startBotApp(config, {
      skipResume: true,
      teamspace: {} as Teamspace,
      openStore: async (storeConfig) => {
        given.push(storeConfig);
        return openStore({ kind: 'sqlite', path: join(dir, `store-${given.length}.db`) });
      },
    });
    await app.close();
    return given;
  }

  it('hands DATABASE_AUTH=entra and the database identity to openStore', async () => {
    const config = onPortZero(loadConfig(env));
    const given = await start(config);
    expect(given).toEqual([
      {
        kind: 'postgres',
        url: 'postgres://id-rr-bot@psql.example:5432/rapidreview',
        ssl: true,
        auth: 'entra',
        managedIdentityClientId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
        // The data keys reach the store with the rest of its settings.
        dataKeys: env.DATA_ENCRYPTION_KEYS,
      },
    ]);
  });

  it('reads every validated setting, or hands its group over whole', async () => {
    const config = onPortZero(loadConfig(env));
    const reads = new Set<string>();
    await start(recording(config, reads));
    const handedOverWhole = (path: string) =>
      path
        .split('.')
        .map((_, index, parts) => parts.slice(0, index + 1).join('.'))
        .some(
          (ancestor) => reads.has(ancestor) && ![...reads].some((read) => read.startsWith(`${ancestor}.`)),
        );
    const unread = leaves(config).filter(
      (path) => !reads.has(path) && !handedOverWhole(path) && !(path in validatedOnly),
    );
    expect(unread).toEqual([]);
  });
});
