// The real Graph SDK against the sandbox. How the bot's graph/ layer points the SDK at the sandbox
// (checked against @microsoft/microsoft-graph-client 3.0.7):
//
//   const origin = sandbox.url.replace(/\/v1\.0$/, '');          // 'http://127.0.0.1:PORT'
//   const client = Client.init({ baseUrl: origin, defaultVersion: 'v1.0', authProvider });
//   await client.api(`/teams/${teamId}/channels`).post(channel);  // Graph-relative paths, as in production
//
// So the graph/ layer should take Graph's base URL as configuration (default 'https://graph.microsoft.com')
// and always call client.api() with relative paths. What does not work:
//   - client.api('http://127.0.0.1:PORT/v1.0/...'): the SDK strips only an 'https://' host from a full
//     URL; an http one is appended to baseUrl ('/v1.0/http://...') and the sandbox answers 404.
//   - customHosts: the SDK recognises custom hosts only in https:// URLs, so over http it changes nothing.
// Over http the SDK's AuthenticationHandler neither calls the authProvider nor sends an Authorization
// header (it authorises only Graph's own hosts and https custom hosts), so token acquisition is not
// exercised against the sandbox. Client.init's default middleware includes the RetryHandler, which
// retries 429/503/504 and honours Retry-After; a custom middleware chain must add it itself.
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { chatInstall, DIRECTORY, ORGANISER_USER, OWNER, TEAM, TEAMS } from './fixtures';
import { GraphSandbox, startGraphSandbox } from './graphSandbox';

const ORGANISER = ORGANISER_USER.userPrincipalName;

let sandbox: GraphSandbox;
let client: Client;
let tokenRequests = 0;

beforeAll(async () => {
  sandbox = await startGraphSandbox({ directory: DIRECTORY, teams: TEAMS });
  client = Client.init({
    baseUrl: sandbox.url.replace(/\/v1\.0$/, ''),
    defaultVersion: 'v1.0',
    authProvider: (done) => {
      tokenRequests += 1;
      done(null, 'sandbox-token');
    },
  });
});

afterAll(() => sandbox.close());

beforeEach(() => sandbox.reset());

it('creates a channel through the SDK and the sandbox records it', async () => {
  const channel = (await client.api(`/teams/${TEAM}/channels`).post({
    displayName: 'RR-2026-001',
    membershipType: 'private',
    members: [
      {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${OWNER.id}')`,
        roles: ['owner'],
      },
    ],
  })) as { id: string; displayName: string };
  expect(channel.displayName).toBe('RR-2026-001');
  expect(sandbox.state.channels[TEAM].map((c) => c.id)).toContain(channel.id);
  const listed = (await client
    .api(`/teams/${TEAM}/channels`)
    .filter("displayName eq 'RR-2026-001'")
    .get()) as {
    value: { id: string }[];
  };
  expect(listed.value.map((c) => c.id)).toEqual([channel.id]);
  expect(sandbox.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
    `POST /v1.0/teams/${TEAM}/channels`,
    `GET /v1.0/teams/${TEAM}/channels`,
  ]);
  expect(tokenRequests).toBe(0);
});

it('surfaces a metadata violation as the SDK GraphError with Graph code and message', async () => {
  const failure = await client
    .api(`/teams/${TEAM}/channels`)
    .post({ displayName: 'RR-2026-001', membershipType: 'privet' })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(failure).toBeInstanceOf(GraphError);
  expect(failure).toMatchObject({
    statusCode: 400,
    code: 'BadRequest',
    message: "Value 'privet' is not a member of enum 'microsoft.graph.channelMembershipType'",
  });
});

it('retries a 429 through the default middleware and succeeds', async () => {
  sandbox.injectFaults({ method: 'POST', path: /\/channels$/ }, [{ status: 429, retryAfterSeconds: 0 }]);
  const channel = (await client.api(`/teams/${TEAM}/channels`).post({ displayName: 'RR-2026-002' })) as {
    displayName: string;
  };
  expect(channel.displayName).toBe('RR-2026-002');
  expect(sandbox.requests.map((r) => r.status)).toEqual([429, 201]);
});

it('books a meeting, finds it by join URL with .filter(), and installs the app in its chat', async () => {
  const event = (await client.api(`/users/${ORGANISER}/events`).post({
    subject: 'Rapid review meeting',
    start: { dateTime: '2026-09-01T10:00:00', timeZone: 'GMT Standard Time' },
    end: { dateTime: '2026-09-01T11:00:00', timeZone: 'GMT Standard Time' },
    attendees: [{ emailAddress: { address: 'rep@police.example' }, type: 'required' }],
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    transactionId: 'rr-2026-001-meeting',
  })) as { onlineMeeting: { joinUrl: string } };
  const joinUrl = event.onlineMeeting.joinUrl;
  const meetings = (await client
    .api(`/users/${ORGANISER_USER.id}/onlineMeetings`)
    .filter(`JoinWebUrl eq '${joinUrl}'`)
    .get()) as { value: { chatInfo: { threadId: string } }[] };
  expect(meetings.value).toHaveLength(1);
  const chatId = meetings.value[0].chatInfo.threadId;
  await client.api(`/chats/${encodeURIComponent(chatId)}/installedApps`).post(chatInstall('app-123'));
  expect(sandbox.state.installedApps[chatId].map((app) => app.teamsAppId)).toEqual(['app-123']);
});

it('does not reach the sandbox with a full http:// URL in api() (the SDK appends it to baseUrl)', async () => {
  const failure = await client
    .api(`${sandbox.url}/teams/${TEAM}/channels`)
    .get()
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(failure).toMatchObject({ statusCode: 404 });
  expect(sandbox.requests[0].path).toBe(`/v1.0/${sandbox.url}/teams/${TEAM}/channels`);
});
