/**
 * The local run: the bot (SQLite, RR_MODE=local), the Graph sandbox and the Microsoft 365 Agents
 * Playground, wired for the sample partnership. `npm run dev` (main.ts) and the browser tests start
 * it the same way.
 *
 *   browser ──> playground ──> act-as relay ──> bot /api/messages
 *                   ^                             │
 *                   └──── connector (replies, ────┘   bot ──> Graph sandbox (channels, members)
 *                          new channel threads)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startBotApp, type BotApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger, type Logger } from '../../bot/log';
import { directoryOf, replaceDirectory } from '../../review/directory';
import { openStore } from '../../review/openStore';
import type { Clock } from '../../review/ports';
import type { ReviewStore } from '../../review/store';
import { startGraphSandbox, type GraphSandbox } from '../graph-sandbox/graphSandbox';
import { startActingAsRelay, type ActingAsRelay } from './actingAsRelay';
import type { FakeConnector } from '../teamsClient/fakeConnector';
import { TeamsClient } from '../teamsClient/teamsClient';
import {
  playgroundConfigYaml,
  sampleBot,
  sampleBotEnv,
  sampleDirectory,
  sampleDirectoryImport,
  samplePeople,
  samplePersonalChatId,
  sampleTeamSeed,
  sampleTeamsAppId,
  sampleTenantId,
  spareReviewChannels,
} from './samplePartnership';

export const defaultPorts = { bot: 3978, sandbox: 3979, relay: 3980, playground: 56150 };

export interface DevStackOptions {
  /** Holds the SQLite database, the generated playground config and the logs. */
  dataDir: string;
  /** Start from an empty database (the playground forgets its conversations on every start). */
  fresh: boolean;
  /** Who sits at the playground's keyboard (a sample person's key); default the business unit officer. */
  currentUser?: string;
  /** 0 picks a free port. */
  ports?: Partial<typeof defaultPorts>;
  /** Lines for the developer's terminal. */
  say?: (line: string) => void;
  /** The bot's logger; default JSON lines at LOG_LEVEL into dataDir/bot.log. */
  log?: Logger;
  logLevel?: string;
  /**
   * The bot's clock (local runs and browser tests only): alerts go out on working days at the
   * partnership's hour, so a test on a Saturday needs the bot to think it is a working day.
   */
  clock?: Clock;
  /** Start with the sample partnership's directory when the store has none (`npm run dev` does). */
  sampleDirectory?: boolean;
}

export interface DevStack {
  /** Open this in a browser. */
  playgroundUrl: string;
  botUrl: string;
  graphUrl: string;
  app: BotApp;
  sandbox: GraphSandbox;
  relay: ActingAsRelay;
  /** Review channels the playground can show that no stored review uses yet. */
  spareChannels: string[];
  /** Resolves (exit code or signal) when the playground stops; if on its own, the caller closes the stack. */
  playgroundExited: Promise<number | string | null>;
  close(): Promise<void>;
}

/** The repository root (package.json), from the source tree under ts-jest and from dist/. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * A clock that reads `start` now and runs on from there at the real pace, so timestamps still move
 * forward (audit entries, leases) while the date is the one chosen.
 */
export function clockStartingAt(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** A free TCP port on loopback: the playground must be told its port before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function playgroundConfigPath(dataDir: string, currentUser: string): string {
  const shared = path.join(repoRoot(), '.m365agentsplayground.yml');
  // The committed file has the business unit officer at the keyboard; anyone else gets a copy.
  if (currentUser === 'officer' && fs.existsSync(shared)) return shared;
  const file = path.join(dataDir, `playground-${currentUser}.yml`);
  fs.writeFileSync(file, playgroundConfigYaml(currentUser), 'utf8');
  return file;
}

interface RunningPlayground {
  child: ChildProcess;
  port: number;
  exited: Promise<number | string | null>;
}

function startPlayground(options: {
  port: number;
  appEndpoint: string;
  configPath: string;
  logFile: string;
  say: (line: string) => void;
}): Promise<RunningPlayground> {
  const host = path.join(repoRoot(), 'test', 'dev', 'playgroundHost.js');
  const child = spawn(
    process.execPath,
    [
      host,
      '--app-endpoint',
      options.appEndpoint,
      '--port',
      String(options.port),
      // The bot replies to this URL; 127.0.0.1 rather than the default localhost, which may be ::1.
      '--service-url',
      `http://127.0.0.1:${options.port}/_connector`,
      '--disable-telemetry',
    ],
    {
      cwd: path.dirname(options.logFile),
      env: {
        ...process.env,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
        // The URL is printed instead; a headless machine has no browser to open.
        TEAMSAPPTESTER_BROWSER: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error('the Agents Playground did not start within 60 s')),
      60_000,
    );
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /Listening on (\d+)/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      const port = Number(listening[1]);
      if (port !== options.port) {
        fail(new Error(`port ${options.port} is in use (the playground chose ${port}); pick another`));
        return;
      }
      resolve({ child, port, exited });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) options.say(line);
    });
    child.once('exit', (code) => fail(new Error(`the Agents Playground exited (code ${code}): ${output}`)));
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | string | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 3000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

