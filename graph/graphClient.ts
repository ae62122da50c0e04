/**
 * The one place a Microsoft Graph client is built. The middleware chain is spelt out rather than
 * taken from the SDK's defaults so that each link is a decision: who signs the request, how throttling
 * is survived, and what finally sends it.
 *
 *   auth (TokenCredential, or nothing for the local sandbox) → graphRetry → HTTPMessageHandler
 */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';

export const defaultGraphBaseUrl = 'https://graph.microsoft.com/v1.0';

export type GraphClientCredential =
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string }
  | { kind: 'managed-identity'; clientId: string }
  | { kind: 'none' };

/** The little of a logger this folder needs; a pino logger fits it. */
export interface GraphLogger {
  debug(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export const silentGraphLogger: GraphLogger = { debug: () => undefined, warn: () => undefined };

export interface GraphClientOptions {
  /** Graph root including the version, e.g. https://graph.microsoft.com/v1.0 or http://127.0.0.1:PORT/v1.0. */
  baseUrl: string;
  credential: GraphClientCredential;
  /** Retries after the first attempt for 429/503/504 (and network failures of GETs). Default 5. */
  maxRetries?: number;
  /** Multiplies every wait, Retry-After included; tests pass a small number so they never sleep for long. */
  retryDelayScale?: number;
  /** Longest single wait before a retry, in (unscaled) seconds; a longer Retry-After ends the retrying. Default 120. */
  maxRetryDelaySeconds?: number;
  /** Abandons one attempt that has not answered in this time. Default 60 s. */
  requestTimeoutMs?: number;
  logger?: GraphLogger;
}

const RETRIABLE_STATUS = new Set([429, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface GraphRetryOptions {
  maxRetries: number;
  delayScale: number;
  maxDelaySeconds: number;
  requestTimeoutMs: number;
  logger: GraphLogger;
  /** Base of the exponential backoff when Graph gives no Retry-After, in seconds. */
  baseDelaySeconds?: number;
  /** Injected for tests of the policy itself; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Seconds Graph asked us to wait: Retry-After is either delta-seconds or an HTTP date. Undefined when
 * absent or unreadable, so the caller falls back to backoff.
 */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - now) / 1000);
}

/**
 * Our own retry link instead of the SDK's RetryHandler + RetryHandlerOptions, because the SDK's:
 *  - sleeps Retry-After in real seconds with no hook to scale it (its sleep is private), so a test of
 *    "429 with Retry-After: 1" would really wait a second per retry;
 *  - caps maxRetries at 10 and the delay at 180 s with no say over what happens beyond;
 *  - never retries a request that failed before any answer (connection reset, timeout), and has no
 *    per-attempt timeout at all, so a hung socket hangs the review.
 * Behaviour: 429/503/504 are retried for any method, honouring Retry-After when given and otherwise
 * waiting base·2^(attempt−1) seconds with jitter in [50 %, 100 %]. A request that got no answer is retried
 * only when it is a GET: a POST may have landed, and the caller (graphTeamspace) is the one that knows how
 * to check. Request bodies here are always strings, so re-sending them is safe.
 */
export class GraphRetryMiddleware implements Middleware {
  private next?: Middleware;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: GraphRetryOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('GraphRetryMiddleware needs a next middleware (the HTTP message handler)');
    const method = (
      (typeof context.request === 'string' ? context.options?.method : context.request.method) ?? 'GET'
    ).toUpperCase();
    for (let attempt = 0; ; attempt += 1) {
      context.response = undefined;
      const callerSignal = context.options?.signal ?? undefined;
      const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      context.options = { ...context.options, signal };
      let failure: unknown;
      try {
        await next.execute(context);
      } catch (error) {
        failure = error;
      } finally {
        // Leave the caller's own signal (if any) for the next attempt, not our spent timeout.
        context.options = { ...context.options, signal: callerSignal };
      }
      // Read back through a widened type: TS narrowed `context.response` to undefined above.
      const response: Response | undefined = (context as { response?: Response }).response;
      const status = response?.status;
      const retriable =
        failure !== undefined
          ? SAFE_METHODS.has(method)
          : status !== undefined && RETRIABLE_STATUS.has(status);
      if (!retriable || attempt >= this.options.maxRetries) {
        if (failure !== undefined) throw failure;
        return;
      }
      const asked =
        failure === undefined ? retryAfterSeconds(response?.headers.get('Retry-After') ?? null) : undefined;
      if (asked !== undefined && asked > this.options.maxDelaySeconds) {
        // Graph wants us gone for longer than a turn of the bot can wait: give its answer back.
        this.options.logger.warn(
          { method, status, retryAfterSeconds: asked },
          'graph: Retry-After too long, not retrying',
        );
        return;
      }
      const base = this.options.baseDelaySeconds ?? 1;
      const backoff = Math.min(base * 2 ** attempt, this.options.maxDelaySeconds) * (0.5 + this.random() / 2);
      const seconds = asked ?? backoff;
      this.options.logger.warn(
        {
          method,
          status: status ?? null,
          failure: thrownName(failure),
          attempt: attempt + 1,
          waitSeconds: Number(seconds.toFixed(3)),
          retryAfter: asked !== undefined,
        },
        'graph: retrying',
      );
      // A discarded response must be drained, or its connection stays checked out of the pool.
      await response?.body?.cancel().catch(() => undefined);
      await this.sleep(seconds * 1000 * this.options.delayScale);
    }
  }
}

/**
 * The name of a thrown value ('TimeoutError', 'TypeError', ...). Read structurally rather than with
 * instanceof: fetch's errors come from Node's own realm, which is not the realm of a jest test.
 */
export function thrownName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('name' in value)) return undefined;
  return typeof value.name === 'string' ? value.name : undefined;
}

