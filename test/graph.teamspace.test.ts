/**
 * GraphTeamspace against the local Graph sandbox: the calls a review makes, what Graph ends up
 * holding, and how many requests it took. The sandbox checks every request body against Graph's own
 * metadata, so a property Graph does not know fails here with a 400.
 */
import type { Person } from '../review/model';
import type { ChannelSpec } from '../review/ports';
import { createGraphClient, type GraphLogger } from '../graph/graphClient';
import { GraphCallError } from '../graph/graphCallError';
import { GraphTeamspace, schedulesPerRequest } from '../graph/graphTeamspace';
import { startGraphSandbox, type GraphSandbox, type SandboxRequest } from './graph-sandbox/graphSandbox';
import type { SandboxUserSeed } from './graph-sandbox/sandboxTenant';

const teamId = '5a1f2b3c-0000-4000-8000-00000000a001';
const organizer = 'business.unit@partnership.example';
const chair = {
  name: 'Chair Person',
  email: 'chair@partnership.example',
  aadObjectId: 'a0000000-0000-4000-8000-000000000001',
};
const representatives: Person[] = [
  {
    name: 'Police Rep',
    email: 'police.rep@police.example',
    aadObjectId: 'a0000000-0000-4000-8000-000000000002',
  },
  {
    name: 'Council Rep',
    email: 'la.rep@council.example',
    aadObjectId: 'a0000000-0000-4000-8000-000000000003',
  },
  { name: 'ICB Rep', email: 'icb.rep@icb.example', aadObjectId: 'a0000000-0000-4000-8000-000000000004' },
  { name: 'School Rep', email: 'dsl@school.example', aadObjectId: 'a0000000-0000-4000-8000-000000000005' },
];
const organizerId = 'a0000000-0000-4000-8000-0000000000aa';

/** The directory: the partnership's own staff are members; agencies' people are guests (UPN ≠ e-mail). */
const directory: SandboxUserSeed[] = [
  ...[chair, ...representatives].map((person): SandboxUserSeed => {
    const email = person.email as string;
    const [local, domain] = email.split('@');
    const guest = domain !== 'partnership.example';
    return {
      id: person.aadObjectId as string,
      displayName: person.name,
      mail: email,
      userPrincipalName: guest ? `${local}_${domain}#EXT#@partnership.onmicrosoft.com` : email,
      userType: guest ? 'Guest' : 'Member',
    };
  }),
  {
    id: organizerId,
    displayName: 'Business unit',
    mail: organizer,
    userPrincipalName: organizer,
    userType: 'Member',
  },
];
const teamsAppId = 'c0ffee00-0000-4000-8000-000000000abc';

function channelSpec(displayName = 'RR-2026-003'): ChannelSpec {
  return {
    teamId,
    displayName,
    description: 'Rapid Review RR-2026-003',
    membershipType: 'private',
    owner: chair,
  };
}

interface LoggedLine {
  level: 'debug' | 'warn';
  details: Record<string, unknown>;
  message: string;
}

function recordingLogger(lines: LoggedLine[]): GraphLogger {
  return {
    debug: (details, message) => lines.push({ level: 'debug', details, message }),
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
  };
}

let sandbox: GraphSandbox;
let log: LoggedLine[];

/** A fresh GraphTeamspace, as a restarted bot would build one. Waits are scaled to a hundredth. */
function teamspace(options: { maxRetries?: number; requestTimeoutMs?: number } = {}): GraphTeamspace {
  const logger = recordingLogger(log);
  const client = createGraphClient({
    baseUrl: sandbox.url,
    credential: { kind: 'none' },
    maxRetries: options.maxRetries ?? 4,
    retryDelayScale: 0.01,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    logger,
  });
  return new GraphTeamspace(client, logger, { lookupAttempts: 5, lookupDelayMs: 50 });
}

function posts(requests: readonly SandboxRequest[], path: RegExp): SandboxRequest[] {
  return requests.filter((request) => request.method === 'POST' && path.test(request.path.split('?')[0]));
}

