/**
 * The Teamspace port on Microsoft Graph v1.0: the review's channel and its members, free/busy, the
 * meeting in the organiser's calendar, its online meeting, attendance and the bot in the meeting chat.
 *
 * Every call is written to be repeated safely, because the review flow resumes after a crash or a
 * timeout by doing the same step again:
 *  - a channel is looked up by name before it is created, and again when creating it fails in a way
 *    that means it may exist after all (duplicate name, no answer, a 5xx);
 *  - adding a member or installing an app that is already there counts as success;
 *  - an event is created with a transactionId, on which Graph de-duplicates;
 *  - cancelling a meeting that is already gone counts as success.
 */
import { GraphChannelMessages } from './channelMessages';
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { Instant, Person } from '../review/model';
import type {
  AttendanceRecord,
  BookedMeeting,
  ChannelSpec,
  DirectoryPerson,
  MemberAddResult,
  FreeBusyBlock,
  MeetingRequest,
  OnlineMeetingInfo,
  PersonSchedule,
  Teamspace,
} from '../review/ports';
import { chatConsentPermissions } from './appPermissions';
import { sendBatch, stepErrorCode, type BatchOptions, type BatchStep } from './graphBatch';
import { callError, GraphCallError } from './graphCallError';
import { silentGraphLogger, type GraphLogger } from './graphClient';

export interface GraphTeamspaceOptions {
  /**
   * How often a channel that Graph says exists is looked for before giving up: Graph's lists lag
   * behind a create by a moment. Default 3.
   */
  lookupAttempts?: number;
  /** Pause between those look-ups. Default 2000 ms. */
  lookupDelayMs?: number;
  /**
   * Root used inside `@odata.bind` values. Graph expects its public root there even when requests go
   * elsewhere (a proxy, the local sandbox). Default https://graph.microsoft.com/v1.0.
   */
  bindRoot?: string;
  /** Waits between throttled batch steps are multiplied by this (tests pass 0). Default 1. */
  batchDelayScale?: number;
}

/** Graph's limit on values in one `in (…)` filter clause on users. */
export const usersFilterValues = 15;
/** conversationMember: add takes at most this many members per request. */
export const membersPerBulkAdd = 200;

/** Graph's limit on a channel's display name. */
export const channelNameMaxLength = 50;
/** getSchedule answers at most this many schedules per request. */
export const schedulesPerRequest = 20;
/** availabilityViewInterval, in minutes: fine enough for 30-minute slot steps. */
export const availabilityViewIntervalMinutes = 15;

const channelSchema = z.object({ id: z.string() });
const channelListSchema = z.object({ value: z.array(channelSchema) });
const eventSchema = z.object({
  id: z.string(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
});
const onlineMeetingListSchema = z.object({
  value: z.array(z.object({ id: z.string(), chatInfo: z.object({ threadId: z.string() }).nullish() })),
});
const pageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });
const reportSchema = z.object({ id: z.string() });
const attendanceRecordSchema = z.object({
  emailAddress: z.string().nullish(),
  identity: z.object({ id: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
  role: z.string().nullish(),
  totalAttendanceInSeconds: z.number().nullish(),
  attendanceIntervals: z
    .array(
      z.object({
        joinDateTime: z.string().nullish(),
        leaveDateTime: z.string().nullish(),
        durationInSeconds: z.number().nullish(),
      }),
    )
    .nullish(),
});
const dateTimeTimeZoneSchema = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });
const scheduleListSchema = z.object({
  value: z.array(
    z.object({
      scheduleId: z.string(),
      scheduleItems: z
        .array(
          z.object({
            status: z.string().nullish(),
            start: dateTimeTimeZoneSchema,
            end: dateTimeTimeZoneSchema,
          }),
        )
        .nullish(),
      error: z.object({ message: z.string().nullish(), responseCode: z.string().nullish() }).nullish(),
    }),
  ),
});

