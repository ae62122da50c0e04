/**
 * The Teams activity handler: turns messages and card actions into flow calls, and flow results into
 * replies. It holds no domain logic: what a command does lives in bot/flows/.
 */
import {
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Activity,
  type TeamsMeetingMember,
} from 'botbuilder';
import type { LiveParticipant } from '../../review/liveAttendance';
import type { Person } from '../../review/model';
import { meetingEnded, meetingStarted, participantsChanged, type MeetingChat } from '../flows/meetingEvents';
import { representativesNotSeen } from '../flows/quorum';
import { actorOf, type FlowDeps } from '../flows/deps';
import { cardResponse, type CardReply, routeCardAction, textCommand, type Place } from '../flows/commands';
import type { BotMessenger } from './botMessenger';

type ChannelData = {
  channel?: { id?: string };
  team?: { id?: string };
  meeting?: { id?: string };
  tenant?: { id?: string };
};

export class RapidReviewBot extends TeamsActivityHandler {
  /** Emails learnt from the roster, by AAD object id: one roster call per person, not per turn. */
  private readonly emails = new Map<string, string>();

  constructor(
    private readonly deps: FlowDeps,
    private readonly messenger?: BotMessenger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      this.messenger?.learnEndpoint(context.activity);
      await this.handleMessage(context);
      await next();
    });
    this.handleMeetingEvents();
  }

  /**
   * Meeting-chat events (the bot is installed in the chat when the meeting is booked). Teams does not
   * put emails in join events, and representatives are registered by email, so each participant's
   * email is looked up in the roster once.
   */
  private handleMeetingEvents(): void {
    const chatOf = (context: TurnContext, joinUrl?: string): MeetingChat => ({
      chatId: context.activity.conversation?.id,
      ...(joinUrl ? { joinUrl } : {}),
    });
    const participants = async (context: TurnContext, members: TeamsMeetingMember[] | undefined) => {
      const known: LiveParticipant[] = [];
      for (const member of members ?? []) {
        const { id, aadObjectId, name } = member.user ?? {};
        if (!aadObjectId) continue;
        const email = await this.emailOf(context, id ?? aadObjectId, aadObjectId);
        known.push({ aadObjectId, ...(name ? { name } : {}), ...(email ? { email } : {}) });
      }
      return known;
    };
    this.onTeamsMeetingStartEvent(async (meeting, context, next) => {
      this.messenger?.learnEndpoint(context.activity);
      const reply = await meetingStarted(this.deps, chatOf(context, meeting.joinUrl));
      if (reply) await context.sendActivity(cardResponse(reply));
      await next();
    });
    this.onTeamsMeetingParticipantsJoinEvent(async (event, context, next) => {
      await participantsChanged(
        this.deps,
        chatOf(context),
        'join',
        await participants(context, event.members),
      );
      await next();
    });
    this.onTeamsMeetingParticipantsLeaveEvent(async (event, context, next) => {
      await participantsChanged(
        this.deps,
        chatOf(context),
        'leave',
        await participants(context, event.members),
      );
      await next();
    });
    this.onTeamsMeetingEndEvent(async (meeting, context, next) => {
      this.messenger?.learnEndpoint(context.activity);
      await meetingEnded(this.deps, chatOf(context, meeting.joinUrl));
      await next();
    });
  }

  /**
   * Before answering in a meeting chat: asks Teams whether the statutory partners' representatives
   * the bot has not seen join are in the meeting after all (they may have joined before the bot was
   * added). Only people whose object id the bot knows can be asked; the rest wait for their events.
   */
  private async probeMeetingParticipants(context: TurnContext, meetingId: string): Promise<void> {
    const chat: MeetingChat = { chatId: context.activity.conversation?.id };
    const found: LiveParticipant[] = [];
    for (const rep of await representativesNotSeen(this.deps, chat)) {
      const email = rep.email?.toLowerCase();
      const aadObjectId =
        rep.aadObjectId ?? [...this.emails].find(([, known]) => known.toLowerCase() === email)?.[0];
      if (!aadObjectId) continue;
      try {
        const participant = await TeamsInfo.getMeetingParticipant(context, meetingId, aadObjectId);
        if (participant.meeting?.inMeeting) {
          found.push({ aadObjectId, name: rep.name, ...(rep.email ? { email: rep.email } : {}) });
        }
      } catch {
        // 403 when the app is not in the meeting, 404 for someone not invited: nothing to add.
      }
    }
    if (found.length > 0) await participantsChanged(this.deps, chat, 'join', found);
  }

  private async emailOf(
    context: TurnContext,
    memberId: string,
    aadObjectId: string,
  ): Promise<string | undefined> {
    const known = this.emails.get(aadObjectId);
    if (known) return known;
    try {
      const member = await TeamsInfo.getMember(context, memberId);
      const email = member.email ?? member.userPrincipalName;
      if (email) this.emails.set(aadObjectId, email);
      return email ?? undefined;
    } catch {
      // A guest from another tenant may not be in the roster: the object id is still recorded.
      return undefined;
    }
  }

  /** Where a message was said decides what the bot may answer there (see DOMAIN.md, need-to-know). */
  private async placeOf(context: TurnContext): Promise<Place> {
    const activity = context.activity;
    const data = (activity.channelData ?? {}) as ChannelData;
    if (data.meeting?.id) return { kind: 'meeting-chat', meetingId: data.meeting.id };
    if (activity.conversation.conversationType === 'personal') return { kind: 'personal' };
    const channelId = data.channel?.id;
    if (channelId && channelId === this.deps.settings.businessUnitChannelId)
      return { kind: 'business-unit-channel' };
    if (channelId) {
      const review = await this.deps.store.findByChannel(channelId);
      if (review) return { kind: 'review-channel', reviewId: review.id };
      return { kind: 'other-channel' };
    }
    return { kind: 'group-chat' };
  }

  private async personOf(context: TurnContext): Promise<Person> {
    const from = context.activity.from;
    const person: Person = { aadObjectId: from.aadObjectId, name: from.name ?? 'Unknown user' };
    // Representatives are registered by email; Teams gives the email through the roster, not the
    // activity, so look it up once per person.
    const known = from.aadObjectId ? this.emails.get(from.aadObjectId) : undefined;
    if (known) return { ...person, email: known };
    try {
      const member = await TeamsInfo.getMember(context, from.id);
      const email = member.email ?? member.userPrincipalName;
      if (email) {
        person.email = email;
        if (from.aadObjectId) this.emails.set(from.aadObjectId, email);
      }
    } catch {
      // Outside a team or chat roster there may be no member lookup; the AAD object id still matches.
    }
    return person;
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const actor = actorOf(this.deps.settings.businessUnit, await this.personOf(context));
    const place = await this.placeOf(context);
    if (place.kind === 'meeting-chat') await this.probeMeetingParticipants(context, place.meetingId);
    const value = context.activity.value as Record<string, unknown> | undefined;
    let reply: CardReply;
    if (value && typeof value === 'object' && typeof value.verb === 'string') {
      // Action.Submit fallback from a client without Universal Actions.
      const { verb, ...data } = value;
      reply = await routeCardAction(
        this.deps,
        verb,
        data,
        actor,
        place,
        TurnContext.getConversationReference(context.activity),
      );
    } else {
      const text = (
        TurnContext.removeRecipientMention(context.activity as Activity) ??
        context.activity.text ??
        ''
      ).trim();
      reply = await textCommand(
        this.deps,
        text,
        actor,
        place,
        TurnContext.getConversationReference(context.activity),
      );
    }
    await context.sendActivity(cardResponse(reply));
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    this.messenger?.learnEndpoint(context.activity);
    const actor = actorOf(this.deps.settings.businessUnit, await this.personOf(context));
    const place = await this.placeOf(context);
    if (place.kind === 'meeting-chat') await this.probeMeetingParticipants(context, place.meetingId);
    const { verb, data } = invokeValue.action;
    const reply = await routeCardAction(
      this.deps,
      verb,
      (data ?? {}) as Record<string, unknown>,
      actor,
      place,
      TurnContext.getConversationReference(context.activity),
    );
    if (reply.card) {
      return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card };
    }
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: reply.text ?? '',
    } as never;
  }
}
