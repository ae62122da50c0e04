/**
 * The authorisation matrix (issue 12's security suite): every action of the route table (each text
 * command, help, and each card verb by Action.Execute and by its Action.Submit fallback) × every role
 * × every place, the other tenant included, against the real bot over HTTP, on SQLite and on PostgreSQL.
 *
 * What is expected comes from the policy below, written from DOMAIN.md's need-to-know rules and not
 * from the route table, so the two can disagree: a route the policy does not know fails the test.
 * A refused cell must answer with a refusal (or, for another tenant, 403 / silence), change nothing in
 * the store but its refusal audit line, and show no subject outside that subject's review channel. An
 * allowed cell must answer and must not be refused for who or where (a refusal about the review's
 * state, e.g. "the review is closed", is the domain's answer and allowed).
 */
import { cardRoutes, textRoutes, type TextRoute } from '../../bot/flows/routes';
import { openReviewValues, scopingReturnValues } from '../bot/harness';
import type { StoreHarness } from '../storeContract';
import { storesUnderTest } from './stores';
import {
  places,
  policeAnswers,
  roles,
  send,
  startMatrixWorld,
  storeState,
  subjectA,
  subjectB,
  type MatrixPlace,
  type MatrixWorld,
  type Role,
  type Transport,
} from './matrixWorld';

type Alters = 'yes' | 'cancels-meeting' | 'closes';

interface Policy {
  /** The places where the action is done; everywhere else it is refused. */
  where: readonly MatrixPlace[];
  /** Who may, in those places (relative to the review the place or the card names). */
  who: readonly Role[];
  /** Per place, where it differs. */
  whoIn?: Partial<Record<MatrixPlace, readonly Role[]>>;
  /** Whether doing it changes the review (allowed cells that change it run last, the closing ones at the very end). */
  alters?: Alters;
}

const bu: readonly Role[] = ['business-unit'];
const chairOrBu: readonly Role[] = ['business-unit', 'chair'];
const members: readonly Role[] = ['business-unit', 'chair', 'agency-own', 'agency-other', 'member-no-role'];
const anyone: readonly Role[] = [...members, 'outsider'];
const personalPlaces: readonly MatrixPlace[] = ['personal', 'business-unit-channel'];
const reviewChannels: readonly MatrixPlace[] = ['own-review-channel', 'other-review-channel'];

/** Text routes by command and the first place of the route (two routes may share a command). */
const textPolicy: Record<string, Policy> = {
  'open review @personal': { where: personalPlaces, who: bu },
  'status @personal': { where: personalPlaces, who: bu },
  'directory @personal': { where: personalPlaces, who: bu },
  'digest @personal': { where: personalPlaces, who: bu },
  'status RR-2026-003 @personal': { where: personalPlaces, who: bu },
  // A review's own status is for its people (DOMAIN.md: need-to-know), in its channel or meeting chat.
  'status @review-channel': { where: [...reviewChannels, 'meeting-chat'], who: members },
  'record sin|aware|referral YYYY-MM-DD @review-channel': { where: reviewChannels, who: bu, alters: 'yes' },
  'record scoping-period FROM TO @review-channel': { where: reviewChannels, who: bu, alters: 'yes' },
  'icd [on YYYY-MM-DD] ask AGENCIES; LINE OF ENQUIRY; … @review-channel': {
    where: reviewChannels,
    who: bu,
    alters: 'yes',
  },
  'meeting @review-channel': { where: reviewChannels, who: bu },
  'reschedule @review-channel': { where: reviewChannels, who: bu },
  'cancel meeting REASON @review-channel': { where: reviewChannels, who: bu, alters: 'cancels-meeting' },
  'attendance @review-channel': { where: reviewChannels, who: chairOrBu },
  // Who is present is seen by everyone in the meeting anyway.
  'quorum @review-channel': { where: [...reviewChannels, 'meeting-chat'], who: anyone },
  'outcome @review-channel': { where: reviewChannels, who: chairOrBu },
  // In the meeting chat "outcome" only says where to record it: a refusal for everyone.
  'outcome @meeting-chat': { where: [], who: [] },
  'sign-off @review-channel': { where: reviewChannels, who: anyone },
  'endorsed YYYY-MM-DD @review-channel': { where: reviewChannels, who: bu, alters: 'yes' },
  'report @review-channel': { where: reviewChannels, who: bu, alters: 'yes' },
  'report summary|episodes|context TEXT @review-channel': {
    where: reviewChannels,
    who: chairOrBu,
    alters: 'yes',
  },
  'report sent [YYYY-MM-DD] @review-channel': { where: reviewChannels, who: bu, alters: 'yes' },
  'panel response agrees|more-information|national [YYYY-MM-DD] @review-channel': {
    where: reviewChannels,
    who: bu,
    alters: 'yes',
  },
  'post meeting held YYYY-MM-DD; Panel response; next steps; parental engagement @review-channel': {
    where: reviewChannels,
    who: bu,
    alters: 'yes',
  },
  'reconvene REASON @review-channel': { where: reviewChannels, who: bu, alters: 'yes' },
  // Everything held about the review, as a file in the secure reports folder: the business unit's.
  'export @review-channel': { where: reviewChannels, who: bu, alters: 'yes' },
  'close REASON @review-channel': { where: reviewChannels, who: bu, alters: 'closes' },
  // Questions in a 1:1 chat cover every review (the business unit's); in a review's places, its people.
  'what is due this week? · who has not returned? · when is the meeting? · what is overdue? · how many days left? @personal':
    {
      where: [...personalPlaces, ...reviewChannels, 'meeting-chat'],
      who: members,
      whoIn: { personal: bu, 'business-unit-channel': bu },
    },
};

