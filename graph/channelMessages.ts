/**
 * Reads what is already posted in a channel, to find an alert by the token it carries. The alert
 * dispatcher asks this before it retries an alert whose earlier attempt may have been posted (a crash
 * between Teams accepting the post and the outbox recording it): only Teams knows whether it landed.
 * Needs the ChannelMessage.Read.Group resource-specific permission.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { GraphCallError } from './graphCallError';
import { callError } from './graphTeamspace';

const messageList = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      body: z.object({ content: z.string().nullable().optional() }).optional(),
    }),
  ),
});

/** How far back to look: alerts are found within a day of posting, so recent messages suffice. */
const pageSize = 50;

export class GraphChannelMessages {
  constructor(private readonly client: Client) {}

  /**
   * The id of the newest message whose text contains `token`, among the replies of a thread (when
   * `threadId` is given) or the channel's latest messages. Undefined when none does.
   */
  async findContaining(
    teamId: string,
    channelId: string,
    threadId: string | undefined,
    token: string,
  ): Promise<string | undefined> {
    const base = `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages`;
    const path = threadId ? `${base}/${encodeURIComponent(threadId)}/replies` : base;
    const operation = threadId
      ? 'GET /teams/{teamId}/channels/{channelId}/messages/{messageId}/replies'
      : 'GET /teams/{teamId}/channels/{channelId}/messages';
    let answer: unknown;
    try {
      answer = await this.client.api(path).top(pageSize).get();
    } catch (error) {
      throw callError(operation, error);
    }
    const parsed = messageList.safeParse(answer);
    if (!parsed.success) throw new GraphCallError(operation, 200, 'UnexpectedResponseShape');
    return parsed.data.value.find((m) => (m.body?.content ?? '').includes(token))?.id;
  }
}
