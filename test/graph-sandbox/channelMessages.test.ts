/**
 * The sandbox's channel messages (channel-list-messages, chatmessage-list-replies), as strict as Graph:
 * the ChannelMessage.Read.Group permission (or a wider one), at most 50 a page, no other query option.
 */
import { GraphChannelMessages } from '../../graph/channelMessages';
import { Client } from '@microsoft/microsoft-graph-client';
import { startGraphSandbox, type GraphSandbox, type SandboxChannelMessage } from './graphSandbox';

const team = '0a1b2c3d-1111-4222-8333-444455556666';
const channel = '19:review@thread.tacv2';
const appId = 'c0ffee00-0000-4000-8000-00000000a11c';

const message = (id: string, text: string, card?: unknown): SandboxChannelMessage => ({
  id,
  createdDateTime: '2026-12-02T10:00:00Z',
  body: { contentType: 'html', content: `${text}${card ? `<attachment id="${id}-0"></attachment>` : ''}` },
  attachments: card
    ? [
        {
          id: `${id}-0`,
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: JSON.stringify(card),
        },
      ]
    : [],
});

describe('channel messages in the Graph sandbox', () => {
  let sandbox: GraphSandbox;
  const posted = [
    message('3', '', { type: 'AdaptiveCard', fallbackText: 'Scoping request (ref abc123abc123)' }),
    message('2', 'An alert\n\nalert ref 0123456789ab'),
    message('1', 'Hello'),
  ];

  beforeAll(async () => {
    sandbox = await startGraphSandbox({
      teamsAppId: appId,
      teams: [
        {
          id: team,
          displayName: 'T',
          members: [],
          channels: [{ id: channel, displayName: 'R' }],
          installedApps: [appId],
        },
      ],
      channelMessages: (channelId, threadId) =>
        channelId !== channel
          ? []
          : threadId === '2'
            ? [message('4', 'a reply ref feedfeedfeed')]
            : threadId
              ? []
              : posted,
    });
  });
  afterAll(async () => sandbox.close());

  const get = async (path: string) => {
    const response = await fetch(`${sandbox.url}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const base = `/teams/${team}/channels/${encodeURIComponent(channel)}/messages`;

  it('lists a page of at most 50, refusing other sizes and query options', async () => {
    expect((await get(`${base}?$top=2`)).body.value).toHaveLength(2);
    expect((await get(base)).status).toBe(200);
    expect((await get(`${base}?$top=51`)).status).toBe(400);
    expect((await get(`${base}?$filter=x`)).status).toBe(400);
    expect((await get(`${base}/2/replies?$top=50`)).body.value).toHaveLength(1);
    expect((await get(`${base}/9/replies`)).status).toBe(404);
  });

  it('needs ChannelMessage.Read.Group (or a wider permission)', async () => {
    sandbox.revoke('ChannelMessage.Read.Group');
    try {
      expect((await get(base)).status).toBe(403);
    } finally {
      sandbox.setGrants([...sandbox.grants, 'ChannelMessage.Read.Group']);
    }
    expect((await get(base)).status).toBe(200);
  });

  it('lets the bot find a card by the token in its JSON and an alert by the token in its text', async () => {
    const client = Client.init({
      baseUrl: sandbox.url.replace(/\/v1\.0$/, ''),
      defaultVersion: 'v1.0',
      authProvider: (done: (error: unknown, token: string) => void) => done(null, sandbox.token()),
    } as never);
    const messages = new GraphChannelMessages(client);
    expect(await messages.findContaining(team, channel, undefined, 'abc123abc123')).toBe('3');
    expect(await messages.findContaining(team, channel, undefined, '0123456789ab')).toBe('2');
    expect(await messages.findContaining(team, channel, '2', 'feedfeedfeed')).toBe('4');
    expect(await messages.findContaining(team, channel, undefined, 'ffffffffffff')).toBeUndefined();
  });
});
