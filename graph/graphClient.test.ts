import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import {
  createGraphClient,
  createGraphClientWith,
  GraphRetryMiddleware,
  parseGraphBaseUrl,
  retryAfterSeconds,
  silentGraphLogger,
} from './graphClient';

interface SentRequest {
  url: string;
  method: string;
  authorization: string | null;
}

/** Stands in for the HTTP link: records what reached it and answers from a script. */
function scriptedTransport(answers: Array<() => Response>): Middleware & { sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  return {
    sent,
    async execute(context: Context): Promise<void> {
      const url = typeof context.request === 'string' ? context.request : context.request.url;
      const headers = new Headers(context.options?.headers as HeadersInit | undefined);
      sent.push({
        url,
        method: context.options?.method ?? 'GET',
        authorization: headers.get('Authorization'),
      });
      const answer = answers.shift();
      if (!answer) throw new Error('The script has no answer left');
      context.response = answer();
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): (() => Response) => {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
};

class FakeCredential implements TokenCredential {
  scopes: string[][] = [];
  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.scopes.push([scopes].flat());
    return { token: 'token-from-entra', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe('parseGraphBaseUrl', () => {
  it('splits the root into origin and version', () => {
    expect(parseGraphBaseUrl('https://graph.microsoft.com/v1.0')).toEqual({
      origin: 'https://graph.microsoft.com',
      version: 'v1.0',
      hostname: 'graph.microsoft.com',
      loopback: false,
    });
    expect(parseGraphBaseUrl('http://127.0.0.1:4123/v1.0/')).toMatchObject({
      origin: 'http://127.0.0.1:4123',
      version: 'v1.0',
      loopback: true,
    });
  });

  it('refuses plain http off the machine and roots without a version', () => {
    expect(() => parseGraphBaseUrl('http://graph.example.org/v1.0')).toThrow(/https/);
    expect(() => parseGraphBaseUrl('https://graph.microsoft.com')).toThrow(/version/);
    expect(() => parseGraphBaseUrl('graph.microsoft.com/v1.0')).toThrow(/not a URL/);
  });
});

describe('createGraphClient', () => {
  it('allows no credential only towards a loopback sandbox, and real ones only away from it', () => {
    expect(() =>
      createGraphClient({ baseUrl: 'https://graph.microsoft.com/v1.0', credential: { kind: 'none' } }),
    ).toThrow(/only for a local sandbox/);
    expect(() =>
      createGraphClient({
        baseUrl: 'http://127.0.0.1:4000/v1.0',
        credential: { kind: 'secret', tenantId: 't', clientId: 'c', clientSecret: 's' },
      }),
    ).toThrow(/loopback/);
    expect(() =>
      createGraphClient({
        baseUrl: 'https://graph.microsoft.com/v1.0',
        credential: { kind: 'managed-identity', clientId: '00000000-0000-4000-8000-000000000001' },
      }),
    ).not.toThrow();
  });

  it('signs requests to Graph with a token for the Graph resource', async () => {
    const credential = new FakeCredential();
    const transport = scriptedTransport([json(200, { value: [] })]);
    const client = createGraphClientWith({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      tokenCredential: credential,
      transport,
    });

    await client.api('/teams/t1/channels').get();

    expect(transport.sent).toEqual([
      {
        url: 'https://graph.microsoft.com/v1.0/teams/t1/channels',
        method: 'GET',
        authorization: 'Bearer token-from-entra',
      },
    ]);
    expect(credential.scopes).toEqual([['https://graph.microsoft.com/.default']]);
  });

  it('signs requests to a sovereign or proxied Graph root as well', async () => {
    const transport = scriptedTransport([json(200, { value: [] })]);
    const client = createGraphClientWith({
      baseUrl: 'https://graph.partnership-proxy.example/v1.0',
      tokenCredential: new FakeCredential(),
      transport,
    });

    await client.api('/teams/t1/channels').get();

    expect(transport.sent[0].authorization).toBe('Bearer token-from-entra');
  });

  it('sends nothing but what it was asked to a sandbox, with no Authorization header', async () => {
    const transport = scriptedTransport([json(200, { value: [] })]);
    const client = createGraphClientWith({ baseUrl: 'http://127.0.0.1:4123/v1.0', transport });

    await client.api('/teams/t1/channels').get();

    expect(transport.sent).toEqual([
      { url: 'http://127.0.0.1:4123/v1.0/teams/t1/channels', method: 'GET', authorization: null },
    ]);
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 09:59:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });
});

describe('GraphRetryMiddleware', () => {
  function retrying(transport: Middleware, overrides: { maxRetries?: number; random?: number } = {}) {
    const waits: number[] = [];
    const middleware = new GraphRetryMiddleware({
      maxRetries: overrides.maxRetries ?? 4,
      delayScale: 1,
      maxDelaySeconds: 120,
      requestTimeoutMs: 1_000,
      logger: silentGraphLogger,
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => overrides.random ?? 1,
    });
    middleware.setNext(transport);
    return { middleware, waits };
  }

  const context = (method: string): Context => ({
    request: 'https://graph.microsoft.com/v1.0/teams/t1/channels',
    options: { method, headers: {}, body: method === 'GET' ? undefined : '{"displayName":"RR-1"}' },
  });

  it('backs off exponentially with jitter when Graph gives no Retry-After', async () => {
    const transport = scriptedTransport([
      json(503, {}),
      json(504, {}),
      json(429, {}),
      json(201, { id: 'c1' }),
    ]);
    const { middleware, waits } = retrying(transport, { random: 0 });
    const call = context('POST');

    await middleware.execute(call);

    expect(call.response?.status).toBe(201);
    // random() = 0 gives the bottom of the jitter band: half of 1, 2, 4 seconds.
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('does not retry other failures, and stops after maxRetries', async () => {
    const notFound = scriptedTransport([json(404, {})]);
    await retrying(notFound).middleware.execute(context('GET'));
    expect(notFound.sent).toHaveLength(1);

    const throttled = scriptedTransport(
      Array.from({ length: 5 }, () => json(429, {}, { 'Retry-After': '2' })),
    );
    const { middleware, waits } = retrying(throttled, { maxRetries: 2 });
    const call = context('GET');
    await middleware.execute(call);
    expect(call.response?.status).toBe(429);
    expect(throttled.sent).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it('gives a Retry-After longer than it may wait straight back', async () => {
    const transport = scriptedTransport([json(429, {}, { 'Retry-After': '600' })]);
    const { middleware, waits } = retrying(transport);
    const call = context('GET');

    await middleware.execute(call);

    expect(call.response?.status).toBe(429);
    expect(waits).toEqual([]);
  });

  it('repeats a GET that got no answer, but not a POST that may have landed', async () => {
    const reset = (): Response => {
      throw new TypeError('fetch failed');
    };
    const get = scriptedTransport([reset, json(200, { value: [] })]);
    const getCall = context('GET');
    await retrying(get).middleware.execute(getCall);
    expect(getCall.response?.status).toBe(200);
    expect(get.sent).toHaveLength(2);

    const post = scriptedTransport([reset, json(201, { id: 'c1' })]);
    await expect(retrying(post).middleware.execute(context('POST'))).rejects.toThrow('fetch failed');
    expect(post.sent).toHaveLength(1);
  });
});
