// A local stand-in for Microsoft Graph v1.0, covering the calls the bot makes (channels, members,
// free/busy, meetings, attendance, apps in meeting chats). Every request body is checked against
// Microsoft's Graph metadata first, so a body Graph would refuse is refused here too. Faults (429,
// 503, slow answers) can be queued to exercise the bot's retry path; requests can be logged to a file.
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadGraphCsdl } from './csdlCheck';
import { ianaZone } from './freeBusy';
import {
  AttendanceRecordSeed,
  BusyBlock,
  GraphError,
  GraphSandboxState,
  SandboxAttendanceReport,
  SandboxTenant,
} from './sandboxTenant';

export type {
  AttendanceRecordSeed,
  BusyBlock,
  GraphSandboxState,
  SandboxAttendanceReport,
  SandboxAppInstallation,
  SandboxChannel,
  SandboxEvent,
  SandboxMember,
  SandboxOnlineMeeting,
} from './sandboxTenant';

/**
 * One queued failure. `status` answers with that status (429 and 503 are Graph's throttling and
 * overload answers) and a Retry-After header when `retryAfterSeconds` is given; `delayMs` holds the
 * answer back first. A fault with only `delayMs` is a slow but otherwise normal answer.
 */
export type Fault = { status: number; retryAfterSeconds?: number; delayMs?: number } | { delayMs: number };

export interface FaultMatch {
  /** HTTP method; any when left out. */
  method?: string;
  /** Tested against the request path with its query string, e.g. /\/teams\/.+\/channels$/. */
  path: RegExp | string;
}

export interface SandboxRequest {
  method: string;
  /** Path and query string as the client sent them, e.g. '/v1.0/teams/t1/channels'. */
  path: string;
  body: unknown;
  status: number;
}

export interface GraphSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Appends one JSON line {"method","path","body"} per Graph request. */
  logFile?: string;
  /** Channel ids handed out in order by POST .../channels before random ones are made up. */
  channelIds?: string[];
}

export interface GraphSandbox {
  /** Graph's root for this sandbox, e.g. 'http://127.0.0.1:PORT/v1.0'. */
  readonly url: string;
  close(): Promise<void>;
  /** The next requests matching `match` get `faults`, one each, in order. */
  injectFaults(match: FaultMatch, faults: Fault[]): void;
  /** Replaces the busy time seeded for a user (by email or id); meetings booked through the sandbox add their own. */
  setBusy(userEmailOrId: string, blocks: BusyBlock[]): void;
  /** Gives the meeting with this join URL an attendance report (as Graph does once a meeting ends). */
  addAttendanceReport(
    joinWebUrl: string,
    records: AttendanceRecordSeed[],
    times?: { meetingStartDateTime?: string; meetingEndDateTime?: string },
  ): SandboxAttendanceReport;
  /** A snapshot copy: channels by team, members by channel, events by user, installed apps by chat. */
  readonly state: GraphSandboxState;
  /** Every Graph request so far (control calls excluded), with the status it got. */
  readonly requests: readonly SandboxRequest[];
  /** Empties the tenant, the fault queue and the request list; spare channel ids are handed out afresh. */
  reset(): void;
}

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: Json;
  /** Time zone for event and schedule times in answers (Prefer: outlook.timezone, else UTC). */
  zone: string;
}

type BodyCheck = { entity: string } | { action: string; binding: string };

interface Route {
  method: string;
  pattern: RegExp;
  check?: BodyCheck;
  handle(tenant: SandboxTenant, context: RouteContext): Reply;
}

const SEGMENT = '([^/]+)';

