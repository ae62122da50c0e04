// The in-memory tenant behind the Graph sandbox: teams' channels and their members, calendars with
// seeded busy time and booked meetings, online meetings with attendance reports, and apps installed in
// meeting chats. Methods take bodies already checked against the Graph metadata and answer the way
// Graph does, throwing GraphError for the failures Graph reports.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  availabilityView,
  BusyInterval,
  epochMsToWallTime,
  FreeBusyStatus,
  ianaZone,
  wallTimeToEpochMs,
} from './freeBusy';

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

type Json = Record<string, unknown>;

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export interface SandboxChannel {
  id: string;
  createdDateTime: string;
  displayName: string;
  description: string | null;
  email: string;
  isArchived: boolean;
  membershipType: 'standard' | 'private' | 'shared';
  tenantId: string;
  webUrl: string;
}

export interface SandboxMember {
  '@odata.type': '#microsoft.graph.aadUserConversationMember';
  id: string;
  roles: string[];
  displayName: string | null;
  visibleHistoryStartDateTime: string;
  userId: string;
  email: string | null;
  tenantId: string;
}

export interface SandboxAttendee {
  type: string;
  status: { response: string; time: string };
  emailAddress: { address: string; name?: string };
}

export interface SandboxEvent extends Json {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  transactionId: string | null;
  subject: string | null;
  body: { contentType: string; content: string };
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  originalStartTimeZone: string;
  originalEndTimeZone: string;
  attendees: SandboxAttendee[];
  organizer: { emailAddress: { address: string; name: string } };
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  onlineMeeting: { joinUrl: string } | null;
  showAs: string;
  isCancelled: boolean;
  webLink: string;
}

export interface SandboxOnlineMeeting {
  id: string;
  creationDateTime: string;
  startDateTime: string;
  endDateTime: string;
  joinWebUrl: string;
  subject: string | null;
  chatInfo: { threadId: string; messageId: string; replyChainMessageId: string | null };
  participants: {
    organizer: { upn: string; role: string; identity: { user: { id: string } } };
    attendees: [];
  };
}

export interface AttendanceInterval {
  joinDateTime: string;
  leaveDateTime: string;
  durationInSeconds: number;
}

export interface AttendanceRecord {
  id: string;
  emailAddress: string | null;
  identity: { id: string; displayName: string | null; tenantId?: string | null };
  role: string;
  totalAttendanceInSeconds: number;
  attendanceIntervals: AttendanceInterval[];
}

/** What a test seeds: durations may be left out and are then worked out from the join and leave times. */
export interface AttendanceRecordSeed {
  id?: string;
  emailAddress?: string | null;
  identity: { id: string; displayName?: string | null; tenantId?: string | null };
  role?: string;
  totalAttendanceInSeconds?: number;
  attendanceIntervals: { joinDateTime: string; leaveDateTime: string; durationInSeconds?: number }[];
}

export interface SandboxAttendanceReport {
  id: string;
  totalParticipantCount: number;
  meetingStartDateTime: string;
  meetingEndDateTime: string;
  attendanceRecords: AttendanceRecord[];
}

export interface SandboxAppInstallation {
  id: string;
  teamsAppId: string;
  /** The resource-specific permissions consented to when the app was installed. */
  consentedPermissions?: string[];
}

/** A person in the tenant's directory (Entra ID). A guest's userPrincipalName is not their mail. */
export interface SandboxUserSeed {
  /** Entra object id (a GUID). */
  id: string;
  displayName: string;
  mail: string;
  /** e.g. 'pete.constable_police.example#EXT#@partnership.onmicrosoft.com' for a guest. */
  userPrincipalName: string;
  userType: 'Member' | 'Guest';
}

/** A team that exists in the tenant before the bot runs. */
export interface SandboxTeamSeed {
  id: string;
  displayName: string;
  /** Object ids of the team's members. */
  members: string[];
  /** Object ids of the team's owners (also members). */
  owners?: string[];
  /** Standard channels; a 'General' one is made when none is called that. */
  channels?: { id: string; displayName: string }[];
  /** Teams app catalog ids installed in the team; defaults to the bot's own app. */
  installedApps?: string[];
}

export interface SandboxTeamState {
  displayName: string;
  members: { userId: string; roles: string[] }[];
  installedApps: string[];
}

export interface BusyBlock {
  start: string;
  end: string;
  status?: 'busy' | 'tentative' | 'oof';
}

/** A snapshot of everything the tenant holds; copying it out keeps callers from changing the sandbox. */
export interface GraphSandboxState {
  /** By team id. */
  channels: Record<string, SandboxChannel[]>;
  /** By channel id. */
  members: Record<string, SandboxMember[]>;
  /** By organiser (the {userId} in the request path, lower-cased), cancelled events included. */
  events: Record<string, SandboxEvent[]>;
  /** Comments given when events were cancelled, by event id. */
  cancellationComments: Record<string, string>;
  /** By organiser, like events. */
  onlineMeetings: Record<string, SandboxOnlineMeeting[]>;
  /** By chat (thread) id. */
  installedApps: Record<string, SandboxAppInstallation[]>;
  /** Seeded busy time, by user (lower-cased). */
  busy: Record<string, BusyBlock[]>;
  /** By team id: its members and the apps installed in it. */
  teams: Record<string, SandboxTeamState>;
  /** Apps added to private and shared channels (enabledApps), by channel id. */
  enabledApps: Record<string, string[]>;
  /** The directory, by object id. */
  directory: Record<string, SandboxUserSeed>;
  /** Apps installed in people's personal scope, by user object id (lower-cased). */
  personalApps: Record<string, SandboxPersonalInstallation[]>;
}

/** An app installed for one person, and the 1:1 chat between them and the app's bot. */
export interface SandboxPersonalInstallation {
  id: string;
  teamsAppId: string;
  chatId: string;
}

interface TeamRecord {
  id: string;
  displayName: string;
  /** By object id (lower-cased): roles. */
  members: Map<string, string[]>;
  installedApps: Set<string>;
}

interface EventRecord {
  organizer: string;
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  transactionId: string | null;
  subject: string | null;
  body: { contentType: string; content: string };
  startMs: number;
  endMs: number;
  startZone: string;
  endZone: string;
  attendees: SandboxAttendee[];
  isOnlineMeeting: boolean;
  showAs: string;
  meetingId?: string;
  isCancelled: boolean;
  cancellationComment?: string;
  /** Other properties the metadata allows, echoed back as Graph does (location, importance, ...). */
  extra: Json;
}

interface MeetingRecord {
  organizer: string;
  /** The organiser's object id: /users/{id}/onlineMeetings finds the meeting only by it. */
  organizerId: string;
  eventId: string;
  meeting: SandboxOnlineMeeting;
  reports: SandboxAttendanceReport[];
  installedApps: SandboxAppInstallation[];
}

