/**
 * A local stand-in for the Teams side of the Bot Framework connector: the endpoints the bot calls to
 * post, reply, update and look up members. It records everything the bot sends so tests and the demo
 * can read the conversation. A development tool, not part of the product.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RosterMember {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
}

export interface RecordedActivity {
  kind: 'create' | 'send' | 'reply' | 'update';
  conversationId: string;
  activityId: string;
  /** For a new channel thread, the channel it was started in. */
  channelId?: string;
  activity: Record<string, unknown>;
}

export interface FakeConnector {
  url: string;
  activities: RecordedActivity[];
  roster: Map<string, RosterMember>;
  /** The latest version of each activity by id (after updates). */
  latest(activityId: string): RecordedActivity | undefined;
  /**
   * Says whether a user is in a meeting right now, as TeamsInfo.getMeetingParticipant reads it (e.g.
   * someone who joined before the bot was in the meeting chat, so no join event reached it).
   */
  setInMeeting(meetingId: string, aadObjectId: string, inMeeting: boolean): void;
  /**
   * Who was invited to a meeting (object ids): getMeetingParticipant answers 404 for anyone else. Until
   * it is set, everyone in the connector's roster counts as invited.
   */
  setMeetingRoster(meetingId: string, aadObjectIds: string[]): void;
  /** Fails the next N calls to the given kind with the status (e.g. 503). */
  failNext(kind: RecordedActivity['kind'], count: number, status?: number): void;
  /** Leaves the posts a rule picks unanswered (undefined: answer everything again). */
  hold(rule: HoldRule | undefined): void;
  /**
   * What Teams holds in a channel, newest first, as Graph lists it: root posts, or the replies of one
   * thread. A card is an attachment whose content is the card's JSON as a string.
   */
  channelMessages(channelId: string, threadId?: string): ChannelMessage[];
  close(): Promise<void>;
}

/**
 * Picks a post to leave unanswered, as when the bot is killed while it waits (test/security/killNine):
 * 'before' Teams takes it (nothing posted), or 'after' (posted, and the answer never reaches the bot).
 */
export type HoldRule = (post: {
  kind: RecordedActivity['kind'];
  conversationId: string;
  text: string;
}) => 'before' | 'after' | undefined;

/** A posted message as Graph's chatMessage shows it. */
export interface ChannelMessage {
  id: string;
  createdDateTime: string;
  body: { contentType: 'html'; content: string };
  attachments: { id: string; contentType: string; content: string | null }[];
}

export interface FakeConnectorOptions {
  /**
   * Whether the app is available in a channel (by Teams channel id, '19:…@thread.tacv2'): true = yes,
   * false = the channel exists but the app is not enabled there (a private or shared channel the app
   * was not added to: 403), undefined = no such channel (404). Without the option every channel is open.
   */
  channelAccess?: (channelId: string) => boolean | undefined;
  /**
   * Whether the bot may post in a person's 1:1 chat ('19:…@unq.gbl.spaces'): true = its app is
   * installed for the person, false = it is not (403: a bot reaches a person only once its app is
   * installed for them), undefined = no such chat (404). Without the option every chat is open.
   */
  personalChatAccess?: (chatId: string) => boolean | undefined;
}

/**
 * The refusal for a channel the app was not added to. Microsoft documents the 403 and this wording for
 * channel APIs when the app is not in a private or shared channel ("Teams Connects Shared and Private
 * Channels": "Caller isn't enabled for requesting the lwg channel of Shared channel type", "Bot events
 * begin flowing only after the app is added to the channel"); the code is the Bot Framework
 * connector's for a bot outside the conversation.
 */
export const appNotEnabledError = {
  error: {
    code: 'BotNotInConversationRoster',
    message:
      "Caller isn't enabled for requesting the lwg channel of Shared channel type: the app is not enabled in this channel.",
  },
};

