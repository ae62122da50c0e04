// What a real tenant refuses, the sandbox refuses: each test here would have passed on the old lenient sandbox's
// wrong answer. The rules, with the Microsoft pages they come from, are listed in test/graph-sandbox/README.md.
import {
  chatInstall,
  COLLEAGUE,
  DIRECTORY,
  ORGANISER_USER,
  OWNER,
  POLICE_GUEST,
  TEAM,
  TEAMS,
} from './fixtures';
import { AppEnabledEvent, GraphSandbox, startGraphSandbox } from './graphSandbox';
import { defaultGrants } from './permissions';

let sandbox: GraphSandbox;
let clock = new Date('2026-09-01T12:00:00Z');
const enabled: AppEnabledEvent[] = [];
const ORGANISER = ORGANISER_USER.userPrincipalName;

interface Answer {
  status: number;
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(
  method: string,
  pathAndQuery: string,
  body?: unknown,
  root = sandbox.url,
): Promise<Answer> {
  const response = await fetch(`${root}${pathAndQuery}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

const bind = (id: string) => `https://graph.microsoft.com/v1.0/users('${id}')`;
const member = (id: string, roles: string[] = []) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  'user@odata.bind': bind(id),
  roles,
});
const appRef = (id: string) => ({
  '@odata.id': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${id}`,
});

async function channel(
  membershipType: 'private' | 'shared' | 'standard',
  displayName = `RR-${membershipType}`,
) {
  const created = await call('POST', `/teams/${TEAM}/channels`, {
    displayName,
    membershipType,
    ...(membershipType === 'standard' ? {} : { members: [member(OWNER.id, ['owner'])] }),
  });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

beforeAll(async () => {
  sandbox = await startGraphSandbox({
    directory: DIRECTORY,
    teams: TEAMS,
    now: () => clock,
    onAppEnabledInChannel: (event) => enabled.push(event),
  });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  clock = new Date('2026-09-01T12:00:00Z');
  enabled.length = 0;
  sandbox.reset();
  sandbox.setGrants(defaultGrants());
});

describe('permissions', () => {
  it('grants what infra/graph-permissions.json lists, plus the access policy', () => {
    expect(sandbox.grants).toEqual(
      expect.arrayContaining(['User.ReadBasic.All', 'Channel.Create.Group', 'ApplicationAccessPolicy']),
    );
  });

  it('answers 403 naming the permissions that would allow the call', async () => {
    sandbox.revoke('User.ReadBasic.All');
    const answer = await call('GET', '/users');
    expect(answer.status).toBe(403);
    expect(answer.json.error.code).toBe('Authorization_RequestDenied');
    expect(answer.json.error.message).toMatch(
      /^Missing role permissions on the request\. API requires one of 'User\.ReadBasic\.All, User\.Read\.All/,
    );
  });

  it('does not let Channel.Create.Group list channels', async () => {
    sandbox.setGrants(['Channel.Create.Group']);
    const answer = await call('GET', `/teams/${TEAM}/channels`);
    expect(answer.status).toBe(403);
    expect(answer.json.error.message).toContain('ChannelSettings.Read.Group');
  });

  it('applies team RSC grants only in teams the bot is installed in', async () => {
    sandbox.addTeams([
      { id: 'team-without-bot', displayName: 'No bot', members: [OWNER.id], installedApps: [] },
    ]);
    expect((await call('GET', '/teams/team-without-bot/channels')).status).toBe(403);
    expect((await call('GET', `/teams/${TEAM}/channels`)).status).toBe(200);
  });

  it('needs the application access policy for online meetings', async () => {
    sandbox.revoke('ApplicationAccessPolicy');
    const answer = await call(
      'GET',
      `/users/${ORGANISER_USER.id}/onlineMeetings?$filter=${encodeURIComponent("JoinWebUrl eq 'x'")}`,
    );
    expect(answer.status).toBe(403);
  });

  it('replaces grants over HTTP and hands out a token whose roles are the application grants', async () => {
    const control = sandbox.url.replace(/\/v1\.0$/, '/_sandbox');
    const set = await fetch(`${control}/grants`, {
      method: 'POST',
      body: JSON.stringify({ grants: ['User.ReadBasic.All', 'Channel.Create.Group', 'Sites.Read.All'] }),
    });
    expect(set.status).toBe(204);
    const token = (await (await fetch(`${control}/token`, { method: 'POST' })).json()) as {
      access_token: string;
    };
    const [, payload] = token.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', tid: sandbox.tenantId });
    expect(claims.roles).toEqual(['User.ReadBasic.All', 'Sites.Read.All']);
  });
});

describe('directory', () => {
  it('finds people by mail, UPN and id with eq, in and or, and honours $select and $top', async () => {
    const filter = `mail in ('${POLICE_GUEST.mail}','${OWNER.mail}') or id eq '${COLLEAGUE.id}'`;
    const answer = await call(
      'GET',
      `/users?$filter=${encodeURIComponent(filter)}&$select=id,userPrincipalName`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json.value).toEqual(
      expect.arrayContaining([{ id: POLICE_GUEST.id, userPrincipalName: POLICE_GUEST.userPrincipalName }]),
    );
    expect(answer.json.value).toHaveLength(3);
    const top = await call('GET', `/users?$filter=${encodeURIComponent(filter)}&$top=1`);
    expect(top.json.value).toHaveLength(1);
    // A guest's UPN is not their mail.
    const byUpn = await call(
      'GET',
      `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${POLICE_GUEST.mail}'`)}`,
    );
    expect(byUpn.json.value).toEqual([]);
  });

  it('refuses more than 15 values in a filter', async () => {
    const values = Array.from({ length: 16 }, (_, i) => `'p${i}@x.example'`).join(',');
    const answer = await call('GET', `/users?$filter=${encodeURIComponent(`mail in (${values})`)}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toContain('Max allowed: 15');
  });

  it('gets a user by id or UPN and answers 404 Request_ResourceNotFound otherwise', async () => {
    expect((await call('GET', `/users/${POLICE_GUEST.id}`)).json.mail).toBe(POLICE_GUEST.mail);
    expect((await call('GET', `/users/${encodeURIComponent(POLICE_GUEST.userPrincipalName)}`)).status).toBe(
      200,
    );
    const missing = await call('GET', `/users/${POLICE_GUEST.mail}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('Request_ResourceNotFound');
  });

  it('refuses a bind by a guest mail address and meetings looked up by anything but the object id', async () => {
    const id = encodeURIComponent(await channel('shared'));
    const byMail = await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(POLICE_GUEST.mail));
    expect(byMail.status).toBe(404);
    const meetings = await call(
      'GET',
      `/users/${ORGANISER}/onlineMeetings?$filter=${encodeURIComponent("JoinWebUrl eq 'x'")}`,
    );
    expect(meetings.status).toBe(404);
    const events = await call('GET', '/users/nobody@partnership.example/events/x');
    expect(events.status).toBe(404);
    expect(events.json.error.code).toBe('ErrorInvalidUser');
  });
});

