/**
 * A production-configured bot authenticates every activity: one without a valid Bot Framework token
 * is answered 401 and changes nothing.
 */
import type { BotApp } from '../../bot/app';
import { openReviewInvoke, startProductionBot } from './productionBot';

describe('production authentication', () => {
  let app: BotApp;

  beforeAll(async () => {
    const started = await startProductionBot({ environment: { MICROSOFT_APP_TYPE: 'SingleTenant' } });
    ({ app } = started);
    expect(started.config.mode).toBe('production');
  });

  afterAll(async () => {
    await app.close();
  });

  const invoke = openReviewInvoke();

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