const freeBusyStatuses: ReadonlySet<string> = new Set<FreeBusyBlock['status']>([
  'busy',
  'tentative',
  'oof',
  'workingElsewhere',
  'free',
  'unknown',
]);

const UTC_NAMES: ReadonlySet<string> = new Set(['utc', 'etc/utc', 'coordinated universal time']);

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Graph's dateTimeTimeZone for an instant, always in UTC so no zone arithmetic happens on either side. */
function utcDateTime(instant: Instant): { dateTime: string; timeZone: 'UTC' } {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`'${instant}' is not an ISO 8601 instant`);
  return { dateTime: new Date(ms).toISOString().slice(0, 23), timeZone: 'UTC' };
}

/** Back from Graph's dateTimeTimeZone (asked for in UTC) to an ISO instant. */
function instantFromUtc(value: z.infer<typeof dateTimeTimeZoneSchema>, operation: string): Instant {
  const zone = (value.timeZone ?? 'UTC').toLowerCase();
  if (!UTC_NAMES.has(zone)) {
    // We asked for UTC (Prefer: outlook.timezone); another zone means the header was dropped on the way.
    throw new GraphCallError(operation, 200, 'UnexpectedTimeZone');
  }
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/i.test(value.dateTime);
  // Outlook writes seven fractional digits; Date.parse wants at most three.
  const trimmed = value.dateTime.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(hasOffset ? trimmed : `${trimmed}Z`);
  if (Number.isNaN(ms)) throw new GraphCallError(operation, 200, 'UnreadableDateTime');
  return new Date(ms).toISOString();
}

/** Graph's times normalised to our Instant form; one that cannot be read is passed on as given. */
function isoInstant(value: string | null | undefined): Instant {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? (value ?? '') : new Date(ms).toISOString();
}

/**
 * The user a member bind points at: always the Entra object id. Graph resolves binds by id, and a
 * guest's e-mail is not its user principal name, so an e-mail would find no one.
 */