describe('teams and channel members', () => {
  it('answers 404 for a team that does not exist', async () => {
    const answer = await call('GET', '/teams/no-such-team/channels');
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('NotFound');
  });

  it('adds team members in bulk, with a per-item error for an unknown user, and at most 200', async () => {
    const added = await call('POST', `/teams/${TEAM}/members/add`, {
      values: [member(POLICE_GUEST.id), member('0a1b2c3d-0000-4000-8000-00000000dead')],
    });
    expect(added.status).toBe(207);
    expect(added.json.value).toEqual([
      {
        '@odata.type': '#microsoft.graph.aadUserConversationMemberResult',
        userId: POLICE_GUEST.id,
        error: null,
      },
      expect.objectContaining({ error: expect.objectContaining({ code: 'NotFound' }) }),
    ]);
    expect(sandbox.teamMembers(TEAM).map((m) => m.userId)).toContain(POLICE_GUEST.id);
    const tooMany = await call('POST', `/teams/${TEAM}/members/add`, {
      values: Array.from({ length: 201 }, () => member(COLLEAGUE.id)),
    });
    expect(tooMany.status).toBe(400);
  });

  it('adds to a private channel only people already in the team', async () => {
    const id = encodeURIComponent(await channel('private'));
    const outsider = await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(POLICE_GUEST.id));
    expect(outsider.status).toBe(400);
    expect(outsider.json.error.message).toMatch(/must be a member of the team/);
    await call('POST', `/teams/${TEAM}/members/add`, { values: [member(POLICE_GUEST.id)] });
    expect(
      (await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(POLICE_GUEST.id))).status,
    ).toBe(201);
    const bulk = await call('POST', `/teams/${TEAM}/channels/${id}/members/add`, {
      values: [member(COLLEAGUE.id), member('0a1b2c3d-0000-4000-8000-00000000dead')],
    });
    expect(bulk.status).toBe(207);
    expect(bulk.json.value[0].error).toBeNull();
    const listed = await call('GET', `/teams/${TEAM}/channels/${id}/members`);
    expect(listed.json.value.map((m: { userId: string }) => m.userId)).toEqual([
      OWNER.id,
      POLICE_GUEST.id,
      COLLEAGUE.id,
    ]);
  });

  it('refuses a private channel whose owner is not in the team', async () => {
    const answer = await call('POST', `/teams/${TEAM}/channels`, {
      displayName: 'RR-x',
      membershipType: 'private',
      members: [member(POLICE_GUEST.id, ['owner'])],
    });
    expect(answer.status).toBe(400);
  });

  it('takes people outside the team into a shared channel, and externals only with their tenantId', async () => {
    const id = encodeURIComponent(await channel('shared'));
    expect(
      (await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(POLICE_GUEST.id))).status,
    ).toBe(201);
    const external = '7e0c1f2a-1111-4222-8333-444455556666';
    expect((await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(external))).status).toBe(404);
    const withTenant = await call('POST', `/teams/${TEAM}/channels/${id}/members`, {
      ...member(external),
      tenantId: '9f8e7d6c-0000-4000-8000-00000000abcd',
    });
    expect(withTenant.status).toBe(201);
    expect(withTenant.json.tenantId).toBe('9f8e7d6c-0000-4000-8000-00000000abcd');
  });
});

