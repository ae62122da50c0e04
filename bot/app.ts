/**
 * Composition: configuration → store, profiles, Graph, Bot Framework adapter, the bot and the HTTP
 * server. Everything outside (Graph, the clock, the logger) can be replaced, which is how the tests,
 * the demo and the local run use the same wiring as production.
 */
import { GraphChannelMessages } from '../graph/channelMessages';
import { createGraphClient, type GraphClientCredential } from '../graph/graphClient';
import { GraphTeamspace } from '../graph/graphTeamspace';
import { GraphPersonalChats } from '../graph/personalChats';
import { latestSchemaVersion } from '../review/migrations';
import { openStore } from '../review/openStore';
import { ProfileRegistry } from '../review/profile';
import { systemClock, type Clock, type Messenger, type Teamspace } from '../review/ports';
import type { ReviewStore } from '../review/store';
import type { TickResult } from '../scheduler/tick';
import { startAlerts } from './alerts';
import type { AppConfig, StoreConfig } from './config';
import type { FlowDeps, FlowSettings } from './flows/deps';
import { BackgroundWork } from './flows/background';
import { createLogger, type Logger } from './log';
import { startServer, type RunningServer } from './server';
import { startUpkeep, type UpkeepResult } from './upkeep';
import { botAppIdOf, createAdapter } from './teams/adapter';
import { BotMessenger } from './teams/botMessenger';
import { RapidReviewBot } from './teams/rapidReviewBot';

export interface BotAppOverrides {
  store?: ReviewStore;
  teamspace?: Teamspace;
  messenger?: Messenger;
  clock?: Clock;
  log?: Logger;
  /** Where Teams is reached before any activity has told the bot its service URL. */
  serviceUrl?: string;
  /** Do not finish half-done reviews at start-up (tests that want to control it). */
  skipResume?: boolean;
  /** Do not start the alert timer (tests that drive alerts themselves). */
  skipAlerts?: boolean;
  /**
   * The upkeep and alert timers never fire on the wall clock: tests whose clock is their own run them
   * with runUpkeep/runAlerts, so a real two-minute boundary cannot add work in the middle of a test.
   */
  manualTimers?: boolean;
  /** Replaces some of the configured partnership settings (tests and the local run). */
  settings?: Partial<FlowSettings>;
  /**
   * Graph's waits scaled down (tests that inject faults: a Retry-After of seconds must not cost real
   * seconds) and its request timeout replaced; production uses the configured timeout and real waits.
   */
  graphTiming?: { delayScale?: number; requestTimeoutMs?: number };
  /** Opens the configured store; tests pass one that records what it was given. Default openStore. */
  openStore?: (config: StoreConfig) => Promise<ReviewStore>;
}

export interface BotApp {
  url: string;
  deps: FlowDeps;
  server: RunningServer;
  /** Resolves when background work (review provisioning) has finished. */
  idle(): Promise<void>;
  /** Resumes stopped set-ups and pending attendance now (a timer does every two minutes). */
  runUpkeep?: () => Promise<UpkeepResult>;
  /** Runs the alert tick now (the timer runs it every five minutes); undefined with skipAlerts. */
  runAlerts?: () => Promise<TickResult>;
  close(): Promise<void>;
}

function graphCredential(config: AppConfig): GraphClientCredential {
  if (config.graph.credential === 'none' || !config.identity) return { kind: 'none' };
  const { appId, tenantId, credential } = config.identity;
  switch (credential.kind) {
    case 'secret':
      return { kind: 'secret', tenantId, clientId: appId, clientSecret: credential.password };
    case 'certificate':
      return { kind: 'certificate', tenantId, clientId: appId, certificatePath: credential.keyFile };
    case 'managed-identity':
      return { kind: 'managed-identity', clientId: credential.clientId };
  }
}

