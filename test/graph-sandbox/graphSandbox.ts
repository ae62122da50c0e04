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
import { ACCESS_POLICY, defaultGrants, rscNames, tokenRoles, unsignedToken } from './permissions';
import {
  AttendanceRecordSeed,
  BusyBlock,
  GraphError,
  GraphSandboxState,
  SandboxAttendanceReport,
  SandboxTeamSeed,
  SandboxTenant,
  SandboxUserSeed,
} from './sandboxTenant';
import { listUsers, selectUser } from './usersQuery';

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
  SandboxTeamSeed,
  SandboxTeamState,
  SandboxUserSeed,
} from './sandboxTenant';
export { ACCESS_POLICY } from './permissions';

/** What onAppEnabledInChannel hears after a successful POST .../enabledApps/$ref. */
export interface AppEnabledEvent {
  teamId: string;
  channelId: string;
  teamsAppId: string;
}

/**
 * One queued failure. `status` answers with that status (429 and 503 are Graph's throttling and
 * overload answers) and a Retry-After header when `retryAfterSeconds` is given; `delayMs` holds the
 * answer back first. A fault with only `delayMs` is a slow but otherwise normal answer. `hang` never
 * answers: the connection stays open until the client gives up (or the sandbox closes).
 * `landed` carries the request out first and only then answers with the fault, as when Graph applied
 * a change but its answer was lost on the way (a gateway 504, a dropped connection): a client that
 * repeats such a call blindly makes a second channel or posts a second card.
 * Inside a $batch a hang is answered as that step's 504 (the batch itself still answers).
 */
export type Fault =
  | { status: number; retryAfterSeconds?: number; delayMs?: number; landed?: boolean }
  | { delayMs: number }
  | { hang: true; landed?: boolean };

/** Decides, request by request, whether a request fails (after any queued fault), e.g. at random. */
export type FaultPolicy = (request: { method: string; path: string; batched: boolean }) => Fault | undefined;

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
  /** One of the requests inside a POST /$batch (which is logged too, as one request). */
  batched?: boolean;
  /** The answer was an injected fault ('hang': none came); the request was carried out only if `landed`. */
  fault?: 'status' | 'hang';
  landed?: boolean;
}

export interface GraphSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Appends one JSON line {"method","path","body"} per Graph request. */
  logFile?: string;
  /** Channel ids handed out in order by POST .../channels before random ones are made up. */
  channelIds?: string[];
  /**
   * The permissions granted to the bot's app: application permission names, RSC names and the
   * pseudo-grant 'ApplicationAccessPolicy'. Default: everything in infra/graph-permissions.json plus the policy.
   */
  grants?: readonly string[];
  /** The tenant's people. /users, binds and calendars know only these. */
  directory?: SandboxUserSeed[];
  /** The tenant's teams. Any /teams/{id} call for another id answers 404. */
  teams?: SandboxTeamSeed[];
  /** The bot's Teams app catalog id (default 'rapid-review-app'). */
  teamsAppId?: string;
  /** The id of a person's 1:1 chat with the bot, once the app is installed for them (default Teams' form). */
  personalChatId?: (userId: string) => string;
  /** The sandbox's clock (default: real time). */
  now?: () => Date;
  /** How long after a meeting ends its attendance report appears (default 5 minutes). */
  attendanceReportDelayMs?: number;
  /** The bot's Entra app id: the clientId and clientAppId of its permission grants (default: a random GUID). */
  appId?: string;
  /** Called after the app is enabled in a channel (the harness then sends the bot Teams' install event). */
  onAppEnabledInChannel?: (event: AppEnabledEvent) => void;
  /**
   * What is posted in a channel, newest first: root messages, or one thread's replies when `threadId`
   * is given. Teams holds the messages, not Graph; the harness answers from its fake connector.
   * Without it a channel has no messages.
   */
  channelMessages?: (channelId: string, threadId?: string) => SandboxChannelMessage[];
}

/** A channel message as Graph's chatMessage carries it (the fields the bot reads). */
export interface SandboxChannelMessage {
  id: string;
  createdDateTime: string;
  body: { contentType: 'text' | 'html'; content: string };
  /** A card is an attachment whose content is the card's JSON as a string. */
  attachments: { id: string; contentType: string; content: string | null }[];
}

