import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  chatInstall,
  COLLEAGUE,
  DIRECTORY,
  HEALTH_GUEST,
  ORGANISER_USER,
  OTHER_TEAM,
  OWNER,
  POLICE_GUEST,
  TEAM,
  TEAMS,
} from './fixtures';
import { GraphSandbox, startGraphSandbox } from './graphSandbox';

const SPARE = ['19:spare-review-1@thread.tacv2', '19:spare-review-2@thread.tacv2'];
const ORGANISER = ORGANISER_USER.userPrincipalName;
const POLICE = POLICE_GUEST.mail;
const HEALTH = HEALTH_GUEST.mail;
/** The sandbox's clock: a day after the meetings these tests book. */
let clock = new Date('2026-09-02T00:00:00Z');

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-sandbox-'));
const logFile = path.join(logDir, 'requests.jsonl');
let sandbox: GraphSandbox;

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { error?: { code: string; message: string; target?: string } };
}

async function call(
  method: string,
  pathAndQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${sandbox.url}${pathAndQuery}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

const owner = (userId: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
  roles: ['owner'],
});

const member = (userId: string) => ({ ...owner(userId), roles: [] });

function meeting(transactionId: string, overrides: Record<string, unknown> = {}) {
  return {
    subject: 'Rapid review meeting',
    body: { contentType: 'html', content: '<p>Agenda to follow</p>' },
    start: { dateTime: '2026-09-01T10:00:00', timeZone: 'GMT Standard Time' },
    end: { dateTime: '2026-09-01T11:00:00', timeZone: 'GMT Standard Time' },
    attendees: [{ emailAddress: { address: POLICE, name: 'Police rep' }, type: 'required' }],
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    transactionId,
    ...overrides,
  };
}

