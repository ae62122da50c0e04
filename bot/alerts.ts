/**
 * Countdown alerts in the running bot: the outbox on the bot's own database, the tick on a timer,
 * alerts posted through the Bot Framework into each review's thread (and escalations into the
 * business unit's channel), and the look-up that finds an alert already in Teams before a retry.
 */
import { randomUUID } from 'node:crypto';
import { GraphChannelMessages } from '../graph/channelMessages';
import type { GraphPersonalChats } from '../graph/personalChats';
import type { Clock, Messenger } from '../review/ports';
import type { ProfileRegistry } from '../review/profile';
import { PostgresStore } from '../review/postgresStore';
import { SqliteStore } from '../review/sqliteStore';
import type { ReviewStore } from '../review/store';
import { alertToken } from '../scheduler/dispatcher';
import { cannotTell, type AlertOutbox, type PostedActivityLookup } from '../scheduler/outbox';
import { PostgresOutbox } from '../scheduler/postgresOutbox';
import { openSqliteOutbox } from '../scheduler/sqliteOutbox';
import { createAlertTick, startAlertTimer, type AlertTick, type AlertTimer } from '../scheduler/tick';
import type { Logger } from './log';

export function outboxFor(store: ReviewStore): AlertOutbox {
  if (store instanceof SqliteStore) return openSqliteOutbox({ database: store.database });
  if (store instanceof PostgresStore) return new PostgresOutbox(store.pool);
  throw new Error(`no alert outbox for a ${store.kind} store`);
}

export interface AlertWiring {
  /** The tick runs only when asked (runOnce), never on the wall clock's timer. */
  manualTimers?: boolean;
  store: ReviewStore;
  profiles: ProfileRegistry;
  clock: Clock;
  messenger: Messenger;
  log: Logger;
  /** Reads channel messages through Graph (undefined when Graph cannot be asked, e.g. in tests). */
  channelMessages?: GraphChannelMessages;
  businessUnit: { teamId?: string; channelId?: string };
  /** A reference to post into the business unit's channel (built by bot/teams from its channel id). */
  businessUnitReference?: () => unknown;
  alertHour?: number;
  /**
   * Nudges in people's 1:1 chats: the app's id in the tenant's catalog (to install it for a person),
   * Graph's look-up of the chat, and a reference that posts into a chat by its id. Without all three
   * no nudge is worked out.
   */
  nudges?: {
    teamsAppId: string;
    personalChats: Pick<GraphPersonalChats, 'chatWith'>;
    chatReference: (chatId: string) => unknown;
  };
}

/** Finds an alert in Teams by the token its text carries, in the thread or channel it was sent to. */
export function teamsAlertLookup(wiring: AlertWiring, outbox: AlertOutbox): PostedActivityLookup {
  return {
    findByKey: async (key) => {
      if (!wiring.channelMessages) return undefined;
      const row = await outbox.get(key);
      if (!row) return undefined;
      // A 1:1 chat cannot be read back without Chat.Read.All (every chat in the tenant): not asked for.
      if (row.target === 'person') return cannotTell;
      const token = alertToken(key);
      try {
        if (row.target === 'business-unit-channel') {
          const { teamId, channelId } = wiring.businessUnit;
          if (!teamId || !channelId) return undefined;
          return await wiring.channelMessages.findContaining(teamId, channelId, undefined, token);
        }
        const review = await wiring.store.getReview(row.reviewId);
        const { teamId, channelId, welcomeActivityId } = review?.teamspace ?? {};
        if (!teamId || !channelId) return undefined;
        return await wiring.channelMessages.findContaining(teamId, channelId, welcomeActivityId, token);
      } catch (error) {
        // Unknown is not "absent": let the dispatcher hold the alert and ask again later.
        wiring.log.warn({ key, err: { message: (error as Error).message } }, 'alert look-up failed');
        throw error;
      }
    },
  };
}

export function startAlerts(wiring: AlertWiring): {
  timer: AlertTimer;
  outbox: AlertOutbox;
  tick: AlertTick;
} {
  const outbox = outboxFor(wiring.store);
  const profiles = {
    get: (id: string) => {
      if (!wiring.profiles.has(id)) return undefined;
      const profile = wiring.profiles.get(id);
      return wiring.alertHour === undefined ? profile : { ...profile, alerts: { hour: wiring.alertHour } };
    },
    // Every id, so the tick records each profile's settings and sweeps its reviews again when they change.
    ids: () => wiring.profiles.ids(),
  };
  const tick = createAlertTick({
    store: wiring.store,
    outbox,
    profiles,
    clock: wiring.clock,
    messenger: wiring.messenger,
    lookup: teamsAlertLookup(wiring, outbox),
    instanceId: `bot-${randomUUID().slice(0, 8)}`,
    resolveTarget: async (target, _review, _profile, row) => {
      if (target === 'business-unit-channel') return wiring.businessUnitReference?.();
      const person = row.recipient?.aadObjectId;
      if (!wiring.nudges || !person) return undefined;
      // Installs the app for the person if they have not added it (Graph: 409 when they have).
      const chatId = await wiring.nudges.personalChats.chatWith(person, wiring.nudges.teamsAppId);
      return wiring.nudges.chatReference(chatId);
    },
    nudges: wiring.nudges !== undefined,
    log: wiring.log,
  });
  const timer = startAlertTimer(tick, { clock: wiring.clock, log: wiring.log, paused: wiring.manualTimers });
  return { timer, outbox, tick };
}
