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

/** Channels, members, calendars and online meetings: Microsoft Graph in production. */
export interface Teamspace {
  /** Finds an existing channel by display name (used to resume after a crash). */
  findChannel(teamId: string, displayName: string): Promise<{ id: string } | undefined>;
  /** Creates the channel, or returns the existing one of the same name: never two. */
  createChannel(spec: ChannelSpec): Promise<{ id: string }>;
  /** Adds a member; adding someone already there is success. */
  addMember(teamId: string, channelId: string, person: Person): Promise<void>;
  getSchedules(organizer: string, emails: string[], start: Instant, end: Instant): Promise<PersonSchedule[]>;
  createMeeting(request: MeetingRequest): Promise<BookedMeeting>;
  updateMeeting(organizer: string, eventId: string, start: Instant, end: Instant): Promise<void>;
  cancelMeeting(organizer: string, eventId: string, comment: string): Promise<void>;
  findOnlineMeeting(organizer: string, joinUrl: string): Promise<OnlineMeetingInfo | undefined>;
  attendanceRecords(organizer: string, onlineMeetingId: string): Promise<AttendanceRecord[]>;
  installAppInChat(chatId: string, teamsAppId: string): Promise<void>;
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
  /** Posts into an existing conversation (a channel thread, a chat). */
  post(conversationReference: unknown, message: OutgoingMessage): Promise<{ activityId: string }>;
  /** Replaces a posted message for everyone (e.g. a scoping card after a return). */
  update(conversationReference: unknown, activityId: string, message: OutgoingMessage): Promise<void>;
  /**
   * Teams user ids ('29:…') of people in a conversation, looked up by email (UPN) or object id.
   * Cards give per-user views only to these ids. People Teams does not know yet are left out.
   */
  teamsUserIds?(conversationReference: unknown, people: Person[]): Promise<Record<string, string>>;
}
