import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { actAsCommand, startActingAsRelay, type ActingAsRelay } from './actingAsRelay';
import { samplePeople } from './samplePartnership';

interface Recorder {
  url: string;
  bodies: Record<string, unknown>[];
  paths: string[];
  close(): Promise<void>;
}

/** A stand-in for the bot or the playground's connector that records what it is sent. */
async function recorder(answer: (body: Record<string, unknown>) => unknown): Promise<Recorder> {
  const bodies: Record<string, unknown>[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      bodies.push(body);
      paths.push(req.url ?? '');
      const reply = answer(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply === undefined ? '' : JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const officer = samplePeople[0];

describe('act as: one playground window playing every person', () => {
  let bot: Recorder;
  let connector: Recorder;
  let relay: ActingAsRelay;

  beforeEach(async () => {
    bot = await recorder((body) =>
      body.type === 'invoke'
        ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' }
        : undefined,
    );
    connector = await recorder(() => ({ id: 'reply-1' }));
    relay = await startActingAsRelay({ botUrl: bot.url, people: samplePeople });
  });

  afterEach(async () => {
    await relay.close();
    await bot.close();
    await connector.close();
  });

  function activity(type: string, extra: Record<string, unknown> = {}) {
    return {
      type,
      id: 'activity-1',
      serviceUrl: connector.url,
      from: { id: officer.id, name: officer.name, aadObjectId: officer.aadObjectId },
      recipient: { id: '28:rapid-review-local-bot', name: 'Rapid Review' },
      conversation: { id: '19:review-channel-1@thread.tacv2;messageid=1795251195274' },
      ...extra,
    };
  }

  async function send(body: Record<string, unknown>) {
    const response = await fetch(`${relay.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  it('reads the command with or without the bot’s @mention', () => {
    expect(actAsCommand('act as police')).toBe('police');
    expect(actAsCommand('<at>Rapid Review</at>  Act   as Pete Constable ')).toBe('Pete Constable');
    expect(actAsCommand('act as')).toBe('');
    expect(actAsCommand('status')).toBeUndefined();
    expect(actAsCommand('please act as police')).toBeUndefined();
  });

  it('passes the playground user through until told otherwise', async () => {
    await send(activity('message', { text: 'status' }));
    expect(bot.bodies.at(-1)?.from).toMatchObject({ id: officer.id, aadObjectId: officer.aadObjectId });
    expect(relay.actingAs()).toBeUndefined();
  });

  it('answers "act as" itself, in the same conversation, without troubling the bot', async () => {
    await send(activity('message', { text: '<at>Rapid Review</at> act as police' }));
    expect(bot.bodies).toHaveLength(0);
    expect(connector.paths).toEqual([
      `/v3/conversations/${encodeURIComponent('19:review-channel-1@thread.tacv2;messageid=1795251195274')}/activities`,
    ]);
    expect(String(connector.bodies[0].text)).toContain('Pete Constable');
    expect(relay.actingAs()?.key).toBe('police');
  });

  it('sends messages and card actions as the chosen person, and returns the bot’s invoke answer', async () => {
    await send(activity('message', { text: 'act as Sam' }));
    const invoke = await send(activity('invoke', { name: 'adaptiveCard/action', value: { action: {} } }));
    expect(invoke.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const school = samplePeople.find((p) => p.key === 'school');
    expect(bot.bodies.at(-1)?.from).toEqual({
      id: school?.id,
      name: school?.name,
      aadObjectId: school?.aadObjectId,
    });
  });

  it('goes back to the playground user on "act as me"', async () => {
    await send(activity('message', { text: 'act as icb' }));
    await send(activity('message', { text: 'act as me' }));
    expect(relay.actingAs()).toBeUndefined();
    await send(activity('message', { text: 'status' }));
    expect(bot.bodies.at(-1)?.from).toMatchObject({ id: officer.id });
  });

  it('lists who can be played when the name is unknown, and keeps the current person', async () => {
    await send(activity('message', { text: 'act as police' }));
    await send(activity('message', { text: 'act as Olly' }));
    expect(relay.actingAs()?.key).toBe('police');
    const answer = String(connector.bodies.at(-1)?.text);
    expect(answer).toContain('I do not know "Olly"');
    for (const p of samplePeople) expect(answer).toContain(`"${p.key}"`);
    expect(answer).toContain('Now acting as Pete Constable');
  });
});