function userKey(person: Person): string {
  if (!person.aadObjectId) {
    throw new Error('A person needs an Entra object id to be added to a team or channel');
  }
  return person.aadObjectId;
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const directoryUserSchema = z.object({
  id: z.string(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  userType: z.string().nullish(),
});
const directoryPageSchema = z.object({ value: z.array(directoryUserSchema) });
const pickedUserSchema = directoryUserSchema.extend({ displayName: z.string().nullish() });
const memberResultSchema = z.object({
  value: z.array(
    z.object({
      userId: z.string().nullish(),
      error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
    }),
  ),
});

/** Graph's error texts for "that name is taken", as seen from channel creation. */
function isDuplicateName(error: GraphError): boolean {
  if (error.statusCode === 409) return true;
  if (error.code === 'NameAlreadyExists') return true;
  return error.statusCode === 400 && /already exist/i.test(error.message);
}

function isAlreadyMemberAnswer(status: number, body: unknown): boolean {
  if (status === 409) return true;
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return status === 400 && typeof message === 'string' && /already (a )?member|already exists/i.test(message);
}

function isAlreadyInstalled(error: GraphError): boolean {
  if (error.statusCode === 409) return true;
  return error.statusCode === 400 && /already (been )?installed|already exists/i.test(error.message);
}

export class GraphTeamspace implements Teamspace {
  private readonly lookupAttempts: number;
  private readonly lookupDelayMs: number;
  private readonly bindRoot: string;

  private readonly batchOptions: BatchOptions;
  /** Organisers' object ids by the mailbox they were configured as: the online meeting calls need ids. */
  private readonly organizerIds = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly logger: GraphLogger = silentGraphLogger,
    options: GraphTeamspaceOptions = {},
  ) {
    this.batchOptions = { delayScale: options.batchDelayScale ?? 1 };
    this.lookupAttempts = Math.max(1, options.lookupAttempts ?? 3);
    this.lookupDelayMs = options.lookupDelayMs ?? 2000;
    this.bindRoot = (options.bindRoot ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
  }

  // ---- channels and members ---------------------------------------------------------------------

  async findPostedMessage(teamId: string, channelId: string, token: string): Promise<string | undefined> {
    return new GraphChannelMessages(this.client).findContaining(teamId, channelId, undefined, token);
  }

  async findChannel(teamId: string, displayName: string): Promise<{ id: string } | undefined> {
    const operation = 'GET /teams/{teamId}/channels?$filter=displayName';
    const filter = `displayName eq ${odataString(displayName)}`;
    const answer = await this.call(operation, () =>
      this.client
        .api(`/teams/${encodeURIComponent(teamId)}/channels`)
        .filter(encodeURIComponent(filter))
        .select('id,displayName')
        .get(),
    );
    const channels = this.parse(operation, channelListSchema, answer).value;
    return channels.length > 0 ? { id: channels[0].id } : undefined;
  }

  async createChannel(spec: ChannelSpec): Promise<{ id: string }> {
    if ([...spec.displayName].length > channelNameMaxLength) {
      throw new Error(`A channel name may have at most ${channelNameMaxLength} characters`);
    }
    const existing = await this.findChannel(spec.teamId, spec.displayName);
    if (existing) {
      this.logger.debug(
        { teamId: spec.teamId, channelId: existing.id },
        'graph: channel already exists, reused',
      );
      return existing;
    }
    const operation = 'POST /teams/{teamId}/channels';
    const body = {
      displayName: spec.displayName,
      description: spec.description,
      membershipType: spec.membershipType,
      // An application must name an owner when it creates a private or shared channel.
      members: [this.memberBody(spec.owner, ['owner'])],
    };
    try {
      const created: unknown = await this.client
        .api(`/teams/${encodeURIComponent(spec.teamId)}/channels`)
        .post(body);
      const channel = this.parse(operation, channelSchema, created);
      this.logger.debug({ teamId: spec.teamId, channelId: channel.id }, 'graph: channel created');
      return { id: channel.id };
    } catch (error) {
      const failure = callError(operation, error);
      const duplicate = error instanceof GraphError && isDuplicateName(error);
      if (!duplicate && !failure.mayHaveLanded) throw failure;
      // Either Graph says the name is taken (an earlier attempt of ours got through) or we cannot tell
      // whether this one did: look again rather than create a second channel.
      this.logger.warn(
        { teamId: spec.teamId, status: failure.status, code: failure.code },
        'graph: channel create failed in a way that may have landed; looking it up',
      );
      const found = await this.findChannelSettled(spec.teamId, spec.displayName);
      if (found) return found;
      throw failure;
    }
  }

  // ---- people ---------------------------------------------------------------------------------

  async resolvePeople(emails: readonly string[]): Promise<Map<string, DirectoryPerson>> {
    const operation = 'GET /users?$filter=mail in (…)';
    const wanted = [...new Set(emails.map((email) => email.trim().toLowerCase()).filter(Boolean))];
    const found = new Map<string, DirectoryPerson>();
    // Members' e-mail is usually their sign-in name, guests' never is: look by mail first, then by
    // user principal name for whoever is left (a member whose mail differs from their UPN).
    for (const property of ['mail', 'userPrincipalName'] as const) {
      const left = wanted.filter((email) => !found.has(email));
      if (left.length === 0) break;
      const steps: BatchStep[] = [];
      for (let offset = 0; offset < left.length; offset += usersFilterValues) {
        const values = left
          .slice(offset, offset + usersFilterValues)
          .map(odataString)
          .join(',');
        const query = `$filter=${encodeURIComponent(`${property} in (${values})`)}&$select=id,mail,userPrincipalName,userType`;
        steps.push({ id: `${property}-${steps.length + 1}`, method: 'GET', url: `/users?${query}` });
      }
      const answers = await sendBatch(this.client, operation, steps, this.batchOptions);
      for (const answer of answers.values()) {
        if (answer.status !== 200) throw new GraphCallError(operation, answer.status, stepErrorCode(answer));
        for (const user of this.parse(operation, directoryPageSchema, answer.body).value) {
          const email = (property === 'mail' ? user.mail : user.userPrincipalName)?.toLowerCase();
          if (!email || !left.includes(email)) continue;
          const userType =
            user.userType === 'Member' || user.userType === 'Guest' ? user.userType : 'Unknown';
          found.set(email, { aadObjectId: user.id, userType });
        }
      }
    }
    return found;
  }

  async findPersonById(
    aadObjectId: string,
  ): Promise<(DirectoryPerson & { name: string; email?: string }) | undefined> {
    const operation = 'GET /users/{id}';
    let answer: unknown;
    try {
      answer = await this.call(operation, () =>
        this.client
          .api(`/users/${encodeURIComponent(aadObjectId)}`)
          .select('id,displayName,mail,userPrincipalName,userType')
          .get(),
      );
    } catch (error) {
      // Request_ResourceNotFound: no user has that id (a 400 when the id is not even a GUID).
      if (error instanceof GraphCallError && (error.status === 404 || error.status === 400)) return undefined;
      throw error;
    }
    const user = this.parse(operation, pickedUserSchema, answer);
    const userType = user.userType === 'Member' || user.userType === 'Guest' ? user.userType : 'Unknown';
    // A guest's sign-in name is not their e-mail: only `mail` is theirs to give.
    const email = user.mail ?? (userType === 'Member' ? user.userPrincipalName : undefined) ?? undefined;
    return {
      aadObjectId: user.id,
      userType,
      name: user.displayName ?? email ?? user.id,
      ...(email && { email }),
    };
  }

  async addTeamMembers(teamId: string, aadObjectIds: readonly string[]): Promise<MemberAddResult> {
    const operation = 'POST /teams/{teamId}/members/add';
    const ids = [...new Set(aadObjectIds)];
    const failed = new Map<string, string>();
    for (let offset = 0; offset < ids.length; offset += membersPerBulkAdd) {
      const chunk = ids.slice(offset, offset + membersPerBulkAdd);
      const answer = await this.call(operation, () =>
        this.client.api(`/teams/${encodeURIComponent(teamId)}/members/add`).post({
          values: chunk.map((id) => this.memberBody({ aadObjectId: id, name: '' }, [])),
        }),
      );
      // 200 means all were added, 207 some: each result says which (an existing member is not an error).
      for (const result of this.parse(operation, memberResultSchema, answer).value) {
        if (result.error && result.userId) failed.set(result.userId, result.error.code ?? 'Unknown');
      }
    }
    return { failed };
  }

  async enableAppInChannel(
    teamId: string,
    channelId: string,
    teamsAppId: string,
    membershipType: ChannelSpec['membershipType'],
  ): Promise<void> {
    const operation = 'POST /teams/{teamId}/channels/{channelId}/enabledApps/$ref';
    // v1.0 allows this only for shared channels; private channels need the beta endpoint.
    // https://learn.microsoft.com/graph/api/channel-post-enabledapps
    const version = membershipType === 'private' ? 'beta' : 'v1.0';
    const bindRoot = this.bindRoot.replace(/\/v1\.0$/, `/${version}`);
    try {
      await this.client
        .api(
          `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/enabledApps/$ref`,
        )
        .version(version)
        .post({ '@odata.id': `${bindRoot}/appCatalogs/teamsApps/${encodeURIComponent(teamsAppId)}` });
    } catch (error) {
      if (error instanceof GraphError && isAlreadyInstalled(error)) return;
      throw callError(operation, error);
    }
  }

  async addChannelMembers(
    teamId: string,
    channelId: string,
    aadObjectIds: readonly string[],
  ): Promise<MemberAddResult> {
    const operation = 'POST /teams/{teamId}/channels/{channelId}/members';
    const url = `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/members`;
    const ids = [...new Set(aadObjectIds)];
    const steps = ids.map((id, index) => ({
      id: String(index + 1),
      method: 'POST' as const,
      url,
      body: this.memberBody({ aadObjectId: id, name: '' }, []),
    }));
    const answers = await sendBatch(this.client, operation, steps, this.batchOptions);
    const failed = new Map<string, string>();
    for (const [index, id] of ids.entries()) {
      const answer = answers.get(String(index + 1));
      if (!answer) continue;
      if (answer.status < 300 || isAlreadyMemberAnswer(answer.status, answer.body)) continue;
      // Graph failing on its side (or still throttling) says nothing about the person: the whole call
      // failed and is tried again (an add that landed is "already a member" then). Reported as this
      // person's failure it would tell the business unit someone must fix something.
      if (answer.status >= 500 || answer.status === 429) {
        throw new GraphCallError(operation, answer.status, stepErrorCode(answer));
      }
      failed.set(id, stepErrorCode(answer));
    }
    return { failed };
  }

  /** The organiser's object id: online meetings and attendance reports take only ids. */
  private async organizerId(organizer: string): Promise<string> {
    if (OBJECT_ID.test(organizer)) return organizer;
    const known = this.organizerIds.get(organizer.toLowerCase());
    if (known) return known;
    const operation = 'GET /users/{organizer}';
    const answer = await this.call(operation, () =>
      this.client
        .api(`/users/${encodeURIComponent(organizer)}`)
        .select('id')
        .get(),
    );
    const id = this.parse(operation, z.object({ id: z.string() }), answer).id;
    this.organizerIds.set(organizer.toLowerCase(), id);
    return id;
  }

  private memberBody(person: Person, roles: string[]): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      'user@odata.bind': `${this.bindRoot}/users(${odataString(userKey(person))})`,
      roles,
    };
  }

  private async findChannelSettled(teamId: string, displayName: string): Promise<{ id: string } | undefined> {
    const attempts = this.lookupAttempts;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const found = await this.findChannel(teamId, displayName);
        if (found) return found;
      } catch (error) {
        this.logger.warn({ teamId, code: callError('lookup', error).code }, 'graph: channel lookup failed');
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, this.lookupDelayMs));
    }
    return undefined;
  }

  // ---- calendars ------------------------------------------------------------------------------

  async getSchedules(
    organizer: string,
    emails: string[],
    start: Instant,
    end: Instant,
  ): Promise<PersonSchedule[]> {
    const operation = 'POST /users/{organizer}/calendar/getSchedule';
    const wanted = [...new Set(emails)];
    const schedules: PersonSchedule[] = [];
    for (let offset = 0; offset < wanted.length; offset += schedulesPerRequest) {
      const chunk = wanted.slice(offset, offset + schedulesPerRequest);
      const answer = await this.call(operation, () =>
        this.client
          .api(`/users/${encodeURIComponent(organizer)}/calendar/getSchedule`)
          // Times come back in UTC, so no Windows time-zone names need converting here.
          .header('Prefer', 'outlook.timezone="UTC"')
          .post({
            schedules: chunk,
            startTime: utcDateTime(start),
            endTime: utcDateTime(end),
            availabilityViewInterval: availabilityViewIntervalMinutes,
          }),
      );
      const returned = this.parse(operation, scheduleListSchema, answer).value;
      const byId = new Map(returned.map((item) => [item.scheduleId.toLowerCase(), item]));
      for (const scheduleId of chunk) {
        const item = byId.get(scheduleId.toLowerCase());
        if (!item) {
          schedules.push({ scheduleId, busy: [], error: 'NotReturned' });
          continue;
        }
        if (item.error) {
          // The response code (e.g. ErrorMailRecipientNotFound) says why without repeating the address.
          schedules.push({ scheduleId, busy: [], error: item.error.responseCode ?? 'CalendarUnreadable' });
          continue;
        }
        schedules.push({
          scheduleId,
          busy: (item.scheduleItems ?? []).map((scheduleItem) => ({
            start: instantFromUtc(scheduleItem.start, operation),
            end: instantFromUtc(scheduleItem.end, operation),
            status: (freeBusyStatuses.has(scheduleItem.status ?? '')
              ? scheduleItem.status
              : 'unknown') as FreeBusyBlock['status'],
          })),
        });
      }
    }
    return schedules;
  }

  async createMeeting(request: MeetingRequest): Promise<BookedMeeting> {
    const operation = 'POST /users/{organizer}/events';
    const withoutEmail = request.attendees.filter((person) => !person.email).length;
    if (withoutEmail > 0) {
      throw new Error(`${withoutEmail} attendee(s) have no email address and cannot be invited`);
    }
    const answer = await this.call(operation, () =>
      this.client.api(`/users/${encodeURIComponent(request.organizer)}/events`).post({
        subject: request.subject,
        start: utcDateTime(request.start),
        end: utcDateTime(request.end),
        attendees: request.attendees.map((person) => ({
          emailAddress: { address: person.email, name: person.name },
          type: 'required',
        })),
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        // Graph returns the first event for a repeated transactionId instead of booking a second.
        transactionId: request.transactionId,
      }),
    );
    const event = this.parse(operation, eventSchema, answer);
    let joinUrl = event.onlineMeeting?.joinUrl ?? undefined;
    if (!joinUrl) {
      // The Teams link is sometimes filled in a moment after the event is created.
      const getOperation = 'GET /users/{organizer}/events/{eventId}';
      const again = await this.call(getOperation, () =>
        this.client
          .api(`/users/${encodeURIComponent(request.organizer)}/events/${encodeURIComponent(event.id)}`)
          .select('id,onlineMeeting')
          .get(),
      );
      joinUrl = this.parse(getOperation, eventSchema, again).onlineMeeting?.joinUrl ?? undefined;
    }
    if (!joinUrl) throw new GraphCallError(operation, 201, 'NoOnlineMeetingJoinUrl');
    return { eventId: event.id, joinUrl };
  }

  async updateMeeting(organizer: string, eventId: string, start: Instant, end: Instant): Promise<void> {
    await this.call('PATCH /users/{organizer}/events/{eventId}', () =>
      this.client
        .api(`/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}`)
        .patch({ start: utcDateTime(start), end: utcDateTime(end) }),
    );
  }

  async cancelMeeting(organizer: string, eventId: string, comment: string): Promise<void> {
    const operation = 'POST /users/{organizer}/events/{eventId}/cancel';
    try {
      // cancel (not DELETE) sends attendees the cancellation with the comment.
      await this.client
        .api(`/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}/cancel`)
        .post({ Comment: comment });
    } catch (error) {
      if (error instanceof GraphError && error.statusCode === 404) {
        // A cancelled event leaves the calendar: a repeated cancel finds nothing, which is the goal.
        this.logger.warn(
          { code: error.code },
          'graph: event to cancel not found; treated as already cancelled',
        );
        return;
      }
      throw callError(operation, error);
    }
  }

  // ---- online meetings ------------------------------------------------------------------------

  async findOnlineMeeting(organizer: string, joinUrl: string): Promise<OnlineMeetingInfo | undefined> {
    const operation = 'GET /users/{organizer}/onlineMeetings?$filter=JoinWebUrl';
    const filter = `JoinWebUrl eq ${odataString(joinUrl)}`;
    const organizerId = await this.organizerId(organizer);
    const answer = await this.call(operation, () =>
      this.client
        .api(`/users/${encodeURIComponent(organizerId)}/onlineMeetings`)
        .filter(encodeURIComponent(filter))
        .get(),
    );
    const meeting = this.parse(operation, onlineMeetingListSchema, answer).value[0];
    if (!meeting) return undefined;
    if (!meeting.chatInfo) throw new GraphCallError(operation, 200, 'NoChatInfo');
    return { id: meeting.id, chatId: meeting.chatInfo.threadId };
  }

  async attendanceRecords(organizer: string, onlineMeetingId: string): Promise<AttendanceRecord[]> {
    const organizerId = await this.organizerId(organizer);
    const meetingPath = `/users/${encodeURIComponent(organizerId)}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}`;
    const reports = await this.allPages(
      'GET /users/{organizer}/onlineMeetings/{meetingId}/attendanceReports',
      `${meetingPath}/attendanceReports`,
      reportSchema,
    );
    const records: AttendanceRecord[] = [];
    // A meeting joined more than once (or reopened) has one report per session; all count.
    for (const report of reports) {
      const page = await this.allPages(
        'GET /users/{organizer}/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords',
        `${meetingPath}/attendanceReports/${encodeURIComponent(report.id)}/attendanceRecords`,
        attendanceRecordSchema,
      );
      for (const record of page) {
        const intervals = (record.attendanceIntervals ?? []).map((interval) => ({
          join: isoInstant(interval.joinDateTime),
          leave: isoInstant(interval.leaveDateTime),
          seconds: interval.durationInSeconds ?? 0,
        }));
        records.push({
          ...(record.identity?.id ? { aadObjectId: record.identity.id } : {}),
          ...(record.emailAddress ? { email: record.emailAddress } : {}),
          name: record.identity?.displayName ?? record.emailAddress ?? '',
          ...(record.role ? { role: record.role } : {}),
          totalSeconds:
            record.totalAttendanceInSeconds ?? intervals.reduce((sum, interval) => sum + interval.seconds, 0),
          intervals,
        });
      }
    }
    return records;
  }

  async installAppInChat(chatId: string, teamsAppId: string): Promise<void> {
    const consentedPermissions = chatConsentPermissions;
    const operation = 'POST /chats/{chatId}/installedApps';
    try {
      await this.client.api(`/chats/${encodeURIComponent(chatId)}/installedApps`).post({
        // The app's id in the tenant's app catalog (for an org-published app this is not the manifest id).
        'teamsApp@odata.bind': `${this.bindRoot}/appCatalogs/teamsApps/${encodeURIComponent(teamsAppId)}`,
        // An app declaring application RSC permissions must name them here, or the install is refused.
        // https://learn.microsoft.com/graph/api/chat-post-installedapps
        ...(consentedPermissions.length > 0 && {
          consentedPermissionSet: {
            resourceSpecificPermissions: consentedPermissions.map((permissionValue) => ({
              permissionValue,
              permissionType: 'application',
            })),
          },
        }),
      });
    } catch (error) {
      if (error instanceof GraphError && isAlreadyInstalled(error)) {
        this.logger.debug({ code: error.code }, 'graph: app already installed in the chat');
        return;
      }
      throw callError(operation, error);
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** Runs one call, turning any failure into a GraphCallError. */
  private async call(operation: string, send: () => Promise<unknown>): Promise<unknown> {
    try {
      return await send();
    } catch (error) {
      throw callError(operation, error);
    }
  }

  private parse<T>(operation: string, schema: z.ZodType<T>, answer: unknown): T {
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new GraphCallError(operation, 200, 'UnexpectedResponseShape');
    return parsed.data;
  }

  /** Follows @odata.nextLink to the end; Graph pages long lists. */
  private async allPages<T>(operation: string, firstPath: string, item: z.ZodType<T>): Promise<T[]> {
    const items: T[] = [];
    let path: string | undefined = firstPath;
    for (let page = 0; path !== undefined; page += 1) {
      if (page >= 100) throw new GraphCallError(operation, 200, 'TooManyPages');
      const current: string = path;
      const answer = this.parse(
        operation,
        pageSchema,
        await this.call(operation, () => this.client.api(current).get()),
      );
      for (const value of answer.value) items.push(this.parse(operation, item, value));
      path = answer['@odata.nextLink'] ? pathAfterVersion(answer['@odata.nextLink']) : undefined;
    }
    return items;
  }
}

/**
 * A nextLink is a whole URL on Graph's public host; the client is pointed at its own root (possibly the
 * local sandbox), so only the part after the version is kept.
 */
function pathAfterVersion(nextLink: string): string {
  const url = new URL(nextLink);
  const path = url.pathname.replace(/^\/[^/]+/, '');
  return `${path}${url.search}`;
}