const channelsPath = /\/teams\/[^/]+\/channels$/;

/** Graph refuses a body it cannot read with 400; none of ours may get one unless a test says why. */
function expectEveryBodyAccepted(requests: readonly SandboxRequest[] = sandbox.requests): void {
  expect(requests.filter((request) => request.status === 400)).toEqual([]);
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('Timed out waiting for the sandbox');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let sandboxNow = new Date('2027-01-04T12:00:00Z');

/** The review channels the sandbox holds (the team's standard General channel left out). */
function reviewChannels(): { id: string; displayName: string; membershipType: string }[] {
  return (sandbox.state.channels[teamId] ?? []).filter((channel) => channel.membershipType !== 'standard');
}

beforeAll(async () => {
  sandbox = await startGraphSandbox({
    // Attendance reports appear a while after a meeting ends; the tests' meetings are long over.
    now: () => sandboxNow,
    directory,
    teamsAppId,
    teams: [
      { id: teamId, displayName: 'Partnership', members: [chair.aadObjectId], installedApps: [teamsAppId] },
    ],
  });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.reset();
  log = [];
});

describe('channels', () => {
  it('creates the private channel with its owner and answers its id', async () => {
    const channel = await teamspace().createChannel(channelSpec());

    const channels = reviewChannels();
    expect(channels).toHaveLength(1);
    expect(channels[0]).toMatchObject({
      id: channel.id,
      displayName: 'RR-2026-003',
      membershipType: 'private',
    });
    expect(sandbox.state.members[channel.id]).toEqual([
      expect.objectContaining({ userId: chair.aadObjectId, roles: ['owner'] }),
    ]);
    expect(posts(sandbox.requests, channelsPath).map((request) => request.status)).toEqual([201]);
    expectEveryBodyAccepted();
  });

  it('waits out 429 (honouring Retry-After) and 503, and still ends with exactly one channel', async () => {
    sandbox.injectFaults({ method: 'POST', path: channelsPath }, [
      { status: 429, retryAfterSeconds: 1 },
      { status: 503 },
    ]);
    const started = Date.now();
    const channel = await teamspace().createChannel(channelSpec());

    expect(reviewChannels().map((item) => item.id)).toEqual([channel.id]);
    expect(posts(sandbox.requests, channelsPath).map((request) => request.status)).toEqual([429, 503, 201]);
    const retries = log.filter((line) => line.message === 'graph: retrying');
    expect(retries.map((line) => [line.details.status, line.details.retryAfter])).toEqual([
      [429, true],
      [503, false],
    ]);
    // Retry-After: 1 was obeyed as one second, then scaled to a hundredth for the test.
    expect(retries[0].details.waitSeconds).toBe(1);
    expect(Date.now() - started).toBeLessThan(900);
    expectEveryBodyAccepted();
  });

  it('gives up with a GraphCallError once the retries are spent', async () => {
    sandbox.injectFaults({ method: 'POST', path: channelsPath }, [
      { status: 429, retryAfterSeconds: 1 },
      { status: 429, retryAfterSeconds: 1 },
      { status: 429, retryAfterSeconds: 1 },
    ]);
    const failure = await teamspace({ maxRetries: 2 })
      .createChannel(channelSpec())
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GraphCallError);
    expect(failure).toMatchObject({
      status: 429,
      code: 'TooManyRequests',
      operation: 'POST /teams/{teamId}/channels',
    });
    expect(reviewChannels()).toEqual([]);
    expect(posts(sandbox.requests, channelsPath)).toHaveLength(3);
  });

  it('resumes after a restart half-way without a second channel', async () => {
    const first = await teamspace().createChannel(channelSpec());
    // The bot crashed before recording the id; the restarted bot runs the same step again.
    const second = await teamspace().createChannel(channelSpec());

    expect(second).toEqual(first);
    expect(reviewChannels()).toHaveLength(1);
    expect(posts(sandbox.requests, channelsPath)).toHaveLength(1);
    expect(await teamspace().findChannel(teamId, 'RR-2026-003')).toEqual(first);
    expect(await teamspace().findChannel(teamId, 'RR-2026-004')).toBeUndefined();
  });

  it('finds the channel when the create landed but its answer timed out', async () => {
    // The sandbox holds the answer back for 300 ms, then creates the channel; the bot stops waiting at 100 ms.
    sandbox.injectFaults({ method: 'POST', path: channelsPath }, [{ delayMs: 300 }]);
    const channel = await teamspace({ requestTimeoutMs: 100 }).createChannel(channelSpec());

    expect(reviewChannels().map((item) => item.id)).toEqual([channel.id]);
    expect(posts(sandbox.requests, channelsPath)).toHaveLength(1);
    expect(
      log.find((line) => line.message.startsWith('graph: channel create failed'))?.details,
    ).toMatchObject({
      status: -1,
      code: 'TimeoutError',
    });
  });

  it('returns the one channel to two instances that raced to create it', async () => {
    // The first instance's POST is held back so both look up (nothing) before either creates.
    sandbox.injectFaults({ method: 'POST', path: channelsPath }, [{ delayMs: 150 }]);
    const [a, b] = await Promise.all([
      teamspace().createChannel(channelSpec()),
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => teamspace().createChannel(channelSpec())),
    ]);

    expect(a).toEqual(b);
    expect(reviewChannels()).toHaveLength(1);
    // The loser was told the name is taken (Graph's 400) and looked the channel up instead.
    const creates = posts(sandbox.requests, channelsPath);
    expect(creates.map((request) => request.status).sort()).toEqual([201, 400]);
    // Same body both times: the 400 was the duplicate name, not a body Graph could not read.
    expect(creates[0].body).toEqual(creates[1].body);
  });

  it('refuses a channel name over Graph’s 50-character limit before calling Graph', async () => {
    await expect(teamspace().createChannel(channelSpec('R'.repeat(51)))).rejects.toThrow(/at most 50/);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('retries a lookup that got no answer in time', async () => {
    await teamspace().createChannel(channelSpec());
    sandbox.injectFaults({ method: 'GET', path: channelsPath.source.replace('$', '\\?') }, [
      { delayMs: 300 },
    ]);
    const found = await teamspace({ requestTimeoutMs: 100 }).findChannel(teamId, 'RR-2026-003');

    expect(found).toEqual({ id: reviewChannels()[0].id });
    // The abandoned GET is still answered later; wait for it so it does not land in the next test.
    await waitFor(() => sandbox.requests.filter((request) => request.method === 'GET').length === 3);
    expect(
      log.some((line) => line.message === 'graph: retrying' && line.details.failure === 'TimeoutError'),
    ).toBe(true);
  });
});

describe('people and members', () => {
  const emails = representatives.map((person) => person.email as string);
  const ids = representatives.map((person) => person.aadObjectId as string);

  it('finds people by e-mail, guests included, in one round trip, and leaves out who is not there', async () => {
    const found = await teamspace().resolvePeople([...emails, 'Nobody@Nowhere.example']);

    expect([...found.keys()].sort()).toEqual([...emails].sort());
    expect(found.get('police.rep@police.example')).toEqual({
      aadObjectId: representatives[0].aadObjectId,
      userType: 'Guest',
    });
    // Both look-ups (by mail, then by sign-in name for whoever is left) travel as $batch requests.
    expect(sandbox.requests.filter((request) => !request.batched).map((request) => request.path)).toEqual([
      '/v1.0/$batch',
      '/v1.0/$batch',
    ]);
    expectEveryBodyAccepted();
  });

  it('finds someone picked by object id with their own e-mail, and answers undefined for an unknown id', async () => {
    expect(await teamspace().findPersonById(representatives[0].aadObjectId as string)).toEqual({
      aadObjectId: representatives[0].aadObjectId,
      name: 'Police Rep',
      email: 'police.rep@police.example',
      userType: 'Guest',
    });
    expect(await teamspace().findPersonById('a0000000-0000-4000-8000-00000000ffff')).toBeUndefined();
  });

  it('splits a long list into filters of at most fifteen values, still in one batch', async () => {
    const many = Array.from({ length: 40 }, (_, index) => `person${index}@partnership.example`);
    const found = await teamspace().resolvePeople([...many, ...emails]);

    expect(found.size).toBe(emails.length);
    const lookups = sandbox.requests.filter((request) => request.batched && request.method === 'GET');
    expect(lookups.every((request) => request.status === 200)).toBe(true);
    // By mail: 44 addresses in three filters; by sign-in name: the 40 left over, in three more.
    expect(lookups).toHaveLength(6);
  });

  it('adds people to the team in bulk, once however often it is asked', async () => {
    const graph = teamspace();
    expect((await graph.addTeamMembers(teamId, ids)).failed.size).toBe(0);
    expect((await graph.addTeamMembers(teamId, ids)).failed.size).toBe(0);

    expect(sandbox.teamMembers(teamId).map((member) => member.userId)).toEqual(expect.arrayContaining(ids));
    expect(posts(sandbox.requests, /\/members\/add$/)).toHaveLength(2);
  });

  it('cannot add to a private channel anyone not yet in the team, and says who', async () => {
    const graph = teamspace();
    const channel = await graph.createChannel(channelSpec());
    await graph.enableAppInChannel(teamId, channel.id, teamsAppId, 'private');
    const result = await graph.addChannelMembers(teamId, channel.id, [ids[0]]);

    expect([...result.failed.keys()]).toEqual([ids[0]]);
    expect(sandbox.state.members[channel.id].map((member) => member.userId)).toEqual([chair.aadObjectId]);
  });

  it('adds team members to the channel in a batch, once however often it is asked', async () => {
    const graph = teamspace();
    await graph.addTeamMembers(teamId, ids);
    const channel = await graph.createChannel(channelSpec());
    await graph.enableAppInChannel(teamId, channel.id, teamsAppId, 'private');
    expect((await graph.addChannelMembers(teamId, channel.id, ids)).failed.size).toBe(0);
    // Everyone is there already: Graph's "already a member" counts as done.
    expect((await graph.addChannelMembers(teamId, channel.id, [...ids, chair.aadObjectId])).failed.size).toBe(
      0,
    );

    expect(sandbox.state.members[channel.id].map((member) => member.userId).sort()).toEqual(
      [chair.aadObjectId, ...ids].sort(),
    );
    expectEveryBodyAccepted();
  });

  it('fails the call, naming no one, when Graph fails on its side for one person in the batch', async () => {
    const graph = teamspace();
    await graph.addTeamMembers(teamId, ids);
    const channel = await graph.createChannel(channelSpec());
    await graph.enableAppInChannel(teamId, channel.id, teamsAppId, 'private');
    // The second step fails after Graph made the change; the first fails before.
    sandbox.injectFaults({ method: 'POST', path: /\/channels\/[^/]+\/members$/ }, [
      { status: 500 },
      { status: 500, landed: true },
    ]);
    const failure = await graph.addChannelMembers(teamId, channel.id, ids).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphCallError);
    expect((failure as GraphCallError).mayHaveLanded).toBe(true);
    // Asked again, everyone ends up in the channel once.
    expect((await graph.addChannelMembers(teamId, channel.id, ids)).failed.size).toBe(0);
    expect(sandbox.state.members[channel.id].map((member) => member.userId).sort()).toEqual(
      [chair.aadObjectId, ...ids].sort(),
    );
  });

  it('enables the app in a private channel through beta, the only version that allows it', async () => {
    const graph = teamspace();
    const channel = await graph.createChannel(channelSpec());
    expect(sandbox.appEnabledInChannel(channel.id)).toBe(false);

    await graph.enableAppInChannel(teamId, channel.id, teamsAppId, 'private');
    await graph.enableAppInChannel(teamId, channel.id, teamsAppId, 'private');

    expect(sandbox.appEnabledInChannel(channel.id)).toBe(true);
    const enables = sandbox.requests.filter((request) => /enabledApps/.test(request.path));
    expect(enables.map((request) => request.path.split('/')[1])).toEqual(['beta', 'beta']);
  });

  it('fails with an error that names the operation but not the person', async () => {
    const failure = await teamspace()
      .addTeamMembers('0a000000-0000-4000-8000-00000000ffff', [ids[1]])
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GraphCallError);
    const error = failure as GraphCallError;
    expect(error.message).toBe('Graph POST /teams/{teamId}/members/add failed: 404 NotFound');
    expect(error.message).not.toContain('Council');
    expect(error.message).not.toContain('council.example');
  });

  it('measures the requests one opened review costs, and what a resumed one costs', async () => {
    const open = async (): Promise<number> => {
      const before = sandbox.requests.filter((request) => !request.batched).length;
      const graph = teamspace();
      const found = await graph.resolvePeople(emails);
      const people = [...found.values()].map((entry) => entry.aadObjectId);
      await graph.addTeamMembers(teamId, people);
      const channel = await graph.createChannel(channelSpec());
      await graph.enableAppInChannel(teamId, channel.id, teamsAppId, 'private');
      await graph.addChannelMembers(teamId, channel.id, people);
      return sandbox.requests.filter((request) => !request.batched).length - before;
    };
    const first = await open();
    // One batch of look-ups, one bulk team add, the channel look-up and create, the enable, one batch of channel adds.
    expect(first).toBe(6);
    const resumed = await open();
    // Resumed from the start: the channel is found, not created; everyone is a member already.
    expect(resumed).toBe(5);
    expect(reviewChannels()).toHaveLength(1);
    expect(sandbox.state.members[reviewChannels()[0].id]).toHaveLength(1 + representatives.length);
    expectEveryBodyAccepted();
    process.stdout.write(
      `graph HTTP requests per opened review (${representatives.length} members): ${first}; resumed: ${resumed}\n`,
    );
  });
});

