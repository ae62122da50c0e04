/**
 * The bot started as production starts it (its own tenant, Bot Framework authentication on every
 * activity, encryption key required), on a SQLite file of its own: the tests of the production
 * endpoint share this one configuration instead of each writing the environment out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBotApp, type BotApp, type BotAppOverrides } from '../../bot/app';
import { loadConfig, type AppConfig } from '../../bot/config';
import { silentLogger } from '../../bot/log';
import { businessUnitChannelId, openReviewValues, people, teamId, tenantId } from './harness';

/** The Microsoft app id the production bot signs in as; tokens must name it as their audience. */
export const productionAppId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

export function productionConfig(environment: Record<string, string> = {}): AppConfig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-production-'));
  return loadConfig({
    NODE_ENV: 'production',
    RR_MODE: 'production',
    HOST: '127.0.0.1',
    MICROSOFT_APP_ID: productionAppId,
    MICROSOFT_APP_TENANT_ID: tenantId,
    MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
    SQLITE_PATH: path.join(dataDir, 'rapid-review.db'),
    BUSINESS_UNIT_TEAM_ID: teamId,
    BUSINESS_UNIT_CHANNEL_ID: businessUnitChannelId,
    BUSINESS_UNIT_USERS: people.officer.aadObjectId,
    REVIEW_CHAIR_EMAIL: 'chair@partnership.example',
    MEETING_ORGANIZER: 'rapid-review@partnership.example',
    TEAMS_APP_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    DATA_ENCRYPTION_KEYS: 'test-2026:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    LOG_LEVEL: 'silent',
    ...environment,
  });
}

/** Listens on a free port; nothing resumes at start-up, so only the test's activities reach it. */
export async function startProductionBot(
  options: { environment?: Record<string, string>; overrides?: BotAppOverrides } = {},
): Promise<{ app: BotApp; config: AppConfig }> {
  const config = productionConfig(options.environment);
  const app = await startBotApp(
    { ...config, server: { ...config.server, port: 0 } },
    { log: silentLogger, skipResume: true, ...options.overrides },
  );
  return { app, config };
}

/** The business-unit officer submitting a valid open-review form from the bot's personal chat. */
export function openReviewInvoke(): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/uk/',
    from: { id: people.officer.id, aadObjectId: people.officer.aadObjectId, name: people.officer.name },
    recipient: { id: '28:bot', name: 'Rapid Review' },
    conversation: { id: 'a:personal', conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    value: { action: { type: 'Action.Execute', verb: 'review.open', data: openReviewValues() } },
  };
}
