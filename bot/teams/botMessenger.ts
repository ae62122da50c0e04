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

  async startThread(teamsChannelId: string, message: OutgoingMessage): Promise<PostedThread> {
    const channelReference: Partial<ConversationReference> = {
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
    let posted: PostedThread | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, channelReference, async (context) => {
      const [reference, activityId] = await TeamsInfo.sendMessageToTeamsChannel(
        context,
        toActivity(message) as Activity,
        teamsChannelId,
        this.botAppId,
      );
      posted = { conversationReference: reference, activityId };
    });
    if (!posted) throw new Error('the Bot Framework did not return the new thread');
    return posted;
  }

  async post(conversationReference: unknown, message: OutgoingMessage): Promise<{ activityId: string }> {
    let activityId = '';
    await this.adapter.continueConversationAsync(
      this.botAppId,
      conversationReference as Partial<ConversationReference>,
      async (context) => {
        const response = await context.sendActivity(toActivity(message));
        activityId = response?.id ?? '';
      },
    );
    return { activityId };
  }

  async update(conversationReference: unknown, activityId: string, message: OutgoingMessage): Promise<void> {
    await this.adapter.continueConversationAsync(
      this.botAppId,
      conversationReference as Partial<ConversationReference>,
      async (context) => {
        await context.updateActivity({ ...toActivity(message), id: activityId });
      },
    );
  }
}

/** The serialisable reference of the conversation a turn is in (for replies from background work). */
export function referenceOf(context: TurnContext): Partial<ConversationReference> {
  return TurnContext.getConversationReference(context.activity);
}
