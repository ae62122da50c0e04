/**
 * Plays a Teams client against the bot's real /api/messages: Teams-shaped message and invoke
 * activities from different users, in a 1:1 chat or a channel, with replies collected by the fake
 * connector. Used by the HTTP tests, the demo and the benchmark.
 */
import { randomUUID } from 'node:crypto';
import type { FakeConnector, RosterMember } from './fakeConnector';

export type Where =
  | { kind: 'personal' }
  | { kind: 'channel'; channelId: string; teamId: string }
  | { kind: 'meeting'; meetingId: string; chatId: string };

export interface TeamsClientOptions {
  botUrl: string;
  connector: FakeConnector;
  tenantId: string;
  botId: string;
}

export interface InvokeResult {
  status: number;
  body: { statusCode?: number; type?: string; value?: unknown } | undefined;
}

export class TeamsClient {
  constructor(private readonly options: TeamsClientOptions) {}

  private base(user: RosterMember, where: Where): Record<string, unknown> {
    const conversation =
      where.kind === 'personal'
        ? {
            id: `a:personal-${user.aadObjectId}`,
            conversationType: 'personal',
            tenantId: this.options.tenantId,
          }
        : where.kind === 'channel'
          ? {
              id: where.channelId,
              conversationType: 'channel',
              isGroup: true,
              tenantId: this.options.tenantId,
            }
          : {
              id: where.chatId,
              conversationType: 'groupChat',
              isGroup: true,
              tenantId: this.options.tenantId,
            };
    const channelData: Record<string, unknown> = { tenant: { id: this.options.tenantId } };
    if (where.kind === 'channel') {
      channelData.channel = { id: where.channelId };
      channelData.team = { id: where.teamId };
    }
    if (where.kind === 'meeting') channelData.meeting = { id: where.meetingId };
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.options.connector.url,
      timestamp: new Date().toISOString(),
      from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
      recipient: { id: this.options.botId, name: 'Rapid Review' },
      conversation,
      channelData,
      locale: 'en-GB',
    };
  }

  async post(activity: Record<string, unknown>): Promise<InvokeResult> {
    const response = await fetch(`${this.options.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** A message; in a channel the bot is @mentioned, as Teams requires for it to see the message. */
  async say(user: RosterMember, text: string, where: Where = { kind: 'personal' }): Promise<InvokeResult> {
    const activity: Record<string, unknown> = { ...this.base(user, where), type: 'message', text };
    if (where.kind !== 'personal') {
      activity.text = `<at>Rapid Review</at> ${text}`;
      activity.entities = [
        {
          type: 'mention',
          text: '<at>Rapid Review</at>',
          mentioned: { id: this.options.botId, name: 'Rapid Review' },
        },
      ];
    }
    return this.post(activity);
  }

  /** An Adaptive Card Universal Action (adaptiveCard/action invoke). */
  async act(
    user: RosterMember,
    verb: string,
    data: Record<string, unknown>,
    where: Where = { kind: 'personal' },
  ): Promise<InvokeResult> {
    return this.post({
      ...this.base(user, where),
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
  }

  /**
   * A meeting-chat event as Teams sends it once the bot is in the meeting chat: start and end carry
   * PascalCase values (botbuilder checks the case); join and leave carry the members.
   */
  async meetingEvent(
    kind: 'start' | 'end',
    where: Extract<Where, { kind: 'meeting' }>,
    details: { joinUrl: string; title?: string; at?: string; organizer: RosterMember },
  ): Promise<InvokeResult> {
    const at = details.at ?? new Date().toISOString();
    return this.post({
      ...this.base(details.organizer, where),
      type: 'event',
      name:
        kind === 'start' ? 'application/vnd.microsoft.meetingStart' : 'application/vnd.microsoft.meetingEnd',
      value: {
        Id: where.meetingId,
        JoinUrl: details.joinUrl,
        Title: details.title ?? 'Review meeting',
        MeetingType: 'Scheduled',
        ...(kind === 'start' ? { StartTime: at } : { EndTime: at }),
      },
    });
  }

  async participants(
    kind: 'join' | 'leave',
    where: Extract<Where, { kind: 'meeting' }>,
    members: RosterMember[],
    organizer: RosterMember,
  ): Promise<InvokeResult> {
    return this.post({
      ...this.base(organizer, where),
      type: 'event',
      name:
        kind === 'join'
          ? 'application/vnd.microsoft.meetingParticipantJoin'
          : 'application/vnd.microsoft.meetingParticipantLeave',
      value: {
        members: members.map((m) => ({
          user: { id: m.id, aadObjectId: m.aadObjectId, name: m.name },
          meeting: { inMeeting: kind === 'join', role: 'Attendee' },
        })),
      },
    });
  }

  /** The bot's replies (and new threads) since a given count of recorded activities. */
  since(count: number) {
    return this.options.connector.activities.slice(count);
  }
}

export function cardOf(result: InvokeResult): Record<string, unknown> | undefined {
  const value = result.body?.value;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}
