/**
 * Forged bearer tokens against the production endpoint (issue 12's security suite): a generated
 * family of tokens, each with at least one defect (header, claims, signature, encoding), must be
 * answered 401 and change nothing, on each store. The Bot Framework's signing keys are replaced by
 * one of the test's own (published only at the Bot Framework's metadata address, as Microsoft
 * publishes its keys), so a correctly made token is accepted: the control that shows the defects, not
 * the missing network, are what is refused.
 */
import { createHmac, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import net from 'node:net';
import { AuthenticationConstants } from 'botframework-connector';
// Not exported from the package root; the class every token check asks for Microsoft's signing keys.
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import fc from 'fast-check';
import type { BotApp } from '../../bot/app';
import { plausibleBearerToken } from '../../bot/teams/adapter';
import { directoryAuditId } from '../../review/directory';
import { partnershipAuditId } from '../../review/refusals';
import { people, tenantId } from '../bot/harness';
import { productionAppId as appId, startProductionBot } from '../bot/productionBot';
import type { StoreHarness } from '../storeContract';
import { storesUnderTest } from './stores';

const serviceUrl = 'https://smba.trafficmanager.net/uk/';
const kid = 'rr-security-suite-key';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const strangerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function rs(alg: 'RS256' | 'RS384' | 'RS512', input: string, key: KeyObject): string {
  return createSign(`RSA-SHA${alg.slice(2)}`)
    .update(input)
    .sign(key)
    .toString('base64url');
}

/** One way a token is wrong. Every generated token has at least one; `valid` has none. */
type Defect =
  | { kind: 'alg'; alg: string }
  | { kind: 'kid'; kid: unknown }
  | { kind: 'iss'; iss: unknown }
  | { kind: 'aud'; aud: unknown }
  | { kind: 'expired'; secondsAgo: number }
  | { kind: 'not-yet'; secondsAhead: number }
  | { kind: 'serviceurl'; serviceurl: unknown }
  | {
      kind: 'signature';
      how: 'stranger-key' | 'random' | 'empty' | 'truncated' | 'flipped' | 'hmac-with-public-key';
    }
  | { kind: 'truncated'; at: number }
  | { kind: 'non-base64'; at: number; char: string }
  | { kind: 'scheme'; scheme: string }
  | { kind: 'parts'; parts: number };

interface Forgery {
  defects: Defect[];
  /** Valid but irrelevant extras: they neither make a token valid nor should they make it crash. */
  extraHeader: Record<string, unknown>;
  extraClaims: Record<string, unknown>;
  /** Bytes of padding in a claim (a big but legal token). */
  padding: number;
  message: boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function tokenOf(forgery: Forgery): string {
  const d = <K extends Defect['kind']>(kind: K) =>
    forgery.defects.find((x): x is Extract<Defect, { kind: K }> => x.kind === kind);
  const header: Record<string, unknown> = { typ: 'JWT', ...forgery.extraHeader, alg: 'RS256', kid };
  if (d('alg')) header.alg = d('alg')?.alg;
  if (d('kid')) {
    const value = d('kid')?.kid;
    if (value === undefined) delete header.kid;
    else header.kid = value;
  }
  const now = nowSeconds();
  const claims: Record<string, unknown> = {
    ...forgery.extraClaims,
    iss: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: now - 60,
    exp: now + 3600,
  };
  if (forgery.padding > 0) claims.padding = 'p'.repeat(forgery.padding);
  const set = (key: string, value: unknown) => {
    if (value === undefined) delete claims[key];
    else claims[key] = value;
  };
  if (d('iss')) set('iss', d('iss')?.iss);
  if (d('aud')) set('aud', d('aud')?.aud);
  if (d('serviceurl')) set('serviceurl', d('serviceurl')?.serviceurl);
  const expired = d('expired');
  if (expired) {
    claims.exp = now - expired.secondsAgo;
    claims.nbf = now - expired.secondsAgo - 3600;
  }
  const notYet = d('not-yet');
  if (notYet) {
    claims.nbf = now + notYet.secondsAhead;
    claims.exp = now + notYet.secondsAhead + 3600;
  }
  const input = `${b64(header)}.${b64(claims)}`;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  let signature =
    alg === 'RS384' || alg === 'RS512'
      ? rs(alg, input, keys.privateKey)
      : rs('RS256', input, keys.privateKey);
  const how = d('signature')?.how;
  if (how === 'stranger-key') signature = rs('RS256', input, strangerKeys.privateKey);
  if (how === 'random') signature = Buffer.from(randomUUID().repeat(8)).toString('base64url');
  if (how === 'empty' || alg === 'none') signature = '';
  if (how === 'truncated') signature = signature.slice(0, signature.length - 7);
  if (how === 'flipped')
    signature = `${signature.slice(0, 20)}${signature[20] === 'A' ? 'B' : 'A'}${signature.slice(21)}`;
  if (how === 'hmac-with-public-key')
    signature = createHmac('sha256', publicPem).update(input).digest('base64url');
  let token = `${input}.${signature}`;
  const parts = d('parts');
  if (parts) {
    const pieces = token.split('.');
    token = parts.parts < 3 ? pieces.slice(0, parts.parts).join('.') : [...pieces, 'e30'].join('.');
  }
  const truncated = d('truncated');
  if (truncated) token = token.slice(0, Math.max(0, Math.floor(token.length * truncated.at) - 1));
  const nonBase64 = d('non-base64');
  if (nonBase64) {
    const at = Math.floor(token.length * nonBase64.at);
    token = `${token.slice(0, at)}${nonBase64.char}${token.slice(at)}`;
  }
  return `${d('scheme')?.scheme ?? 'Bearer'} ${token}`;
}

const anyJson = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const defectArb: fc.Arbitrary<Defect> = fc.oneof(
  fc.record({
    kind: fc.constant('alg' as const),
    alg: fc.oneof(
      fc.constantFrom('none', 'None', 'HS256', 'ES256', 'PS256', 'RS384', 'RS512', ''),
      fc.string(),
    ),
  }),
  fc.record({
    kind: fc.constant('kid' as const),
    kid: fc.oneof(
      fc.constantFrom(undefined, '', `${kid} `, kid.toUpperCase(), 'default', '../../etc/passwd'),
      fc.string({ minLength: 1 }).filter((s) => s !== kid),
      fc.integer(),
      anyJson,
    ),
  }),
  fc.record({
    kind: fc.constant('iss' as const),
    iss: fc.oneof(
      fc.constantFrom(
        undefined,
        `https://sts.windows.net/${tenantId}/`,
        `https://login.microsoftonline.com/${tenantId}/v2.0`,
        'https://api.botframework.com/',
        'https://api.botframework.com.evil.example',
        'http://api.botframework.com',
        'https://API.botframework.com',
      ),
      fc.string(),
      anyJson,
    ),
  }),
  fc.record({
    kind: fc.constant('aud' as const),
    aud: fc.oneof(
      fc.constantFrom(
        undefined,
        '',
        appId.toUpperCase(),
        `api://${appId}`,
        'https://api.botframework.com',
        '00000000-0000-0000-0000-000000000000',
      ),
      fc.uuid().filter((u) => u !== appId),
      anyJson.filter((a) => a !== appId),
    ),
  }),
  fc.record({
    kind: fc.constant('expired' as const),
    secondsAgo: fc.integer({ min: 600, max: 400_000_000 }),
  }),
  fc.record({
    kind: fc.constant('not-yet' as const),
    secondsAhead: fc.integer({ min: 600, max: 400_000_000 }),
  }),
  fc.record({
    kind: fc.constant('serviceurl' as const),
    serviceurl: fc.oneof(
      fc.constantFrom(
        undefined,
        'https://smba.trafficmanager.net/emea/',
        'https://evil.example/',
        serviceUrl.toUpperCase(),
      ),
      anyJson.filter((s) => s !== serviceUrl),
    ),
  }),
  fc.record({
    kind: fc.constant('signature' as const),
    how: fc.constantFrom(
      'stranger-key' as const,
      'random' as const,
      'empty' as const,
      'truncated' as const,
      'flipped' as const,
      'hmac-with-public-key' as const,
    ),
  }),
  fc.record({ kind: fc.constant('truncated' as const), at: fc.double({ min: 0, max: 0.98, noNaN: true }) }),
  fc.record({
    kind: fc.constant('non-base64' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    char: fc.constantFrom('=', '+', '/', '!', ' ', '\t', '%', '\u00e9', '.', '..', '\u0000'),
  }),
  fc.record({
    kind: fc.constant('scheme' as const),
    scheme: fc.constantFrom('', 'Basic', 'bearer', 'BEARER', 'Bearer Bearer', 'Token', 'Bearer\t', 'MAC'),
  }),
  fc.record({ kind: fc.constant('parts' as const), parts: fc.constantFrom(1, 2, 4) }),
);

const forgeryArb: fc.Arbitrary<Forgery> = fc.record({
  defects: fc.uniqueArray(defectArb, { minLength: 1, maxLength: 3, selector: (x) => x.kind }),
  extraHeader: fc.dictionary(fc.constantFrom('x5t', 'x5u', 'jku', 'cty', 'crit', 'zip'), anyJson, {
    maxKeys: 2,
  }),
  extraClaims: fc.dictionary(fc.constantFrom('appid', 'azp', 'tid', 'ver', 'sub', 'roles'), anyJson, {
    maxKeys: 2,
  }),
  padding: fc.oneof(fc.constant(0), fc.integer({ min: 1000, max: 9000 })),
  message: fc.boolean(),
});

describe.each(storesUnderTest)('forged bearer tokens on the production endpoint, $name', (storeUnderTest) => {
  let app: BotApp;
  let scratch: StoreHarness | undefined;
  const figures = { tokens: 0, verified: 0, answered401: 0, other: new Map<number, number>() };

  beforeAll(async () => {
    // botbuilder prints every refused token to the console: hundreds of lines that say nothing here.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    // Microsoft's keys, as the Bot Framework's metadata publishes them, are the test's key; every other
    // metadata address (Entra ID, the emulator's) publishes none of it.
    jest.spyOn(OpenIdMetadata.prototype, 'getKey').mockImplementation(async function (
      this: OpenIdMetadata,
      keyId: string,
    ) {
      const url = (this as unknown as { url: string }).url;
      if (url !== AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl || keyId !== kid) return null;
      return { key: publicPem, endorsements: ['msteams'] };
    });
    scratch = await storeUnderTest.open?.();
    ({ app } = await startProductionBot({
      overrides: { skipAlerts: true, ...(scratch ? { store: scratch.store } : {}) },
    }));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app.close();
    await scratch?.cleanup();
    const other = [...figures.other].map(([status, n]) => `${status}×${n}`).join(' ') || 'none';
    process.stdout.write(
      `security figures: forged tokens (${storeUnderTest.name}) ${figures.tokens} (${figures.verified} reached the signature and claim checks), answered 401 ${figures.answered401}, other answers ${other}\n`,
    );
  });

  /**
   * An invoke with a verb no card has: when authenticated it is answered 200 and leaves one refusal
   * line in the partnership's trail, and it needs nothing from the network.
   */
  function activity(message: boolean): Record<string, unknown> {
    const base = {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl,
      from: { id: people.officer.id, aadObjectId: people.officer.aadObjectId, name: people.officer.name },
      recipient: { id: `28:${appId}`, name: 'Rapid Review' },
      conversation: { id: 'a:personal', conversationType: 'personal', tenantId },
      channelData: { tenant: { id: tenantId } },
    };
    return message
      ? { ...base, type: 'message', text: 'open review' }
      : {
          ...base,
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'no.such.verb', data: {} } },
        };
  }

  /**
   * A POST written straight to the socket: fetch and node:http refuse to send a header holding a NUL
   * or a byte outside Latin-1, which is exactly what a forger may send.
   */
  function post(authorization: string | undefined, message = false): Promise<number> {
    const { hostname, port } = new URL(app.url);
    const body = Buffer.from(JSON.stringify(activity(message)));
    const head = [
      'POST /api/messages HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      'Connection: close',
      ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
      '',
      '',
    ].join('\r\n');
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body]));
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => {
        const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
        if (status) resolve(Number(status[1]));
        else reject(new Error(`no HTTP answer: ${JSON.stringify(received.slice(0, 80))}`));
      });
    });
  }

  async function trails(): Promise<string> {
    const store = app.deps.store;
    return JSON.stringify([
      await store.listReviews(),
      await store.auditTrail(partnershipAuditId),
      await store.auditTrail(directoryAuditId),
      await store.getDirectory(),
    ]);
  }

  it('accepts a correctly made token (the control), so what the family refuses is its defects', async () => {
    expect(app.deps.store.kind).toBe(storeUnderTest.name);
    const before = await trails();
    const token = tokenOf({ defects: [], extraHeader: {}, extraClaims: {}, padding: 0, message: false });
    expect(await post(token)).toBe(200);
    const after = await trails();
    expect(after).not.toBe(before);
    expect(after).toContain('card-action.refused');
    // The same token with a big (legal) claim is still one token.
    expect(
      await post(tokenOf({ defects: [], extraHeader: {}, extraClaims: {}, padding: 9000, message: false })),
    ).toBe(200);
  });

  it('answers 401 to every forged token of the family and saves nothing', async () => {
    const before = await trails();
    await fc.assert(
      fc.asyncProperty(forgeryArb, async (forgery) => {
        const header = tokenOf(forgery);
        const status = await post(header, forgery.message);
        figures.tokens += 1;
        if (plausibleBearerToken(header)) figures.verified += 1;
        if (status === 401) figures.answered401 += 1;
        else figures.other.set(status, (figures.other.get(status) ?? 0) + 1);
        // A control character is not HTTP: Node's parser answers 400 before any code of the bot runs.
        // eslint-disable-next-line no-control-regex
        return status === 401 || (status === 400 && /[\u0000-\u0008\u000a-\u001f\u007f]/.test(header));
      }),
      { numRuns: 600 },
    );
    // No token at all, and headers that are not tokens.
    for (const header of [
      undefined,
      'Bearer',
      'Bearer ',
      'Bearer .',
      'Bearer ..',
      'Bearer a.b.c',
      `Bearer ${'A'.repeat(12_000)}`,
    ]) {
      expect({ header: header?.slice(0, 20), status: await post(header) }).toEqual({
        header: header?.slice(0, 20),
        status: 401,
      });
    }
    expect(await trails()).toBe(before);
  });

  it('refuses a header too big for the HTTP server before the bot sees it', async () => {
    const before = await trails();
    // Node's HTTP parser caps headers at 16 KB and answers 431 itself.
    expect(await post(`Bearer ${'A'.repeat(20_000)}`)).toBe(431);
    expect(await trails()).toBe(before);
  });
});