/** Where the SDK should send requests: it wants the origin and the version apart. */
export interface GraphEndpoint {
  origin: string;
  version: string;
  hostname: string;
  loopback: boolean;
}

export function parseGraphBaseUrl(baseUrl: string): GraphEndpoint {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`Graph base URL '${baseUrl}' is not a URL`);
  }
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length !== 1 || url.search !== '' || url.hash !== '') {
    throw new Error(
      `Graph base URL '${baseUrl}' must be an origin and a version only, e.g. ${defaultGraphBaseUrl}`,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`Graph base URL '${baseUrl}' must be https (plain http only to a loopback address)`);
  }
  return { origin: url.origin, version: segments[0], hostname: url.hostname, loopback };
}

function tokenCredentialFor(credential: Exclude<GraphClientCredential, { kind: 'none' }>): TokenCredential {
  switch (credential.kind) {
    case 'secret':
      return new ClientSecretCredential(credential.tenantId, credential.clientId, credential.clientSecret);
    case 'certificate':
      // The PEM holds both the private key and the certificate, as Entra ID's upload expects.
      return new ClientCertificateCredential(credential.tenantId, credential.clientId, {
        certificatePath: credential.certificatePath,
      });
    case 'managed-identity':
      // User-assigned: the bot's app registration is the identity, so the client id is always given.
      return new ManagedIdentityCredential({ clientId: credential.clientId });
  }
}

/**
 * Builds the Graph client. The SDK joins `baseUrl` (origin) + `defaultVersion` + the path given to
 * `.api('/teams/…')`, so callers always pass paths relative to the version and never whole URLs: that
 * is what lets the same code talk to http://127.0.0.1:PORT/v1.0 in tests. (The SDK's own parsing of
 * whole URLs in `.api()` recognises https only, and `customHosts` only governs where tokens go.)
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const { credential, ...rest } = options;
  const endpoint = parseGraphBaseUrl(options.baseUrl);
  if (credential.kind === 'none') {
    // Unsigned requests would only ever be refused by Graph; allowing them anywhere but a local sandbox
    // would hide a misconfiguration until the first review is opened.
    if (!endpoint.loopback) {
      throw new Error("Graph credential 'none' is only for a local sandbox on a loopback address");
    }
    return createGraphClientWith(rest);
  }
  if (endpoint.loopback) {
    throw new Error(
      'A real Graph credential must not be sent to a loopback address: use credential none locally',
    );
  }
  return createGraphClientWith({ ...rest, tokenCredential: tokenCredentialFor(credential) });
}

export interface GraphClientParts extends Omit<GraphClientOptions, 'credential'> {
  /** Signs every request to the Graph host; none for the local sandbox. */
  tokenCredential?: TokenCredential;
  /** The last link, which sends the request. Default: the SDK's HTTPMessageHandler (fetch). */
  transport?: Middleware;
}

/** The chain itself, with the credential and the transport given: createGraphClient's work, open to tests. */
export function createGraphClientWith(parts: GraphClientParts): Client {
  const endpoint = parseGraphBaseUrl(parts.baseUrl);
  const maxRetries = parts.maxRetries ?? 5;
  const delayScale = parts.retryDelayScale ?? 1;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new Error('maxRetries must be a whole number ≥ 0');
  }
  if (!(delayScale >= 0)) throw new Error('retryDelayScale must be ≥ 0');

  const chain: Middleware[] = [];
  let customHosts: Set<string> | undefined;
  if (parts.tokenCredential) {
    const provider = new TokenCredentialAuthenticationProvider(parts.tokenCredential, {
      scopes: [`${endpoint.origin}/.default`],
    });
    chain.push(new AuthenticationHandler(provider));
    // The SDK signs only requests to hosts it knows as Graph; a sovereign or proxied root is named here.
    customHosts = new Set([endpoint.hostname]);
  }
  chain.push(
    new GraphRetryMiddleware({
      maxRetries,
      delayScale,
      maxDelaySeconds: parts.maxRetryDelaySeconds ?? 120,
      requestTimeoutMs: parts.requestTimeoutMs ?? 60_000,
      logger: parts.logger ?? silentGraphLogger,
    }),
  );
  chain.push(parts.transport ?? new HTTPMessageHandler());

  return Client.initWithMiddleware({
    middleware: chain,
    baseUrl: endpoint.origin,
    defaultVersion: endpoint.version,
    ...(customHosts ? { customHosts } : {}),
  });
}
