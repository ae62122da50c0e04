/**
 * Posting into Teams through the Bot Framework (Graph cannot post as an application). New channel
 * threads go through TeamsInfo.sendMessageToTeamsChannel; later posts and card updates continue the
 * stored conversation reference, so they work from a turn, from the alert tick or after a restart.
 */
import {
  ActivityTypes,
  CardFactory,
  TeamsInfo,
  TurnContext,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
  type Mention,
} from 'botbuilder';
import type { Person } from '../../review/model';
import type { Messenger, OutgoingMessage, PostedThread } from '../../review/ports';

export interface ServiceEndpoint {
  serviceUrl: string;
  tenantId?: string;
}

export function toActivity(message: OutgoingMessage): Partial<Activity> {
  const entities: Mention[] = (message.mentions ?? [])
    .filter((p) => p.aadObjectId)
    .map((p) => ({
      type: 'mention',
      mentioned: { id: p.aadObjectId as string, name: p.name },
      text: `<at>${p.name}</at>`,
    }));
  const mentionText = entities.map((e) => e.text).join(' ');
  const text = [message.text, mentionText].filter(Boolean).join(' ');
  return {
    type: ActivityTypes.Message,
    ...(text ? { text } : {}),
    ...(message.card ? { attachments: [CardFactory.adaptiveCard(message.card)] } : {}),
    ...(entities.length > 0 ? { entities } : {}),
  };
}

export class BotMessenger implements Messenger {
  /**
   * The connector endpoint to reach Teams on. It is learnt from incoming activities (Teams tells the
   * bot its service URL on every turn) and seeded from configuration for a restart before any turn.
   */
  private endpoint: ServiceEndpoint;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    endpoint: ServiceEndpoint,
  ) {
    this.endpoint = endpoint;
  }

  learnEndpoint(activity: Partial<Activity>): void {
    if (activity.serviceUrl) {
      const tenantId = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
      this.endpoint = { serviceUrl: activity.serviceUrl, tenantId: tenantId ?? this.endpoint.tenantId };
    }
  }

  /**
   * Runs `logic` in a proactive turn and rethrows what it threw. The adapter hands a turn's error to
   * onTurnError, which logs it and carries on, so without this a 403 from Teams (e.g. "app not enabled
   * in this channel") would never reach the flow that has to wait for the install and retry.
   */
  private async within(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  threadOf(teamsChannelId: string, activityId: string): PostedThread {
    const channel = this.channelReference(teamsChannelId);
    return {
      conversationReference: {
        ...channel,
        conversation: { ...channel.conversation, id: `${teamsChannelId};messageid=${activityId}` },
      },
      activityId,
    };
  }

  /** A reference that posts a new thread into a channel (e.g. the business unit's, for escalations). */
  channelReference(teamsChannelId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: this.endpoint.serviceUrl,
      conversation: {
        id: teamsChannelId,
        isGroup: true,
        conversationType: 'channel',
        name: '',
        ...(this.endpoint.tenantId ? { tenantId: this.endpoint.tenantId } : {}),
      },
    };
  }

  /** A reference that posts into a person's 1:1 chat with the bot, by the chat's id (from Graph). */
  chatReference(chatId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: this.endpoint.serviceUrl,
      conversation: {
        id: chatId,
        isGroup: false,
        conversationType: 'personal',
        name: '',
        ...(this.endpoint.tenantId ? { tenantId: this.endpoint.tenantId } : {}),
      },
    };
  }

  async startThread(teamsChannelId: string, message: OutgoingMessage): Promise<PostedThread> {
    const channelReference = this.channelReference(teamsChannelId);
    let posted: PostedThread | undefined;
    await this.within(channelReference, async (context) => {
      const [reference, activityId] = await TeamsInfo.sendMessageToTeamsChannel(
        context,
        toActivity(message) as Activity,
        teamsChannelId,
        this.botAppId,
      );
      posted = { conversationReference: reference, activityId: threadActivityId(reference, activityId) };
    });
    if (!posted) throw new Error('the Bot Framework did not return the new thread');
    return posted;
  }

  async teamsUserIds(conversationReference: unknown, people: Person[]): Promise<ReadonlyMap<string, string>> {
    const ids = new Map<string, string>();
    await this.adapter.continueConversationAsync(
      this.botAppId,
      conversationReference as Partial<ConversationReference>,
      async (context) => {
        for (const person of people) {
          // Teams resolves a member by object id or UPN; a person not (yet) in the roster is skipped.
          const key = person.aadObjectId ?? person.email;
          if (!key) continue;
          try {
            const member = await TeamsInfo.getMember(context, key);
            if (member.id) ids.set(key.toLowerCase(), member.id);
          } catch {
            // Not found: the person still reaches their own view through the card's button.
          }
        }
      },
    );
    return ids;
  }

  async post(conversationReference: unknown, message: OutgoingMessage): Promise<{ activityId: string }> {
    let activityId = '';
    await this.within(conversationReference as Partial<ConversationReference>, async (context) => {
      const response = await context.sendActivity(toActivity(message));
      activityId = response?.id ?? '';
    });
    return { activityId };
  }

  async update(conversationReference: unknown, activityId: string, message: OutgoingMessage): Promise<void> {
    await this.within(conversationReference as Partial<ConversationReference>, async (context) => {
      await context.updateActivity({ ...toActivity(message), id: activityId });
    });
  }
}

/**
 * The id of the message that starts a new channel thread. With CloudAdapter, botbuilder reports the
 * new conversation's id as the activity id; a Teams thread's conversation id ends in
 * ';messageid=<id of its first message>', which is the id an update must use.
 */
export function threadActivityId(reference: Partial<ConversationReference>, reported: string): string {
  const conversationId = reference.conversation?.id ?? '';
  const fromThread = /;messageid=([^;]+)$/.exec(conversationId)?.[1];
  return reported === conversationId && fromThread ? fromThread : reported;
}

/** The serialisable reference of the conversation a turn is in (for replies from background work). */
export function referenceOf(context: TurnContext): Partial<ConversationReference> {
  return TurnContext.getConversationReference(context.activity);
}