describe('apps in channels', () => {
  it('leaves private and shared channels without the team app until it is enabled there', async () => {
    const general = sandbox.state.channels[TEAM][0].id;
    expect(sandbox.appEnabledInChannel(general)).toBe(true);
    const shared = await channel('shared');
    const priv = await channel('private');
    expect(sandbox.appEnabledInChannel(shared)).toBe(false);
    expect(sandbox.appEnabledInChannel('19:unknown@thread.tacv2')).toBeUndefined();

    const onShared = await call(
      'POST',
      `/teams/${TEAM}/channels/${encodeURIComponent(shared)}/enabledApps/$ref`,
      appRef('rapid-review-app'),
    );
    expect(onShared.status).toBe(204);
    expect(sandbox.appEnabledInChannel(shared)).toBe(true);
    expect(enabled).toEqual([{ teamId: TEAM, channelId: shared, teamsAppId: 'rapid-review-app' }]);

    const privPath = `/teams/${TEAM}/channels/${encodeURIComponent(priv)}/enabledApps/$ref`;
    expect((await call('POST', privPath, appRef('rapid-review-app'))).status).toBe(400); // v1.0: shared only
    const beta = sandbox.url.replace(/\/v1\.0$/, '/beta');
    expect((await call('POST', privPath, appRef('rapid-review-app'), beta)).status).toBe(204);
    expect(sandbox.appEnabledInChannel(priv)).toBe(true);
    expect(sandbox.state.enabledApps[priv]).toEqual(['rapid-review-app']);
    const listed = await call('GET', `/teams/${TEAM}/channels/${encodeURIComponent(priv)}/enabledApps`);
    expect(listed.json.value.map((app: { id: string }) => app.id)).toEqual(['rapid-review-app']);
    expect((await call('GET', `/teams/${TEAM}/channels`, undefined, beta)).status).toBe(404);
  });

  it('enables only apps installed in the team, and needs the permission for it', async () => {
    const shared = encodeURIComponent(await channel('shared'));
    const notInstalled = await call(
      'POST',
      `/teams/${TEAM}/channels/${shared}/enabledApps/$ref`,
      appRef('other-app'),
    );
    expect(notInstalled.status).toBe(404);
    sandbox.revoke('TeamsAppInstallation.ManageSelectedForTeam.All');
    const denied = await call(
      'POST',
      `/teams/${TEAM}/channels/${shared}/enabledApps/$ref`,
      appRef('rapid-review-app'),
    );
    expect(denied.status).toBe(403);
  });

  it('lists the team RSC grants the bot holds now, with the RSC permission Microsoft lists for it', async () => {
    const names = async () =>
      ((await call('GET', `/teams/${TEAM}/permissionGrants`)).json.value as { permission: string }[]).map(
        (g) => g.permission,
      );
    expect(await names()).toEqual([
      'ChannelSettings.Read.Group',
      'Channel.Create.Group',
      'ChannelMember.ReadWrite.Group',
      'ChannelMessage.Read.Group',
      'TeamsAppInstallation.Read.Group',
    ]);
    // A revoked team permission is no longer listed.
    sandbox.revoke('Channel.Create.Group');
    expect(await names()).not.toContain('Channel.Create.Group');
    // Without TeamsAppInstallation.Read.Group (or a tenant-wide TeamsAppInstallation.ReadForTeam.All) the list is refused.
    sandbox.revoke('TeamsAppInstallation.Read.Group');
    expect((await call('GET', `/teams/${TEAM}/permissionGrants`)).status).toBe(403);
    sandbox.setGrants(['TeamsAppInstallation.ReadForTeam.All']);
    const grants = await call('GET', `/teams/${TEAM}/permissionGrants`);
    expect(grants.status).toBe(200);
    expect(grants.json.value).toEqual([]);
  });
});

