/**
 * The simulation's Teams: it records every post with the simulated time it landed, and answers
 * PostedActivityLookup from that record, as the real lookup answers from Teams itself. It also counts
 * what a real channel would show a person: how many times each alert appeared.
 */
import type { Clock, Messenger, OutgoingMessage, PostedThread } from '../../review/ports';
import { alertToken, alertTokenIn } from '../dispatcher';
import type { PostedActivityLookup } from '../outbox';

export interface RecordedPost {
  activityId: string;
  conversationId: string;
  /** The alert token in the text (see dispatcher.alertMarker), when the post is an alert. */
  token: string | undefined;
  text: string;
  mentions: string[];
  at: Date;
}

function conversationIdOf(reference: unknown): string {
  if (typeof reference === 'object' && reference !== null && 'conversation' in reference) {
    const conversation = (reference as { conversation?: { id?: unknown } }).conversation;
    if (typeof conversation?.id === 'string') return conversation.id;
  }
  return String(reference);
}

export class RecordingMessenger implements Messenger, PostedActivityLookup {
  readonly posts: RecordedPost[] = [];
  private readonly byToken = new Map<string, RecordedPost[]>();
  /** Set to make the next posts fail before they land (as Teams answering 502 would). */
  failNext = 0;

  constructor(private readonly clock: Clock) {}

  async startThread(teamsChannelId: string, message: OutgoingMessage): Promise<PostedThread> {
    const posted = this.record({ conversation: { id: teamsChannelId } }, message);
    return { conversationReference: { conversation: { id: teamsChannelId } }, activityId: posted.activityId };
  }

  async post(conversationReference: unknown, message: OutgoingMessage): Promise<{ activityId: string }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('Teams answered 502 Bad Gateway');
    }
    return { activityId: this.record(conversationReference, message).activityId };
  }

  async update(): Promise<void> {
    // Alerts are never updated; nothing to record.
  }

  async findByKey(key: string): Promise<string | undefined> {
    return this.byToken.get(alertToken(key))?.[0]?.activityId;
  }

  /** How many times the alert with this key appeared. */
  timesPosted(key: string): number {
    return this.byToken.get(alertToken(key))?.length ?? 0;
  }

  private record(conversationReference: unknown, message: OutgoingMessage): RecordedPost {
    const text = message.text ?? '';
    const post: RecordedPost = {
      activityId: `activity-${this.posts.length + 1}`,
      conversationId: conversationIdOf(conversationReference),
      token: alertTokenIn(text),
      text,
      mentions: (message.mentions ?? []).map((person) => person.name),
      at: this.clock.now(),
    };
    this.posts.push(post);
    if (post.token) this.byToken.set(post.token, [...(this.byToken.get(post.token) ?? []), post]);
    return post;
  }
}

/** A clock the simulation moves by hand. */
export class SimulatedClock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: Date): void {
    this.current = new Date(instant.getTime());
  }
}