describe('calendars', () => {
  const windowStart = '2026-12-01T00:00:00.000Z';
  const windowEnd = '2026-12-04T00:00:00.000Z';

  it('maps getSchedule into busy blocks in UTC, asking at most 20 schedules at a time', async () => {
    sandbox.setBusy('police.rep@police.example', [
      { start: '2026-12-01T09:00:00Z', end: '2026-12-01T10:30:00Z' },
      { start: '2026-12-02T13:00:00Z', end: '2026-12-02T14:00:00Z', status: 'tentative' },
    ]);
    sandbox.setBusy('la.rep@council.example', [
      { start: '2026-12-03T00:00:00Z', end: '2026-12-04T00:00:00Z', status: 'oof' },
    ]);
    const others = Array.from({ length: 23 }, (_, index) => `person${index}@partnership.example`);
    const emails = ['police.rep@police.example', 'la.rep@council.example', ...others];

    const schedules = await teamspace().getSchedules(organizer, emails, windowStart, windowEnd);

    expect(schedules.map((schedule) => schedule.scheduleId)).toEqual(emails);
    expect(schedules[0].busy).toEqual([
      { start: '2026-12-01T09:00:00.000Z', end: '2026-12-01T10:30:00.000Z', status: 'busy' },
      { start: '2026-12-02T13:00:00.000Z', end: '2026-12-02T14:00:00.000Z', status: 'tentative' },
    ]);
    expect(schedules[1].busy).toEqual([
      { start: '2026-12-03T00:00:00.000Z', end: '2026-12-04T00:00:00.000Z', status: 'oof' },
    ]);
    expect(schedules.slice(2).every((schedule) => schedule.busy.length === 0 && !schedule.error)).toBe(true);

    const calls = posts(sandbox.requests, /\/calendar\/getSchedule$/);
    expect(calls.map((call) => (call.body as { schedules: string[] }).schedules.length)).toEqual([
      schedulesPerRequest,
      emails.length - schedulesPerRequest,
    ]);
    expect(calls[0].body).toMatchObject({
      startTime: { dateTime: '2026-12-01T00:00:00.000', timeZone: 'UTC' },
      endTime: { dateTime: '2026-12-04T00:00:00.000', timeZone: 'UTC' },
      availabilityViewInterval: 15,
    });
    expectEveryBodyAccepted();
  });

  it('books the meeting once for a repeated transactionId, with a Teams link', async () => {
    const request = {
      organizer,
      subject: 'Rapid Review meeting RR-2026-003',
      start: '2026-12-02T10:00:00.000Z',
      end: '2026-12-02T11:30:00.000Z',
      attendees: representatives,
      transactionId: 'rr-2026-003-meeting-1',
    };
    const graph = teamspace();
    const first = await graph.createMeeting(request);
    const second = await teamspace().createMeeting(request);

    expect(second).toEqual(first);
    expect(first.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const events = sandbox.state.events[organizer];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: first.eventId,
      transactionId: 'rr-2026-003-meeting-1',
      isOnlineMeeting: true,
      start: { dateTime: '2026-12-02T10:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-12-02T11:30:00.0000000', timeZone: 'UTC' },
    });
    expect(events[0].attendees.map((attendee) => attendee.emailAddress.address)).toEqual(
      representatives.map((person) => person.email),
    );
    // The invitation now shows in an attendee's free/busy.
    const [police] = await graph.getSchedules(
      organizer,
      ['police.rep@police.example'],
      windowStart,
      windowEnd,
    );
    expect(police.busy).toEqual([
      { start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T11:30:00.000Z', status: 'tentative' },
    ]);
    expectEveryBodyAccepted();
  });

  it('moves and then cancels the meeting, and a repeated cancel is not an error', async () => {
    const graph = teamspace();
    const booked = await graph.createMeeting({
      organizer,
      subject: 'Rapid Review meeting RR-2026-003',
      start: '2026-12-02T10:00:00.000Z',
      end: '2026-12-02T11:00:00.000Z',
      attendees: representatives.slice(0, 2),
      transactionId: 'rr-2026-003-meeting-2',
    });
    await graph.updateMeeting(
      organizer,
      booked.eventId,
      '2026-12-03T14:00:00.000Z',
      '2026-12-03T15:00:00.000Z',
    );
    expect(sandbox.state.events[organizer][0]).toMatchObject({
      start: { dateTime: '2026-12-03T14:00:00.0000000' },
      end: { dateTime: '2026-12-03T15:00:00.0000000' },
    });

    await graph.cancelMeeting(organizer, booked.eventId, 'The meeting has moved; a new invitation follows.');
    await graph.cancelMeeting(organizer, booked.eventId, 'The meeting has moved; a new invitation follows.');

    expect(sandbox.state.events[organizer][0].isCancelled).toBe(true);
    expect(sandbox.state.cancellationComments[booked.eventId]).toBe(
      'The meeting has moved; a new invitation follows.',
    );
    const cancels = posts(sandbox.requests, /\/events\/[^/]+\/cancel$/);
    expect(cancels.map((request) => request.status)).toEqual([202, 404]);
    expectEveryBodyAccepted();
  });
});

