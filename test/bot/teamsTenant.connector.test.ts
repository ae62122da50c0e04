/**
 * What a real tenant's Teams does to the bot, played by the fake connector and TeamsClient: channels
 * the app was not added to refuse posts, Get participant needs the tenant id, every channel message
 * reaches the bot (RSC) and it answers only when @mentioned, and the bot's own install event in a
 * private or shared channel carries the set-up on.
 */
import * as provisionReview from '../../bot/flows/provisionReview';
import { startFakeConnector, type FakeConnector } from '../teamsClient/fakeConnector';
import { businessUnitChannelId, people, startHarness, teamId, tenantId, type Harness } from './harness';

jest.setTimeout(20_000);

const privateChannel = '19:private-review@thread.tacv2';
const openChannel = '19:open@thread.tacv2';

async function call(connector: FakeConnector, method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, connector.url), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the fake connector refuses channels the app is not enabled in', () => {
  let connector: FakeConnector;
  const access = new Map<string, boolean>([
    [privateChannel, false],
    [openChannel, true],
  ]);

  beforeEach(async () => {
    connector = await startFakeConnector(Object.values(people), {
      channelAccess: (channelId) => access.get(channelId),
    });
  });
  afterEach(async () => {
    await connector.close();
    access.set(privateChannel, false);
  });

  const newThread = (channelId: string) => ({
    isGroup: true,
    channelData: { channel: { id: channelId } },
    activity: { type: 'message', text: 'hello' },
  });

  it('answers 403 for a new thread, a post, a reply and an update in a channel without the app', async () => {
    const refused = await call(connector, 'POST', '/v3/conversations', newThread(privateChannel));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'BotNotInConversationRoster' } });
    expect(JSON.stringify(refused.body)).toContain('not enabled in this channel');

    const thread = encodeURIComponent(`${privateChannel};messageid=1700000000000`);
    expect(
      (await call(connector, 'POST', `/v3/conversations/${thread}/activities`, { type: 'message' })).status,
    ).toBe(403);
    expect(
      (await call(connector, 'POST', `/v3/conversations/${thread}/activities/1`, { type: 'message' })).status,
    ).toBe(403);
    expect(
      (await call(connector, 'PUT', `/v3/conversations/${thread}/activities/1`, { type: 'message' })).status,
    ).toBe(403);
    expect(connector.activities).toEqual([]);
  });

  it('answers 404 for a channel nobody knows, and posts once the app is enabled', async () => {
    const unknown = await call(connector, 'POST', '/v3/conversations', newThread('19:nowhere@thread.tacv2'));
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'ConversationNotFound' } } });

    access.set(privateChannel, true);
    expect((await call(connector, 'POST', '/v3/conversations', newThread(privateChannel))).status).toBe(201);
    expect((await call(connector, 'POST', '/v3/conversations', newThread(openChannel))).status).toBe(201);
    // Personal and meeting chats are not channels: no channel rule applies.
    const chat = encodeURIComponent('19:meeting_abc@thread.v2');
    expect(
      (await call(connector, 'POST', `/v3/conversations/${chat}/activities`, { type: 'message' })).status,
    ).toBe(200);
  });

  it('refuses the bot’s own post through the Bot Framework into a channel it was not added to', async () => {
    const h = await startHarness({ connector, skipResume: true });
    try {
      await expect(
        h.app.deps.messenger.startThread(privateChannel, { text: 'welcome' }),
      ).rejects.toMatchObject({
        statusCode: 403,
      });
      access.set(privateChannel, true);
      await expect(
        h.app.deps.messenger.startThread(privateChannel, { text: 'welcome' }),
      ).resolves.toMatchObject({
        activityId: expect.any(String),
      });
    } finally {
      // Closes the bot and its tenant; the test's own connector stays open for the next test.
      await h.close();
    }
  });

  it('keeps every channel open when the option is not given', async () => {
    const open = await startFakeConnector();
    try {
      expect((await call(open, 'POST', '/v3/conversations', newThread(privateChannel))).status).toBe(201);
    } finally {
      await open.close();
    }
  });
});