function route(method: string, path: string, handle: Route['handle'], check?: BodyCheck): Route {
  // Graph treats path segment names without regard to case (/Teams/ works as /teams/).
  const pattern = new RegExp(`^${path.replace(/\{[a-z]+\}/gi, SEGMENT)}$`, 'i');
  return { method, pattern, handle, check };
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const list = (value: unknown[]): Reply => ({ status: 200, body: { value } });

const ROUTES: Route[] = [
  route(
    'POST',
    '/teams/{team}/channels',
    (tenant, { params, body }) => ({ status: 201, body: tenant.createChannel(params[0], body) }),
    { entity: 'microsoft.graph.channel' },
  ),
  route('GET', '/teams/{team}/channels', (tenant, { params, query }) =>
    list(tenant.listChannels(params[0], query.get('$filter') ?? undefined)),
  ),
  route('GET', '/teams/{team}/channels/{channel}', (tenant, { params }) =>
    ok(tenant.getChannel(params[0], params[1])),
  ),
  route(
    'POST',
    '/teams/{team}/channels/{channel}/members',
    (tenant, { params, body }) => ({
      status: 201,
      body: tenant.addChannelMember(params[0], params[1], body),
    }),
    { entity: 'microsoft.graph.conversationMember' },
  ),
  route('GET', '/teams/{team}/channels/{channel}/members', (tenant, { params }) =>
    list(tenant.listChannelMembers(params[0], params[1])),
  ),
  route(
    'POST',
    '/users/{user}/calendar/getSchedule',
    (tenant, { body, zone }) => ok(tenant.getSchedule(body, zone)),
    {
      action: 'microsoft.graph.getSchedule',
      binding: 'microsoft.graph.calendar',
    },
  ),
  route(
    'POST',
    '/users/{user}/events',
    (tenant, { params, body, zone }) => ({
      status: 201,
      body: tenant.renderEvent(tenant.createEvent(params[0], body).event, zone),
    }),
    { entity: 'microsoft.graph.event' },
  ),
  route('GET', '/users/{user}/events/{event}', (tenant, { params, zone }) =>
    ok(tenant.renderEvent(tenant.getEvent(params[0], params[1]), zone)),
  ),
  route(
    'PATCH',
    '/users/{user}/events/{event}',
    (tenant, { params, body, zone }) =>
      ok(tenant.renderEvent(tenant.updateEvent(params[0], params[1], body), zone)),
    { entity: 'microsoft.graph.event' },
  ),
  route('DELETE', '/users/{user}/events/{event}', (tenant, { params }) => {
    tenant.deleteEvent(params[0], params[1]);
    return { status: 204 };
  }),
  route(
    'POST',
    '/users/{user}/events/{event}/cancel',
    (tenant, { params, body }) => {
      tenant.cancelEvent(params[0], params[1], body);
      return { status: 202 };
    },
    { action: 'microsoft.graph.cancel', binding: 'microsoft.graph.event' },
  ),
  route('GET', '/users/{user}/onlineMeetings', (tenant, { params, query }) =>
    list(tenant.findOnlineMeetings(params[0], query.get('$filter') ?? undefined)),
  ),
  route('GET', '/users/{user}/onlineMeetings/{meeting}', (tenant, { params }) =>
    ok(tenant.getOnlineMeeting(params[0], params[1])),
  ),
  route('GET', '/users/{user}/onlineMeetings/{meeting}/attendanceReports', (tenant, { params }) =>
    list(tenant.listAttendanceReports(params[0], params[1])),
  ),
  route(
    'GET',
    '/users/{user}/onlineMeetings/{meeting}/attendanceReports/{report}',
    (tenant, { params, query }) => {
      const { attendanceRecords, ...report } = tenant.getAttendanceReport(params[0], params[1], params[2]);
      const expand = (query.get('$expand') ?? '').split(',').map((part) => part.trim());
      return ok(expand.includes('attendanceRecords') ? { ...report, attendanceRecords } : report);
    },
  ),
  route(
    'GET',
    '/users/{user}/onlineMeetings/{meeting}/attendanceReports/{report}/attendanceRecords',
    (tenant, { params }) =>
      list(tenant.getAttendanceReport(params[0], params[1], params[2]).attendanceRecords),
  ),
  route(
    'POST',
    '/chats/{chat}/installedApps',
    (tenant, { params, body }) => {
      tenant.installApp(params[0], body);
      // Graph answers 201 Created with no body here.
      return { status: 201 };
    },
    { entity: 'microsoft.graph.teamsAppInstallation' },
  ),
  route('GET', '/chats/{chat}/installedApps', (tenant, { params }) =>
    list(
      tenant.listInstalledApps(params[0]).map((app) => ({
        id: app.id,
        teamsApp: { id: app.teamsAppId, externalId: null, displayName: null },
      })),
    ),
  ),
];

const FAULT_CODES: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const MAX_BODY_BYTES = 5 * 1024 * 1024;

const faultSchema = z.union([
  z.object({
    status: z.number().int().min(100).max(599),
    retryAfterSeconds: z.number().min(0).optional(),
    delayMs: z.number().min(0).optional(),
  }),
  z.object({ delayMs: z.number().min(0) }),
]);

const controlSchemas = {
  faults: z.object({ method: z.string().optional(), path: z.string(), faults: z.array(faultSchema).min(1) }),
  busy: z.object({
    user: z.string().min(1),
    blocks: z.array(
      z.object({
        start: z.string(),
        end: z.string(),
        status: z.enum(['busy', 'tentative', 'oof']).optional(),
      }),
    ),
  }),
  attendanceReports: z.object({
    joinWebUrl: z.string().min(1),
    meetingStartDateTime: z.string().optional(),
    meetingEndDateTime: z.string().optional(),
    records: z.array(
      z.object({
        id: z.string().optional(),
        emailAddress: z.string().nullable().optional(),
        identity: z.object({
          id: z.string(),
          displayName: z.string().nullable().optional(),
          tenantId: z.string().nullable().optional(),
        }),
        role: z.string().optional(),
        totalAttendanceInSeconds: z.number().int().optional(),
        attendanceIntervals: z.array(
          z.object({
            joinDateTime: z.string(),
            leaveDateTime: z.string(),
            durationInSeconds: z.number().int().optional(),
          }),
        ),
      }),
    ),
  }),
};

interface QueuedFaults {
  method?: string;
  pattern: RegExp;
  faults: Fault[];
}

function graphError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  target?: string,
): Reply {
  return {
    status,
    body: {
      error: {
        code,
        message,
        ...(target === undefined ? {} : { target }),
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
  };
}

function preferredZone(prefer: string | undefined): string {
  const match = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(prefer ?? '');
  return match && ianaZone(match[1]) ? match[1] : 'UTC';
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

class GraphSandboxServer implements GraphSandbox {
  url = '';
  private tenant: SandboxTenant;
  private faultQueue: QueuedFaults[] = [];
  private log: SandboxRequest[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly server: http.Server;

  constructor(private readonly options: GraphSandboxOptions) {
    this.tenant = new SandboxTenant({ channelIds: options.channelIds });
    this.server = http.createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          this.send(response, graphError(500, 'InternalServerError', String(error), randomUUID()));
        } else {
          response.destroy();
        }
      });
    });
  }

  get state(): GraphSandboxState {
    return this.tenant.view();
  }

  get requests(): readonly SandboxRequest[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  injectFaults(match: FaultMatch, faults: Fault[]): void {
    const source = typeof match.path === 'string' ? new RegExp(match.path) : match.path;
    // A global or sticky regex keeps lastIndex between tests; a fresh copy without those flags does not.
    const pattern = new RegExp(source.source, source.flags.replace(/[gy]/g, ''));
    this.faultQueue.push({ method: match.method?.toUpperCase(), pattern, faults: [...faults] });
  }

  setBusy(userEmailOrId: string, blocks: BusyBlock[]): void {
    this.tenant.setBusy(userEmailOrId, blocks);
  }

  addAttendanceReport(
    joinWebUrl: string,
    records: AttendanceRecordSeed[],
    times?: { meetingStartDateTime?: string; meetingEndDateTime?: string },
  ): SandboxAttendanceReport {
    const report = this.tenant.addAttendanceReport(joinWebUrl, records, times);
    // Seeds are held to Graph's own attendanceRecord type so the bot never reads a shape Graph cannot send.
    const graph = loadGraphCsdl();
    for (const [index, record] of report.attendanceRecords.entries()) {
      const problem = graph.checkInstance('microsoft.graph.attendanceRecord', record);
      if (problem) throw new Error(`Attendance record ${index}: ${problem.message} (at ${problem.target})`);
    }
    return structuredClone(report);
  }

  reset(): void {
    this.tenant = new SandboxTenant({ channelIds: this.options.channelIds });
    this.faultQueue = [];
    this.log = [];
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private send(response: http.ServerResponse, reply: Reply, requestId?: string): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (requestId) headers['request-id'] = requestId;
    if (reply.body === undefined) {
      response.writeHead(reply.status, { ...headers, 'content-length': '0' });
      response.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json; odata.metadata=minimal; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    response.end(text);
  }

  private nextFault(method: string, path: string): Fault | undefined {
    const index = this.faultQueue.findIndex(
      (entry) => (entry.method === undefined || entry.method === method) && entry.pattern.test(path),
    );
    if (index < 0) return undefined;
    const entry = this.faultQueue[index];
    const fault = entry.faults.shift();
    if (entry.faults.length === 0) this.faultQueue.splice(index, 1);
    return fault;
  }

  private async serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const rawPath = request.url ?? '/';
    const url = new URL(rawPath, 'http://sandbox.invalid');
    const text = await readBody(request);

    if (url.pathname.startsWith('/_sandbox/')) {
      this.send(response, this.control(method, url.pathname.slice('/_sandbox/'.length), text));
      return;
    }

    const clientRequestId = request.headers['client-request-id'];
    const requestId = typeof clientRequestId === 'string' && clientRequestId ? clientRequestId : randomUUID();
    let body: unknown = null;
    let unreadable = false;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
        unreadable = true;
      }
    }
    if (this.options.logFile) {
      fs.appendFileSync(this.options.logFile, `${JSON.stringify({ method, path: rawPath, body })}\n`);
    }

    const reply = await this.answer(
      method,
      url,
      body,
      unreadable,
      requestId,
      [request.headers.prefer ?? ''].flat().join(','),
    );
    this.log.push({ method, path: rawPath, body, status: reply.status });
    if (!response.destroyed) {
      this.send(
        response,
        { ...reply, headers: { ...reply.headers, 'client-request-id': requestId } },
        requestId,
      );
    }
  }

  private async answer(
    method: string,
    url: URL,
    body: unknown,
    unreadable: boolean,
    requestId: string,
    prefer: string | undefined,
  ): Promise<Reply> {
    const fault = this.nextFault(method, `${url.pathname}${url.search}`);
    if (fault) {
      if (fault.delayMs) await this.sleep(fault.delayMs);
      if ('status' in fault) {
        const reply = graphError(
          fault.status,
          FAULT_CODES[fault.status] ?? 'SandboxFault',
          `Fault injected by the Graph sandbox (${fault.status}).`,
          requestId,
        );
        if (fault.retryAfterSeconds !== undefined)
          reply.headers = { 'retry-after': String(fault.retryAfterSeconds) };
        return reply;
      }
    }

    if (!url.pathname.toLowerCase().startsWith('/v1.0/')) {
      return graphError(
        404,
        'NotFound',
        `The Graph sandbox serves only /v1.0/...; got ${url.pathname}`,
        requestId,
      );
    }
    const path = url.pathname.slice('/v1.0'.length);
    const matches = ROUTES.map((candidate) => ({ candidate, match: candidate.pattern.exec(path) })).filter(
      (entry) => entry.match !== null,
    );
    if (matches.length === 0) {
      return graphError(
        404,
        'NotFound',
        `The Graph sandbox has no route for ${method} ${url.pathname}`,
        requestId,
      );
    }
    const found = matches.find((entry) => entry.candidate.method === method);
    if (!found || !found.match) {
      return graphError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`, requestId);
    }
    if (unreadable) {
      return graphError(
        400,
        'BadRequest',
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
        requestId,
      );
    }
    const { candidate, match } = found;
    const payload = body ?? {};
    if (candidate.check) {
      const graph = loadGraphCsdl();
      const problem =
        'entity' in candidate.check
          ? graph.checkInstance(candidate.check.entity, payload)
          : graph.checkActionBody(candidate.check.action, candidate.check.binding, payload);
      if (problem) return graphError(400, 'BadRequest', problem.message, requestId, problem.target);
    }
    try {
      const params = match.slice(1).map((segment) => decodeURIComponent(segment));
      return candidate.handle(this.tenant, {
        params,
        query: url.searchParams,
        body: payload as Json,
        zone: preferredZone(prefer),
      });
    } catch (error) {
      if (error instanceof GraphError) {
        return graphError(error.status, error.code, error.message, requestId, error.target);
      }
      throw error;
    }
  }

  private control(method: string, action: string, text: string): Reply {
    const fail = (message: string): Reply => ({
      status: 400,
      body: { error: { code: 'SandboxControlError', message } },
    });
    let body: unknown = {};
    try {
      body = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      return fail('Control bodies are JSON');
    }
    try {
      switch (`${method} ${action}`) {
        case 'POST faults': {
          const parsed = controlSchemas.faults.parse(body);
          this.injectFaults({ method: parsed.method, path: parsed.path }, parsed.faults);
          return { status: 204 };
        }
        case 'POST busy': {
          const parsed = controlSchemas.busy.parse(body);
          this.setBusy(parsed.user, parsed.blocks);
          return { status: 204 };
        }
        case 'POST attendanceReports': {
          const { joinWebUrl, records, ...times } = controlSchemas.attendanceReports.parse(body);
          return { status: 201, body: this.addAttendanceReport(joinWebUrl, records, times) };
        }
        case 'POST reset':
          this.reset();
          return { status: 204 };
        case 'GET state':
          return ok(this.state);
        case 'GET requests':
          return list([...this.requests]);
        default:
          return {
            status: 404,
            body: { error: { code: 'NotFound', message: `No control route ${method} /_sandbox/${action}` } },
          };
      }
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  }
}

export async function startGraphSandbox(options: GraphSandboxOptions = {}): Promise<GraphSandbox> {
  const sandbox = new GraphSandboxServer(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    sandbox.server.once('error', reject);
    sandbox.server.listen(options.port ?? 0, host, () => {
      sandbox.server.off('error', reject);
      resolve();
    });
  });
  const { port } = sandbox.server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  sandbox.url = `http://${shownHost}:${port}/v1.0`;
  return sandbox;
}