const helpPolicy: Policy = {
  where: places.filter((p) => p !== 'other-tenant-conversation'),
  who: anyone,
};

/**
 * Card verbs. A card that names a review acts only where the bot posts that card: the review's own
 * channel (and, for the quorum card, its meeting chat). Pressed anywhere else (a forwarded copy, a
 * crafted invoke) it is refused, whoever presses it.
 */
const cardPolicy: Record<string, Policy> = {
  'review.open': { where: personalPlaces, who: bu, alters: 'yes' },
  // Refreshing shows each person their own view: the form to the agency and the business unit, the
  // shared card (no answers) to everyone else in the channel. Answers are checked for every cell.
  'scopingReturn.refresh': { where: ['own-review-channel'], who: anyone },
  'scopingReturn.submit': {
    where: ['own-review-channel'],
    who: ['business-unit', 'agency-own'],
    alters: 'yes',
  },
  'meeting.accept': { where: ['own-review-channel'], who: bu, alters: 'yes' },
  'meeting.pick': { where: ['own-review-channel'], who: bu, alters: 'yes' },
  'quorum.confirm': { where: ['own-review-channel', 'meeting-chat'], who: ['chair'], alters: 'yes' },
  'quorum.notQuorate': { where: ['own-review-channel', 'meeting-chat'], who: ['chair'], alters: 'yes' },
  'outcome.record': { where: ['own-review-channel'], who: chairOrBu, alters: 'yes' },
  // The police partner lead signs off for the police; nobody else for them.
  'outcome.signOff': { where: ['own-review-channel'], who: ['agency-own'], alters: 'yes' },
  'directory.saveAgency': { where: personalPlaces, who: bu, alters: 'yes' },
  'directory.removeAgency': { where: personalPlaces, who: bu, alters: 'yes' },
  'directory.saveChairs': { where: personalPlaces, who: bu, alters: 'yes' },
};

const policyKey = (route: TextRoute) => `${route.command} @${route.places[0]}`;

interface Action {
  name: string;
  transport: Transport;
  policy: Policy;
  /** For a text: the policies of every route whose pattern takes it (the one of a place decides). */
  text?: string;
  verb?: string;
  data?: (world: MatrixWorld) => Record<string, unknown>;
}