describe('meetings', () => {
  async function book(): Promise<{ chatId: string; meetingId: string; joinUrl: string }> {
    const created = await call('POST', `/users/${ORGANISER}/events`, {
      subject: 'RR',
      start: { dateTime: '2026-09-01T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-09-01T11:00:00', timeZone: 'UTC' },
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
    });
    expect(created.status).toBe(201);
    const meeting = sandbox.state.onlineMeetings[ORGANISER][0];
    return {
      chatId: meeting.chatInfo.threadId,
      meetingId: meeting.id,
      joinUrl: created.json.onlineMeeting.joinUrl,
    };
  }

  it('refuses a chat install that does not consent to the app chat RSC permissions', async () => {
    const { chatId } = await book();
    const path = `/chats/${encodeURIComponent(chatId)}/installedApps`;
    const bare = await call('POST', path, {
      'teamsApp@odata.bind': chatInstall('rapid-review-app')['teamsApp@odata.bind'],
    });
    expect(bare.status).toBe(400);
    expect(bare.json.error.message).toContain('OnlineMeeting.ReadBasic.Chat');
    sandbox.setGrants(['TeamsAppInstallation.ReadWriteSelfForChat.All', 'Calendars.ReadWrite']);
    expect((await call('POST', path, chatInstall('rapid-review-app'))).status).toBe(403);
    sandbox.setGrants(defaultGrants());
    expect((await call('POST', path, chatInstall('rapid-review-app'))).status).toBe(201);
  });

  it('shows an attendance report only some minutes after the meeting ends', async () => {
    const { meetingId, joinUrl } = await book();
    const report = sandbox.addAttendanceReport(joinUrl, []);
    const base = `/users/${ORGANISER_USER.id}/onlineMeetings/${encodeURIComponent(meetingId)}/attendanceReports`;
    clock = new Date('2026-09-01T11:02:00Z');
    const early = await call('GET', base);
    expect(early.status).toBe(404);
    expect(early.json.error.message).toMatch(/not yet available/);
    expect((await call('GET', `${base}/${report.id}/attendanceRecords`)).status).toBe(404);
    clock = new Date('2026-09-01T11:05:00Z');
    expect((await call('GET', base)).json.value.map((r: { id: string }) => r.id)).toEqual([report.id]);
  });
});

describe('$batch', () => {
  it('routes each request like a lone one, logs them all, and refuses more than 20', async () => {
    const answer = await call('POST', '/$batch', {
      requests: [
        {
          id: '1',
          method: 'GET',
          url: `/users?$filter=${encodeURIComponent(`mail eq '${POLICE_GUEST.mail}'`)}`,
        },
        { id: '2', method: 'GET', url: '/teams/no-such-team/channels' },
        { id: '3', method: 'GET', url: `/users/${OWNER.id}`, dependsOn: ['2'] },
      ],
    });
    expect(answer.status).toBe(200);
    const byId = Object.fromEntries(
      answer.json.responses.map((r: { id: string; status: number }) => [r.id, r]),
    );
    expect(byId['1'].status).toBe(200);
    expect(byId['1'].body.value[0].id).toBe(POLICE_GUEST.id);
    expect(byId['2'].status).toBe(404);
    expect(byId['3'].status).toBe(424);
    expect(
      sandbox.requests.map((r) => [r.method, r.path.split('?')[0], r.status, r.batched ?? false]),
    ).toEqual([
      ['GET', '/v1.0/users', 200, true],
      ['GET', '/v1.0/teams/no-such-team/channels', 404, true],
      ['POST', '/v1.0/$batch', 200, false],
    ]);
    sandbox.revoke('User.ReadBasic.All');
    const denied = await call('POST', '/$batch', { requests: [{ id: 'a', method: 'GET', url: '/users' }] });
    expect(denied.json.responses[0].status).toBe(403);
    const tooMany = await call('POST', '/$batch', {
      requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })),
    });
    expect(tooMany.status).toBe(400);
  });
});