export interface SandboxTenantOptions {
  /** Channel ids handed out, in order, before random ones (the local Teams client shows only these). */
  channelIds?: readonly string[];
  directory?: readonly SandboxUserSeed[];
  teams?: readonly SandboxTeamSeed[];
  /** The bot's Teams app catalog id. */
  teamsAppId?: string;
  /** The sandbox's clock. */
  now?: () => Date;
  /** How long after a meeting ends its attendance report appears. */
  attendanceReportDelayMs?: number;
  /** The app's chat-scope resource-specific permissions, which a chat install must consent to. */
  chatRsc?: readonly string[];
  /** The app's team-scope resource-specific permissions, consented when it is installed in a team. */
  teamRsc?: readonly string[];
  /** The bot's Entra app id: one side of each person's 1:1 chat with the bot. */
  botAppId?: string;
  /**
   * The id of a person's 1:1 chat with the bot (default the form Teams gives it). The local run points
   * everyone's at the Agents Playground's one personal chat, the only one it can show.
   */
  personalChatId?: (userId: string) => string;
}

const NEVER = '0001-01-01T00:00:00Z';
// Teams refuses these in channel names (and a leading underscore or period, or a trailing period).
const CHANNEL_NAME_FORBIDDEN = /[~#%&*{}+/\\:<>?|'"]/;

function key(user: string): string {
  return user.trim().toLowerCase();
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function field(body: Json, name: string): unknown {
  // Graph matches action parameter names without regard to case (getSchedule's are PascalCase in the metadata).
  const found = Object.keys(body).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return found === undefined ? undefined : body[found];
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Undoes URL encoding as many times as it was applied, so encoded and plain join URLs compare equal. */
function fullyDecoded(value: string): string {
  let current = value;
  for (let i = 0; i < 5; i += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** The user id in "https://graph.microsoft.com/v1.0/users('{id}')" (or .../users/{id}). */
export function userIdFromBind(bind: string): string | undefined {
  const match = /\/users\('([^']+)'\)\/?$/i.exec(bind) ?? /\/users\/([^/()']+)\/?$/i.exec(bind);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** The app id in ".../appCatalogs/teamsApps/{id}" (or teamsApps('{id}')). */
function teamsAppIdFromBind(bind: string): string | undefined {
  const match =
    /\/appCatalogs\/teamsApps\('([^']+)'\)\/?$/i.exec(bind) ??
    /\/appCatalogs\/teamsApps\/([^/()']+)\/?$/i.exec(bind);
  return match ? decodeURIComponent(match[1]) : undefined;
}

function parseDateTimeTimeZone(value: unknown, name: string): { ms: number; zone: string } {
  const object = asObject(value);
  const dateTime = object?.dateTime;
  const timeZone = typeof object?.timeZone === 'string' ? object.timeZone : 'UTC';
  if (typeof dateTime !== 'string') {
    throw new GraphError(400, 'ErrorInvalidRequest', `'${name}' must be a dateTimeTimeZone with a dateTime`);
  }
  if (!ianaZone(timeZone)) {
    throw new GraphError(
      400,
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${timeZone}'.`,
    );
  }
  try {
    return { ms: wallTimeToEpochMs(dateTime, timeZone), zone: timeZone };
  } catch {
    throw new GraphError(
      400,
      'ErrorInvalidRequest',
      `'${name}.dateTime' value '${dateTime}' is not a valid date and time`,
    );
  }
}

function attendeesFrom(value: unknown): SandboxAttendee[] {
  if (!Array.isArray(value)) return [];
  return value.map((item): SandboxAttendee => {
    const attendee = asObject(item) ?? {};
    const email = asObject(attendee.emailAddress) ?? {};
    const address = typeof email.address === 'string' ? email.address : '';
    return {
      type: typeof attendee.type === 'string' ? attendee.type : 'required',
      status: { response: 'none', time: NEVER },
      emailAddress: typeof email.name === 'string' ? { address, name: email.name } : { address },
    };
  });
}

function consentedApplicationPermissions(body: Json): string[] {
  const set = asObject(body.consentedPermissionSet);
  const list = Array.isArray(set?.resourceSpecificPermissions) ? set.resourceSpecificPermissions : [];
  return list
    .map((item) => asObject(item) ?? {})
    .filter((item) => item.permissionType === 'application')
    .map((item) => String(item.permissionValue));
}

function rolesOf(body: Json): string[] {
  return Array.isArray(body.roles)
    ? body.roles.filter((role): role is string => typeof role === 'string')
    : [];
}

function memberResult(userId: string | null, error: { code: string; message: string } | null): Json {
  return { '@odata.type': '#microsoft.graph.aadUserConversationMemberResult', userId, error };
}

const EVENT_FIELDS_HANDLED = new Set([
  'subject',
  'body',
  'start',
  'end',
  'attendees',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'transactionId',
  'showAs',
  'id',
]);

export class SandboxTenant {
  readonly tenantId = randomUUID();
  private readonly spareChannelIds: string[];
  private readonly channels = new Map<string, SandboxChannel[]>();
  private readonly members = new Map<string, SandboxMember[]>();
  private readonly events = new Map<string, EventRecord[]>();
  private readonly meetings = new Map<string, MeetingRecord>();
  private readonly busy = new Map<string, BusyBlock[]>();
  private readonly users = new Map<string, SandboxUserSeed>();
  private readonly teams = new Map<string, TeamRecord>();
  private readonly enabledApps = new Map<string, Set<string>>();
  /** Personal-scope installations by user object id (lower-cased). */
  private readonly personalApps = new Map<string, SandboxPersonalInstallation[]>();
  private readonly botAppId: string;
  private readonly personalChatId?: (userId: string) => string;
  readonly teamsAppId: string;
  private readonly clock: () => Date;
  private readonly reportDelayMs: number;
  private readonly chatRsc: readonly string[];
  private readonly teamRsc: readonly string[];

  constructor(options: SandboxTenantOptions = {}) {
    this.spareChannelIds = [...(options.channelIds ?? [])];
    this.teamsAppId = options.teamsAppId ?? 'rapid-review-app';
    this.clock = options.now ?? (() => new Date());
    this.reportDelayMs = options.attendanceReportDelayMs ?? 5 * 60 * 1000;
    this.chatRsc = options.chatRsc ?? [];
    this.teamRsc = options.teamRsc ?? [];
    this.botAppId = options.botAppId ?? randomUUID();
    this.personalChatId = options.personalChatId;
    this.seedDirectory(options.directory ?? []);
    this.seedTeams(options.teams ?? []);
  }

  requiresChatConsent(): boolean {
    return this.chatRsc.length > 0;
  }

  nowMs(): number {
    return this.clock().getTime();
  }

  private isoNow(): string {
    return this.clock().toISOString();
  }

  // ---- directory ------------------------------------------------------------------------------

  seedDirectory(seeds: readonly SandboxUserSeed[]): void {
    for (const seed of seeds) {
      if (!seed.id || !seed.userPrincipalName)
        throw new Error('A directory user needs an id and a userPrincipalName');
      if (seed.userType === 'Guest' && !/#EXT#@/i.test(seed.userPrincipalName)) {
        throw new Error(
          `Guest ${seed.id}: a guest's userPrincipalName looks like 'name_domain#EXT#@tenant.onmicrosoft.com'`,
        );
      }
      this.users.set(key(seed.id), { ...seed });
    }
  }

  directoryUsers(): SandboxUserSeed[] {
    return [...this.users.values()];
  }

  /** A user by object id only (what binds and /users/{id}/onlineMeetings need). */
  userById(id: string): SandboxUserSeed | undefined {
    return this.users.get(key(id));
  }

  /** A user by object id or user principal name, as /users/{id | userPrincipalName} resolves. */
  userByIdOrUpn(idOrUpn: string): SandboxUserSeed | undefined {
    const wanted = key(idOrUpn);
    return (
      this.users.get(wanted) ??
      [...this.users.values()].find((user) => key(user.userPrincipalName) === wanted)
    );
  }

  getUser(idOrUpn: string): SandboxUserSeed {
    const user = this.userByIdOrUpn(idOrUpn);
    if (!user) {
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    return user;
  }

  /** The calendar owner in /users/{x}/events and getSchedule: object id or UPN, never a bare mail address. */
  calendarUser(idOrUpn: string): SandboxUserSeed {
    const user = this.userByIdOrUpn(idOrUpn);
    if (!user) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`);
    return user;
  }

  /** /users/{x}/onlineMeetings and attendance reports take the organiser's object id only. */
  meetingUser(id: string): SandboxUserSeed {
    const user = this.userById(id);
    if (!user) {
      throw new GraphError(
        404,
        'NotFound',
        `User '${id}' was not found: online meeting APIs with application permissions take the organiser's object id.`,
      );
    }
    return user;
  }

  // ---- teams ----------------------------------------------------------------------------------

  seedTeams(seeds: readonly SandboxTeamSeed[]): void {
    for (const seed of seeds) {
      const members = new Map<string, string[]>();
      for (const id of seed.members) members.set(key(id), []);
      for (const id of seed.owners ?? []) members.set(key(id), ['owner']);
      this.teams.set(seed.id, {
        id: seed.id,
        displayName: seed.displayName,
        members,
        installedApps: new Set(seed.installedApps ?? [this.teamsAppId]),
      });
      const channels = [...(seed.channels ?? [])];
      if (!channels.some((channel) => channel.displayName.toLowerCase() === 'general')) {
        channels.unshift({ id: `19:general-${token(8)}@thread.tacv2`, displayName: 'General' });
      }
      this.channels.set(
        seed.id,
        channels.map((channel) =>
          this.channelRecord(seed.id, channel.id, channel.displayName, null, 'standard'),
        ),
      );
    }
  }

  team(teamId: string): TeamRecord {
    const team = this.teams.get(teamId);
    if (!team) throw new GraphError(404, 'NotFound', `No team found with Group Id ${teamId}`);
    return team;
  }

  hasTeam(teamId: string): boolean {
    return this.teams.has(teamId);
  }

  /** Whether the bot is installed in the team, so that its team-scope RSC permissions apply there. */
  botInstalledInTeam(teamId: string): boolean {
    return this.teams.get(teamId)?.installedApps.has(this.teamsAppId) ?? false;
  }

  teamMembers(teamId: string): { userId: string; roles: string[] }[] {
    const team = this.team(teamId);
    return [...team.members].map(([userId, roles]) => ({
      userId: this.userById(userId)?.id ?? userId,
      roles,
    }));
  }

  listTeamMembers(teamId: string): SandboxMember[] {
    return this.teamMembers(teamId).map(({ userId, roles }) =>
      this.memberRecord(teamId, this.userById(userId), userId, roles),
    );
  }

  /** conversationMember: add on a team: each value is added or gets its own error. */
  addTeamMembers(teamId: string, body: Json): { status: number; value: Json[] } {
    const team = this.team(teamId);
    const values = this.bulkValues(body);
    const value = values.map((item): Json => {
      const bind = item['user@odata.bind'];
      const wanted = typeof bind === 'string' ? userIdFromBind(bind) : undefined;
      // The documented example binds users('{upn}') too, so a UPN resolves here; a guest's mail does not.
      const user = wanted === undefined ? undefined : this.userByIdOrUpn(wanted);
      if (!user)
        return memberResult(wanted ?? null, {
          code: 'NotFound',
          message: `User '${wanted ?? ''}' was not found.`,
        });
      const roles = rolesOf(item);
      team.members.set(
        key(user.id),
        roles.includes('owner') ? ['owner'] : user.userType === 'Guest' ? ['guest'] : [],
      );
      return memberResult(user.id, null);
    });
    return { status: value.some((item) => item.error !== null) ? 207 : 200, value };
  }

  private bulkValues(body: Json): Json[] {
    const values = field(body, 'values');
    if (!Array.isArray(values) || values.length === 0) {
      throw new GraphError(
        400,
        'BadRequest',
        "'values' must list at least one conversationMember.",
        'values',
      );
    }
    // https://learn.microsoft.com/graph/api/conversationmembers-add: at most 200 per request.
    if (values.length > 200) {
      throw new GraphError(
        400,
        'BadRequest',
        `A maximum of 200 conversationMember derivatives can be added in one single request; got ${values.length}.`,
        'values',
      );
    }
    return values.map((item) => asObject(item) ?? {});
  }

  // ---- apps in channels -----------------------------------------------------------------------

  private teamOfChannel(channelId: string): { teamId: string; channel: SandboxChannel } | undefined {
    for (const [teamId, channels] of this.channels) {
      const channel = channels.find((candidate) => candidate.id === channelId);
      if (channel) return { teamId, channel };
    }
    return undefined;
  }

  /** POST .../enabledApps/$ref. v1.0 allows it for shared channels only, beta for private ones too. */
  enableApp(teamId: string, channelId: string, body: Json, version: 'v1.0' | 'beta'): string {
    const team = this.team(teamId);
    const channel = this.getChannel(teamId, channelId);
    const ref = body['@odata.id'];
    const teamsAppId = typeof ref === 'string' ? teamsAppIdFromBind(ref) : undefined;
    if (!teamsAppId) {
      throw new GraphError(
        400,
        'BadRequest',
        '\'@odata.id\' must be "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}".',
        '@odata.id',
      );
    }
    const allowed: SandboxChannel['membershipType'][] =
      version === 'beta' ? ['private', 'shared'] : ['shared'];
    if (!allowed.includes(channel.membershipType)) {
      // https://learn.microsoft.com/graph/api/channel-post-enabledapps: v1.0 "is allowed only for channels
      // with a membershipType value of shared"; the beta page allows private channels as well.
      throw new GraphError(
        400,
        'BadRequest',
        `Adding an app is allowed only for channels with a membershipType value of ${allowed.join(' or ')} on /${version}; this channel is ${channel.membershipType}.`,
      );
    }
    if (!team.installedApps.has(teamsAppId)) {
      throw new GraphError(
        404,
        'NotFound',
        `App '${teamsAppId}' is not installed in team '${teamId}'; install it in the team first.`,
      );
    }
    const enabled = this.enabledApps.get(channelId) ?? new Set<string>();
    enabled.add(teamsAppId);
    this.enabledApps.set(channelId, enabled);
    return teamsAppId;
  }

  listEnabledApps(teamId: string, channelId: string): string[] {
    this.team(teamId);
    const channel = this.getChannel(teamId, channelId);
    if (channel.membershipType === 'standard') return [...this.team(teamId).installedApps];
    return [...(this.enabledApps.get(channelId) ?? [])];
  }

  appEnabledInChannel(channelId: string, teamsAppId: string = this.teamsAppId): boolean | undefined {
    const found = this.teamOfChannel(channelId);
    if (!found) return undefined;
    if (found.channel.membershipType === 'standard') {
      return this.teams.get(found.teamId)?.installedApps.has(teamsAppId) ?? false;
    }
    return this.enabledApps.get(channelId)?.has(teamsAppId) ?? false;
  }

  /** The resource-specific permissions consented for the team (those of the bot, where it is installed). */
  permissionGrants(teamId: string, clientAppId: string): Json[] {
    this.team(teamId);
    if (!this.botInstalledInTeam(teamId)) return [];
    return this.teamRsc.map((permission) => ({
      id: Buffer.from(`${teamId}##${permission}`).toString('base64'),
      deletedDateTime: null,
      clientId: clientAppId,
      clientAppId,
      resourceAppId: '00000003-0000-0000-c000-000000000000',
      permissionType: 'Application',
      permission,
    }));
  }

  // ---- channels -------------------------------------------------------------------------------

  private channelRecord(
    teamId: string,
    id: string,
    displayName: string,
    description: string | null,
    membershipType: SandboxChannel['membershipType'],
  ): SandboxChannel {
    return {
      id,
      createdDateTime: this.isoNow(),
      displayName,
      description,
      email: '',
      isArchived: false,
      membershipType,
      tenantId: this.tenantId,
      webUrl:
        `https://teams.microsoft.com/l/channel/${encodeURIComponent(id)}/${encodeURIComponent(displayName)}` +
        `?groupId=${encodeURIComponent(teamId)}&tenantId=${this.tenantId}`,
    };
  }

  createChannel(teamId: string, body: Json): SandboxChannel {
    const team = this.team(teamId);
    const displayName = body.displayName;
    if (typeof displayName !== 'string' || displayName.trim() === '') {
      throw new GraphError(400, 'BadRequest', 'Channel displayName is required.', 'displayName');
    }
    if ([...displayName].length > 50) {
      throw new GraphError(
        400,
        'BadRequest',
        'Channel displayName must be 50 characters or fewer.',
        'displayName',
      );
    }
    if (CHANNEL_NAME_FORBIDDEN.test(displayName) || /^[_.]/.test(displayName) || displayName.endsWith('.')) {
      throw new GraphError(
        400,
        'BadRequest',
        `Channel name contains invalid characters: ~ # % & * { } + / \\ : < > ? | ' " are not allowed, nor a leading _ or . or a trailing .`,
        'displayName',
      );
    }
    const teamChannels = this.channels.get(teamId) ?? [];
    // Teams compares channel names without regard to case; Graph answers 400 BadRequest with this text.
    if (teamChannels.some((channel) => channel.displayName.toLowerCase() === displayName.toLowerCase())) {
      throw new GraphError(
        400,
        'BadRequest',
        'Channel name already existed, please use other name.',
        'displayName',
      );
    }
    const membershipType = (body.membershipType ?? 'standard') as SandboxChannel['membershipType'];
    const seeds = Array.isArray(body.members) ? body.members.map((member) => asObject(member) ?? {}) : [];
    const owners = seeds.filter((member) => Array.isArray(member.roles) && member.roles.includes('owner'));
    if (membershipType !== 'standard' && owners.length === 0) {
      throw new GraphError(
        400,
        'BadRequest',
        `An owner must be given in members when an application creates a ${membershipType} channel.`,
        'members',
      );
    }
    if (membershipType === 'shared' && owners.length > 1) {
      throw new GraphError(
        400,
        'BadRequest',
        'A shared channel can be created with only one owner.',
        'members',
      );
    }
    const newMembers = seeds.map((seed, index) => this.memberFrom(seed, `members[${index}]`, ''));
    if (membershipType === 'private') {
      for (const [index, member] of newMembers.entries()) {
        if (!team.members.has(key(member.userId))) {
          throw new GraphError(
            400,
            'BadRequest',
            `User '${member.userId}' must be a member of the team before being added to a private channel.`,
            `members[${index}]`,
          );
        }
      }
    }

    const id = this.spareChannelIds.shift() ?? `19:${token(16)}@thread.tacv2`;
    const channel = this.channelRecord(
      teamId,
      id,
      displayName,
      typeof body.description === 'string' ? body.description : null,
      membershipType,
    );
    this.channels.set(teamId, [...teamChannels, channel]);
    this.members.set(
      id,
      newMembers.map((member) => ({ ...member, id: this.memberId(id, member.userId) })),
    );
    return channel;
  }

  listChannels(teamId: string, filter: string | undefined): SandboxChannel[] {
    this.team(teamId);
    const all = this.channels.get(teamId) ?? [];
    if (filter === undefined) return all;
    const match = /^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
    if (!match) {
      throw new GraphError(
        501,
        'NotImplemented',
        `The Graph sandbox only understands $filter=displayName eq '...'`,
      );
    }
    const wanted = match[1].replace(/''/g, "'").toLowerCase();
    return all.filter((channel) => channel.displayName.toLowerCase() === wanted);
  }

  getChannel(teamId: string, channelId: string): SandboxChannel {
    this.team(teamId);
    const channel = (this.channels.get(teamId) ?? []).find((candidate) => candidate.id === channelId);
    if (!channel)
      throw new GraphError(404, 'NotFound', `Channel '${channelId}' was not found in team '${teamId}'.`);
    return channel;
  }

  addChannelMember(teamId: string, channelId: string, body: Json): SandboxMember {
    const channel = this.getChannel(teamId, channelId);
    if (channel.membershipType === 'standard') {
      // A standard channel's members are the team's members; Graph refuses to add them one by one.
      throw new GraphError(400, 'BadRequest', 'Members can be added only to private or shared channels.');
    }
    const member = this.channelMemberFrom(teamId, channel, body, '');
    const existing = this.members.get(channelId) ?? [];
    if (existing.some((candidate) => candidate.userId.toLowerCase() === member.userId.toLowerCase())) {
      throw new GraphError(409, 'Conflict', `User '${member.userId}' is already a member of the channel.`);
    }
    this.members.set(channelId, [...existing, member]);
    return member;
  }

  /** conversationMember: add bound to a channel's members: each value is added or gets its own error. */
  addChannelMembers(teamId: string, channelId: string, body: Json): { status: number; value: Json[] } {
    const channel = this.getChannel(teamId, channelId);
    if (channel.membershipType === 'standard') {
      throw new GraphError(400, 'BadRequest', 'Members can be added only to private or shared channels.');
    }
    const values = this.bulkValues(body);
    const value = values.map((item, index): Json => {
      const bind = item['user@odata.bind'];
      const wanted = typeof bind === 'string' ? (userIdFromBind(bind) ?? null) : null;
      try {
        const member = this.channelMemberFrom(teamId, channel, item, `values[${index}]`);
        const existing = this.members.get(channelId) ?? [];
        if (existing.some((candidate) => candidate.userId.toLowerCase() === member.userId.toLowerCase())) {
          return memberResult(member.userId, {
            code: 'Conflict',
            message: `User '${member.userId}' is already a member of the channel.`,
          });
        }
        this.members.set(channelId, [...existing, member]);
        return memberResult(member.userId, null);
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        return memberResult(wanted, { code: error.code, message: error.message });
      }
    });
    return { status: value.some((item) => item.error !== null) ? 207 : 200, value };
  }

  /**
   * A channel member: a private channel takes only the team's members ("To add a user as a member to a
   * channel, they need to first be a member of the team", Add-TeamChannelUser); a shared channel also
   * takes people from other tenants (B2B direct connect), named with their home tenantId.
   */
  private channelMemberFrom(
    teamId: string,
    channel: SandboxChannel,
    body: Json,
    target: string,
  ): SandboxMember {
    const bind = body['user@odata.bind'];
    const wanted = typeof bind === 'string' ? userIdFromBind(bind) : undefined;
    const tenantId = typeof body.tenantId === 'string' ? body.tenantId : undefined;
    const team = this.team(teamId);
    if (
      wanted !== undefined &&
      !this.userByIdOrUpn(wanted) &&
      channel.membershipType === 'shared' &&
      tenantId &&
      tenantId !== this.tenantId
    ) {
      const roles = rolesOf(body);
      return { ...this.memberRecord(channel.id, undefined, wanted, roles), tenantId };
    }
    const member = this.memberFrom(body, target, channel.id);
    if (channel.membershipType === 'private' && !team.members.has(key(member.userId))) {
      throw new GraphError(
        400,
        'BadRequest',
        `User '${member.userId}' must be a member of the team before being added to a private channel.`,
        target || undefined,
      );
    }
    return member;
  }

  listChannelMembers(teamId: string, channelId: string): SandboxMember[] {
    this.getChannel(teamId, channelId);
    return this.members.get(channelId) ?? [];
  }

  private memberId(channelId: string, userId: string): string {
    return Buffer.from(`0#${channelId}#${userId}`).toString('base64');
  }

  private memberFrom(body: Json, target: string, channelId: string): SandboxMember {
    const bind = body['user@odata.bind'];
    const boundId = typeof bind === 'string' ? userIdFromBind(bind) : undefined;
    if (!boundId) {
      throw new GraphError(
        400,
        'BadRequest',
        "A member needs 'user@odata.bind': \"https://graph.microsoft.com/v1.0/users('{id}')\".",
        target ? `${target}.user@odata.bind` : 'user@odata.bind',
      );
    }
    // Graph resolves users('{x}') by object id or user principal name; a guest's mail is neither.
    const user = this.userByIdOrUpn(boundId);
    if (!user) {
      throw new GraphError(
        404,
        'NotFound',
        `User '${boundId}' was not found in the directory (bind users by object id).`,
        target ? `${target}.user@odata.bind` : 'user@odata.bind',
      );
    }
    return this.memberRecord(channelId, user, user.id, rolesOf(body));
  }

  private memberRecord(
    scopeId: string,
    user: SandboxUserSeed | undefined,
    userId: string,
    roles: string[],
  ): SandboxMember {
    return {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      id: this.memberId(scopeId, userId),
      roles,
      displayName: user?.displayName ?? null,
      visibleHistoryStartDateTime: NEVER,
      userId,
      email: user?.mail ?? null,
      tenantId: this.tenantId,
    };
  }

  // ---- calendars ------------------------------------------------------------------------------

  setBusy(user: string, blocks: readonly BusyBlock[]): void {
    for (const block of blocks) {
      for (const edge of [block.start, block.end]) {
        if (Number.isNaN(Date.parse(edge)))
          throw new Error(`Busy block time '${edge}' is not an ISO date-time`);
      }
      if (Date.parse(block.end) <= Date.parse(block.start)) {
        throw new Error(`Busy block ${block.start}..${block.end} ends before it starts`);
      }
    }
    this.busy.set(
      key(user),
      blocks.map((block) => ({ ...block })),
    );
  }

  getSchedule(body: Json, outputZone: string): Json {
    const schedules = field(body, 'schedules');
    if (!Array.isArray(schedules) || schedules.length === 0) {
      throw new GraphError(400, 'ErrorInvalidParameter', "'schedules' must list at least one email address.");
    }
    const start = parseDateTimeTimeZone(field(body, 'startTime'), 'startTime');
    const end = parseDateTimeTimeZone(field(body, 'endTime'), 'endTime');
    if (end.ms <= start.ms)
      throw new GraphError(400, 'ErrorInvalidParameter', "'endTime' must be after 'startTime'.");
    const rawInterval = field(body, 'availabilityViewInterval');
    const interval = rawInterval === undefined || rawInterval === null ? 30 : rawInterval;
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 5 || interval > 1440) {
      throw new GraphError(
        400,
        'ErrorInvalidParameter',
        "'availabilityViewInterval' must be 5 to 1440 minutes.",
      );
    }
    const value = schedules.map((scheduleId) => {
      const intervals = this.busyIntervals(String(scheduleId)).filter(
        (item) => item.startMs < end.ms && item.endMs > start.ms,
      );
      intervals.sort((a, b) => a.startMs - b.startMs);
      return {
        scheduleId,
        availabilityView: availabilityView(intervals, start.ms, end.ms, interval),
        scheduleItems: intervals.map((item) => ({
          isPrivate: false,
          status: item.status,
          ...(item.subject === undefined ? {} : { subject: item.subject }),
          start: { dateTime: epochMsToWallTime(item.startMs, outputZone), timeZone: outputZone },
          end: { dateTime: epochMsToWallTime(item.endMs, outputZone), timeZone: outputZone },
        })),
        workingHours: {
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '09:00:00.0000000',
          endTime: '17:00:00.0000000',
          timeZone: { name: 'GMT Standard Time' },
        },
      };
    });
    return { value };
  }

  /** Seeded blocks, meetings the user organises (their showAs) and meetings they are invited to (tentative until answered). */
  private busyIntervals(user: string): BusyInterval[] {
    const who = key(user);
    const intervals: BusyInterval[] = (this.busy.get(who) ?? []).map((block) => ({
      startMs: Date.parse(block.start),
      endMs: Date.parse(block.end),
      status: block.status ?? 'busy',
    }));
    for (const [organizer, records] of this.events) {
      for (const record of records) {
        if (record.isCancelled) continue;
        let status: FreeBusyStatus | undefined;
        const owner = this.userByIdOrUpn(organizer);
        if (organizer === who || (owner && key(owner.mail) === who)) status = record.showAs as FreeBusyStatus;
        else if (record.attendees.some((attendee) => key(attendee.emailAddress.address) === who))
          status = 'tentative';
        if (!status || status === 'free') continue;
        intervals.push({
          startMs: record.startMs,
          endMs: record.endMs,
          status,
          subject: record.subject ?? undefined,
        });
      }
    }
    return intervals;
  }

  createEvent(user: string, body: Json): { event: EventRecord; created: boolean } {
    const organizer = key(this.calendarUser(user).userPrincipalName);
    const transactionId = typeof body.transactionId === 'string' ? body.transactionId : null;
    const records = this.events.get(organizer) ?? [];
    if (transactionId !== null) {
      // Graph keeps a retried create with the same transactionId from making a second event.
      const earlier = records.find((record) => record.transactionId === transactionId && !record.isCancelled);
      if (earlier) return { event: earlier, created: false };
    }
    if (body.start === undefined || body.end === undefined) {
      throw new GraphError(400, 'ErrorInvalidRequest', "An event needs both 'start' and 'end'.");
    }
    const start = parseDateTimeTimeZone(body.start, 'start');
    const end = parseDateTimeTimeZone(body.end, 'end');
    if (end.ms < start.ms)
      throw new GraphError(400, 'ErrorInvalidRequest', "The event's end is before its start.");
    const now = this.isoNow();
    const bodyObject = asObject(body.body);
    const record: EventRecord = {
      organizer,
      id: `AAMkAD${randomBytes(30).toString('base64url')}=`,
      createdDateTime: now,
      lastModifiedDateTime: now,
      transactionId,
      subject: typeof body.subject === 'string' ? body.subject : null,
      body: {
        contentType: typeof bodyObject?.contentType === 'string' ? bodyObject.contentType : 'html',
        content: typeof bodyObject?.content === 'string' ? bodyObject.content : '',
      },
      startMs: start.ms,
      endMs: end.ms,
      startZone: start.zone,
      endZone: end.zone,
      attendees: attendeesFrom(body.attendees),
      isOnlineMeeting: false,
      showAs: typeof body.showAs === 'string' ? body.showAs : 'busy',
      isCancelled: false,
      extra: this.extraEventFields(body),
    };
    const provider = body.onlineMeetingProvider;
    if (body.isOnlineMeeting === true && (provider === undefined || provider === 'teamsForBusiness')) {
      record.isOnlineMeeting = true;
      record.meetingId = this.createMeeting(record);
    }
    this.events.set(organizer, [...records, record]);
    return { event: record, created: true };
  }

  getEvent(user: string, eventId: string): EventRecord {
    const record = (this.events.get(key(this.calendarUser(user).userPrincipalName)) ?? []).find(
      (candidate) => candidate.id === eventId,
    );
    // A cancelled meeting leaves the organiser's calendar, so Graph no longer finds it.
    if (!record || record.isCancelled) {
      throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    return record;
  }

  updateEvent(user: string, eventId: string, body: Json): EventRecord {
    const record = this.getEvent(user, eventId);
    const start = body.start === undefined ? undefined : parseDateTimeTimeZone(body.start, 'start');
    const end = body.end === undefined ? undefined : parseDateTimeTimeZone(body.end, 'end');
    if ((end?.ms ?? record.endMs) < (start?.ms ?? record.startMs)) {
      throw new GraphError(400, 'ErrorInvalidRequest', "The event's end is before its start.");
    }
    if (start) [record.startMs, record.startZone] = [start.ms, start.zone];
    if (end) [record.endMs, record.endZone] = [end.ms, end.zone];
    if (body.subject !== undefined) record.subject = typeof body.subject === 'string' ? body.subject : null;
    const bodyObject = asObject(body.body);
    if (bodyObject) {
      record.body = {
        contentType:
          typeof bodyObject.contentType === 'string' ? bodyObject.contentType : record.body.contentType,
        content: typeof bodyObject.content === 'string' ? bodyObject.content : record.body.content,
      };
    }
    if (body.attendees !== undefined) record.attendees = attendeesFrom(body.attendees);
    if (typeof body.showAs === 'string') record.showAs = body.showAs;
    Object.assign(record.extra, this.extraEventFields(body));
    record.lastModifiedDateTime = this.isoNow();
    if (body.isOnlineMeeting === true && !record.meetingId) {
      record.isOnlineMeeting = true;
      record.meetingId = this.createMeeting(record);
    }
    const meeting = record.meetingId ? this.meetings.get(record.meetingId) : undefined;
    if (meeting) {
      meeting.meeting.subject = record.subject;
      meeting.meeting.startDateTime = new Date(record.startMs).toISOString();
      meeting.meeting.endDateTime = new Date(record.endMs).toISOString();
    }
    return record;
  }

  cancelEvent(user: string, eventId: string, body: Json): void {
    const record = this.getEvent(user, eventId);
    const comment = field(body, 'comment');
    record.isCancelled = true;
    record.cancellationComment = typeof comment === 'string' ? comment : '';
    record.lastModifiedDateTime = this.isoNow();
  }

  deleteEvent(user: string, eventId: string): void {
    const record = this.getEvent(user, eventId);
    const organizer = record.organizer;
    this.events.set(
      organizer,
      (this.events.get(organizer) ?? []).filter((candidate) => candidate !== record),
    );
  }

  renderEvent(record: EventRecord, zone: string): SandboxEvent {
    const meeting = record.meetingId ? this.meetings.get(record.meetingId) : undefined;
    return {
      ...record.extra,
      id: record.id,
      createdDateTime: record.createdDateTime,
      lastModifiedDateTime: record.lastModifiedDateTime,
      changeKey: Buffer.from(record.lastModifiedDateTime).toString('base64'),
      transactionId: record.transactionId,
      subject: record.subject,
      body: { ...record.body },
      start: { dateTime: epochMsToWallTime(record.startMs, zone), timeZone: zone },
      end: { dateTime: epochMsToWallTime(record.endMs, zone), timeZone: zone },
      originalStartTimeZone: record.startZone,
      originalEndTimeZone: record.endZone,
      attendees: record.attendees.map((attendee) => structuredClone(attendee)),
      organizer: {
        emailAddress: {
          address: this.userByIdOrUpn(record.organizer)?.mail ?? record.organizer,
          name: this.userByIdOrUpn(record.organizer)?.displayName ?? record.organizer,
        },
      },
      isOnlineMeeting: record.isOnlineMeeting,
      onlineMeetingProvider: record.isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
      onlineMeeting: meeting ? { joinUrl: meeting.meeting.joinWebUrl } : null,
      showAs: record.showAs,
      isCancelled: record.isCancelled,
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(record.id)}&exvsurl=1&path=/calendar/item`,
    };
  }

  private extraEventFields(body: Json): Json {
    const extra: Json = {};
    for (const [name, value] of Object.entries(body)) {
      if (!name.includes('@') && !EVENT_FIELDS_HANDLED.has(name)) extra[name] = structuredClone(value);
    }
    return extra;
  }

  // ---- online meetings ------------------------------------------------------------------------

  private createMeeting(record: EventRecord): string {
    const organizer = this.calendarUser(record.organizer);
    const thread = `19:meeting_${randomBytes(24).toString('base64url')}@thread.v2`;
    const context = encodeURIComponent(
      JSON.stringify({ Tid: this.tenantId, Oid: organizer.id }),
    ).toLowerCase();
    const joinWebUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread).toLowerCase()}/0?context=${context}`;
    const id = Buffer.from(`1*${organizer.id}*0**${thread}`).toString('base64');
    this.meetings.set(id, {
      organizer: record.organizer,
      organizerId: organizer.id,
      eventId: record.id,
      reports: [],
      installedApps: [],
      meeting: {
        id,
        creationDateTime: record.createdDateTime,
        startDateTime: new Date(record.startMs).toISOString(),
        endDateTime: new Date(record.endMs).toISOString(),
        joinWebUrl,
        subject: record.subject,
        chatInfo: { threadId: thread, messageId: '0', replyChainMessageId: null },
        participants: {
          organizer: {
            upn: organizer.userPrincipalName,
            role: 'presenter',
            identity: { user: { id: organizer.id } },
          },
          attendees: [],
        },
      },
    });
    return id;
  }

  findOnlineMeetings(user: string, filter: string | undefined): SandboxOnlineMeeting[] {
    const organizer = this.meetingUser(user);
    const match = filter === undefined ? null : /^\s*joinWebUrl\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
    if (!match) {
      throw new GraphError(
        400,
        'BadRequest',
        "Listing online meetings needs $filter=JoinWebUrl eq '{joinWebUrl}'.",
      );
    }
    // Graph's documentation passes the join URL encoded once more inside the query; decoding both sides
    // fully lets either spelling through, which is the sandbox's assumption about the service.
    const wanted = fullyDecoded(match[1].replace(/''/g, "'"));
    return [...this.meetings.values()]
      .filter(
        (record) => record.organizerId === organizer.id && fullyDecoded(record.meeting.joinWebUrl) === wanted,
      )
      .map((record) => record.meeting);
  }

  getOnlineMeeting(user: string, meetingId: string): SandboxOnlineMeeting {
    return this.meetingRecord(user, meetingId).meeting;
  }

  private meetingRecord(user: string, meetingId: string): MeetingRecord {
    const organizer = this.meetingUser(user);
    const record = this.meetings.get(meetingId);
    if (!record || record.organizerId !== organizer.id) {
      throw new GraphError(
        404,
        'NotFound',
        `Online meeting '${meetingId}' was not found for user '${user}'.`,
      );
    }
    return record;
  }

  addAttendanceReport(
    joinWebUrl: string,
    records: readonly AttendanceRecordSeed[],
    times: { meetingStartDateTime?: string; meetingEndDateTime?: string } = {},
  ): SandboxAttendanceReport {
    const meeting = [...this.meetings.values()].find(
      (candidate) => fullyDecoded(candidate.meeting.joinWebUrl) === fullyDecoded(joinWebUrl),
    );
    if (!meeting)
      throw new Error(
        `No meeting with join URL ${joinWebUrl}: book it through POST /users/{id}/events first`,
      );
    const attendanceRecords = records.map((seed): AttendanceRecord => {
      const intervals = seed.attendanceIntervals.map((interval) => ({
        joinDateTime: interval.joinDateTime,
        leaveDateTime: interval.leaveDateTime,
        durationInSeconds:
          interval.durationInSeconds ??
          Math.round((Date.parse(interval.leaveDateTime) - Date.parse(interval.joinDateTime)) / 1000),
      }));
      return {
        id: seed.id ?? seed.identity.id,
        emailAddress: seed.emailAddress ?? null,
        identity: {
          id: seed.identity.id,
          displayName: seed.identity.displayName ?? null,
          ...(seed.identity.tenantId === undefined ? {} : { tenantId: seed.identity.tenantId }),
        },
        role: seed.role ?? 'Attendee',
        totalAttendanceInSeconds:
          seed.totalAttendanceInSeconds ??
          intervals.reduce((sum, interval) => sum + interval.durationInSeconds, 0),
        attendanceIntervals: intervals,
      };
    });
    const report: SandboxAttendanceReport = {
      id: randomUUID(),
      totalParticipantCount: attendanceRecords.length,
      meetingStartDateTime: times.meetingStartDateTime ?? meeting.meeting.startDateTime,
      meetingEndDateTime: times.meetingEndDateTime ?? meeting.meeting.endDateTime,
      attendanceRecords,
    };
    meeting.reports.push(report);
    return report;
  }

  listAttendanceReports(
    user: string,
    meetingId: string,
  ): Omit<SandboxAttendanceReport, 'attendanceRecords'>[] {
    // Like Graph, the list leaves the records out; they come from .../attendanceRecords or $expand.
    const record = this.meetingRecord(user, meetingId);
    const visible = record.reports.filter((report) => this.reportVisible(report.meetingEndDateTime));
    // A report exists only "when the meeting ends" (cloud-communications-online-meeting-artifacts), and in
    // practice some minutes later: before then Graph has nothing to list for the meeting.
    if (visible.length === 0 && !this.reportVisible(record.meeting.endDateTime)) {
      throw new GraphError(
        404,
        'NotFound',
        'The attendance report is not yet available: attendance reports are generated after the meeting ends.',
      );
    }
    return visible.map(({ attendanceRecords: _records, ...report }) => report);
  }

  private reportVisible(meetingEnd: string): boolean {
    return this.nowMs() >= Date.parse(meetingEnd) + this.reportDelayMs;
  }

  getAttendanceReport(user: string, meetingId: string, reportId: string): SandboxAttendanceReport {
    const report = this.meetingRecord(user, meetingId)
      .reports.filter((candidate) => this.reportVisible(candidate.meetingEndDateTime))
      .find((candidate) => candidate.id === reportId);
    if (!report) throw new GraphError(404, 'NotFound', `Attendance report '${reportId}' was not found.`);
    return report;
  }

  // ---- apps in meeting chats ------------------------------------------------------------------

  private meetingByChat(chatId: string): MeetingRecord {
    const meeting = [...this.meetings.values()].find(
      (candidate) => candidate.meeting.chatInfo.threadId === chatId,
    );
    if (!meeting) throw new GraphError(404, 'NotFound', `Chat '${chatId}' was not found.`);
    return meeting;
  }

  installApp(chatId: string, body: Json): SandboxAppInstallation {
    const meeting = this.meetingByChat(chatId);
    const bind = body['teamsApp@odata.bind'];
    const teamsAppId = typeof bind === 'string' ? teamsAppIdFromBind(bind) : undefined;
    if (!teamsAppId) {
      throw new GraphError(
        400,
        'BadRequest',
        '\'teamsApp@odata.bind\' must be "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}".',
        'teamsApp@odata.bind',
      );
    }
    if (meeting.installedApps.some((app) => app.teamsAppId === teamsAppId)) {
      throw new GraphError(409, 'Conflict', `App '${teamsAppId}' is already installed in this chat.`);
    }
    // https://learn.microsoft.com/graph/api/chat-post-installedapps: "The permissions consented to during
    // the installation must match the resource-specific permissions defined in the teamsAppDefinition";
    // only delegated ones may be left out. The sandbox's catalog app declares the bot's chat RSC.
    const consented = consentedApplicationPermissions(body);
    const missing = this.chatRsc.filter((permission) => !consented.includes(permission));
    const extra = consented.filter((permission) => !this.chatRsc.includes(permission));
    if (missing.length > 0 || extra.length > 0) {
      throw new GraphError(
        400,
        'BadRequest',
        `consentedPermissionSet must name the app's resource-specific permissions: ` +
          `${missing.length > 0 ? `missing ${missing.join(', ')}` : ''}${missing.length > 0 && extra.length > 0 ? '; ' : ''}` +
          `${extra.length > 0 ? `not declared by the app ${extra.join(', ')}` : ''}.`,
        'consentedPermissionSet',
      );
    }
    const installation: SandboxAppInstallation = {
      id: Buffer.from(`${chatId}##${teamsAppId}`).toString('base64'),
      teamsAppId,
      consentedPermissions: consented,
    };
    meeting.installedApps.push(installation);
    return installation;
  }

  listInstalledApps(chatId: string): SandboxAppInstallation[] {
    return this.meetingByChat(chatId).installedApps;
  }

  // ---- apps in people's personal scope -----------------------------------------------------------

  /** The user of /users/{id}/teamwork: by object id (or UPN); anyone else is 404, as Graph answers. */
  private teamworkUser(idOrUpn: string): SandboxUserSeed {
    return this.getUser(idOrUpn);
  }

  /**
   * userteamwork-post-installedapps: installs an app from the tenant's catalog for one person. The
   * catalog holds only the bot's app here: any other id is 404. Already installed: 409 Conflict.
   */
  installAppForUser(idOrUpn: string, body: Json): SandboxPersonalInstallation {
    const user = this.teamworkUser(idOrUpn);
    const bind = body['teamsApp@odata.bind'];
    const teamsAppId = typeof bind === 'string' ? teamsAppIdFromBind(bind) : undefined;
    if (!teamsAppId) {
      throw new GraphError(
        400,
        'BadRequest',
        '\'teamsApp@odata.bind\' must be "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}".',
        'teamsApp@odata.bind',
      );
    }
    if (teamsAppId !== this.teamsAppId) {
      throw new GraphError(404, 'NotFound', `App '${teamsAppId}' is not in the tenant's app catalog.`);
    }
    const installed = this.personalApps.get(key(user.id)) ?? [];
    if (installed.some((app) => app.teamsAppId === teamsAppId)) {
      throw new GraphError(409, 'Conflict', `App '${teamsAppId}' is already installed for this user.`);
    }
    const installation: SandboxPersonalInstallation = {
      id: Buffer.from(`${user.id}##${teamsAppId}`).toString('base64'),
      teamsAppId,
      // The form Teams gives a 1:1 chat between a person and a bot.
      chatId: this.personalChatId?.(user.id) ?? `19:${user.id}_${this.botAppId}@unq.gbl.spaces`,
    };
    this.personalApps.set(key(user.id), [...installed, installation]);
    return installation;
  }

  listAppsForUser(idOrUpn: string): SandboxPersonalInstallation[] {
    return this.personalApps.get(key(this.teamworkUser(idOrUpn).id)) ?? [];
  }

  /** userscopeteamsappinstallation-get-chat: the 1:1 chat of one installation. */
  chatOfInstallation(idOrUpn: string, installationId: string): SandboxPersonalInstallation {
    const found = this.listAppsForUser(idOrUpn).find((app) => app.id === installationId);
    if (!found) throw new GraphError(404, 'NotFound', `Installation '${installationId}' was not found.`);
    return found;
  }

  /** Whether the bot's app is installed for the person whose 1:1 chat this is (undefined: no such chat). */
  personalChatOpen(chatId: string): boolean | undefined {
    for (const apps of this.personalApps.values()) {
      if (apps.some((app) => app.chatId === chatId && app.teamsAppId === this.teamsAppId)) return true;
    }
    return /@unq\.gbl\.spaces$/.test(chatId) ? false : undefined;
  }

  // ---- snapshot -------------------------------------------------------------------------------

  view(): GraphSandboxState {
    const state: GraphSandboxState = {
      channels: Object.fromEntries(this.channels),
      members: Object.fromEntries(this.members),
      events: {},
      cancellationComments: {},
      onlineMeetings: {},
      installedApps: {},
      busy: Object.fromEntries(this.busy),
      teams: {},
      enabledApps: {},
      directory: Object.fromEntries([...this.users.values()].map((user) => [user.id, user])),
      personalApps: Object.fromEntries(this.personalApps),
    };
    for (const team of this.teams.values()) {
      state.teams[team.id] = {
        displayName: team.displayName,
        members: this.teamMembers(team.id),
        installedApps: [...team.installedApps],
      };
    }
    for (const [channelId, apps] of this.enabledApps) state.enabledApps[channelId] = [...apps];
    for (const [organizer, records] of this.events) {
      state.events[organizer] = records.map((record) => this.renderEvent(record, 'UTC'));
      for (const record of records) {
        if (record.cancellationComment !== undefined)
          state.cancellationComments[record.id] = record.cancellationComment;
      }
    }
    for (const record of this.meetings.values()) {
      (state.onlineMeetings[record.organizer] ??= []).push(record.meeting);
      if (record.installedApps.length > 0)
        state.installedApps[record.meeting.chatInfo.threadId] = record.installedApps;
    }
    return structuredClone(state);
  }
}
