/**
 * The world the authorisation matrix runs in: the real bot over HTTP (test/bot/harness.ts), two
 * reviews with different people, review A's meeting under way with every statutory partner present
 * (so the quorum, outcome and meeting verbs meet a review they could act on), the roles of the matrix
 * and its places, and what the store holds (to prove a refused action changed nothing).
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Review } from '../../review/model';
import { directoryAuditId } from '../../review/directory';
import { partnershipAuditId } from '../../review/refusals';
import type { ReviewStore } from '../../review/store';
import {
  businessUnitChannelId,
  fixedClock,
  openReviewValues,
  people,
  scopingReturnValues,
  startHarness,
  teamId,
  tenantId,
  type Harness,
} from '../bot/harness';
import { actionData, bookProposedMeeting, meetingChatOf, useMeetingSettings } from '../bot/meetingFixture';
import type { RosterMember } from '../teamsClient/fakeConnector';
import type { InvokeResult } from '../teamsClient/teamsClient';

export const otherTenantId = '0d6e5c4b-3a29-4e18-b7f6-a5b4c3d2e1f0';

/** Who acts, relative to review A (the review every card action of the matrix names). */
export const roles = [
  'business-unit',
  'chair',
  'agency-own',
  'agency-other',
  'member-no-role',
  'outsider',
  'other-tenant',
] as const;
export type Role = (typeof roles)[number];

/** Where it is said or pressed. */
export const places = [
  'business-unit-channel',
  'own-review-channel',
  'other-review-channel',
  'personal',
  'group-chat',
  'meeting-chat',
  'other-tenant-conversation',
] as const;
export type MatrixPlace = (typeof places)[number];

/** Review A's subject (only ever in A's channel) and review B's (only ever in B's). */
export const subjectA = ['Zebedee', 'Quartermaine', 'Yolanda', 'Nowhere Lane', '2015-04-02'];
/** The police's scoping answers (test/bot/harness.ts scopingReturnValues): for the police and the business unit. */
export const policeAnswers = ['Two welfare visits', 'Duty sergeant'];
export const subjectB = ['Ottoline', 'Brackenbury', 'Percival', 'Faraway Close', '2016-07-09'];

const member = (key: string, name: string, email: string): RosterMember => ({
  id: `29:${key}`,
  aadObjectId: `00000000-0000-4000-8000-${key.padStart(12, '0')}`,
  name,
  email,
});

/** Review B's people: nobody of the matrix's cast but the business unit has a role in it. */
const peopleB = {
  la: member('b1', 'Bella Council', 'bella.council@council.example'),
  police: member('b2', 'Bram Officer', 'bram.officer@police.example'),
  icb: member('b3', 'Bina Health', 'bina.health@icb.example'),
};

/**
 * The person of each role. The police representative is also the police partner lead, so 'agency-own'
 * acts on the police agency's card; 'agency-other' (the local authority's) presses the same card.
 * 'member-no-role' represents the school, an agency of the review that is no statutory partner and
 * holds no card of the matrix. The other tenant's caller carries the business unit's own ids.
 */
export const cast: Record<Role, RosterMember> = {
  'business-unit': people.officer,
  chair: people.chair,
  'agency-own': people.policeRep,
  'agency-other': people.laRep,
  'member-no-role': people.schoolRep,
  outsider: people.outsider,
  'other-tenant': people.officer,
};

export interface MatrixWorld {
  h: Harness;
  /** The bot's and the tenant's clock. */
  clock: ReturnType<typeof fixedClock>;
  reviewA: Review;
  reviewB: Review;
  meetingChat: { meetingId: string; chatId: string };
  /** The data of a meeting proposal for A, as its card carries it. */
  meetingAccept: Record<string, unknown>;
  close(): Promise<void>;
}

/** On the harness's SQLite file unless a store is given (the caller closes a store it gives). */
export async function startMatrixWorld(options: { store?: ReviewStore } = {}): Promise<MatrixWorld> {
  const clock = fixedClock('2026-12-02T10:00:00.000Z');
  const h = await startHarness({ clock, ...(options.store && { store: options.store }) });
  try {
    return await buildWorld(h, clock);
  } catch (error) {
    await h.close();
    throw error;
  }
}