describe('online meetings', () => {
  async function bookMeeting(graph: GraphTeamspace): Promise<{ eventId: string; joinUrl: string }> {
    return graph.createMeeting({
      organizer,
      subject: 'Rapid Review meeting RR-2026-003',
      start: '2026-12-02T10:00:00.000Z',
      end: '2026-12-02T11:30:00.000Z',
      attendees: representatives.slice(0, 3),
      transactionId: 'rr-2026-003-meeting-3',
    });
  }

  it('finds the online meeting from its join URL and reads every attendance report', async () => {
    const graph = teamspace();
    const booked = await bookMeeting(graph);
    const meeting = await graph.findOnlineMeeting(organizer, booked.joinUrl);

    const held = sandbox.state.onlineMeetings[organizer][0];
    expect(meeting).toEqual({ id: held.id, chatId: held.chatInfo.threadId });

    sandbox.addAttendanceReport(booked.joinUrl, [
      {
        emailAddress: 'police.rep@police.example',
        identity: { id: representatives[0].aadObjectId ?? '', displayName: 'Police Rep' },
        role: 'Attendee',
        attendanceIntervals: [
          { joinDateTime: '2026-12-02T10:01:00Z', leaveDateTime: '2026-12-02T10:41:00Z' },
          { joinDateTime: '2026-12-02T10:45:00Z', leaveDateTime: '2026-12-02T11:30:00Z' },
        ],
      },
    ]);
    sandbox.addAttendanceReport(booked.joinUrl, [
      {
        emailAddress: null,
        identity: { id: 'b0000000-0000-4000-8000-00000000000f', displayName: 'Dial-in guest' },
        role: 'Presenter',
        attendanceIntervals: [
          { joinDateTime: '2026-12-02T10:00:00Z', leaveDateTime: '2026-12-02T10:30:00Z' },
        ],
      },
    ]);

    const records = await graph.attendanceRecords(organizer, meeting?.id ?? '');
    expect(records).toEqual([
      {
        aadObjectId: representatives[0].aadObjectId,
        email: 'police.rep@police.example',
        name: 'Police Rep',
        role: 'Attendee',
        totalSeconds: 40 * 60 + 45 * 60,
        intervals: [
          { join: '2026-12-02T10:01:00.000Z', leave: '2026-12-02T10:41:00.000Z', seconds: 2400 },
          { join: '2026-12-02T10:45:00.000Z', leave: '2026-12-02T11:30:00.000Z', seconds: 2700 },
        ],
      },
      {
        aadObjectId: 'b0000000-0000-4000-8000-00000000000f',
        name: 'Dial-in guest',
        role: 'Presenter',
        totalSeconds: 1800,
        intervals: [{ join: '2026-12-02T10:00:00.000Z', leave: '2026-12-02T10:30:00.000Z', seconds: 1800 }],
      },
    ]);
    expectEveryBodyAccepted();
  });

  it('says plainly when the attendance report does not exist yet (Graph makes it a while after the end)', async () => {
    const graph = teamspace();
    const booked = await bookMeeting(graph);
    const meeting = await graph.findOnlineMeeting(organizer, booked.joinUrl);
    sandbox.addAttendanceReport(booked.joinUrl, []);
    const ended = Date.parse(sandbox.state.onlineMeetings[organizer][0].endDateTime);
    sandboxNow = new Date(ended + 60_000);
    try {
      const failure = await graph
        .attendanceRecords(organizer, meeting?.id ?? '')
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ status: 404 });
    } finally {
      sandboxNow = new Date('2027-01-04T12:00:00Z');
    }
  });

  it('answers no meeting for a join URL nobody booked, quotes and all', async () => {
    const graph = teamspace();
    await bookMeeting(graph);
    // A quote in the URL must be doubled inside the OData literal or Graph rejects the filter.
    const found = await graph.findOnlineMeeting(
      organizer,
      "https://teams.microsoft.com/l/meetup-join/it's-not-booked",
    );

    expect(found).toBeUndefined();
    expect(
      sandbox.requests.filter((request) => request.method === 'GET').map((request) => request.status),
    ).toEqual([200, 200]);
    // The first GET finds the organiser's object id: online meetings are looked up by id only.
    expect(sandbox.requests[sandbox.requests.length - 2].path).toMatch(
      /^\/v1\.0\/users\/[^/]+\?\$select=id$/,
    );
  });

  it('installs the bot in the meeting chat once, however often it is asked', async () => {
    const graph = teamspace();
    const booked = await bookMeeting(graph);
    const meeting = await graph.findOnlineMeeting(organizer, booked.joinUrl);
    const chatId = meeting?.chatId ?? '';
    const catalogId = 'c0ffee00-0000-4000-8000-000000000abc';

    await graph.installAppInChat(chatId, catalogId);
    await graph.installAppInChat(chatId, catalogId);

    expect(sandbox.state.installedApps[chatId]).toEqual([expect.objectContaining({ teamsAppId: catalogId })]);
    expect(posts(sandbox.requests, /\/installedApps$/).map((request) => request.status)).toEqual([201, 409]);
    expectEveryBodyAccepted();
  });
});