async function port(wanted: number | undefined, fallback: number): Promise<number> {
  const chosen = wanted ?? fallback;
  return chosen === 0 ? freePort() : chosen;
}

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const say = options.say ?? (() => undefined);
  const currentUser = options.currentUser ?? 'officer';
  if (!samplePeople.some((p) => p.key === currentUser)) {
    throw new Error(`--as: no sample person '${currentUser}' (${samplePeople.map((p) => p.key).join(', ')})`);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const sqlitePath = path.join(options.dataDir, 'rapid-review.db');
  if (options.fresh) {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${sqlitePath}${suffix}`, { force: true });
  }
  const ports = { ...defaultPorts, ...options.ports };
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne().catch(() => undefined);
  };

  try {
    const store: ReviewStore = await openStore({ store: 'sqlite', sqlitePath });
    closers.push(() => store.close());
    // A review kept from an earlier run holds its channel id; the sandbox must not hand it out again.
    const used = new Set((await store.listReviews()).map((r) => r.teamspace.channelId));
    const spareChannels = spareReviewChannels.map((c) => c.id).filter((id) => !used.has(id));
    if (options.sampleDirectory && (await store.getDirectory()).version === 0) {
      const at = new Date().toISOString();
      await store.updateDirectory((current) =>
        replaceDirectory(current, directoryOf(sampleDirectoryImport()), { system: 'npm run dev' }, at),
      );
    }

    // Teams sends the bot its install event when the app is enabled in a review channel; here the
    // sandbox's hook sends it straight to the bot (the playground cannot).
    const teams: { events?: TeamsClient } = {};
    const sandbox = await startGraphSandbox({
      port: await port(ports.sandbox, defaultPorts.sandbox),
      channelIds: spareChannels,
      logFile: path.join(options.dataDir, 'graph-requests.jsonl'),
      teamsAppId: sampleTeamsAppId,
      directory: sampleDirectory(),
      teams: [sampleTeamSeed()],
      // The playground shows one personal chat: every person's 1:1 chat with the bot (a nudge) is it.
      personalChatId: () => samplePersonalChatId,
      onAppEnabledInChannel: (event) => {
        setTimeout(() => {
          teams.events?.botAddedToChannel(event.teamId, event.channelId).catch((error: unknown) => {
            say(`install event not delivered: ${(error as Error).message}`);
          });
        }, 50);
      },
    });
    closers.push(() => sandbox.close());

    const playgroundPort = await port(ports.playground, defaultPorts.playground);
    const connectorUrl = `http://127.0.0.1:${playgroundPort}/_connector`;
    const logLevel = options.logLevel ?? process.env.LOG_LEVEL ?? 'info';
    const config = loadConfig({
      ...sampleBotEnv(),
      NODE_ENV: 'development',
      SQLITE_PATH: sqlitePath,
      REPORTS_DIR: path.join(options.dataDir, 'reports'),
      GRAPH_BASE_URL: sandbox.url,
      PORT: String(await port(ports.bot, defaultPorts.bot)),
      LOG_LEVEL: logLevel,
    });
    const log =
      options.log ??
      createLogger(logLevel, fs.createWriteStream(path.join(options.dataDir, 'bot.log'), { flags: 'a' }));
    // Until the playground's first activity tells the bot where Teams is, replies and resumed
    // provisioning go to the playground's connector.
    const app = await startBotApp(config, {
      store,
      log,
      serviceUrl: connectorUrl,
      ...(options.clock && { clock: options.clock }),
    });
    closers.push(() => app.close());
    // Only the connector's address is used to stamp the event, as Teams stamps every activity.
    teams.events = new TeamsClient({
      botUrl: app.url,
      connector: { url: connectorUrl } as FakeConnector,
      tenantId: sampleTenantId,
      botId: sampleBot.id,
    });

    const relay = await startActingAsRelay({
      botUrl: app.url,
      people: samplePeople,
      port: await port(ports.relay, defaultPorts.relay),
      log: say,
    });
    closers.push(() => relay.close());

    const playground = await startPlayground({
      port: playgroundPort,
      appEndpoint: `${relay.url}/api/messages`,
      configPath: playgroundConfigPath(options.dataDir, currentUser),
      logFile: path.join(options.dataDir, 'playground.log'),
      say,
    });
    closers.push(() => stopChild(playground.child, playground.exited));

    return {
      playgroundUrl: `http://127.0.0.1:${playground.port}`,
      botUrl: app.url,
      graphUrl: sandbox.url,
      app,
      sandbox,
      relay,
      spareChannels,
      playgroundExited: playground.exited,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