async function buildWorld(h: Harness, clock: ReturnType<typeof fixedClock>): Promise<MatrixWorld> {
  useMeetingSettings(h);
  h.addPeople([...Object.values(people), ...Object.values(peopleB)]);
  const open = async (values: Record<string, string>): Promise<Review> => {
    await h.client.act(people.officer, 'review.open', values);
    await h.app.idle();
    const review = await h.app.deps.store.findByReference(values.reference);
    if (!review) throw new Error(`review ${values.reference} was not opened`);
    return review;
  };
  const opened = await open(openReviewValues());
  const reviewB = await open(
    openReviewValues({
      reference: 'RR-2026-002',
      pseudonym: 'Child B',
      childName: 'Ottoline Brackenbury',
      dateOfBirth: '2016-07-09',
      address: '9 Faraway Close, Exampletown',
      family1Name: 'Percival Brackenbury',
      agency1Rep1Name: peopleB.la.name,
      agency1Rep1Email: peopleB.la.email,
      agency1LeadName: peopleB.la.name,
      agency1LeadEmail: peopleB.la.email,
      agency2Rep1Name: peopleB.police.name,
      agency2Rep1Email: peopleB.police.email,
      agency2LeadName: peopleB.police.name,
      agency2LeadEmail: peopleB.police.email,
      agency3Rep1Name: peopleB.icb.name,
      agency3Rep1Email: peopleB.icb.email,
      agency3LeadName: peopleB.icb.name,
      agency3LeadEmail: peopleB.icb.email,
      agency4Name: '',
      agency4Kind: '',
      agency4Rep1Name: '',
      agency4Rep1Email: '',
    }),
  );
  const channelA = { kind: 'channel' as const, channelId: opened.teamspace.channelId as string, teamId };
  // The police have returned their scoping answers: only they and the business unit may see them.
  const police = opened.agencies.find((a) => a.kind === 'police');
  await h.client.act(
    people.policeRep,
    'scopingReturn.submit',
    { reviewId: opened.id, agencyId: police?.id, ...scopingReturnValues() },
    channelA,
  );
  const booked = await bookProposedMeeting(h, opened);
  // A proposal made after booking (a move): its data is what a meeting card carries.
  const mark = h.connector.activities.length;
  await h.client.say(people.officer, 'reschedule', channelA);
  const reply = h.connector.activities.slice(mark).find((a) => a.kind === 'reply');
  const meetingAccept = actionData(reply?.activity, 'meeting.accept') ?? {
    reviewId: booked.id,
    slot: `${booked.meeting?.start}/${booked.meeting?.end}`,
  };
  // The meeting is under way and every statutory partner's representative and the chair are in it.
  const chat = await meetingUnderWay(h, clock, booked);
  const reviewA = (await h.app.deps.store.getReview(booked.id)) as Review;
  if (reviewA.scopingReturns.find((r) => r.agencyId === police?.id)?.status !== 'submitted')
    throw new Error('the police scoping return is not there');
  return {
    h,
    clock,
    reviewA,
    reviewB,
    meetingChat: chat,
    meetingAccept,
    close: () => h.close(),
  };
}

/**
 * The review's meeting under way: the clock five minutes past its start, Teams' start event, and the
 * statutory partners' representatives, the chair and the officer in it. Answers its chat.
 */
export async function meetingUnderWay(
  h: Harness,
  clock: ReturnType<typeof fixedClock>,
  review: Review,
): Promise<ReturnType<typeof meetingChatOf>> {
  const chat = meetingChatOf(review);
  clock.set(new Date(Date.parse(String(review.meeting?.start)) + 5 * 60_000).toISOString());
  await h.client.meetingEvent('start', chat, {
    joinUrl: String(review.meeting?.joinUrl),
    organizer: people.officer,
  });
  h.client.meetingParticipantEventsSubscribed = true;
  await h.client.participants(
    'join',
    chat,
    [people.laRep, people.policeRep, people.icbRep, people.chair, people.officer],
    people.officer,
  );
  await h.app.idle();
  return chat;
}

