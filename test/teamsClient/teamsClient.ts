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
  /**
   * Whether the bot's registration subscribes to meeting participant join/leave events (Teams
   * Developer Portal → the bot → "Meeting event subscriptions"). Off by default, as a fresh
   * registration has it.
   */
  meetingParticipantEventsSubscribed?: boolean;
}

/** What participants() answers when the registration does not subscribe to join/leave events. */
export interface NotDelivered {
  delivered: false;
  reason: 'meeting participant events not subscribed';
}

export interface InvokeResult {
  status: number;
  body: { statusCode?: number; type?: string; value?: unknown } | undefined;
}

export class TeamsClient {
  /** See TeamsClientOptions.meetingParticipantEventsSubscribed; a test may switch it on. */
  meetingParticipantEventsSubscribed: boolean;

  constructor(private readonly options: TeamsClientOptions) {
    this.meetingParticipantEventsSubscribed = options.meetingParticipantEventsSubscribed ?? false;
  }

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
    if (!text) return { status: response.status, body: undefined };
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      // A failed turn answers with plain text (e.g. a 500's message): keep it readable in the test.
      return { status: response.status, body: { value: text } };
    }
  }

  /**
   * A message. In a channel or a chat the bot is @mentioned unless `mention: false`: with the RSC
   * permission ChannelMessage.Read.Group (ChatMessage.Read.Chat in chats) Teams delivers every
   * message, mention or not, so a message that only talks among people reaches the bot too.
   */
  async say(
    user: RosterMember,
    text: string,
    where: Where = { kind: 'personal' },
    options: { mention?: boolean } = {},
  ): Promise<InvokeResult> {
    const activity: Record<string, unknown> = { ...this.base(user, where), type: 'message', text };
    if (where.kind !== 'personal' && options.mention !== false) {
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
   * An Action.Submit from a card (the fallback of clients without Universal Actions): a message with
   * the card's data and the verb as its value, no text and no @mention.
   */
  async submit(
    user: RosterMember,
    verb: string,
    data: Record<string, unknown>,
    where: Where = { kind: 'personal' },
  ): Promise<InvokeResult> {
    return this.post({ ...this.base(user, where), type: 'message', value: { ...data, verb } });
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

  /**
   * People join or leave the meeting. Teams then knows they are in it (getMeetingParticipant answers
   * inMeeting), but it sends the bot the join/leave event only when the bot's registration subscribes
   * to meeting participant events; otherwise nothing is delivered and this says so.
   */
  async participants(
    kind: 'join' | 'leave',
    where: Extract<Where, { kind: 'meeting' }>,
    members: RosterMember[],
    organizer: RosterMember,
  ): Promise<InvokeResult | NotDelivered> {
    for (const m of members)
      this.options.connector.setInMeeting(where.meetingId, m.aadObjectId, kind === 'join');
    if (!this.meetingParticipantEventsSubscribed) {
      return { delivered: false, reason: 'meeting participant events not subscribed' };
    }
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

  /**
   * Teams tells the bot it was added to a channel: after the app is enabled in a private or shared
   * channel, a conversationUpdate in that channel with eventType channelMemberAdded and the bot among
   * membersAdded ("Teams Connects Shared and Private Channels": "Bot installation is confirmed when
   * your bot receives a channelMemberAdded event in the conversationUpdate activity for itself").
   * channelData.team carries the team's thread id and, as aadGroupId, its Graph id (teamId here).
   */
  async botAddedToChannel(teamId: string, channelId: string, by?: RosterMember): Promise<InvokeResult> {
    const from = by
      ? { id: by.id, aadObjectId: by.aadObjectId, name: by.name }
      : { id: this.options.botId, name: 'Rapid Review' };
    return this.post({
      id: `f:${randomUUID()}`,
      type: 'conversationUpdate',
      channelId: 'msteams',
      serviceUrl: this.options.connector.url,
      timestamp: new Date().toISOString(),
      from,
      recipient: { id: this.options.botId, name: 'Rapid Review' },
      conversation: {
        id: channelId,
        conversationType: 'channel',
        isGroup: true,
        tenantId: this.options.tenantId,
      },
      membersAdded: [{ id: this.options.botId }],
      channelData: {
        eventType: 'channelMemberAdded',
        tenant: { id: this.options.tenantId },
        team: { id: `19:team-${teamId}@thread.tacv2`, aadGroupId: teamId },
        channel: { id: channelId },
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
