/**
 * The answers the local sandbox never gives (per-schedule errors, paged lists, a lost time-zone
 * header), played to GraphTeamspace through a scripted last link of the client's chain.
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { createGraphClientWith } from './graphClient';
import { GraphCallError } from './graphCallError';
import { GraphTeamspace, odataString } from './graphTeamspace';

interface Exchange {
  method: string;
  url: string;
  body: unknown;
}

type Answer = { status: number; body?: unknown };

function scriptedGraph(answer: (exchange: Exchange) => Answer): { graph: GraphTeamspace; sent: Exchange[] } {
  const sent: Exchange[] = [];
  const transport: Middleware = {
    async execute(context: Context): Promise<void> {
      const url = typeof context.request === 'string' ? context.request : context.request.url;
      const text = context.options?.body;
      const exchange = {
        method: context.options?.method ?? 'GET',
        url: decodeURIComponent(url),
        body: typeof text === 'string' ? (JSON.parse(text) as unknown) : undefined,
      };
      sent.push(exchange);
      const { status, body } = answer(exchange);
      context.response = new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    },
  };
  const client = createGraphClientWith({ baseUrl: 'http://127.0.0.1:9/v1.0', transport, maxRetries: 0 });
  return { graph: new GraphTeamspace(client, undefined, { lookupAttempts: 2, lookupDelayMs: 1 }), sent };
}

const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });

describe('getSchedules', () => {
  it('reports a calendar that could not be read, and one Graph left out, without failing the rest', async () => {
    const { graph } = scriptedGraph(() => ({
      status: 200,
      body: {
        value: [
          {
            scheduleId: 'known@partnership.example',
            scheduleItems: [
              {
                status: 'busy',
                start: utc('2026-12-01T09:00:00.0000000'),
                end: utc('2026-12-01T09:30:00.0000000'),
              },
              {
                status: 'somethingNew',
                start: utc('2026-12-01T11:00:00.0000000'),
                end: utc('2026-12-01T12:00:00.0000000'),
              },
            ],
          },
          {
            scheduleId: 'gone@partnership.example',
            error: { message: 'The mailbox was not found.', responseCode: 'ErrorMailRecipientNotFound' },
          },
        ],
      },
    }));

    const schedules = await graph.getSchedules(
      'organiser@partnership.example',
      ['known@partnership.example', 'gone@partnership.example', 'missing@partnership.example'],
      '2026-12-01T00:00:00.000Z',
      '2026-12-02T00:00:00.000Z',
    );

    expect(schedules).toEqual([
      {
        scheduleId: 'known@partnership.example',
        busy: [
          { start: '2026-12-01T09:00:00.000Z', end: '2026-12-01T09:30:00.000Z', status: 'busy' },
          // A status Graph adds later is treated as unknown, which the slot finder counts as busy.
          { start: '2026-12-01T11:00:00.000Z', end: '2026-12-01T12:00:00.000Z', status: 'unknown' },
        ],
      },
      { scheduleId: 'gone@partnership.example', busy: [], error: 'ErrorMailRecipientNotFound' },
      { scheduleId: 'missing@partnership.example', busy: [], error: 'NotReturned' },
    ]);
  });

  it('refuses times in another zone rather than misplace them by an hour', async () => {
    const { graph } = scriptedGraph(() => ({
      status: 200,
      body: {
        value: [
          {
            scheduleId: 'known@partnership.example',
            scheduleItems: [
              {
                status: 'busy',
                start: { dateTime: '2026-07-01T09:00:00.0000000', timeZone: 'GMT Standard Time' },
                end: { dateTime: '2026-07-01T10:00:00.0000000', timeZone: 'GMT Standard Time' },
              },
            ],
          },
        ],
      },
    }));

    await expect(
      graph.getSchedules(
        'organiser@partnership.example',
        ['known@partnership.example'],
        '2026-07-01T00:00:00.000Z',
        '2026-07-02T00:00:00.000Z',
      ),
    ).rejects.toMatchObject({ code: 'UnexpectedTimeZone' });
  });
});

describe('attendanceRecords', () => {
  it('follows nextLink through every page of reports and records', async () => {
    const record = (id: string, seconds: number) => ({
      id,
      emailAddress: `${id}@partnership.example`,
      identity: { id, displayName: id },
      role: 'Attendee',
      totalAttendanceInSeconds: seconds,
      attendanceIntervals: [],
    });
    const { graph, sent } = scriptedGraph(({ url }) => {
      const path = new URL(url).pathname + new URL(url).search;
      if (path.endsWith('/attendanceReports'))
        return {
          status: 200,
          body: {
            value: [{ id: 'r1' }],
            '@odata.nextLink':
              'https://graph.microsoft.com/v1.0/users/0a000000-0000-4000-8000-0000000000ff/onlineMeetings/m1/attendanceReports?$skiptoken=2',
          },
        };
      if (path.endsWith('/attendanceReports?$skiptoken=2'))
        return { status: 200, body: { value: [{ id: 'r2' }] } };
      if (path.endsWith('/r1/attendanceRecords'))
        return {
          status: 200,
          body: {
            value: [record('a', 60)],
            '@odata.nextLink':
              'https://graph.microsoft.com/v1.0/users/0a000000-0000-4000-8000-0000000000ff/onlineMeetings/m1/attendanceReports/r1/attendanceRecords?$skiptoken=x',
          },
        };
      if (path.endsWith('/r1/attendanceRecords?$skiptoken=x'))
        return { status: 200, body: { value: [record('b', 120)] } };
      if (path.endsWith('/r2/attendanceRecords')) return { status: 200, body: { value: [record('c', 180)] } };
      return { status: 404, body: { error: { code: 'NotFound', message: path } } };
    });

    const records = await graph.attendanceRecords('0a000000-0000-4000-8000-0000000000ff', 'm1');

    expect(records.map((item) => [item.aadObjectId, item.totalSeconds])).toEqual([
      ['a', 60],
      ['b', 120],
      ['c', 180],
    ]);
    // The pages were fetched from the client's own root, not Graph's public host in the nextLink.
    expect(sent.every((exchange) => exchange.url.startsWith('http://127.0.0.1:9/v1.0/'))).toBe(true);
  });
});

describe('createChannel', () => {
  const spec = {
    teamId: 't1',
    displayName: 'RR-2026-009',
    description: 'Rapid Review RR-2026-009',
    membershipType: 'private' as const,
    owner: { name: 'Chair Person', aadObjectId: 'a1' },
  };

  it('fails when Graph says the name is taken but the channel never shows up', async () => {
    const { graph, sent } = scriptedGraph(({ method }) =>
      method === 'GET'
        ? { status: 200, body: { value: [] } }
        : {
            status: 409,
            body: { error: { code: 'NameAlreadyExists', message: 'Channel RR-2026-009 exists' } },
          },
    );

    const failure = await graph.createChannel(spec).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GraphCallError);
    expect((failure as GraphCallError).message).toBe(
      'Graph POST /teams/{teamId}/channels failed: 409 NameAlreadyExists',
    );
    // One look-up before creating, then the settled look-ups after the conflict.
    expect(sent.map((exchange) => exchange.method)).toEqual(['GET', 'POST', 'GET', 'GET']);
  });

  it('does not look again after a refusal that cannot mean the channel exists', async () => {
    const { graph, sent } = scriptedGraph(({ method }) =>
      method === 'GET'
        ? { status: 200, body: { value: [] } }
        : { status: 403, body: { error: { code: 'Forbidden', message: 'Missing role' } } },
    );

    await expect(graph.createChannel(spec)).rejects.toMatchObject({ status: 403, code: 'Forbidden' });
    expect(sent.map((exchange) => exchange.method)).toEqual(['GET', 'POST']);
  });
});

describe('odataString', () => {
  it('doubles single quotes', () => {
    expect(odataString("O'Neill's")).toBe("'O''Neill''s'");
  });
});