let opened = 100;
function cardData(verb: string, world: MatrixWorld): Record<string, unknown> {
  const a = world.reviewA;
  const police = a.agencies.find((x) => x.kind === 'police')?.id ?? '';
  switch (verb) {
    case 'review.open':
      opened += 1;
      return openReviewValues({
        reference: `RR-2026-${opened}`,
        pseudonym: `Child ${opened}`,
        childName: 'Matrix Child',
        family1Name: 'Matrix Parent',
        address: '3 Matrix Row',
        dateOfBirth: '2014-01-01',
      });
    case 'scopingReturn.refresh':
      return { reviewId: a.id, agencyId: police };
    case 'scopingReturn.submit':
      return { reviewId: a.id, agencyId: police, ...scopingReturnValues() };
    case 'meeting.accept':
    case 'meeting.pick':
      return { ...world.meetingAccept };
    case 'quorum.confirm':
    case 'quorum.notQuorate':
      return { reviewId: a.id };
    case 'outcome.record':
      return {
        reviewId: a.id,
        lcspr: 'no',
        nationalImportance: 'no',
        rationale: 'Matrix rationale',
        immediateActions: 'None',
        learning: 'None identified yet',
      };
    case 'outcome.signOff':
      return { reviewId: a.id, agencyKind: 'police' };
    case 'directory.saveAgency':
      return {
        name: 'Matrix Agency',
        kind: 'police',
        representatives: 'Pete Constable <pete.constable@police.example>',
      };
    case 'directory.removeAgency':
      return { agencyId: 'matrix-agency' };
    case 'directory.saveChairs':
      return { chairs: 'Chris Chair <chris.chair@partnership.example>' };
    default:
      throw new Error(`no card data for ${verb}: add the new verb to the matrix`);
  }
}

function actions(): Action[] {
  const list: Action[] = textRoutes.map((route) => ({
    name: `"${route.examples[0]}" (${policyKey(route)})`,
    transport: 'text' as const,
    policy: textPolicy[policyKey(route)],
    text: route.examples[0],
  }));
  list.push({ name: '"help"', transport: 'text', policy: helpPolicy, text: 'help' });
  for (const route of cardRoutes) {
    for (const transport of ['execute', 'submit'] as const) {
      list.push({
        name: `${route.verb} (${transport})`,
        transport,
        policy: cardPolicy[route.verb],
        verb: route.verb,
        data: (world) => cardData(route.verb, world),
      });
    }
  }
  return list;
}

/** The policy that decides a text in a place: the first route (table order) whose policy covers the place. */
function textPolicyIn(text: string, place: MatrixPlace): Policy | undefined {
  for (const route of textRoutes) {
    const policy = textPolicy[policyKey(route)];
    if (policy && route.pattern.exec(text.toLowerCase()) && policy.where.includes(place)) return policy;
  }
  return /^help$/.test(text) && helpPolicy.where.includes(place) ? helpPolicy : undefined;
}

function expected(action: Action, role: Role, place: MatrixPlace): 'allowed' | 'refused' {
  if (role === 'other-tenant' || place === 'other-tenant-conversation') return 'refused';
  const policy = action.text !== undefined ? textPolicyIn(action.text, place) : action.policy;
  if (!policy || !policy.where.includes(place)) return 'refused';
  // A typed command in review B's channel is about B, where only the business unit has a role; the
  // partnership's chair is one of every review's people, but B has no meeting for them to chair yet.
  const effective: Role =
    action.text !== undefined && place === 'other-review-channel' && role !== 'business-unit'
      ? role === 'chair'
        ? 'member-no-role'
        : 'outsider'
      : role;
  const who = policy.whoIn?.[place] ?? policy.who;
  return who.includes(effective) ? 'allowed' : 'refused';
}

/** Refused for who or where (not for the review's state). */
const notForYouHere =
  /only the business unit|only the chair|for the business unit only|kept by the business unit|representatives or the business unit|partner lead can sign off|for the people of this review only|not here|review’s own channel|from a 1:1 chat|cannot tell which review|not one I know|did not say which review/i;
const refusalCard = /"Not done"/;
const publicNoticeOfRefusal = /Your agency’s form is not shown here/;

interface Cell {
  action: Action;
  role: Role;
  place: MatrixPlace;
  expect: 'allowed' | 'refused';
}

const rank = (cell: Cell): number => {
  if (cell.expect === 'refused') return 0;
  const alters = cell.action.policy?.alters;
  if (!alters) return 1;
  if (alters === 'yes') return cell.place === 'meeting-chat' ? 2 : 3;
  return alters === 'cancels-meeting' ? 4 : 5;
};

