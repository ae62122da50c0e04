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
import { channelAppInstalled } from '../flows/provisionReview';
import { representativesNotSeen } from '../flows/quorum';
import { actorOf, type FlowDeps } from '../flows/deps';
import { refuseCardAction, type CardActionRefusal } from '../flows/refusals';
import { cardResponse, routeCardAction, textCommand } from '../flows/commands';
import type { CardReply, Place } from '../flows/replies';
import { cardVerbs } from '../../cards/verbs';
import type { BotMessenger } from './botMessenger';

/** The scoping card's verbs: they show or take one agency's answers, so only in the review's channel. */
const scopingVerbs: ReadonlySet<string> = new Set([
  cardVerbs.scopingReturnRefresh,
  cardVerbs.scopingReturnSubmit,
]);

/** A verb as the bot's own cards send it: short, letters and dots. Anything else is not routed. */
const verbShape = /^[A-Za-z][A-Za-z.]{0,63}$/;

/** An id from Teams that the bot may look up (no control characters, not absurdly long). */
function lookupId(value: unknown): string | undefined {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && value.length <= 512 && !/[\u0000-\u001f]/.test(value)
    ? value
    : undefined;
}

/**
 * Why a card action must not be carried out where it was pressed, if it must not. The scoping card's
 * actions carry one agency's answers and the subject's details: pressed anywhere but the review's own
 * channel (a chat, another channel, another review's channel, a copy forwarded elsewhere) they are
 * refused without reading the review, so nothing about it is shown there.
 */
export function cardActionRefusal(verb: unknown, data: unknown, place: Place): CardActionRefusal | undefined {
  if (typeof verb !== 'string' || !verbShape.test(verb))
    return { code: 'unknown-verb', reason: 'This card action is not one I know.' };
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return { code: 'no-form-values', reason: 'The card sent no form values.' };
  // Every card that names a review names it by the id the bot put there: anything else (not text, a
  // NUL that PostgreSQL cannot even look up) is refused before any flow reads the store.
  const named = (data as Record<string, unknown>).reviewId;
  const id = lookupId(named);
  if (named !== undefined && (id === undefined || id === '' || id.length > 100)) {
    return { code: 'bad-review-id', reason: 'The card did not say which review this is.' };
  }
  // The same for the agency a scoping card names: a NUL in it failed the turn on PostgreSQL.
  const agency = (data as Record<string, unknown>).agencyId;
  const agencyId = lookupId(agency);
  if (agency !== undefined && (agencyId === undefined || agencyId === '' || agencyId.length > 100)) {
    return { code: 'bad-agency-id', reason: 'The card did not say which agency this is.' };
  }
  if (scopingVerbs.has(verb)) {
    const reviewId = (data as Record<string, unknown>).reviewId;
    if (place.kind !== 'review-channel' || typeof reviewId !== 'string' || reviewId !== place.reviewId) {
      return {
        code: 'wrong-place',
        reason: 'Scoping requests are answered on their card in the review’s own channel, and only there.',
      };
    }
  }
  return undefined;
}

/**
 * What an Action.Submit (the fallback of clients without Universal Actions) gets back outside a 1:1
 * chat. Its reply is a new message that every member of the channel reads, so it carries no answers
 * and no form: a short notice instead (what was saved, or which fields need attention).
 */
function publicNotice(verb: string, reply: CardReply): CardReply {
  if (!scopingVerbs.has(verb)) return reply;
  const notice = (reply as { notice?: unknown }).notice;
  if (typeof notice === 'string') return { text: notice };
  return {
    text:
      'Your agency’s form is not shown here, where the whole channel would read it: open the card ' +
      'in Teams on the web or the desktop to see and change your answers.',
  };
}

type ChannelData = {
  eventType?: string;
  channel?: { id?: string };
  /** id is the team's thread id ('19:…'); aadGroupId is its Graph (Microsoft 365 group) id. */
  team?: { id?: string; aadGroupId?: string };
  meeting?: { id?: string };
  tenant?: { id?: string };
};

/**
 * Whether a message is addressed to the bot. With the RSC permission ChannelMessage.Read.Group Teams
 * delivers every channel message (and with ChatMessage.Read.Chat every chat message), @mention or not
 * ("Receive all conversation messages with RSC"), so outside a personal chat the bot acts only when it
 * is @mentioned — or when the message is an Action.Submit from one of its own cards (value.verb).
 */