/** The channel a conversation id belongs to: '19:…@thread.tacv2' or '19:…@thread.tacv2;messageid=…'. */
export function channelOfConversation(conversationId: string): string | undefined {
  const channel = conversationId.split(';')[0];
  return /^19:.*@thread\.(tacv2|skype)$/.test(channel) ? channel : undefined;
}

export async function startFakeConnector(
  roster: RosterMember[] = [],
  options: FakeConnectorOptions = {},
): Promise<FakeConnector> {
  const activities: RecordedActivity[] = [];
  const members = new Map(roster.map((m) => [m.id, m]));
  // Teams finds a member by Teams id, object id or UPN.
  for (const m of roster) {
    members.set(m.aadObjectId, m);
    members.set(m.email.toLowerCase(), m);
  }
  const failures = new Map<string, { count: number; status: number }>();
  const inMeeting = new Map<string, Set<string>>();
  const meetingRosters = new Map<string, Set<string>>();
  let nextId = 1000;
  let holdRule: HoldRule | undefined;
  /** Records a post unless the hold rule keeps it back; false when it is to stay unanswered. */
  const record = (activity: RecordedActivity): boolean => {
    const text = String(activity.activity.text ?? '');
    const held = holdRule?.({ kind: activity.kind, conversationId: activity.conversationId, text });
    if (held === 'before') return false;
    activities.push(activity);
    return held !== 'after';
  };

  function fail(kind: string, res: http.ServerResponse): boolean {
    const f = failures.get(kind);
    if (!f || f.count <= 0) return false;
    f.count -= 1;
    res.writeHead(f.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'injected failure' } }));
    return true;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const path = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '/');
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      /** Refuses a channel the app cannot use; true when it answered. */
      const refusedChannel = (channelId: string | undefined): boolean => {
        if (!options.channelAccess || !channelId) return false;
        const access = options.channelAccess(channelId);
        if (access === true) return false;
        if (access === false) send(403, appNotEnabledError);
        else send(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
        return true;
      };
      /** Refuses a 1:1 chat the bot cannot post in; true when it answered. */
      const refusedChat = (conversationId: string): boolean => {
        if (!options.personalChatAccess || !/@unq\.gbl\.spaces$/.test(conversationId)) return false;
        const access = options.personalChatAccess(conversationId);
        if (access === true) return false;
        if (access === false)
          send(403, {
            error: {
              code: 'BotNotInConversationRoster',
              message: 'The bot is not part of the conversation roster.',
            },
          });
        else send(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
        return true;
      };
      let m: RegExpExecArray | null;
      if (req.method === 'POST' && /\/v3\/conversations$/.test(path)) {
        if (refusedChannel(body.channelData?.channel?.id)) return;
        if (fail('create', res)) return;
        const channelId = body.channelData?.channel?.id ?? 'unknown';
        const activityId = String(nextId++);
        const conversationId = `${channelId};messageid=${activityId}`;
        const posted = record({
          kind: 'create',
          conversationId,
          channelId,
          activityId,
          activity: body.activity ?? {},
        });
        if (posted) send(201, { id: conversationId, activityId });
        return;
      }
      if ((m = /\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/.exec(path))) {
        const [, conversationId, activityId] = m;
        if (
          (req.method === 'PUT' || req.method === 'POST') &&
          refusedChannel(channelOfConversation(conversationId))
        )
          return;
        if (req.method === 'PUT') {
          if (fail('update', res)) return;
          activities.push({ kind: 'update', conversationId, activityId, activity: body });
          return send(200, { id: activityId });
        }
        if (req.method === 'POST') {
          if (fail('reply', res)) return;
          const id = String(nextId++);
          if (record({ kind: 'reply', conversationId, activityId: id, activity: body })) send(200, { id });
          return;
        }
      }
      if (req.method === 'POST' && (m = /\/v3\/conversations\/([^/]+)\/activities$/.exec(path))) {
        if (refusedChannel(channelOfConversation(m[1])) || refusedChat(m[1])) return;
        if (fail('send', res)) return;
        const id = String(nextId++);
        if (record({ kind: 'send', conversationId: m[1], activityId: id, activity: body })) send(200, { id });
        return;
      }
      if (req.method === 'GET' && (m = /\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path))) {
        const member = members.get(m[2]) ?? members.get(m[2].toLowerCase());
        if (!member)
          return send(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
        return send(200, {
          id: member.id,
          aadObjectId: member.aadObjectId,
          name: member.name,
          email: member.email,
          userPrincipalName: member.email,
        });
      }
      if (req.method === 'GET' && (m = /\/v1\/meetings\/([^/]+)\/participants\/([^/]+)$/.exec(path))) {
        // "Get participant API": tenantId is a required query parameter (the tenant the meeting
        // belongs to) — meeting-apps-apis.md; botbuilder fills it from channelData.tenant.id.
        const tenantId = new URL(req.url ?? '/', 'http://connector').searchParams.get('tenantId');
        if (!tenantId)
          return send(400, {
            error: { code: 'BadArgument', message: 'tenantId is a required query parameter' },
          });
        const member = members.get(m[2]) ?? members.get(m[2].toLowerCase());
        const invited = meetingRosters.get(m[1]);
        if (!member || (invited && !invited.has(member.aadObjectId)))
          return send(404, { error: { code: 'NotFound', message: 'participant not found' } });
        const present = inMeeting.get(m[1])?.has(member.aadObjectId) ?? false;
        return send(200, {
          user: {
            id: member.id,
            aadObjectId: member.aadObjectId,
            name: member.name,
            email: member.email,
            userPrincipalName: member.email,
          },
          meeting: { role: 'Attendee', inMeeting: present },
          conversation: { id: m[1], isGroup: true, conversationType: 'groupChat' },
        });
      }
      send(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    activities,
    roster: members,
    latest: (activityId) => {
      const versions = activities.filter((a) => a.activityId === activityId);
      return versions.at(-1);
    },
    setInMeeting: (meetingId, aadObjectId, present) => {
      const people = inMeeting.get(meetingId) ?? new Set<string>();
      if (present) people.add(aadObjectId);
      else people.delete(aadObjectId);
      inMeeting.set(meetingId, people);
      if (present) meetingRosters.get(meetingId)?.add(aadObjectId);
    },
    setMeetingRoster: (meetingId, aadObjectIds) => meetingRosters.set(meetingId, new Set(aadObjectIds)),
    failNext: (kind, count, status = 503) => failures.set(kind, { count, status }),
    hold: (rule) => {
      holdRule = rule;
    },
    channelMessages: (channelId, threadId) => {
      const thread = threadId === undefined ? undefined : `${channelId};messageid=${threadId}`;
      const posted = activities.filter((a) =>
        thread === undefined
          ? (a.kind === 'create' && a.channelId === channelId) ||
            (a.kind === 'send' && a.conversationId === channelId)
          : (a.kind === 'reply' || a.kind === 'send') && a.conversationId === thread,
      );
      return posted.reverse().map((first) => {
        const activity = (activities.filter((a) => a.activityId === first.activityId).at(-1) ?? first)
          .activity;
        const cards = Array.isArray(activity.attachments)
          ? (activity.attachments as Record<string, unknown>[])
          : [];
        const attachments = cards.map((card, index) => ({
          id: `${first.activityId}-${index}`,
          contentType: String(card.contentType ?? ''),
          content: card.content === undefined ? null : JSON.stringify(card.content),
        }));
        const text = typeof activity.text === 'string' ? activity.text : '';
        return {
          id: first.activityId,
          createdDateTime: new Date(0).toISOString(),
          body: {
            contentType: 'html' as const,
            content: text + attachments.map((a) => `<attachment id="${a.id}"></attachment>`).join(''),
          },
          attachments,
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