describe('Get participant on the fake connector', () => {
  let connector: FakeConnector;
  beforeEach(async () => {
    connector = await startFakeConnector(Object.values(people));
  });
  afterEach(() => connector.close());

  it('needs the tenant id, and knows only people in the meeting’s roster', async () => {
    const meeting = 'MCMxOTptZWV0aW5n';
    const path = (who: string, tenant?: string) =>
      `/v1/meetings/${meeting}/participants/${who}${tenant ? `?tenantId=${tenant}` : ''}`;
    connector.setMeetingRoster(meeting, [people.laRep.aadObjectId]);
    connector.setInMeeting(meeting, people.laRep.aadObjectId, true);

    expect((await call(connector, 'GET', path(people.laRep.aadObjectId))).status).toBe(400);
    const found = await call(connector, 'GET', path(people.laRep.aadObjectId, tenantId));
    expect(found).toMatchObject({ status: 200, body: { meeting: { inMeeting: true } } });
    expect((await call(connector, 'GET', path(people.policeRep.aadObjectId, tenantId))).status).toBe(404);
  });
});

describe('the bot in channels and chats where Teams delivers every message', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ skipResume: true });
  });
  afterEach(() => h.close());

  const channel = { kind: 'channel' as const, channelId: businessUnitChannelId, teamId };
  const meetingChat = {
    kind: 'meeting' as const,
    meetingId: 'MCMxOTptZWV0aW5n',
    chatId: '19:meeting_x@thread.v2',
  };

  async function answers(send: () => Promise<unknown>): Promise<number> {
    const mark = h.connector.activities.length;
    await send();
    await h.app.idle();
    return h.client.since(mark).filter((a) => a.kind === 'reply' || a.kind === 'send').length;
  }

  it('stays silent on channel and chat messages that do not @mention it', async () => {
    expect(
      await answers(() => h.client.say(people.officer, 'lunch at one?', channel, { mention: false })),
    ).toBe(0);
    expect(
      await answers(() => h.client.say(people.chair, 'can you hear me?', meetingChat, { mention: false })),
    ).toBe(0);
  });

  it('answers when @mentioned, in a 1:1 chat always, and to an Action.Submit fallback in a channel', async () => {
    expect(await answers(() => h.client.say(people.officer, 'help', channel))).toBe(1);
    expect(await answers(() => h.client.say(people.officer, 'help', { kind: 'personal' }))).toBe(1);
    const mark = h.connector.activities.length;
    await h.client.submit(people.officer, 'no.such.verb', { reviewId: 'x' }, channel);
    expect(JSON.stringify(h.client.since(mark))).toContain(
      "This card action ('no.such.verb') is not one I know",
    );
  });

  it('hands its own channelMemberAdded in a channel to the set-up, with the Graph team id', async () => {
    const installed = jest.spyOn(provisionReview, 'channelAppInstalled').mockResolvedValue();
    try {
      const result = await h.client.botAddedToChannel(teamId, privateChannel);
      expect(result.status).toBe(200);
      expect(installed).toHaveBeenCalledTimes(1);
      expect(installed).toHaveBeenCalledWith(h.app.deps, teamId, privateChannel);
      // Someone else joining the channel is not the bot's install.
      await h.client.post({
        ...(await installEventFor(people.laRep.id)),
      });
      expect(installed).toHaveBeenCalledTimes(1);
    } finally {
      installed.mockRestore();
    }
  });

  async function installEventFor(memberId: string) {
    return {
      type: 'conversationUpdate',
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      from: { id: people.officer.id },
      recipient: { id: '28:rapid-review' },
      conversation: { id: privateChannel, conversationType: 'channel', isGroup: true, tenantId },
      membersAdded: [{ id: memberId }],
      channelData: {
        eventType: 'channelMemberAdded',
        tenant: { id: tenantId },
        team: { id: '19:team@thread.tacv2', aadGroupId: teamId },
        channel: { id: privateChannel },
      },
    };
  }
});