describe('seeding over HTTP', () => {
  it('adds directory users and teams through the control API', async () => {
    const control = sandbox.url.replace(/\/v1\.0$/, '/_sandbox');
    const user = {
      ...COLLEAGUE,
      id: '0a1b2c3d-0000-4000-8000-0000000000aa',
      mail: 'new@partnership.example',
      userPrincipalName: 'new@partnership.example',
    };
    expect(
      (await fetch(`${control}/directory`, { method: 'POST', body: JSON.stringify({ users: [user] }) }))
        .status,
    ).toBe(204);
    expect((await call('GET', `/users/${user.id}`)).status).toBe(200);
    const team = { id: 'team-http', displayName: 'HTTP', members: [user.id] };
    expect(
      (await fetch(`${control}/teams`, { method: 'POST', body: JSON.stringify({ teams: [team] }) })).status,
    ).toBe(204);
    expect(sandbox.teamMembers('team-http')).toEqual([{ userId: user.id, roles: [] }]);
    sandbox.reset();
    expect((await call('GET', '/teams/team-http/channels')).status).toBe(200); // seeds survive reset
  });
});

describe("installing the app in a person's personal scope (nudges)", () => {
  const install = (id: string) => ({
    'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${id}`,
  });
  const installed = (user: string) =>
    call(
      'GET',
      `/users/${user}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq 'rapid-review-app'`,
    );

  it('installs once (409 Conflict the second time) and gives the 1:1 chat with the bot', async () => {
    expect(
      (await call('POST', `/users/${COLLEAGUE.id}/teamwork/installedApps`, install('rapid-review-app')))
        .status,
    ).toBe(201);
    const again = await call(
      'POST',
      `/users/${COLLEAGUE.id}/teamwork/installedApps`,
      install('rapid-review-app'),
    );
    expect(again.status).toBe(409);
    const list = await installed(COLLEAGUE.id);
    expect(list.json.value).toHaveLength(1);
    expect(list.json.value[0].teamsApp.id).toBe('rapid-review-app');
    const chat = await call(
      'GET',
      `/users/${COLLEAGUE.id}/teamwork/installedApps/${encodeURIComponent(list.json.value[0].id)}/chat`,
    );
    expect(chat.status).toBe(200);
    expect(chat.json.id).toMatch(new RegExp(`^19:${COLLEAGUE.id}_.+@unq\\.gbl\\.spaces$`));
    expect(sandbox.personalChatOpen(chat.json.id)).toBe(true);
    expect(sandbox.personalChatOpen(`19:${OWNER.id}_x@unq.gbl.spaces`)).toBe(false);
  });

  it('refuses without TeamsAppInstallation.ReadWriteSelfForUser.All, for an unknown person, and for an app not in the catalog', async () => {
    sandbox.revoke('TeamsAppInstallation.ReadWriteSelfForUser.All');
    const denied = await call(
      'POST',
      `/users/${COLLEAGUE.id}/teamwork/installedApps`,
      install('rapid-review-app'),
    );
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain('TeamsAppInstallation.ReadWriteSelfForUser.All');
    expect((await installed(COLLEAGUE.id)).status).toBe(403);
    sandbox.setGrants(defaultGrants());
    const nobody = '11111111-2222-4333-8444-555555555555';
    expect(
      (await call('POST', `/users/${nobody}/teamwork/installedApps`, install('rapid-review-app'))).status,
    ).toBe(404);
    expect(
      (await call('POST', `/users/${COLLEAGUE.id}/teamwork/installedApps`, install('some-other-app'))).status,
    ).toBe(404);
    expect(
      (await call('GET', `/users/${COLLEAGUE.id}/teamwork/installedApps/not-an-installation/chat`)).status,
    ).toBe(404);
  });
});
