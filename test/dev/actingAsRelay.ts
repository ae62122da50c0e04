/**
 * "act as": lets one Agents Playground window play every person of the sample partnership.
 *
 * The playground has a single current user per start and forgets its conversations when it restarts
 * or the page reloads, so switching user by restarting it would lose the review channel and its
 * scoping cards. This relay sits between the playground and the bot instead. A message "act as
 * police" (or a name, first name or email) is answered here and never reaches the bot; from then on
 * every message and card action the relay forwards carries that person as `from`, exactly as Teams
 * would send it for them. "act as me" goes back to the playground's own current user.
 *
 * A development tool in front of the bot's unauthenticated local endpoint, never in production.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SamplePerson } from './samplePartnership';

export interface ActingAsRelayOptions {
  /** The bot's root URL, e.g. http://127.0.0.1:3978; activities go to its /api/messages. */
  botUrl: string;
  people: readonly SamplePerson[];
  port?: number;
  host?: string;
  /** One line per switch, for the developer's terminal. */
  log?: (line: string) => void;
}

export interface ActingAsRelay {
  /** Where the playground sends activities: `${url}/api/messages`. */
  url: string;
  /** The person activities are sent as, or undefined for the playground's own current user. */
  actingAs(): SamplePerson | undefined;
  close(): Promise<void>;
}

interface Account {
  id?: string;
  name?: string;
  aadObjectId?: string;
}

interface IncomingActivity {
  type?: string;
  id?: string;
  text?: string;
  serviceUrl?: string;
  from?: Account;
  recipient?: Account;
  conversation?: { id?: string };
}

const actAs = /^act\s+as\b\s*(.*)$/i;

/** The command in a message, without the bot's @mention (needed in channels) and its spacing. */
export function actAsCommand(text: string | undefined): string | undefined {
  const plain = (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const match = actAs.exec(plain);
  return match ? match[1].trim() : undefined;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseActivity(body: Buffer): IncomingActivity | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as IncomingActivity) : undefined;
  } catch {
    return undefined;
  }
}

function whoList(people: readonly SamplePerson[]): string {
  return people.map((p) => `"${p.key}" (${p.name}, ${p.role.toLowerCase()})`).join(', ');
}

export async function startActingAsRelay(options: ActingAsRelayOptions): Promise<ActingAsRelay> {
  const log = options.log ?? (() => undefined);
  let acting: SamplePerson | undefined;

  async function reply(activity: IncomingActivity, text: string): Promise<void> {
    if (!activity.serviceUrl || !activity.conversation?.id) return;
    const conversationId = encodeURIComponent(activity.conversation.id);
    const url = `${activity.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${conversationId}/activities`;
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text,
        from: activity.recipient,
        recipient: activity.from,
        conversation: activity.conversation,
        ...(activity.id ? { replyToId: activity.id } : {}),
      }),
    }).catch((error: unknown) =>
      log(`act as: could not answer in the playground: ${(error as Error).message}`),
    );
  }

  async function switchTo(activity: IncomingActivity, wanted: string): Promise<void> {
    const own = options.people.find((p) => p.id === activity.from?.id);
    const who = wanted.toLowerCase();
    const person =
      who === 'me' || who === 'myself'
        ? own
        : options.people.find(
            (p) =>
              p.key === who ||
              p.name.toLowerCase() === who ||
              p.givenName.toLowerCase() === who ||
              p.email === who,
          );
    if (!person) {
      const now = acting ?? own;
      await reply(
        activity,
        `${wanted ? `I do not know "${wanted}". ` : ''}Say "act as" and one of: ${whoList(options.people)}, or "me". ` +
          `Now acting as ${now ? now.name : 'the playground user'}.`,
      );
      return;
    }
    acting = own && person.id === own.id ? undefined : person;
    log(`act as: ${acting ? `${person.name} (${person.role})` : `back to ${person.name}`}`);
    await reply(
      activity,
      acting
        ? `From now on, what you type and click here reaches the bot as ${person.name} (${person.role}, ` +
            `${person.email}). Say "act as me" to go back.`
        : `Back to yourself, ${person.name}.`,
    );
  }

  function asActingPerson(activity: IncomingActivity): IncomingActivity {
    if (!acting || (activity.type !== 'message' && activity.type !== 'invoke')) return activity;
    return { ...activity, from: { id: acting.id, name: acting.name, aadObjectId: acting.aadObjectId } };
  }

  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const activity = req.method === 'POST' ? parseActivity(body) : undefined;
      const command = activity?.type === 'message' ? actAsCommand(activity.text) : undefined;
      if (activity && command !== undefined) {
        // Like a bot, answer in the conversation first, then end the turn.
        await switchTo(activity, command);
        res.writeHead(200).end();
        return;
      }
      const forwarded = activity ? JSON.stringify(asActingPerson(activity)) : body.toString('utf8');
      const answer = await fetch(`${options.botUrl}${req.url ?? '/'}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: forwarded }),
      });
      const text = Buffer.from(await answer.arrayBuffer());
      const type = answer.headers.get('content-type');
      res.writeHead(answer.status, type ? { 'content-type': type } : {});
      res.end(text);
    } catch (error) {
      log(`act as: the bot did not answer: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'the bot did not answer' }));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    actingAs: () => acting,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
