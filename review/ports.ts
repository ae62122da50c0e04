/**
 * The interfaces through which the core talks to the outside world. The core owns them; bot/ and
 * graph/ implement them; tests and the simulation use in-memory versions. No SDK type appears here,
 * so a move from botbuilder to its successor, or a Graph change, stays in one folder.
 */
import type { Instant, Person } from './model';

/** Time is injected: no `new Date()` inside the core. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ChannelSpec {
  teamId: string;
  /** The review reference, never a name; at most 50 characters (Graph's limit). */
  displayName: string;
  description: string;
  membershipType: 'private' | 'shared';
  owner: Person;
}

export interface FreeBusyBlock {
  start: Instant;
  end: Instant;
  status: 'busy' | 'tentative' | 'oof' | 'workingElsewhere' | 'free' | 'unknown';
}

export interface PersonSchedule {
  /** The email the schedule was asked for. */
  scheduleId: string;
  busy: FreeBusyBlock[];
  /** Set when the calendar could not be read (the person then blocks no slot but is reported). */
  error?: string;
}

export interface MeetingRequest {
  organizer: string;
  subject: string;
  start: Instant;
  end: Instant;
  attendees: Person[];
  /** Graph de-duplicates event creation on this id, so a retried booking never doubles up. */
  transactionId: string;
}

export interface BookedMeeting {
  eventId: string;
  joinUrl: string;
}

export interface OnlineMeetingInfo {
  id: string;
  chatId: string;
}

export interface AttendanceRecord {
  aadObjectId?: string;
  email?: string;
  name: string;
  role?: string;
  totalSeconds: number;
  intervals: { join: Instant; leave: Instant; seconds: number }[];
}

/** Someone found in the partnership's directory (Entra ID): members of the tenant and guests alike. */
export interface DirectoryPerson {
  /** The Entra object id: what channel membership, meetings and attendance reports need. */
  aadObjectId: string;
  /** 'Guest' for people from other organisations invited into the tenant. */
  userType: 'Member' | 'Guest' | 'Unknown';
}

/** People a bulk add could not add, by object id, with Graph's reason (an error code). */
export interface MemberAddResult {
  failed: Map<string, string>;
}

/** Channels, members, calendars and online meetings: Microsoft Graph in production. */
export interface Teamspace {
  /**
   * Looks people up in the directory by e-mail (a guest's e-mail is not its user principal name).
   * Answers by lower-cased e-mail; anyone not found is missing from the map.
   */
  resolvePeople(emails: readonly string[]): Promise<Map<string, DirectoryPerson>>;
  /**
   * Someone picked by object id (Teams' people picker) who is not in the partnership directory:
   * their name and e-mail from the tenant's directory; undefined when no such user exists.
   */
  findPersonById?(
    aadObjectId: string,
  ): Promise<(DirectoryPerson & { name: string; email?: string }) | undefined>;
  /** Adds people (by object id) to the team; people already there count as added. */
  addTeamMembers(teamId: string, aadObjectIds: readonly string[]): Promise<MemberAddResult>;
  /** Finds an existing channel by display name (used to resume after a crash). */
  findChannel(teamId: string, displayName: string): Promise<{ id: string } | undefined>;
  /** Creates the channel, or returns the existing one of the same name: never two. */
  createChannel(spec: ChannelSpec): Promise<{ id: string }>;
  /** Makes the bot's app available in a private or shared channel (they do not inherit the team's apps). */
  enableAppInChannel(
    teamId: string,
    channelId: string,
    teamsAppId: string,
    membershipType: ChannelSpec['membershipType'],
  ): Promise<void>;
  /** Adds people (by object id) to the channel; people already there count as added. */
  addChannelMembers(
    teamId: string,
    channelId: string,
    aadObjectIds: readonly string[],
  ): Promise<MemberAddResult>;
  getSchedules(organizer: string, emails: string[], start: Instant, end: Instant): Promise<PersonSchedule[]>;
  createMeeting(request: MeetingRequest): Promise<BookedMeeting>;
  updateMeeting(organizer: string, eventId: string, start: Instant, end: Instant): Promise<void>;
  cancelMeeting(organizer: string, eventId: string, comment: string): Promise<void>;
  findOnlineMeeting(organizer: string, joinUrl: string): Promise<OnlineMeetingInfo | undefined>;
  attendanceRecords(organizer: string, onlineMeetingId: string): Promise<AttendanceRecord[]>;
  /** Installs the app in a meeting chat, consenting to the chat permissions the app declares. */
  installAppInChat(chatId: string, teamsAppId: string): Promise<void>;
  /**
   * The id of a post at the top of the channel whose text or card carries `token`, if Teams holds one
   * among its latest posts; throws when Teams cannot say (unknown is not "absent").
   */
  findPostedMessage?(teamId: string, channelId: string, token: string): Promise<string | undefined>;
}

/** Something the bot posts: an Adaptive Card and/or text, with people to @mention. */
export interface OutgoingMessage {
  text?: string;
  card?: Record<string, unknown>;
  mentions?: Person[];
}

export interface PostedThread {
  /** Opaque, serialisable reference to the conversation (a Bot Framework ConversationReference). */
  conversationReference: unknown;
  activityId: string;
}

/** Posting into Teams: the Bot Framework in production (Graph cannot post as an app). */
export interface Messenger {
  /** Starts a new thread in a channel. */
  startThread(teamsChannelId: string, message: OutgoingMessage): Promise<PostedThread>;
  /** The thread a post already in a channel starts (one found in Teams rather than just posted). */
  threadOf?(teamsChannelId: string, activityId: string): PostedThread;
  /** Posts into an existing conversation (a channel thread, a chat). */
  post(conversationReference: unknown, message: OutgoingMessage): Promise<{ activityId: string }>;
  /** Replaces a posted message for everyone (e.g. a scoping card after a return). */
  update(conversationReference: unknown, activityId: string, message: OutgoingMessage): Promise<void>;
  /**
   * Teams user ids ('29:…') of people in a conversation, looked up by email (UPN) or object id.
   * Cards give per-user views only to these ids. People Teams does not know yet are left out. Keyed
   * by the person's object id, else their email, in lower case.
   */
  teamsUserIds?(conversationReference: unknown, people: Person[]): Promise<ReadonlyMap<string, string>>;
}