export interface GraphSandbox {
  /** Graph's root for this sandbox, e.g. 'http://127.0.0.1:PORT/v1.0'. */
  readonly url: string;
  close(): Promise<void>;
  /** The next requests matching `match` get `faults`, one each, in order. */
  injectFaults(match: FaultMatch, faults: Fault[]): void;
  /** Consulted for every request with no queued fault; undefined switches it off. */
  setFaultPolicy(policy: FaultPolicy | undefined): void;
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
  /** Empties the tenant (back to the seeded directory and teams), the fault queue and the request list. */
  reset(): void;
  /** Replaces the granted permissions. */
  setGrants(grants: readonly string[]): void;
  /** Takes one permission (or 'ApplicationAccessPolicy') away. */
  revoke(name: string): void;
  readonly grants: readonly string[];
  /** Adds people to the directory. */
  addUsers(users: SandboxUserSeed[]): void;
  /** Adds teams. */
  addTeams(teams: SandboxTeamSeed[]): void;
  /** true: the bot can work in the channel; false: it cannot; undefined: no such channel. */
  appEnabledInChannel(channelId: string): boolean | undefined;
  /**
   * true: the 1:1 chat is between a person and the bot, whose app is installed for them; false: the
   * app is not (or no longer) installed for them; undefined: no such chat.
   */
  personalChatOpen(chatId: string): boolean | undefined;
  /** The team's members (object ids and roles). */
  teamMembers(teamId: string): { userId: string; roles: string[] }[];
  /** The tenant id that tokens and members carry. */
  readonly tenantId: string;
  /** An unsigned token with the granted application permissions as roles. */
  token(): string;
}

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Injected: `hang` means no answer is sent at all. */
  fault?: 'status' | 'hang';
  landed?: boolean;
}

interface RouteContext {
  version: 'v1.0' | 'beta';
  channelMessages(channelId: string, threadId?: string): SandboxChannelMessage[];
  /** The grants that apply to this call (application ones, plus the team's RSC where the bot is installed). */
  grants: ReadonlySet<string>;
  clientAppId: string;
  onEnabled(event: AppEnabledEvent): void;
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
  /** Application (and resource-specific) permissions that allow the call, from Microsoft's table for it. */
  permissions: readonly string[];
  /** Also needs the Teams application access policy for the organiser. */
  accessPolicy?: boolean;
  /** A directory call: Graph answers a missing permission with Authorization_RequestDenied. */
  directory?: boolean;
  /** Served on /beta too (every other /beta path is 404). */
  beta?: boolean;
  check?: BodyCheck;
  handle(tenant: SandboxTenant, context: RouteContext): Reply;
}

const SEGMENT = '([^/]+)';