export function addressedToBot(activity: Partial<Activity>): boolean {
  if (activity.conversation?.conversationType === 'personal') return true;
  const value = activity.value as Record<string, unknown> | undefined;
  if (value && typeof value === 'object' && typeof value.verb === 'string') return true;
  const botId = activity.recipient?.id;
  return Boolean(
    botId &&
    (activity.entities ?? []).some(
      (entity) =>
        entity.type === 'mention' && (entity.mentioned as { id?: string } | undefined)?.id === botId,
    ),
  );
}

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
      if (addressedToBot(context.activity)) await this.handleMessage(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      this.messenger?.learnEndpoint(context.activity);
      await this.handleChannelInstall(context);
      await next();
    });
    this.handleMeetingEvents();
  }

  /**
   * The bot's own channelMemberAdded in a channel: Teams' confirmation that the app is now in that
   * private or shared channel ("Bot installation is confirmed when your bot receives a
   * channelMemberAdded event in the conversationUpdate activity for itself" — Teams Connects Shared and
   * Private Channels). teamMemberAdded is the same for the team's standard channels.
   */
  private async handleChannelInstall(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const data = (activity.channelData ?? {}) as ChannelData;
    const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    if (!botAdded) return;
    if (data.eventType !== 'channelMemberAdded' && data.eventType !== 'teamMemberAdded') return;
    const channelId = data.channel?.id ?? activity.conversation?.id;
    if (!channelId) return;
    await channelAppInstalled(this.deps, data.team?.aadGroupId ?? data.team?.id, channelId);
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
      this.messenger?.learnEndpoint(context.activity);
      await participantsChanged(
        this.deps,
        chatOf(context),
        'join',
        await participants(context, event.members),
      );
      await next();
    });
    this.onTeamsMeetingParticipantsLeaveEvent(async (event, context, next) => {
      this.messenger?.learnEndpoint(context.activity);
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
   * the bot has not seen join are in the meeting after all. Join/leave events reach the bot only when
   * its registration subscribes to them (Developer Portal), and not for anyone who joined before the
   * bot was in the meeting chat, so quorum must not depend on them. A representative registered by
   * e-mail only is found in the chat's roster first (Teams resolves a member by UPN or object id).
   */
  private async probeMeetingParticipants(context: TurnContext, meetingId: string): Promise<void> {
    const chat: MeetingChat = { chatId: context.activity.conversation?.id };
    // Get participant requires the tenant id: the meeting's tenant, which is the tenant of the meeting
    // chat's activities — also for a guest whose home tenant differs (meeting-apps-apis.md).
    const data = (context.activity.channelData ?? {}) as ChannelData;
    const tenantId = data.tenant?.id ?? context.activity.conversation?.tenantId;
    if (!tenantId) return;
    const found: LiveParticipant[] = [];
    for (const rep of await representativesNotSeen(this.deps, chat)) {
      const aadObjectId = rep.aadObjectId ?? (await this.objectIdOf(context, rep.email));
      if (!aadObjectId) continue;
      try {
        const participant = await TeamsInfo.getMeetingParticipant(context, meetingId, aadObjectId, tenantId);
        if (participant.meeting?.inMeeting) {
          found.push({ aadObjectId, name: rep.name, ...(rep.email ? { email: rep.email } : {}) });
        }
      } catch {
        // 403 when the app is not in the meeting, 404 for someone not invited: nothing to add.
      }
    }
    if (found.length > 0) await participantsChanged(this.deps, chat, 'join', found);
  }

  /** A person's object id from their e-mail: known from an earlier turn, else the conversation's roster. */
  private async objectIdOf(context: TurnContext, email: string | undefined): Promise<string | undefined> {
    if (!email) return undefined;
    const wanted = email.toLowerCase();
    const known = [...this.emails].find(([, e]) => e.toLowerCase() === wanted)?.[0];
    if (known) return known;
    try {
      const member = await TeamsInfo.getMember(context, email);
      if (!member.aadObjectId) return undefined;
      this.emails.set(member.aadObjectId, member.email ?? member.userPrincipalName ?? email);
      return member.aadObjectId;
    } catch {
      // Not in this conversation's roster (or a guest whose UPN is not their e-mail).
      return undefined;
    }
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
    const channelId = lookupId(data.channel?.id);
    if (data.channel?.id !== undefined && !channelId) return { kind: 'other-channel' };
    if (channelId && channelId === this.deps.settings.businessUnitChannelId)
      return { kind: 'business-unit-channel' };
    if (channelId) {
      const reviewId = await this.deps.store.reviewIdByChannel(channelId);
      if (reviewId !== undefined) return { kind: 'review-channel', reviewId };
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
      const refused = cardActionRefusal(verb, data, place);
      reply = refused
        ? await refuseCardAction(this.deps, refused, verb, data, actor, place)
        : await routeCardAction(
            this.deps,
            verb,
            data,
            actor,
            place,
            TurnContext.getConversationReference(context.activity),
          );
      if (place.kind !== 'personal') reply = publicNotice(verb, reply);
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
    const { verb, data } = invokeValue.action as { verb: unknown; data: unknown };
    const values = data ?? {};
    const refused = cardActionRefusal(verb, values, place);
    const reply = refused
      ? await refuseCardAction(this.deps, refused, verb, values, actor, place)
      : await routeCardAction(
          this.deps,
          verb as string,
          values as Record<string, unknown>,
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