async function privateChannel(displayName: string): Promise<string> {
  const created = await call('POST', `/teams/${TEAM}/channels`, {
    displayName,
    membershipType: 'private',
    members: [owner(OWNER.id)],
  });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

beforeAll(async () => {
  sandbox = await startGraphSandbox({
    channelIds: SPARE,
    logFile,
    directory: DIRECTORY,
    teams: TEAMS,
    now: () => clock,
  });
});

afterAll(async () => {
  await sandbox.close();
  fs.rmSync(logDir, { recursive: true, force: true });
});

beforeEach(() => {
  clock = new Date('2026-09-02T00:00:00Z');
  sandbox.reset();
});

describe('channels', () => {
  it('creates a channel with the first spare id, then the next, then random ids', async () => {
    const first = await call('POST', `/teams/${TEAM}/channels`, {
      displayName: 'RR-2026-001',
      description: 'Rapid review',
      membershipType: 'private',
      members: [owner(OWNER.id)],
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      id: SPARE[0],
      displayName: 'RR-2026-001',
      description: 'Rapid review',
      membershipType: 'private',
    });
    expect(first.json.webUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/channel\//);
    expect(Number.isNaN(Date.parse(first.json.createdDateTime as string))).toBe(false);

    const second = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-2026-002' });
    const third = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-2026-003' });
    expect(second.json.id).toBe(SPARE[1]);
    expect(third.json.id).toMatch(/^19:[0-9a-f]{32}@thread\.tacv2$/);
    expect(sandbox.state.channels[TEAM].map((channel) => channel.displayName)).toEqual([
      'General',
      'RR-2026-001',
      'RR-2026-002',
      'RR-2026-003',
    ]);
    expect(sandbox.state.members[SPARE[0]].map((m) => [m.userId, m.roles])).toEqual([[OWNER.id, ['owner']]]);
  });

  it('answers 400 naming a property the channel type does not have, and creates nothing', async () => {
    const answer = await call('POST', `/teams/${TEAM}/channels`, {
      displayName: 'RR-2026-001',
      privacy: 'private',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({
      code: 'BadRequest',
      message: "Property 'privacy' does not exist on type 'microsoft.graph.channel'",
    });
    expect(sandbox.state.channels[TEAM].map((channel) => channel.displayName)).toEqual(['General']);
  });

  it('answers 400 for a membershipType outside the enum', async () => {
    const answer = await call('POST', `/teams/${TEAM}/channels`, {
      displayName: 'RR',
      membershipType: 'privet',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toBe(
      "Value 'privet' is not a member of enum 'microsoft.graph.channelMembershipType'",
    );
  });

  it('refuses a second channel with the same name in the team, whatever the case, as Graph does', async () => {
    await privateChannel('RR-2026-001');
    const again = await call('POST', `/teams/${TEAM}/channels`, {
      displayName: 'rr-2026-001',
      membershipType: 'private',
      members: [owner(OWNER.id)],
    });
    expect(again.status).toBe(400);
    expect(again.json.error).toMatchObject({
      code: 'BadRequest',
      message: 'Channel name already existed, please use other name.',
    });
    const otherTeam = await call('POST', `/teams/${OTHER_TEAM}/channels`, { displayName: 'RR-2026-001' });
    expect(otherTeam.status).toBe(201);
  });

  it('holds channel names to 50 characters and to Teams naming rules', async () => {
    const long = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'R'.repeat(51) });
    expect(long.status).toBe(400);
    const slash = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR 2026/001' });
    expect(slash.status).toBe(400);
    const fifty = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'R'.repeat(50) });
    expect(fifty.status).toBe(201);
  });

  it('wants an owner when a private channel is created', async () => {
    const answer = await call('POST', `/teams/${TEAM}/channels`, {
      displayName: 'RR',
      membershipType: 'private',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error?.target).toBe('members');
  });

  it('gets a channel by id and lists channels filtered by displayName', async () => {
    const id = await privateChannel('RR-2026-001 Review');
    await privateChannel('RR-2026-002');
    const one = await call('GET', `/teams/${TEAM}/channels/${encodeURIComponent(id)}`);
    expect(one.status).toBe(200);
    expect(one.json.displayName).toBe('RR-2026-001 Review');
    const filter = encodeURIComponent("displayName eq 'rr-2026-001 review'");
    const listed = await call('GET', `/teams/${TEAM}/channels?$filter=${filter}`);
    expect((listed.json.value as { id: string }[]).map((channel) => channel.id)).toEqual([id]);
    const all = await call('GET', `/teams/${TEAM}/channels`);
    expect(all.json.value).toHaveLength(3); // General and the two private channels
    const missing = await call(
      'GET',
      `/teams/${TEAM}/channels/${encodeURIComponent('19:nope@thread.tacv2')}`,
    );
    expect(missing.status).toBe(404);
    expect(missing.json.error?.code).toBe('NotFound');
  });
});

describe('channel members', () => {
  it('adds a member, lists members, and answers 409 when the same user is added again', async () => {
    const id = encodeURIComponent(await privateChannel('RR-2026-001'));
    const added = await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(COLLEAGUE.id));
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      userId: COLLEAGUE.id,
      roles: [],
    });
    const again = await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(COLLEAGUE.id));
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe('Conflict');
    const listed = await call('GET', `/teams/${TEAM}/channels/${id}/members`);
    expect((listed.json.value as { userId: string }[]).map((m) => m.userId)).toEqual([
      OWNER.id,
      COLLEAGUE.id,
    ]);
  });

  it('refuses a member without @odata.type (conversationMember is abstract)', async () => {
    const id = encodeURIComponent(await privateChannel('RR-2026-001'));
    const { '@odata.type': _type, ...untyped } = member(COLLEAGUE.id);
    const answer = await call('POST', `/teams/${TEAM}/channels/${id}/members`, untyped);
    expect(answer.status).toBe(400);
    expect(answer.json.error?.target).toBe('@odata.type');
  });

  it('refuses to add members one by one to a standard channel', async () => {
    const created = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'Announcements' });
    const id = encodeURIComponent(created.json.id as string);
    const answer = await call('POST', `/teams/${TEAM}/channels/${id}/members`, member(COLLEAGUE.id));
    expect(answer.status).toBe(400);
  });
});

