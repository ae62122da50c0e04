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
  /** Fails the next N calls to the given kind with the status (e.g. 503). */
  failNext(kind: RecordedActivity['kind'], count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startFakeConnector(roster: RosterMember[] = []): Promise<FakeConnector> {
  const activities: RecordedActivity[] = [];
  const members = new Map(roster.map((m) => [m.id, m]));
  // Teams finds a member by Teams id, object id or UPN.
  for (const m of roster) {
    members.set(m.aadObjectId, m);
    members.set(m.email.toLowerCase(), m);
  }
  const failures = new Map<string, { count: number; status: number }>();
  const inMeeting = new Map<string, Set<string>>();
  let nextId = 1000;

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
      let m: RegExpExecArray | null;
      if (req.method === 'POST' && /\/v3\/conversations$/.test(path)) {
        if (fail('create', res)) return;
        const channelId = body.channelData?.channel?.id ?? 'unknown';
        const activityId = String(nextId++);
        const conversationId = `${channelId};messageid=${activityId}`;
        activities.push({
          kind: 'create',
          conversationId,
          channelId,
          activityId,
          activity: body.activity ?? {},
        });
        return send(201, { id: conversationId, activityId });
      }
      if ((m = /\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/.exec(path))) {
        const [, conversationId, activityId] = m;
        if (req.method === 'PUT') {
          if (fail('update', res)) return;
          activities.push({ kind: 'update', conversationId, activityId, activity: body });
          return send(200, { id: activityId });
        }
        if (req.method === 'POST') {
          if (fail('reply', res)) return;
          const id = String(nextId++);
          activities.push({ kind: 'reply', conversationId, activityId: id, activity: body });
          return send(200, { id });
        }
      }
      if (req.method === 'POST' && (m = /\/v3\/conversations\/([^/]+)\/activities$/.exec(path))) {
        if (fail('send', res)) return;
        const id = String(nextId++);
        activities.push({ kind: 'send', conversationId: m[1], activityId: id, activity: body });
        return send(200, { id });
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
        const member = members.get(m[2]) ?? members.get(m[2].toLowerCase());
        if (!member) return send(404, { error: { code: 'NotFound', message: 'participant not found' } });
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
    },
    failNext: (kind, count, status = 503) => failures.set(kind, { count, status }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
