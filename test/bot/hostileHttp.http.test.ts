/**
 * Hostile callers at the HTTP surface (issue 12, points 7 and 9): forged tokens of every shape are
 * answered 401, a body over 1 MB is answered 400 (not a reset), and activities from a tenant the bot
 * does not serve are refused and change nothing.
 */
import http from 'node:http';
import type { BotApp } from '../../bot/app';
import { TeamsClient } from '../teamsClient/teamsClient';
import { openReviewValues, people, startHarness, tenantId, type Harness } from './harness';
import { openReviewInvoke, startProductionBot } from './productionBot';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('production endpoint: forged tokens and oversized bodies', () => {
  let app: BotApp;

  beforeAll(async () => {
    ({ app } = await startProductionBot({ overrides: { skipAlerts: true } }));
  });

  afterAll(async () => {
    await app.close();
  });

  const invoke = openReviewInvoke();

  // Tokens that claim the Bot Framework as issuer reach botbuilder's verification, which threw plain
  // errors (HTTP 500) on these shapes.
  const claims = b64({ iss: 'https://api.botframework.com', aud: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
  const forged: Record<string, string> = {
    'malformed JWT': `Bearer ${b64({ alg: 'RS256', kid: 'k1' })}.${claims}`,
    'wrong alg': `Bearer ${b64({ alg: 'HS256', typ: 'JWT', kid: 'k1' })}.${claims}.c2lnbmF0dXJl`,
    'no kid': `Bearer ${b64({ alg: 'RS256', typ: 'JWT' })}.${claims}.c2lnbmF0dXJl`,
    'garbage base64': `Bearer ${Buffer.from('\u0001\u00ff garbage').toString('base64url')}.${claims}.c2ln`,
    'unknown key id': `Bearer ${b64({ alg: 'RS256', typ: 'JWT', kid: 'forged' })}.${claims}.c2lnbmF0dXJl`,
    'not a JWT': 'Bearer not.a.jwt.at.all',
  };

  it.each(Object.entries(forged))('answers 401 to a forged token (%s) and saves nothing', async (_, auth) => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(invoke),
    });
    expect(res.status).toBe(401);
    expect(await app.deps.store.listReviews()).toEqual([]);
  });

  it('answers 400 with a message to a body over 1 MB (declared length), not a reset', async () => {
    const big = JSON.stringify({ ...invoke, padding: 'x'.repeat(1_200_000) });
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/larger than 1 MB/);
  });

  it('answers 400 to a chunked body that grows past 1 MB', async () => {
    const url = new URL(`${app.url}/api/messages`);
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { method: 'POST', host: url.hostname, port: url.port, path: url.pathname },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.setHeader('content-type', 'application/json');
      req.write(`{"padding":"${'x'.repeat(700_000)}`);
      req.write('x'.repeat(700_000));
      // The server has answered by now; what follows may fail to send, which is fine.
      req.end('"}', () => undefined);
    });
    expect(result.status).toBe(400);
    expect(result.body).toMatch(/larger than 1 MB/);
  });
});

describe('tenant check', () => {
  let h: Harness;
  let stranger: TeamsClient;
  const otherTenant = '0d6e5c4b-3a29-4e18-b7f6-a5b4c3d2e1f0';

  beforeAll(async () => {
    h = await startHarness();
    h.addPeople(Object.values(people));
    stranger = new TeamsClient({
      botUrl: h.app.url,
      connector: h.connector,
      tenantId: otherTenant,
      botId: '28:rapid-review',
    });
  });

  afterAll(async () => {
    await h.close();
  });

  it('refuses a card action from another tenant with 403 and opens nothing', async () => {
    const before = h.connector.activities.length;
    const result = await stranger.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    expect(result.status).toBe(403);
    expect(await h.app.deps.store.listReviews()).toEqual([]);
    expect(h.connector.activities.length).toBe(before);
  });

  it('ignores a message from another tenant (no reply), and a tenant that contradicts itself', async () => {
    const before = h.connector.activities.length;
    await stranger.say(people.officer, 'open review');
    // channelData names the served tenant, the conversation another one.
    await h.client.post({
      type: 'message',
      id: 'm1',
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      from: { id: people.officer.id, aadObjectId: people.officer.aadObjectId, name: people.officer.name },
      recipient: { id: '28:rapid-review' },
      conversation: { id: 'a:personal-x', conversationType: 'personal', tenantId: otherTenant },
      channelData: { tenant: { id: tenantId } },
      text: 'open review',
    });
    await h.app.idle();
    expect(h.connector.activities.length).toBe(before);
  });

  it('still serves its own tenant', async () => {
    const result = await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    expect(result.status).toBe(200);
    expect((await h.app.deps.store.listReviews()).map((r) => r.reference)).toEqual(['RR-2026-001']);
  });
});