describe.each(storesUnderTest)('the authorisation matrix ($name)', ({ name, open }) => {
  let world: MatrixWorld;
  let scratch: StoreHarness | undefined;

  beforeAll(async () => {
    scratch = await open?.();
    world = await startMatrixWorld(scratch ? { store: scratch.store } : {});
  });

  afterAll(async () => {
    await world?.close();
    await scratch?.cleanup();
  });

  it('has a policy for every route of the route table and nothing else', () => {
    const routeKeys = textRoutes.map(policyKey).sort();
    expect(Object.keys(textPolicy).sort()).toEqual([...new Set(routeKeys)]);
    expect(Object.keys(cardPolicy).sort()).toEqual(cardRoutes.map((r) => r.verb).sort());
  });

  it('answers every action × role × place as the policy says', async () => {
    const started = Date.now();
    const cells: Cell[] = [];
    for (const action of actions())
      for (const role of roles)
        for (const place of places)
          cells.push({ action, role, place, expect: expected(action, role, place) });
    cells.sort((a, b) => rank(a) - rank(b));

    const { h } = world;
    const channelA = world.reviewA.teamspace.channelId as string;
    const channelB = world.reviewB.teamspace.channelId as string;
    const inChannel = (channelId: string, a: { conversationId: string; channelId?: string }) =>
      a.conversationId === channelId ||
      a.conversationId.startsWith(`${channelId};`) ||
      a.channelId === channelId;
    const failures: string[] = [];
    const counts = { cells: 0, allowed: 0, refused: 0 };

    for (const cell of cells) {
      const { action, role, place } = cell;
      const before = cell.expect === 'refused' ? await storeState(world) : '';
      const mark = h.connector.activities.length;
      const result = await send(world, role, place, action.transport, {
        text: action.text?.replace('RR-2026-003', world.reviewA.reference),
        verb: action.verb,
        data: action.data?.(world),
      });
      await h.app.idle();
      const posted = h.connector.activities.slice(mark);
      // The bot's answers to this activity (alerts due meanwhile are replies in their own threads).
      const replies = posted.filter((a) => a.kind === 'reply' && a.activity.replyToId === result.activityId);
      const answer = JSON.stringify([result.body ?? null, ...replies.map((r) => r.activity)]);
      const label = `${action.name} by ${role} in ${place} (expected ${cell.expect})`;
      const problems: string[] = [];
      counts.cells += 1;
      counts[cell.expect] += 1;

      if (result.status >= 500) problems.push(`HTTP ${result.status}`);
      // The subject of each review appears only in that review's channel.
      for (const [subject, channelId] of [
        [subjectA, channelA],
        [subjectB, channelB],
      ] as const) {
        const ownPlace =
          (place === 'own-review-channel' && channelId === channelA) ||
          (place === 'other-review-channel' && channelId === channelB);
        const outside = JSON.stringify([
          ownPlace ? null : result.body,
          posted.filter((a) => !inChannel(channelId, a)).map((a) => a.activity),
        ]);
        const leaked = subject.filter((text) => outside.includes(text));
        if (leaked.length > 0) problems.push(`subject shown outside its channel: ${leaked.join(', ')}`);
      }
      // An agency's scoping answers go to that agency and the business unit only, and only in the channel.
      if (role !== 'business-unit' && role !== 'agency-own') {
        const seen = policeAnswers.filter((text) => answer.includes(text));
        if (seen.length > 0) problems.push(`shown the police's answers: ${seen.join(', ')}`);
      }
      const outsideA = JSON.stringify(posted.filter((a) => !inChannel(channelA, a)).map((a) => a.activity));
      if (policeAnswers.some((text) => outsideA.includes(text)))
        problems.push("the police's answers posted outside A");
      if (cell.expect === 'refused') {
        const silent = result.status === 403 || (result.body === undefined && replies.length === 0);
        if (
          !silent &&
          !refusalCard.test(answer) &&
          !publicNoticeOfRefusal.test(answer) &&
          !notForYouHere.test(answer)
        )
          problems.push(`not refused: ${answer.slice(0, 300)}`);
        if ((await storeState(world)) !== before) problems.push('the store changed');
      } else {
        if (result.status !== 200) problems.push(`HTTP ${result.status}`);
        if (result.body === undefined && replies.length === 0) problems.push('no answer');
        else if (refusalCard.test(answer) && notForYouHere.test(answer))
          problems.push(`refused for who or where: ${answer.slice(0, 300)}`);
      }
      if (problems.length > 0) failures.push(`${label}: ${problems.join('; ')}`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `security figures: authorisation matrix (${name}) ${counts.cells} cells (${actions().length} actions × ${roles.length} roles × ${places.length} places): ${counts.allowed} allowed, ${counts.refused} refused, ${failures.length} wrong, ${seconds} s\n`,
    );
    expect(failures.slice(0, 60)).toEqual([]);
  });
});
