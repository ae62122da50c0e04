/**
 * A production-configured bot authenticates every activity: one without a valid Bot Framework token
 * is answered 401 and changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBotApp, type BotApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { silentLogger } from '../../bot/log';
import { openReviewValues, people } from './harness';

describe('production authentication', () => {
  let app: BotApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-prod-'));
    const config = loadConfig({
      NODE_ENV: 'production',
      RR_MODE: 'production',
      HOST: '127.0.0.1',
      MICROSOFT_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      MICROSOFT_APP_TENANT_ID: '6f1a7c2e-0b1d-4c3e-9a55-2b8f0d1e7a10',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      SQLITE_PATH: path.join(dataDir, 'rapid-review.db'),
      BUSINESS_UNIT_TEAM_ID: '0a1b2c3d-1111-4222-8333-444455556666',
      BUSINESS_UNIT_CHANNEL_ID: '19:business-unit@thread.tacv2',
      BUSINESS_UNIT_USERS: people.officer.aadObjectId,
      REVIEW_CHAIR_EMAIL: 'chair@partnership.example',
      MEETING_ORGANIZER: 'rapid-review@partnership.example',
      TEAMS_APP_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      DATA_ENCRYPTION_KEYS: 'test-2026:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      LOG_LEVEL: 'silent',
    });
    expect(config.mode).toBe('production');
    app = await startBotApp(
      { ...config, server: { ...config.server, port: 0 } },
      { log: silentLogger, skipResume: true },
    );
  });

  afterAll(async () => {
    await app.close();
  });

  const invoke = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/uk/',
    from: { id: people.officer.id, aadObjectId: people.officer.aadObjectId, name: people.officer.name },
    recipient: { id: '28:bot', name: 'Rapid Review' },
    conversation: { id: 'a:personal', conversationType: 'personal' },
    value: { action: { type: 'Action.Execute', verb: 'review.open', data: openReviewValues() } },
  };

  async function post(headers: Record<string, string>) {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(invoke),
    });
    return res.status;
  }

  it('answers 401 to an activity with no token and saves nothing', async () => {
    expect(await post({})).toBe(401);
    expect(await app.deps.store.listReviews()).toEqual([]);
  });

  it('answers 401 to a forged token and saves nothing', async () => {
    const forged = ['eyJhbGciOiJub25lIn0', Buffer.from('{"aud":"x"}').toString('base64url'), ''].join('.');
    expect(await post({ authorization: `Bearer ${forged}` })).toBe(401);
    expect(await app.deps.store.listReviews()).toEqual([]);
  });

  it('still answers the health probes', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });
});
