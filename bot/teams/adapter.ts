/**
 * The Bot Framework adapter. Production authenticates every incoming activity (single tenant, with a
 * secret, a certificate or a user-assigned managed identity); local mode has no credentials at all,
 * which botbuilder treats as "authentication disabled" — so it is only ever built for the loopback
 * development mode that config.ts allows.
 */
import fs from 'node:fs';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  TurnContext,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
} from 'botbuilder';
import {
  AuthenticationError,
  ConnectorFactory,
  JwtTokenValidation,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
  CertificateServiceClientCredentialsFactory,
  ManagedIdentityServiceClientCredentialsFactory,
  JwtTokenProviderFactory,
  PasswordServiceClientCredentialFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { AppConfig } from '../config';
import type { Logger } from '../log';

/** The app id used to address the bot in local mode, where there is no registration. */
export const localBotAppId = 'rapid-review-local-bot';

export function botAppIdOf(config: AppConfig): string {
  return config.identity?.appId ?? localBotAppId;
}

function credentialsFactory(config: AppConfig): ServiceClientCredentialsFactory | undefined {
  if (config.mode === 'local') return undefined;
  const { appId, tenantId, credential } = config.identity;
  switch (credential.kind) {
    case 'secret':
      return new PasswordServiceClientCredentialFactory(appId, credential.password, tenantId);
    case 'certificate':
      return new CertificateServiceClientCredentialsFactory(
        appId,
        credential.thumbprint,
        fs.readFileSync(credential.keyFile, 'utf8'),
        tenantId,
      );
    case 'managed-identity':
      return new ManagedIdentityServiceClientCredentialsFactory(appId, new JwtTokenProviderFactory());
  }
}

/**
 * Whether an Authorization header could be a Bot Framework token at all: 'Bearer' and a JWT of three
 * base64url parts whose header is JSON naming RS256 and a key id. Anything else is refused with 401
 * before botbuilder parses it (its parser throws plain errors on such input, which became HTTP 500).
 */
export function plausibleBearerToken(header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(header.trim());
  if (!match) return false;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
    const { alg, kid } = parsed as { alg?: unknown; kid?: unknown };
    if (alg !== 'RS256' || typeof kid !== 'string' || kid === '') return false;
    const payload: unknown = JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8'));
    return Boolean(payload) && typeof payload === 'object' && !Array.isArray(payload);
  } catch {
    return false;
  }
}

/** Clients kept at most: one per (app, Teams service URL, audience) in practice; the bound is a guard. */
const maxReusedClients = 32;

/**
 * Connector clients reused across turns, one per app id, service URL and audience. botbuilder's
 * CloudAdapter builds a new ConnectorClient (credentials, an HTTP pipeline) for every incoming
 * activity and every proactive turn (each card update, each alert); a client holds nothing of a
 * turn, and botbuilder's own older BotFrameworkAdapter kept one per service URL the same way.
 */
class ReusedConnectorClients {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  factory(appId: string, inner: ConnectorFactory): ConnectorFactory {
    return new ReusedConnectorFactory(this.clients, appId, inner);
  }
}

/** One turn's view of the reused clients (a class of its own: one shape for every turn). */
class ReusedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly clients: Map<string, Promise<ConnectorClient>>,
    private readonly appId: string,
    private readonly inner: ConnectorFactory,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const clients = this.clients;
    const key = JSON.stringify([this.appId, serviceUrl, audience ?? null]);
    let client = clients.get(key);
    if (!client) {
      client = this.inner.create(serviceUrl, audience);
      // A failed creation (e.g. a credential not yet readable) is tried again on the next turn.
      client.catch(() => clients.delete(key));
      if (clients.size >= maxReusedClients) clients.delete(clients.keys().next().value as string);
      clients.set(key, client);
    }
    return client;
  }
}

function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
}

/**
 * botbuilder's authentication, with every way a caller's token can fail answered 401: a malformed
 * token is refused before it is parsed, and any other error while verifying one (botbuilder throws
 * plain errors for some shapes) becomes an AuthenticationError, which CloudAdapter answers with 401.
 */
class StrictAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new ReusedConnectorClients();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    credentials: ServiceClientCredentialsFactory | undefined,
    private readonly log: Logger,
  ) {
    super(options, credentials);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    // No header at all is botbuilder's to judge: refused in production, allowed in local mode.
    if (authHeader && !plausibleBearerToken(authHeader)) {
      throw new AuthenticationError('Unauthorized: not a Bot Framework token', StatusCodes.UNAUTHORIZED);
    }
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      this.log.warn({ err: { name: (error as Error)?.name } }, 'token not verified');
      throw new AuthenticationError('Unauthorized: the token was not verified', StatusCodes.UNAUTHORIZED);
    }
    const inner = result.connectorFactory;
    return inner
      ? { ...result, connectorFactory: this.connectorClients.factory(appIdOf(result.claimsIdentity), inner) }
      : result;
  }

  /** Proactive turns (card updates, alerts, new threads): the same reused clients. */
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.connectorClients.factory(
      appIdOf(claimsIdentity),
      super.createConnectorFactory(claimsIdentity),
    );
  }

  /** One user-token client per app id (the bot has no sign-in, but every turn is handed one). */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = appIdOf(claimsIdentity);
    let client = this.userTokenClients.get(appId);
    if (!client) {
      client = super.createUserTokenClient(claimsIdentity);
      client.catch(() => this.userTokenClients.delete(appId));
      if (this.userTokenClients.size >= maxReusedClients) this.userTokenClients.clear();
      this.userTokenClients.set(appId, client);
    }
    return client;
  }
}

/**
 * The tenants whose activities the bot serves; undefined serves any (local mode without a tenant:
 * the Agents Playground's made-up tenant). Production serves its own tenant only.
 *
 * Seam for shared channels: when a partnership profile names the tenants of agencies that join a
 * review through a shared channel (Teams Connect), add them here, e.g. from `deps.profiles`.
 */
export function servedTenants(config: AppConfig): ReadonlySet<string> | undefined {
  if (config.mode === 'production') return new Set([config.identity.tenantId.toLowerCase()]);
  const configured = config.servedTenantIds ?? (config.identity ? [config.identity.tenantId] : []);
  return configured.length === 0 ? undefined : new Set(configured.map((t) => t.toLowerCase()));
}

/**
 * The tenant an activity says it comes from. Teams puts it in channelData.tenant.id and in
 * conversation.tenantId; when both are there they must agree.
 */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromConversation = activity.conversation?.tenantId as unknown;
  const ids = [fromChannelData, fromConversation].filter((id) => id !== undefined && id !== null);
  if (ids.length === 0 || ids.some((id) => typeof id !== 'string')) return undefined;
  const lower = (ids as string[]).map((id) => id.toLowerCase());
  return lower.every((id) => id === lower[0]) ? lower[0] : undefined;
}

/** CloudAdapter that serves only the configured tenants' incoming activities. */
class TenantAdapter extends CloudAdapter {
  constructor(
    auth: ConfigurationBotFrameworkAuthentication,
    private readonly tenants: ReadonlySet<string> | undefined,
    private readonly log: Logger,
  ) {
    super(auth);
  }

  /** Every incoming activity (after authentication) comes through here; proactive turns do not. */
  protected override processActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
  protected override processActivity(
    authenticateRequestResult: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
  protected override processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const tenants = this.tenants;
    const guarded = async (context: TurnContext): Promise<void> => {
      const tenant = tenantOf(context.activity);
      if (tenants && (tenant === undefined || !tenants.has(tenant))) {
        this.log.warn({ activityType: context.activity.type }, 'activity from a tenant not served: ignored');
        if (context.activity.type === 'invoke') {
          // The invoke's HTTP answer: 403, and nothing else happens.
          await context.sendActivity({
            type: 'invokeResponse',
            value: { status: 403, body: { error: 'tenant not served' } },
          });
        }
        return;
      }
      await logic(context);
    };
    return typeof auth === 'string'
      ? super.processActivity(auth, activity, guarded)
      : super.processActivity(auth, activity, guarded);
  }
}

export function createAdapter(config: AppConfig, log: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions =
    config.mode === 'production'
      ? {
          MicrosoftAppId: config.identity.appId,
          MicrosoftAppTenantId: config.identity.tenantId,
          MicrosoftAppType:
            config.identity.credential.kind === 'managed-identity' ? 'UserAssignedMSI' : 'SingleTenant',
          ...(config.identity.credential.kind === 'secret'
            ? { MicrosoftAppPassword: config.identity.credential.password }
            : {}),
        }
      : {};
  const auth = new StrictAuthentication(options, credentialsFactory(config), log);
  const adapter = new TenantAdapter(auth, servedTenants(config), log);
  adapter.onTurnError = async (context, error) => {
    // The error message may quote a card's input; log the kind and the activity type only.
    log.error({ err: { name: error.name }, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong. Nothing was saved; please try again.');
    }
  };
  return adapter;
}