function route(
  method: string,
  path: string,
  permissions: readonly string[],
  handle: Route['handle'],
  check?: BodyCheck,
  extra: Pick<Route, 'accessPolicy' | 'directory' | 'beta'> = {},
): Route {
  // Graph treats path segment names without regard to case (/Teams/ works as /teams/).
  const pattern = new RegExp(`^${path.replace(/\{[a-z]+\}/gi, SEGMENT).replace(/\$/g, '\\$')}$`, 'i');
  return { method, pattern, permissions, handle, check, ...extra };
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const list = (value: unknown[]): Reply => ({ status: 200, body: { value } });

// Application permissions per call, least privileged first, from each API's page on learn.microsoft.com
// (https://learn.microsoft.com/graph/api/<page>); names ending .Group or .Chat are resource-specific (RSC).
const PERMISSIONS = {
  // channel-post
  createChannel: [
    'Channel.Create.Group',
    'Channel.Create',
    'Directory.ReadWrite.All',
    'Group.ReadWrite.All',
    'Teamwork.Migrate.All',
  ],
  // channel-list, channel-get: Channel.Create.Group is not among them.
  readChannels: [
    'ChannelSettings.Read.Group',
    'Channel.ReadBasic.All',
    'ChannelSettings.Read.All',
    'ChannelSettings.ReadWrite.All',
    'ChannelSettings.ReadWrite.Group',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
  ],
  // channel-post-members (conversationmember-add)
  addChannelMember: ['ChannelMember.ReadWrite.Group', 'ChannelMember.ReadWrite.All'],
  // channel-get-members / channel-list-members
  readChannelMembers: [
    'ChannelMember.Read.Group',
    'ChannelMember.Read.All',
    'ChannelMember.ReadWrite.All',
    'ChannelMember.ReadWrite.Group',
  ],
  // conversationmembers-add (team)
  addTeamMembers: ['TeamMember.ReadWriteNonOwnerRole.All', 'TeamMember.ReadWrite.All'],
  // team-list-members
  readTeamMembers: [
    'TeamMember.Read.Group',
    'TeamMember.Read.All',
    'TeamMember.ReadWrite.All',
    'TeamMember.ReadWriteNonOwnerRole.All',
  ],
  // channel-post-enabledapps
  enableApp: ['TeamsAppInstallation.ManageSelectedForTeam.All', 'TeamsAppInstallation.ReadWriteForTeam.All'],
  // channel-list-enabledapps
  readEnabledApps: [
    'TeamsAppInstallation.Read.Group',
    'TeamsAppInstallation.ManageSelectedForTeam.All',
    'TeamsAppInstallation.Read.All',
    'TeamsAppInstallation.ReadForTeam.All',
    'TeamsAppInstallation.ReadWriteForTeam.All',
  ],
  // team-list-permissiongrants
  readPermissionGrants: [
    'TeamsAppInstallation.Read.Group',
    'TeamsAppInstallation.ReadForTeam.All',
    'TeamsAppInstallation.ReadWriteSelfForTeam.All',
    'TeamsAppInstallation.ReadWriteForTeam.All',
    'TeamsApp.Read.Group',
  ],
  // calendar-getschedule, event-get
  readCalendar: ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'],
  // user-post-events, event-update, event-delete, event-cancel
  writeCalendar: ['Calendars.ReadWrite'],
  // onlinemeeting-get (with the application access policy)
  readMeetings: ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'],
  // meetingattendancereport-list/-get, attendancerecord-list (with the application access policy)
  readAttendance: ['OnlineMeetingArtifact.Read.All'],
  // chat-post-installedapps
  installInChat: [
    'TeamsAppInstallation.ReadWriteSelfForChat.All',
    'Chat.Manage.Chat',
    'TeamsAppInstallation.ManageSelectedForChat.All',
    'TeamsAppInstallation.ReadWriteAndConsentForChat.All',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All',
    'TeamsAppInstallation.ReadWriteForChat.All',
  ],
  // chat-list-installedapps
  readChatApps: [
    'TeamsAppInstallation.ReadSelfForChat.All',
    'TeamsAppInstallation.ReadForChat.All',
    'TeamsAppInstallation.ReadWriteSelfForChat.All',
    'TeamsAppInstallation.ReadWriteForChat.All',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All',
    'TeamsAppInstallation.ReadWriteAndConsentForChat.All',
    'TeamsAppInstallation.ManageSelectedForChat.All',
    'Chat.Manage.Chat',
  ],
  // channel-list-messages, chatmessage-list-replies: protected APIs (request access first).
  readChannelMessages: [
    'ChannelMessage.Read.Group',
    'ChannelMessage.Read.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
  ],
  // userteamwork-post-installedapps
  installForUser: [
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    'TeamsAppInstallation.ReadWriteForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentForUser.All',
    'TeamsAppInstallation.ManageSelectedForUser.All',
  ],
  // userteamwork-list-installedapps, userscopeteamsappinstallation-get-chat
  readUserApps: [
    'TeamsAppInstallation.ReadForUser.All',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    'TeamsAppInstallation.ReadWriteForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentForUser.All',
    'TeamsAppInstallation.ManageSelectedForUser.All',
  ],
  // user-list, user-get
  readUsers: [
    'User.ReadBasic.All',
    'User.Read.All',
    'User.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
} as const;

// chat-post-installedapps: these "cannot be used to install apps that require consent to resource-specific permissions".
const NO_RSC_CONSENT = new Set([
  'TeamsAppInstallation.ReadWriteSelfForChat.All',
  'TeamsAppInstallation.ReadWriteForChat.All',
]);

/**
 * One page of channel messages: "$top … Each page can extend to a maximum of 50 channel messages", and
 * no other query option but $expand is supported (channel-list-messages), so anything else is refused.
 */
function messagePage(messages: SandboxChannelMessage[], query: URLSearchParams): Reply {
  for (const name of query.keys()) {
    if (name !== '$top') throw new GraphError(400, 'BadRequest', `Query option '${name}' is not supported.`);
  }
  const topText = query.get('$top');
  const top = topText === null ? 20 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > 50) {
    throw new GraphError(400, 'BadRequest', `$top must be a whole number from 1 to 50 (got '${topText}').`);
  }
  return list(messages.slice(0, top));
}

const ROUTES: Route[] = [
  route(
    'GET',
    '/teams/{team}/channels/{channel}/messages',
    PERMISSIONS.readChannelMessages,
    (tenant, { params, query, channelMessages }) => {
      tenant.getChannel(params[0], params[1]);
      return messagePage(channelMessages(params[1]), query);
    },
  ),
  route(
    'GET',
    '/teams/{team}/channels/{channel}/messages/{message}/replies',
    PERMISSIONS.readChannelMessages,
    (tenant, { params, query, channelMessages }) => {
      tenant.getChannel(params[0], params[1]);
      if (!channelMessages(params[1]).some((m) => m.id === params[2])) {
        throw new GraphError(404, 'NotFound', `Message '${params[2]}' was not found in the channel.`);
      }
      return messagePage(channelMessages(params[1], params[2]), query);
    },
  ),
  route(
    'POST',
    '/teams/{team}/channels',
    PERMISSIONS.createChannel,
    (tenant, { params, body }) => ({ status: 201, body: tenant.createChannel(params[0], body) }),
    { entity: 'microsoft.graph.channel' },
  ),
  route('GET', '/teams/{team}/channels', PERMISSIONS.readChannels, (tenant, { params, query }) =>
    list(tenant.listChannels(params[0], query.get('$filter') ?? undefined)),
  ),
  route('GET', '/teams/{team}/channels/{channel}', PERMISSIONS.readChannels, (tenant, { params }) =>
    ok(tenant.getChannel(params[0], params[1])),
  ),
  route(
    'POST',
    '/teams/{team}/channels/{channel}/members',
    PERMISSIONS.addChannelMember,
    (tenant, { params, body }) => ({
      status: 201,
      body: tenant.addChannelMember(params[0], params[1], body),
    }),
    { entity: 'microsoft.graph.conversationMember' },
  ),
  route(
    'POST',
    '/teams/{team}/channels/{channel}/members/add',
    PERMISSIONS.addChannelMember,
    (tenant, { params, body }) => {
      const { status, value } = tenant.addChannelMembers(params[0], params[1], body);
      return { status, body: { value } };
    },
    { action: 'microsoft.graph.add', binding: 'Collection(microsoft.graph.conversationMember)' },
  ),
  route(
    'GET',
    '/teams/{team}/channels/{channel}/members',
    PERMISSIONS.readChannelMembers,
    (tenant, { params }) => list(tenant.listChannelMembers(params[0], params[1])),
  ),
  route(
    'POST',
    '/teams/{team}/members/add',
    PERMISSIONS.addTeamMembers,
    (tenant, { params, body }) => {
      const { status, value } = tenant.addTeamMembers(params[0], body);
      return { status, body: { value } };
    },
    { action: 'microsoft.graph.add', binding: 'Collection(microsoft.graph.conversationMember)' },
  ),
  route('GET', '/teams/{team}/members', PERMISSIONS.readTeamMembers, (tenant, { params }) =>
    list(tenant.listTeamMembers(params[0])),
  ),
  route(
    'POST',
    '/teams/{team}/channels/{channel}/enabledApps/$ref',
    PERMISSIONS.enableApp,
    (tenant, { params, body, version, onEnabled }) => {
      const teamsAppId = tenant.enableApp(params[0], params[1], body, version);
      onEnabled({ teamId: params[0], channelId: params[1], teamsAppId });
      return { status: 204 };
    },
    undefined,
    { beta: true },
  ),
  route(
    'GET',
    '/teams/{team}/channels/{channel}/enabledApps',
    PERMISSIONS.readEnabledApps,
    (tenant, { params }) =>
      list(
        tenant
          .listEnabledApps(params[0], params[1])
          .map((id) => ({ id, externalId: null, displayName: null, distributionMethod: 'organization' })),
      ),
    undefined,
    { beta: true },
  ),
  route(
    'GET',
    '/teams/{team}/permissionGrants',
    PERMISSIONS.readPermissionGrants,
    // Only what is consented now: a revoked team RSC permission is not listed.
    (tenant, { params, clientAppId, grants }) =>
      list(
        tenant
          .permissionGrants(params[0], clientAppId)
          .filter((grant) => grants.has(String(grant.permission))),
      ),
  ),
  route(
    'GET',
    '/users',
    PERMISSIONS.readUsers,
    (tenant, { query }) => list(listUsers(tenant, query)),
    undefined,
    {
      directory: true,
    },
  ),
  route(
    'GET',
    '/users/{user}',
    PERMISSIONS.readUsers,
    (tenant, { params, query }) => ok(selectUser(tenant.getUser(params[0]), query.get('$select'))),
    undefined,
    { directory: true },
  ),
  route(
    'POST',
    '/users/{user}/calendar/getSchedule',
    PERMISSIONS.readCalendar,
    (tenant, { params, body, zone }) => {
      tenant.calendarUser(params[0]);
      return ok(tenant.getSchedule(body, zone));
    },
    {
      action: 'microsoft.graph.getSchedule',
      binding: 'microsoft.graph.calendar',
    },
  ),
  route(
    'POST',
    '/users/{user}/events',
    PERMISSIONS.writeCalendar,
    (tenant, { params, body, zone }) => ({
      status: 201,
      body: tenant.renderEvent(tenant.createEvent(params[0], body).event, zone),
    }),
    { entity: 'microsoft.graph.event' },
  ),
  route('GET', '/users/{user}/events/{event}', PERMISSIONS.readCalendar, (tenant, { params, zone }) =>
    ok(tenant.renderEvent(tenant.getEvent(params[0], params[1]), zone)),
  ),
  route(
    'PATCH',
    '/users/{user}/events/{event}',
    PERMISSIONS.writeCalendar,
    (tenant, { params, body, zone }) =>
      ok(tenant.renderEvent(tenant.updateEvent(params[0], params[1], body), zone)),
    { entity: 'microsoft.graph.event' },
  ),
  route('DELETE', '/users/{user}/events/{event}', PERMISSIONS.writeCalendar, (tenant, { params }) => {
    tenant.deleteEvent(params[0], params[1]);
    return { status: 204 };
  }),
  route(
    'POST',
    '/users/{user}/events/{event}/cancel',
    PERMISSIONS.writeCalendar,
    (tenant, { params, body }) => {
      tenant.cancelEvent(params[0], params[1], body);
      return { status: 202 };
    },
    { action: 'microsoft.graph.cancel', binding: 'microsoft.graph.event' },
  ),
  route(
    'GET',
    '/users/{user}/onlineMeetings',
    PERMISSIONS.readMeetings,
    (tenant, { params, query }) =>
      list(tenant.findOnlineMeetings(params[0], query.get('$filter') ?? undefined)),
    undefined,
    { accessPolicy: true },
  ),
  route(
    'GET',
    '/users/{user}/onlineMeetings/{meeting}',
    PERMISSIONS.readMeetings,
    (tenant, { params }) => ok(tenant.getOnlineMeeting(params[0], params[1])),
    undefined,
    { accessPolicy: true },
  ),
  route(
    'GET',
    '/users/{user}/onlineMeetings/{meeting}/attendanceReports',
    PERMISSIONS.readAttendance,
    (tenant, { params }) => list(tenant.listAttendanceReports(params[0], params[1])),
    undefined,
    { accessPolicy: true },
  ),
  route(
    'GET',
    '/users/{user}/onlineMeetings/{meeting}/attendanceReports/{report}',
    PERMISSIONS.readAttendance,
    (tenant, { params, query }) => {
      const { attendanceRecords, ...report } = tenant.getAttendanceReport(params[0], params[1], params[2]);
      const expand = (query.get('$expand') ?? '').split(',').map((part) => part.trim());
      return ok(expand.includes('attendanceRecords') ? { ...report, attendanceRecords } : report);
    },
    undefined,
    { accessPolicy: true },
  ),
  route(
    'GET',
    '/users/{user}/onlineMeetings/{meeting}/attendanceReports/{report}/attendanceRecords',
    PERMISSIONS.readAttendance,
    (tenant, { params }) =>
      list(tenant.getAttendanceReport(params[0], params[1], params[2]).attendanceRecords),
    undefined,
    { accessPolicy: true },
  ),
  route(
    'POST',
    '/chats/{chat}/installedApps',
    PERMISSIONS.installInChat,
    (tenant, { params, body, grants }) => {
      const consenting = PERMISSIONS.installInChat.filter(
        (name) => grants.has(name) && !NO_RSC_CONSENT.has(name),
      );
      if (tenant.requiresChatConsent() && consenting.length === 0) {
        throw new GraphError(
          403,
          'Forbidden',
          `${[...NO_RSC_CONSENT].join(' and ')} cannot be used to install apps that require consent to resource-specific permissions.`,
        );
      }
      tenant.installApp(params[0], body);
      // Graph answers 201 Created with no body here.
      return { status: 201 };
    },
    { entity: 'microsoft.graph.teamsAppInstallation' },
  ),
  route(
    'POST',
    '/users/{user}/teamwork/installedApps',
    PERMISSIONS.installForUser,
    (tenant, { params, body }) => {
      tenant.installAppForUser(params[0], body);
      // Graph answers 201 Created with no body here.
      return { status: 201 };
    },
    { entity: 'microsoft.graph.userScopeTeamsAppInstallation' },
  ),
  route(
    'GET',
    '/users/{user}/teamwork/installedApps',
    PERMISSIONS.readUserApps,
    (tenant, { params, query }) => {
      // $expand=teamsApp and $filter=teamsApp/id eq '{id}' are what callers use; other filters are refused.
      const expand = (query.get('$expand') ?? '').split(',').map((part) => part.trim());
      const filter = query.get('$filter');
      let wanted: string | undefined;
      if (filter !== null) {
        const match = /^teamsApp\/id eq '([^']*)'$/i.exec(filter.trim());
        if (!match) throw new GraphError(400, 'BadRequest', `Filter '${filter}' is not supported.`);
        wanted = match[1];
      }
      return list(
        tenant
          .listAppsForUser(params[0])
          .filter((app) => wanted === undefined || app.teamsAppId === wanted)
          .map((app) => ({
            id: app.id,
            ...(expand.includes('teamsApp')
              ? {
                  teamsApp: {
                    id: app.teamsAppId,
                    externalId: null,
                    displayName: 'Rapid Review',
                    distributionMethod: 'organization',
                  },
                }
              : {}),
          })),
      );
    },
  ),
  route(
    'GET',
    '/users/{user}/teamwork/installedApps/{installation}/chat',
    PERMISSIONS.readUserApps,
    (tenant, { params }) => {
      const installation = tenant.chatOfInstallation(params[0], params[1]);
      return ok({ id: installation.chatId, chatType: 'oneOnOne', topic: null });
    },
  ),
  route('GET', '/chats/{chat}/installedApps', PERMISSIONS.readChatApps, (tenant, { params }) =>
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
    landed: z.boolean().optional(),
  }),
  z.object({ delayMs: z.number().min(0) }),
  z.object({ hang: z.literal(true), landed: z.boolean().optional() }),
]);

const userSeedSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  mail: z.string(),
  userPrincipalName: z.string().min(1),
  userType: z.enum(['Member', 'Guest']),
});

const teamSeedSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  members: z.array(z.string()),
  owners: z.array(z.string()).optional(),
  channels: z.array(z.object({ id: z.string().min(1), displayName: z.string().min(1) })).optional(),
  installedApps: z.array(z.string()).optional(),
});

const controlSchemas = {
  grants: z.object({ grants: z.array(z.string()) }),
  directory: z.object({ users: z.array(userSeedSchema) }),
  teams: z.object({ teams: z.array(teamSeedSchema) }),
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
  private faultPolicy: FaultPolicy | undefined;
  private log: SandboxRequest[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private grantList: string[];
  private extraUsers: SandboxUserSeed[] = [];
  private extraTeams: SandboxTeamSeed[] = [];
  readonly server: http.Server;

  constructor(private readonly options: GraphSandboxOptions) {
    this.grantList = [...(options.grants ?? defaultGrants())];
    this.clientAppId = options.appId ?? randomUUID();
    this.tenant = this.newTenant();
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

  private newTenant(): SandboxTenant {
    return new SandboxTenant({
      channelIds: this.options.channelIds,
      directory: [...(this.options.directory ?? []), ...this.extraUsers],
      teams: [...(this.options.teams ?? []), ...this.extraTeams],
      teamsAppId: this.options.teamsAppId,
      now: this.options.now,
      attendanceReportDelayMs: this.options.attendanceReportDelayMs,
      chatRsc: rscNames('chat'),
      teamRsc: rscNames('team'),
      botAppId: this.clientAppId,
      personalChatId: this.options.personalChatId,
    });
  }

  get tenantId(): string {
    return this.tenant.tenantId;
  }

  get grants(): readonly string[] {
    return [...this.grantList];
  }

  setGrants(grants: readonly string[]): void {
    this.grantList = [...grants];
  }

  revoke(name: string): void {
    this.grantList = this.grantList.filter((grant) => grant !== name);
  }

  addUsers(users: SandboxUserSeed[]): void {
    this.tenant.seedDirectory(users);
    this.extraUsers.push(...users);
  }

  addTeams(teams: SandboxTeamSeed[]): void {
    this.tenant.seedTeams(teams);
    this.extraTeams.push(...teams);
  }

  personalChatOpen(chatId: string): boolean | undefined {
    return this.tenant.personalChatOpen(chatId);
  }

  appEnabledInChannel(channelId: string): boolean | undefined {
    return this.tenant.appEnabledInChannel(channelId);
  }

  teamMembers(teamId: string): { userId: string; roles: string[] }[] {
    return this.tenant.teamMembers(teamId);
  }

  token(): string {
    return unsignedToken(this.grantList, this.tenant.tenantId, this.tenant.nowMs());
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

  setFaultPolicy(policy: FaultPolicy | undefined): void {
    this.faultPolicy = policy;
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
    this.tenant = this.newTenant();
    this.faultQueue = [];
    this.faultPolicy = undefined;
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

    const prefer = [request.headers.prefer ?? ''].flat().join(',');
    const reply = /^\/v1\.0\/\$batch$/i.test(url.pathname)
      ? await this.batch(method, url, body, unreadable, requestId, prefer)
      : await this.answer(method, url, body, unreadable, requestId, prefer, false);
    this.log.push({
      method,
      path: rawPath,
      body,
      status: reply.status,
      ...(reply.fault && { fault: reply.fault, landed: reply.landed ?? false }),
    });
    // A hung request is left open: the client's own timeout ends it (close() ends what is left).
    if (reply.fault === 'hang') return;
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
    batched: boolean,
  ): Promise<Reply> {
    const target = `${url.pathname}${url.search}`;
    const fault = this.nextFault(method, target) ?? this.faultPolicy?.({ method, path: target, batched });
    if (fault && 'delayMs' in fault && fault.delayMs) await this.sleep(fault.delayMs);
    const failing = fault && ('status' in fault || 'hang' in fault) ? fault : undefined;
    if (failing && !failing.landed) return this.faultReply(failing, requestId, batched);
    const reply = await this.handle(method, url, body, unreadable, requestId, prefer);
    return failing ? { ...this.faultReply(failing, requestId, batched), landed: true } : reply;
  }

  private faultReply(
    fault: { status: number; retryAfterSeconds?: number } | { hang: true },
    requestId: string,
    batched: boolean,
  ): Reply {
    if ('hang' in fault) {
      // A step of a batch cannot hang on its own: the batch answers, the step with a gateway timeout.
      if (!batched) return { status: -1, fault: 'hang' };
      return {
        ...graphError(504, 'GatewayTimeout', 'Fault injected by the Graph sandbox (504).', requestId),
        fault: 'status',
      };
    }
    const reply: Reply = {
      ...graphError(
        fault.status,
        FAULT_CODES[fault.status] ?? 'SandboxFault',
        `Fault injected by the Graph sandbox (${fault.status}).`,
        requestId,
      ),
      fault: 'status',
    };
    if (fault.retryAfterSeconds !== undefined)
      reply.headers = { 'retry-after': String(fault.retryAfterSeconds) };
    return reply;
  }

  private async handle(
    method: string,
    url: URL,
    body: unknown,
    unreadable: boolean,
    requestId: string,
    prefer: string | undefined,
  ): Promise<Reply> {
    const lower = url.pathname.toLowerCase();
    const version = lower.startsWith('/v1.0/') ? 'v1.0' : lower.startsWith('/beta/') ? 'beta' : undefined;
    if (!version) {
      return graphError(
        404,
        'NotFound',
        `The Graph sandbox serves only /v1.0/...; got ${url.pathname}`,
        requestId,
      );
    }
    const path = url.pathname.slice(`/${version}`.length);
    const matches = ROUTES.filter((candidate) => version === 'v1.0' || candidate.beta)
      .map((candidate) => ({ candidate, match: candidate.pattern.exec(path) }))
      .filter((entry) => entry.match !== null);
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
    const params = match.slice(1).map((segment) => decodeURIComponent(segment));
    const payload = body ?? {};
    const teamId = /^\/teams\//i.test(path) ? params[0] : undefined;
    if (teamId !== undefined && !this.tenant.hasTeam(teamId)) {
      return graphError(404, 'NotFound', `No team found with Group Id ${teamId}`, requestId);
    }
    const grants = this.effectiveGrants(teamId);
    const denied = this.denied(candidate, grants, requestId);
    if (denied) return denied;
    if (candidate.check) {
      const graph = loadGraphCsdl();
      const problem =
        'entity' in candidate.check
          ? graph.checkInstance(candidate.check.entity, payload)
          : graph.checkActionBody(candidate.check.action, candidate.check.binding, payload);
      if (problem) return graphError(400, 'BadRequest', problem.message, requestId, problem.target);
    }
    try {
      return candidate.handle(this.tenant, {
        version,
        grants,
        clientAppId: this.clientAppId,
        onEnabled: (event) => this.options.onAppEnabledInChannel?.(event),
        channelMessages: (channelId, threadId) => this.options.channelMessages?.(channelId, threadId) ?? [],
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

  /** The Entra app id the sandbox's grants belong to (the token's appid). */
  private readonly clientAppId: string;

  /** Application grants, plus the bot's team RSC grants in a team where the bot is installed. */
  private effectiveGrants(teamId: string | undefined): Set<string> {
    const team = new Set(rscNames('team'));
    const chat = new Set(rscNames('chat'));
    const installed = teamId !== undefined && this.tenant.botInstalledInTeam(teamId);
    return new Set(this.grantList.filter((grant) => (team.has(grant) ? installed : !chat.has(grant))));
  }

  private denied(candidate: Route, grants: ReadonlySet<string>, requestId: string): Reply | undefined {
    const roles = tokenRoles(this.grantList).join(', ');
    if (!candidate.permissions.some((name) => grants.has(name))) {
      const reply = graphError(
        403,
        candidate.directory ? 'Authorization_RequestDenied' : 'Forbidden',
        `Missing role permissions on the request. API requires one of '${candidate.permissions.join(', ')}'. ` +
          `Roles on the request '${roles}'. Resource specific consent grants on the request ''.`,
        requestId,
      );
      return reply;
    }
    if (candidate.accessPolicy && !grants.has(ACCESS_POLICY)) {
      // https://learn.microsoft.com/graph/cloud-communications-online-meeting-application-access-policy
      return graphError(
        403,
        'Forbidden',
        'Application is not allowed to perform operations on the user, neither is allowed access through RSC permission evaluation: ' +
          'no application access policy (CsApplicationAccessPolicy) grants this app access to the organiser.',
        requestId,
      );
    }
    return undefined;
  }

  /** JSON batching (https://learn.microsoft.com/graph/json-batching): up to 20 requests, each routed as if sent alone. */
  private async batch(
    method: string,
    url: URL,
    body: unknown,
    unreadable: boolean,
    requestId: string,
    prefer: string,
  ): Promise<Reply> {
    if (method !== 'POST')
      return graphError(405, 'MethodNotAllowed', `${method} is not allowed on /$batch`, requestId);
    // The batch itself can fail as any request can (throttled, overloaded, no answer).
    const fault =
      this.nextFault(method, url.pathname) ??
      this.faultPolicy?.({ method, path: url.pathname, batched: false });
    if (fault && 'delayMs' in fault && fault.delayMs) await this.sleep(fault.delayMs);
    const failing = fault && ('status' in fault || 'hang' in fault) ? fault : undefined;
    if (failing && !failing.landed) return this.faultReply(failing, requestId, false);
    const reply = await this.batchSteps(body, unreadable, requestId, prefer);
    return failing ? { ...this.faultReply(failing, requestId, false), landed: true } : reply;
  }

  private async batchSteps(
    body: unknown,
    unreadable: boolean,
    requestId: string,
    prefer: string,
  ): Promise<Reply> {
    const requests =
      typeof body === 'object' && body !== null && !unreadable ? (body as Json).requests : undefined;
    if (!Array.isArray(requests) || requests.length === 0) {
      return graphError(400, 'BadRequest', "A batch needs a 'requests' array.", requestId);
    }
    if (requests.length > 20) {
      return graphError(
        400,
        'BadRequest',
        `Invalid batch payload format: a batch can hold at most 20 requests; got ${requests.length}.`,
        requestId,
      );
    }
    const items = requests.map((item) => (typeof item === 'object' && item !== null ? (item as Json) : {}));
    const ids = items.map((item) => String(item.id ?? ''));
    if (ids.some((id) => id === '') || new Set(ids).size !== ids.length) {
      return graphError(
        400,
        'BadRequest',
        'Each request in a batch needs an id, unique within the batch.',
        requestId,
      );
    }
    for (const item of items) {
      if (typeof item.method !== 'string' || typeof item.url !== 'string') {
        return graphError(
          400,
          'BadRequest',
          "Each request in a batch needs 'method' and a relative 'url'.",
          requestId,
        );
      }
      if (/^https?:/i.test(item.url)) {
        return graphError(
          400,
          'BadRequest',
          `Batch request urls are relative (e.g. '/users'); got ${item.url}`,
          requestId,
        );
      }
    }
    const statuses = new Map<string, number>();
    const responses: Json[] = [];
    for (const item of items) {
      const id = String(item.id);
      const dependsOn = Array.isArray(item.dependsOn) ? item.dependsOn.map(String) : [];
      let reply: Reply;
      if (dependsOn.some((dependency) => (statuses.get(dependency) ?? 424) >= 400)) {
        reply = graphError(424, 'FailedDependency', 'A request this one depends on failed.', requestId);
      } else {
        const relative = String(item.url).replace(/^\/?/, '/');
        const innerUrl = new URL(`/v1.0${relative}`, 'http://sandbox.invalid');
        const innerMethod = String(item.method).toUpperCase();
        const innerBody = item.body ?? null;
        const headers =
          typeof item.headers === 'object' && item.headers !== null ? (item.headers as Json) : {};
        const innerPrefer = Object.entries(headers).find(([name]) => name.toLowerCase() === 'prefer')?.[1];
        reply = await this.answer(
          innerMethod,
          innerUrl,
          innerBody,
          false,
          requestId,
          typeof innerPrefer === 'string' ? innerPrefer : prefer,
          true,
        );
        const path = `${innerUrl.pathname}${innerUrl.search}`;
        this.log.push({
          method: innerMethod,
          path,
          body: innerBody,
          status: reply.status,
          batched: true,
          ...(reply.fault && { fault: reply.fault, landed: reply.landed ?? false }),
        });
        if (this.options.logFile) {
          fs.appendFileSync(
            this.options.logFile,
            `${JSON.stringify({ method: innerMethod, path, body: innerBody, batched: true })}\n`,
          );
        }
      }
      statuses.set(id, reply.status);
      responses.push({
        id,
        status: reply.status,
        headers: {
          ...(reply.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...reply.headers,
        },
        ...(reply.body === undefined ? {} : { body: reply.body }),
      });
    }
    return ok({ responses });
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
        case 'POST grants':
          this.setGrants(controlSchemas.grants.parse(body).grants);
          return { status: 204 };
        case 'GET grants':
          return ok({ grants: this.grants });
        case 'POST token':
          return ok({ access_token: this.token(), token_type: 'Bearer', expires_in: 3600 });
        case 'POST directory':
          this.addUsers(controlSchemas.directory.parse(body).users);
          return { status: 204 };
        case 'POST teams':
          this.addTeams(controlSchemas.teams.parse(body).teams);
          return { status: 204 };
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