export async function startBotApp(config: AppConfig, overrides: BotAppOverrides = {}): Promise<BotApp> {
  const log = overrides.log ?? createLogger(config.logLevel);
  // The configuration's own shapes go to their consumers as they are (config.store to openStore,
  // config.settings to the flows): a setting that is validated cannot be lost on the way.
  const store = overrides.store ?? (await (overrides.openStore ?? openStore)(config.store));
  const profiles = new ProfileRegistry(config.profilesDir ? [config.profilesDir] : []);
  profiles.get(config.settings.defaultProfileId);
  const timing = overrides.graphTiming ?? {};
  const graphClient = createGraphClient({
    baseUrl: config.graph.baseUrl,
    credential: graphCredential(config),
    logger: log,
    requestTimeoutMs: timing.requestTimeoutMs ?? config.graph.requestTimeoutMs,
    ...(timing.delayScale !== undefined && { retryDelayScale: timing.delayScale }),
  });
  const teamspace =
    overrides.teamspace ??
    new GraphTeamspace(
      graphClient,
      log,
      timing.delayScale === undefined
        ? {}
        : { batchDelayScale: timing.delayScale, lookupDelayMs: 2000 * timing.delayScale },
    );
  const adapter = createAdapter(config, log);
  const botMessenger = new BotMessenger(adapter, botAppIdOf(config), {
    serviceUrl: overrides.serviceUrl ?? 'https://smba.trafficmanager.net/teams/',
    tenantId: config.identity?.tenantId,
  });
  const deps: FlowDeps = {
    store,
    profiles,
    teamspace,
    messenger: overrides.messenger ?? botMessenger,
    clock: overrides.clock ?? systemClock,
    log,
    settings: { ...config.settings, ...overrides.settings },
    background: new BackgroundWork(),
  };
  const bot = new RapidReviewBot(deps, botMessenger);
  const server = await startServer({
    host: config.server.host,
    port: config.server.port,
    log,
    processActivity: (request, response) =>
      deps.background.whileAnswering(() =>
        adapter.process(request as never, response as never, (context) => bot.run(context)),
      ),
    ready: async () => (await store.schemaVersion()) >= latestSchemaVersion(),
  });
  log.info({ url: server.url, mode: config.mode, store: store.kind }, 'rapid review bot listening');
  const alerts = overrides.skipAlerts
    ? undefined
    : startAlerts({
        store,
        profiles,
        clock: deps.clock,
        messenger: deps.messenger,
        log,
        channelMessages: overrides.teamspace ? undefined : new GraphChannelMessages(graphClient),
        businessUnit: {
          teamId: deps.settings.teamId === '' ? undefined : deps.settings.teamId,
          channelId: deps.settings.businessUnitChannelId,
        },
        businessUnitReference: deps.settings.businessUnitChannelId
          ? () => botMessenger.channelReference(deps.settings.businessUnitChannelId as string)
          : undefined,
        alertHour: config.alertHour,
        manualTimers: overrides.manualTimers,
        // Graph installs the app for a person and finds their chat; not with a stand-in teamspace.
        ...(deps.settings.teamsAppId &&
          !overrides.teamspace && {
            nudges: {
              teamsAppId: deps.settings.teamsAppId,
              personalChats: new GraphPersonalChats(graphClient),
              chatReference: (chatId: string) => botMessenger.chatReference(chatId),
            },
          }),
      });
  // At start-up, and then on a timer: finish half-done set-ups, reconcile pending attendance.
  const upkeep = overrides.skipResume ? undefined : startUpkeep(deps, undefined, overrides.manualTimers);
  const resumed = upkeep
    ? upkeep.runOnce().catch((error: unknown) => {
        log.warn({ err: { message: (error as Error).message } }, 'start-up upkeep failed');
      })
    : Promise.resolve();
  return {
    url: server.url,
    deps,
    server,
    ...(alerts && { runAlerts: () => alerts.tick.runOnce() }),
    idle: async () => {
      await resumed;
      await deps.background.settled();
    },
    ...(upkeep && { runUpkeep: () => upkeep.runOnce() }),
    close: async () => {
      alerts?.timer.stop();
      upkeep?.stop();
      await resumed.catch(() => undefined);
      await deps.background.settled();
      await server.close();
      if (!overrides.store) await store.close();
    },
  };
}
