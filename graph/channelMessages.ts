/**
 * Reads what is already posted in a channel, to find an alert or a card by the token it carries. The
 * alert dispatcher and review set-up ask this before they retry a post whose earlier attempt may have
 * landed (a crash between Teams accepting the post and the bot recording it): only Teams knows.
 * Needs the ChannelMessage.Read.Group resource-specific permission ("List channel messages",
 * https://learn.microsoft.com/graph/api/channel-list-messages: a protected API, at most 50 a page).
 * A card is not in the message's body, which holds only `<attachment id=…>`: it is the attachment's
 * content, the card's JSON as a string.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { GraphCallError } from './graphCallError';
import { callError } from './graphCallError';

const messageList = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      body: z.object({ content: z.string().nullable().optional() }).optional(),
      attachments: z
        .array(z.object({ content: z.string().nullable().optional() }))
        .nullable()
        .optional(),
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
    return parsed.data.value.find(
      (m) =>
        (m.body?.content ?? '').includes(token) ||
        (m.attachments ?? []).some((attachment) => (attachment.content ?? '').includes(token)),
    )?.id;
  }
}