describe('events', () => {
  it('answers 400 for an unknown property on a nested attendee', async () => {
    const body = meeting('tx-1', { attendees: [{ emailAddress: { address: POLICE }, agency: 'Police' }] });
    const answer = await call('POST', `/users/${ORGANISER}/events`, body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({
      code: 'BadRequest',
      message: "Property 'agency' does not exist on type 'microsoft.graph.attendee'",
      target: 'attendees[0].agency',
    });
    expect(sandbox.state.events).toEqual({});
  });

  it('books an online meeting and returns the same event when the transactionId is sent again', async () => {
    const first = await call('POST', `/users/${ORGANISER}/events`, meeting('rr-2026-001-meeting'));
    expect(first.status).toBe(201);
    const joinUrl = (first.json.onlineMeeting as { joinUrl: string }).joinUrl;
    expect(joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    // Graph answers in UTC unless the caller prefers another zone: 10:00 London summer time is 09:00 UTC.
    expect(first.json.start).toEqual({ dateTime: '2026-09-01T09:00:00.0000000', timeZone: 'UTC' });

    const retry = await call('POST', `/users/${ORGANISER}/events`, meeting('rr-2026-001-meeting'));
    expect(retry.status).toBe(201);
    expect(retry.json.id).toBe(first.json.id);
    expect(sandbox.state.events[ORGANISER]).toHaveLength(1);

    const other = await call('POST', `/users/${ORGANISER}/events`, meeting('rr-2026-002-meeting'));
    expect(other.json.id).not.toBe(first.json.id);
    expect(sandbox.state.events[ORGANISER]).toHaveLength(2);
  });

  it('answers in the zone asked for with Prefer: outlook.timezone', async () => {
    const answer = await call('POST', `/users/${ORGANISER}/events`, meeting('tx-zone'), {
      prefer: 'outlook.timezone="GMT Standard Time"',
    });
    expect(answer.json.end).toEqual({
      dateTime: '2026-09-01T11:00:00.0000000',
      timeZone: 'GMT Standard Time',
    });
  });

  it('moves, cancels (202) and deletes (204) events', async () => {
    const created = await call('POST', `/users/${ORGANISER}/events`, meeting('tx-move'));
    const id = encodeURIComponent(created.json.id as string);
    const moved = await call('PATCH', `/users/${ORGANISER}/events/${id}`, {
      start: { dateTime: '2026-09-02T14:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-09-02T15:00:00', timeZone: 'UTC' },
    });
    expect(moved.status).toBe(200);
    expect(moved.json.start).toEqual({ dateTime: '2026-09-02T14:00:00.0000000', timeZone: 'UTC' });
    const badPatch = await call('PATCH', `/users/${ORGANISER}/events/${id}`, { starts: {} });
    expect(badPatch.status).toBe(400);

    const cancelled = await call('POST', `/users/${ORGANISER}/events/${id}/cancel`, {
      comment: 'Review closed',
    });
    expect(cancelled.status).toBe(202);
    expect((await call('GET', `/users/${ORGANISER}/events/${id}`)).status).toBe(404);
    expect(sandbox.state.cancellationComments[created.json.id as string]).toBe('Review closed');

    const other = await call('POST', `/users/${ORGANISER}/events`, meeting('tx-delete'));
    const deleted = await call(
      'DELETE',
      `/users/${ORGANISER}/events/${encodeURIComponent(other.json.id as string)}`,
    );
    expect(deleted.status).toBe(204);
    expect(sandbox.state.events[ORGANISER].map((event) => event.id)).toEqual([created.json.id]);
  });
});

describe('getSchedule', () => {
  const window = {
    schedules: [POLICE, HEALTH],
    startTime: { dateTime: '2026-09-01T09:00:00', timeZone: 'UTC' },
    endTime: { dateTime: '2026-09-01T12:00:00', timeZone: 'UTC' },
    availabilityViewInterval: 30,
  };

  it('computes availabilityView from seeded busy time and booked meetings', async () => {
    sandbox.setBusy(POLICE, [{ start: '2026-09-01T09:00:00Z', end: '2026-09-01T10:00:00Z' }]);
    sandbox.setBusy(HEALTH, [{ start: '2026-09-01T11:15:00Z', end: '2026-09-01T11:45:00Z', status: 'oof' }]);
    // Booked 10:30-11:00 UTC: the organiser is busy, the invited police rep tentative.
    await call(
      'POST',
      `/users/${ORGANISER}/events`,
      meeting('tx-sched', {
        start: { dateTime: '2026-09-01T10:30:00', timeZone: 'UTC' },
        end: { dateTime: '2026-09-01T11:00:00', timeZone: 'UTC' },
      }),
    );
    const answer = await call('POST', `/users/${ORGANISER}/calendar/getSchedule`, {
      ...window,
      schedules: [POLICE, HEALTH, ORGANISER],
    });
    expect(answer.status).toBe(200);
    const value = answer.json.value as {
      scheduleId: string;
      availabilityView: string;
      scheduleItems: unknown[];
    }[];
    expect(value.map((schedule) => [schedule.scheduleId, schedule.availabilityView])).toEqual([
      [POLICE, '220100'],
      [HEALTH, '000033'],
      [ORGANISER, '000200'],
    ]);
    expect(value[0].scheduleItems[0]).toMatchObject({
      status: 'busy',
      start: { dateTime: '2026-09-01T09:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-09-01T10:00:00.0000000', timeZone: 'UTC' },
    });
  });

  it('reads the window in the zone given (10:00 London summer time is 09:00 UTC)', async () => {
    sandbox.setBusy(POLICE, [{ start: '2026-09-01T09:00:00Z', end: '2026-09-01T09:30:00Z' }]);
    const answer = await call('POST', `/users/${ORGANISER}/calendar/getSchedule`, {
      ...window,
      startTime: { dateTime: '2026-09-01T10:00:00', timeZone: 'GMT Standard Time' },
      endTime: { dateTime: '2026-09-01T11:00:00', timeZone: 'GMT Standard Time' },
    });
    expect((answer.json.value as { availabilityView: string }[])[0].availabilityView).toBe('20');
  });

  it('checks the body against the getSchedule action parameters', async () => {
    const answer = await call('POST', `/users/${ORGANISER}/calendar/getSchedule`, {
      ...window,
      attendees: [],
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toContain("'attendees'");
    const badInterval = await call('POST', `/users/${ORGANISER}/calendar/getSchedule`, {
      ...window,
      availabilityViewInterval: 2,
    });
    expect(badInterval.status).toBe(400);
  });
});

describe('online meetings, attendance and apps in the meeting chat', () => {
  async function bookMeeting(): Promise<string> {
    const created = await call('POST', `/users/${ORGANISER}/events`, meeting('tx-meeting'));
    return (created.json.onlineMeeting as { joinUrl: string }).joinUrl;
  }

  it('finds the online meeting by join URL, plain or encoded once more', async () => {
    const joinUrl = await bookMeeting();
    for (const spelled of [joinUrl, encodeURIComponent(joinUrl)]) {
      const filter = encodeURIComponent(`JoinWebUrl eq '${spelled}'`);
      const answer = await call('GET', `/users/${ORGANISER_USER.id}/onlineMeetings?$filter=${filter}`);
      expect(answer.status).toBe(200);
      const [found] = answer.json.value as {
        joinWebUrl: string;
        chatInfo: { threadId: string };
        subject: string;
      }[];
      expect(found).toMatchObject({ joinWebUrl: joinUrl, subject: 'Rapid review meeting' });
      expect(found.chatInfo.threadId).toMatch(/^19:meeting_.+@thread\.v2$/);
    }
    const elsewhere = await call(
      'GET',
      `/users/${OWNER.id}/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${joinUrl}'`)}`,
    );
    expect(elsewhere.json.value).toEqual([]);
  });

  it('serves seeded attendance reports and their records', async () => {
    const joinUrl = await bookMeeting();
    const report = sandbox.addAttendanceReport(joinUrl, [
      {
        identity: { id: 'aad-police', displayName: 'Police rep' },
        emailAddress: POLICE,
        role: 'Attendee',
        attendanceIntervals: [
          { joinDateTime: '2026-09-01T09:00:00Z', leaveDateTime: '2026-09-01T09:40:00Z' },
          { joinDateTime: '2026-09-01T09:45:00Z', leaveDateTime: '2026-09-01T10:00:00Z' },
        ],
      },
    ]);
    const meetingId = (sandbox.state.onlineMeetings[ORGANISER][0] as { id: string }).id;
    const base = `/users/${ORGANISER_USER.id}/onlineMeetings/${encodeURIComponent(meetingId)}/attendanceReports`;
    const reports = await call('GET', base);
    expect((reports.json.value as { id: string }[]).map((r) => r.id)).toEqual([report.id]);
    const records = await call('GET', `${base}/${report.id}/attendanceRecords`);
    expect(records.json.value).toEqual([
      {
        id: 'aad-police',
        emailAddress: POLICE,
        identity: { id: 'aad-police', displayName: 'Police rep' },
        role: 'Attendee',
        totalAttendanceInSeconds: 3300,
        attendanceIntervals: [
          {
            joinDateTime: '2026-09-01T09:00:00Z',
            leaveDateTime: '2026-09-01T09:40:00Z',
            durationInSeconds: 2400,
          },
          {
            joinDateTime: '2026-09-01T09:45:00Z',
            leaveDateTime: '2026-09-01T10:00:00Z',
            durationInSeconds: 900,
          },
        ],
      },
    ]);
    expect(() =>
      sandbox.addAttendanceReport('https://teams.microsoft.com/l/meetup-join/unknown', []),
    ).toThrow(/No meeting/);
  });

  it('installs the bot in the meeting chat once (201, then 409) and knows only meeting chats', async () => {
    await bookMeeting();
    const chatId = sandbox.state.onlineMeetings[ORGANISER][0].chatInfo.threadId;
    const install = chatInstall('app-123');
    const first = await call('POST', `/chats/${encodeURIComponent(chatId)}/installedApps`, install);
    expect(first.status).toBe(201);
    expect(sandbox.state.installedApps[chatId].map((app) => app.teamsAppId)).toEqual(['app-123']);
    const second = await call('POST', `/chats/${encodeURIComponent(chatId)}/installedApps`, install);
    expect(second.status).toBe(409);
    const unknown = await call(
      'POST',
      `/chats/${encodeURIComponent('19:nope@thread.v2')}/installedApps`,
      install,
    );
    expect(unknown.status).toBe(404);
    const wrongBind = await call('POST', `/chats/${encodeURIComponent(chatId)}/installedApps`, {
      'app@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/app-123',
    });
    expect(wrongBind.status).toBe(400);
  });
});

describe('errors, faults and the request log', () => {
  it('answers an unknown route with a Graph-shaped 404 and a wrong method with 405', async () => {
    const unknown = await call('GET', '/me/drive/root');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error?.code).toBe('NotFound');
    expect(typeof unknown.json.error?.message).toBe('string');
    const wrongMethod = await call('DELETE', `/teams/${TEAM}/channels`);
    expect(wrongMethod.status).toBe(405);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const answer = await call('POST', `/teams/${TEAM}/channels`, '{"displayName": ');
    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe('BadRequest');
  });

  it('throttles with 429 and Retry-After for the queued requests, then recovers', async () => {
    sandbox.injectFaults({ method: 'POST', path: /\/channels$/ }, [
      { status: 429, retryAfterSeconds: 7 },
      { status: 503 },
    ]);
    // A GET does not match the POST-only fault.
    expect((await call('GET', `/teams/${TEAM}/channels`)).status).toBe(200);
    const throttled = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-1' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.json.error?.code).toBe('TooManyRequests');
    const unavailable = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-1' });
    expect(unavailable.status).toBe(503);
    const recovered = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-1' });
    expect(recovered.status).toBe(201);
    expect(sandbox.state.channels[TEAM]).toHaveLength(2); // General and RR-1
    expect(sandbox.requests.map((request) => request.status)).toEqual([200, 429, 503, 201]);
  });

  it('carries a landed fault out before failing it, and leaves a hung request unanswered', async () => {
    const channel = { displayName: 'RR-9', membershipType: 'private', members: [owner(OWNER.id)] };
    sandbox.injectFaults({ method: 'POST', path: /\/channels$/ }, [{ status: 504, landed: true }]);
    // The answer is a gateway timeout, yet the channel was made: a blind retry would make a second.
    expect((await call('POST', `/teams/${TEAM}/channels`, channel)).status).toBe(504);
    expect(sandbox.state.channels[TEAM].map((c) => c.displayName)).toContain('RR-9');

    sandbox.setFaultPolicy(({ method }) => (method === 'GET' ? { hang: true } : undefined));
    const abandoned = await fetch(`${sandbox.url}/teams/${TEAM}/channels`, {
      signal: AbortSignal.timeout(200),
    }).catch((error: unknown) => (error as Error).name);
    expect(abandoned).toBe('TimeoutError');
    // Inside a batch a hung step is its gateway timeout; the batch itself answers.
    const batch = await call('POST', '/$batch', {
      requests: [{ id: '1', method: 'GET', url: `/teams/${TEAM}/channels` }],
    });
    expect(batch.status).toBe(200);
    expect((batch.json.responses as { status: number }[])[0].status).toBe(504);
    sandbox.setFaultPolicy(undefined);
    expect((await call('GET', `/teams/${TEAM}/channels`)).status).toBe(200);
    expect(sandbox.requests.map((r) => [r.status, r.fault, r.landed])).toEqual([
      [504, 'status', true],
      [-1, 'hang', false],
      [504, 'status', false],
      [200, undefined, undefined],
      [200, undefined, undefined],
    ]);
  });

  it('holds an answer back for a slow fault', async () => {
    sandbox.injectFaults({ path: 'getSchedule' }, [{ delayMs: 300 }]);
    const started = Date.now();
    const answer = await call('POST', `/users/${ORGANISER}/calendar/getSchedule`, {
      schedules: [POLICE],
      startTime: { dateTime: '2026-09-01T09:00:00', timeZone: 'UTC' },
      endTime: { dateTime: '2026-09-01T10:00:00', timeZone: 'UTC' },
    });
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('takes faults, busy time and resets through the HTTP control API', async () => {
    const control = sandbox.url.replace(/\/v1\.0$/, '/_sandbox');
    const queued = await fetch(`${control}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'GET',
        path: '/channels',
        faults: [{ status: 503, retryAfterSeconds: 1 }],
      }),
    });
    expect(queued.status).toBe(204);
    expect((await call('GET', `/teams/${TEAM}/channels`)).status).toBe(503);
    expect((await call('GET', `/teams/${TEAM}/channels`)).status).toBe(200);

    const busy = await fetch(`${control}/busy`, {
      method: 'POST',
      body: JSON.stringify({
        user: POLICE,
        blocks: [{ start: '2026-09-01T09:00:00Z', end: '2026-09-01T10:00:00Z' }],
      }),
    });
    expect(busy.status).toBe(204);
    expect(sandbox.state.busy[POLICE]).toHaveLength(1);

    const refused = await fetch(`${control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ faults: [] }),
    });
    expect(refused.status).toBe(400);

    expect((await fetch(`${control}/reset`, { method: 'POST' })).status).toBe(204);
    expect(sandbox.state.busy).toEqual({});
    expect(sandbox.requests).toEqual([]);
  });

  it('appends one JSON line per Graph request to the log file, query string included', async () => {
    const before = fs.existsSync(logFile)
      ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length
      : 0;
    await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-LOG' });
    await call('GET', `/teams/${TEAM}/channels?$filter=${encodeURIComponent("displayName eq 'RR-LOG'")}`);
    const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(before);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { method: 'POST', path: `/v1.0/teams/${TEAM}/channels`, body: { displayName: 'RR-LOG' } },
      {
        method: 'GET',
        path: `/v1.0/teams/${TEAM}/channels?$filter=displayName%20eq%20%27RR-LOG%27`,
        body: null,
      },
    ]);
  });

  it('hands the spare channel ids out again after reset', async () => {
    const before = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-A' });
    sandbox.reset();
    const after = await call('POST', `/teams/${TEAM}/channels`, { displayName: 'RR-A' });
    expect([before.json.id, after.json.id]).toEqual([SPARE[0], SPARE[0]]);
  });
});