/** The conversation and channel data of an activity from `user` in a place of the matrix. */
export function conversationOf(
  world: MatrixWorld,
  place: MatrixPlace,
  user: RosterMember,
  tenant: string,
): { conversation: Record<string, unknown>; channelData: Record<string, unknown> } {
  const channel = (channelId: string) => ({
    conversation: { id: channelId, conversationType: 'channel', isGroup: true, tenantId: tenant },
    channelData: { tenant: { id: tenant }, channel: { id: channelId }, team: { id: teamId } },
  });
  const personalChat = (inTenant: string) => ({
    conversation: {
      id: `a:personal-${user.aadObjectId}`,
      conversationType: 'personal',
      tenantId: inTenant,
    },
    channelData: { tenant: { id: inTenant } },
  });
  switch (place) {
    case 'business-unit-channel':
      return channel(businessUnitChannelId);
    case 'own-review-channel':
      return channel(world.reviewA.teamspace.channelId as string);
    case 'other-review-channel':
      return channel(world.reviewB.teamspace.channelId as string);
    case 'personal':
      return personalChat(tenant);
    case 'group-chat':
      return {
        conversation: {
          id: '19:some-group-chat@thread.v2',
          conversationType: 'groupChat',
          isGroup: true,
          tenantId: tenant,
        },
        channelData: { tenant: { id: tenant } },
      };
    case 'meeting-chat':
      return {
        conversation: {
          id: world.meetingChat.chatId,
          conversationType: 'groupChat',
          isGroup: true,
          tenantId: tenant,
        },
        channelData: { tenant: { id: tenant }, meeting: { id: world.meetingChat.meetingId } },
      };
    case 'other-tenant-conversation':
      return personalChat(otherTenantId);
  }
}

export type Transport = 'text' | 'execute' | 'submit';

/** Sends one action of the matrix: a typed command, an Action.Execute or its Action.Submit fallback. */
export async function send(
  world: MatrixWorld,
  role: Role,
  place: MatrixPlace,
  transport: Transport,
  payload: { text?: string; verb?: string; data?: Record<string, unknown> },
): Promise<InvokeResult & { activityId: string }> {
  const user = cast[role];
  const tenant = role === 'other-tenant' ? otherTenantId : tenantId;
  const activityId = randomUUID();
  const base = {
    id: activityId,
    channelId: 'msteams',
    serviceUrl: world.h.connector.url,
    timestamp: new Date().toISOString(),
    from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
    recipient: { id: '28:rapid-review', name: 'Rapid Review' },
    locale: 'en-GB',
    ...conversationOf(world, place, user, tenant),
  };
  const inPersonal = place === 'personal' || place === 'other-tenant-conversation';
  let activity: Record<string, unknown>;
  if (transport === 'text') {
    const text = payload.text ?? '';
    activity = {
      ...base,
      type: 'message',
      ...(inPersonal
        ? { text }
        : {
            text: `<at>Rapid Review</at> ${text}`,
            entities: [
              {
                type: 'mention',
                text: '<at>Rapid Review</at>',
                mentioned: { id: '28:rapid-review', name: 'Rapid Review' },
              },
            ],
          }),
    };
  } else if (transport === 'submit') {
    activity = { ...base, type: 'message', value: { ...payload.data, verb: payload.verb } };
  } else {
    activity = {
      ...base,
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: payload.verb, data: payload.data ?? {} },
        trigger: 'manual',
      },
    };
  }
  return { ...(await world.h.client.post(activity)), activityId };
}

/**
 * What the store holds, apart from refusal lines (a refused attempt is audited by design): every
 * review, every review's trail, the partnership's and the directory's trails, the directory.
 */
export async function storeState(world: MatrixWorld): Promise<string> {
  const store = world.h.app.deps.store;
  const reviews = (await store.listReviews()).sort((a, b) => a.id.localeCompare(b.id));
  const kept = (events: AuditEvent[]) => events.filter((e) => !e.action.endsWith('.refused'));
  const trails: unknown[] = [];
  for (const id of [...reviews.map((r) => r.id), partnershipAuditId, directoryAuditId]) {
    trails.push([id, kept(await store.auditTrail(id))]);
  }
  return JSON.stringify([reviews, trails, await store.getDirectory()]);
}
