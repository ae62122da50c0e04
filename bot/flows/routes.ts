/**
 * The one route table: every text command and card verb the bot accepts, with the places it works in,
 * who may use it, its line of help and its handler. The help card of each place and the Teams app's
 * command menu (infra/teams/manifest.json `commandLists`) are generated from it, so what help lists is
 * what works. Adding a command is adding one entry here.
 *
 * "Who may" is shown in help; it is enforced here only for routes that read no review (open review,
 * the portfolio, the directory). For a review's own commands the domain decides and audits the
 * refusal (review/lifecycle.ts), so refusing here first would lose that audit line.
 */
import type { HelpCommand } from '../../cards/conversationCards';
import { cardVerbs } from '../../cards/verbs';
import type { Actor } from '../../review/lifecycle';
import { parseQuestion, type Question } from '../../review/questions';
import type { CardReply, Place } from './replies';
import type { Turn } from './turn';
import type { FlowDeps } from './deps';
import { attendanceReply } from './meetingAttendance';
import { bookChosenSlot, cancelMeetingFlow, proposeMeetingReply } from './meetingBooking';
import { conversationIdOf, reviewOfMeeting } from './meetingChannel';
import { openReviewFormReply, submitOpenReview } from './openReview';
import {
  closeReviewReply,
  outcomeFormReply,
  postReviewMeetingReply,
  reconveneReply,
  recordEndorsementReply,
  recordPanelResponseReply,
  reportPartReply,
  reportReply,
  reportSentReply,
  signOffCardReply,
  signOffFlow,
  submitOutcomeFlow,
} from './outcome';
import { refusalReply } from './presenters';
import { decideQuorum, quorumReply } from './quorum';
import { directoryReply, removeAgencyFlow, saveAgencyFlow, saveChairsFlow } from './directory';
import { digestReply, questionReply } from './questions';
import { exportReviewReply } from './reviewExport';
import { reviewRecordCommand } from './reviewRecords';
import { scopingCardView, submitScopingReturnFlow } from './scopingReturn';
import { portfolioReply, reviewChannelStatusReply, reviewStatusReply } from './status';

export type PlaceKind = Place['kind'];

/** Who may use a command, as help shows it. */
export type Who = 'anyone' | 'business unit' | 'chair' | 'chair or business unit' | 'the agency';

export interface TextRoute {
  /** The command as help shows it, with its arguments: `record sin|aware|referral YYYY-MM-DD`. */
  command: string;
  /** The title on the Teams command menu for this command, where it is on the menu (at most 12 per scope). */
  menu?: string;
  /** Matched against the turn's normalised text (a RegExp, or the plain-words grammar). */
  pattern: { exec(text: string): RegExpExecArray | null };
  places: readonly PlaceKind[];
  who: Who;
  /** One line of help. */
  help: string;
  /** Texts this route accepts (the first is what the menu sends): the route table's test types each one. */
  examples: readonly string[];
  /** Refused here, before the handler, unless the actor is in the business unit (routes reading no review). */
  businessUnitOnly?: string;
  handle(turn: Turn, match: RegExpExecArray): Promise<CardReply>;
}

const personalPlaces = ['personal', 'business-unit-channel'] as const;

/** The plain-words grammar as a route pattern: it matches the whole text when it asks a question. */
const questionMatcher = {
  exec(text: string): RegExpExecArray | null {
    if (!parseQuestion(text)) return null;
    return Object.assign([text], { index: 0, input: text }) as RegExpExecArray;
  },
};
const reviewChannel = ['review-channel'] as const;

/** The words after a command, from the text as typed (a reason keeps its case). */
function argumentAfter(rawText: string, words: number): string {
  return rawText.trim().split(/\s+/).slice(words).join(' ');
}

/** The review the turn's place belongs to; routes that need one are only listed in places that have one. */
function reviewOf(turn: Turn): string {
  return turn.reviewId ?? '';
}

const noReviewHere = (): CardReply =>
  refusalReply(
    'I cannot tell which review this chat belongs to: use the command in the review’s own channel.',
  );

export const textRoutes: readonly TextRoute[] = [
  {
    command: 'open review',
    menu: 'open review',
    pattern: /^(?:open|open review|open a review|new review)$/,
    places: personalPlaces,
    who: 'business unit',
    help: 'Open a new Rapid Review: a form for the dates, the child and family, and the agencies.',
    examples: ['open review', 'open', 'new review'],
    // Not refused by the router: openReviewFormReply audits an attempt from outside the business unit.
    handle: (turn) => openReviewFormReply(turn.deps, turn.actor, turn.place),
  },
  {
    command: 'status',
    menu: 'status',
    pattern: /^(?:status|portfolio)$/,
    places: personalPlaces,
    who: 'business unit',
    help: 'Every open review with its RAG status (also: portfolio).',
    examples: ['status', 'portfolio'],
    businessUnitOnly: 'The portfolio of reviews is for the business unit only.',
    handle: (turn) => portfolioReply(turn.deps),
  },
  {
    command: 'directory',
    menu: 'directory',
    pattern: /^(?:directory|partnership directory|agencies)$/,
    places: personalPlaces,
    who: 'business unit',
    help: 'The partnership directory: agencies, standing representatives, partner leads, chairs; add, change or remove.',
    examples: ['directory', 'agencies'],
    businessUnitOnly: 'The partnership directory is kept by the business unit.',
    handle: (turn) => directoryReply(turn),
  },
  {
    command: 'digest',
    pattern: /^(?:digest|weekly digest|week)$/,
    places: personalPlaces,
    who: 'business unit',
    help: 'The weekly digest: every open review with its RAG, this week’s deadlines and who is late.',
    examples: ['digest', 'weekly digest'],
    businessUnitOnly: 'The weekly digest is for the business unit only.',
    handle: (turn) => digestReply(turn),
  },
  {
    command: 'status RR-2026-003',
    pattern: /^status (rr-\d{4}-\d{3,})$/,
    places: personalPlaces,
    who: 'business unit',
    help: "One review's timeline, scoping returns and what is next (never the child's details).",
    examples: ['status RR-2026-003'],
    businessUnitOnly: 'The portfolio of reviews is for the business unit only.',
    async handle(turn, match) {
      const reference = match[1].toUpperCase();
      const review = await turn.deps.store.findByReference(reference);
      if (!review) return refusalReply(`There is no review ${reference}.`);
      return reviewStatusReply(turn.deps, review.id);
    },
  },
  {
    command: 'status',
    menu: 'status',
    pattern: /^status$/,
    places: ['review-channel', 'meeting-chat'],
    who: 'anyone',
    help: "This review's timeline in working days, each agency's return, and what is next.",
    examples: ['status'],
    handle: (turn) =>
      turn.reviewId
        ? reviewChannelStatusReply(turn.deps, turn.reviewId, turn.actor)
        : Promise.resolve(noReviewHere()),
  },
  {
    command: 'record sin|aware|referral YYYY-MM-DD',
    pattern: /^record (?:sin|aware|referral)(?: .*)?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Record an anchor date of the statutory clock.',
    examples: ['record sin 2026-12-01', 'record aware 2026-11-30'],
    handle: async (turn) => (await recordsCommand(turn)) ?? noReviewHere(),
  },
  {
    command: 'record scoping-period FROM TO',
    pattern: /^record scoping-period(?: .*)?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Record the period agencies search, where the partnership agrees one per review.',
    examples: ['record scoping-period 2024-12-01 2026-11-30'],
    handle: async (turn) => (await recordsCommand(turn)) ?? noReviewHere(),
  },
  {
    command: 'icd [on YYYY-MM-DD] ask AGENCIES; LINE OF ENQUIRY; …',
    pattern: /^icd(?: .*)?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Record the Initial Case Discussion (key lines of enquiry, agencies to ask), where the partnership holds one: the scoping requests then go out with them.',
    examples: ['icd ask la, police; contact with the family since May'],
    handle: async (turn) => (await recordsCommand(turn)) ?? noReviewHere(),
  },
  {
    command: 'meeting',
    menu: 'meeting',
    pattern: /^(?:meeting|book meeting|book a meeting|book the meeting|propose meeting)$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Find a time in the meeting window when everyone invited is free, and propose it.',
    examples: ['meeting', 'book the meeting'],
    handle: (turn) => proposeMeetingReply(turn.deps, reviewOf(turn), turn.actor),
  },
  {
    command: 'reschedule',
    pattern: /^(?:reschedule|reschedule meeting|reschedule the meeting|move meeting)$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Propose a new time for the booked meeting, inside the meeting window.',
    examples: ['reschedule', 'move meeting'],
    handle: (turn) => proposeMeetingReply(turn.deps, reviewOf(turn), turn.actor),
  },
  {
    command: 'cancel meeting REASON',
    pattern: /^cancel meeting(?: .*)?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Cancel the booked meeting; everyone invited is told the reason.',
    examples: ['cancel meeting chair unwell'],
    handle: (turn) =>
      cancelMeetingFlow(turn.deps, reviewOf(turn), argumentAfter(turn.rawText, 2), turn.actor),
  },
  {
    command: 'attendance',
    menu: 'attendance',
    pattern: /^attendance$/,
    places: reviewChannel,
    who: 'chair or business unit',
    help: "Who attended the meeting, from Teams' attendance report, against the register.",
    examples: ['attendance'],
    handle: (turn) => attendanceReply(turn.deps, reviewOf(turn), turn.actor),
  },
  {
    command: 'quorum',
    menu: 'quorum',
    pattern: /^quorum$/,
    places: ['review-channel', 'meeting-chat'],
    who: 'anyone',
    help: 'Who is present for each statutory partner against the quorum rule; the chair confirms.',
    examples: ['quorum'],
    handle: (turn) =>
      turn.place.kind === 'meeting-chat'
        ? quorumReply(turn.deps, { chat: { chatId: conversationIdOf(turn.origin) } })
        : quorumReply(turn.deps, { reviewId: reviewOf(turn) }),
  },
  {
    command: 'outcome',
    menu: 'outcome',
    pattern: /^outcome$/,
    places: reviewChannel,
    who: 'chair or business unit',
    help: "Record the review meeting's decision.",
    examples: ['outcome'],
    handle: (turn) => outcomeFormReply(turn.deps, reviewOf(turn), turn.actor),
  },
  {
    command: 'outcome',
    menu: 'outcome',
    pattern: /^outcome$/,
    places: ['meeting-chat'],
    who: 'chair',
    help: "Where to record the meeting's decision: the review's own channel (this chat reaches people outside it).",
    examples: ['outcome'],
    handle: async () =>
      refusalReply('Record the outcome in the review’s own channel: mention me there with "outcome".'),
  },
  {
    command: 'sign-off',
    menu: 'sign-off',
    pattern: /^(?:sign-off|sign off|signoff)$/,
    places: reviewChannel,
    who: 'anyone',
    help: 'Show the sign-off card for the statutory partners.',
    examples: ['sign-off', 'sign off'],
    handle: (turn) => signOffCardReply(turn.deps, reviewOf(turn)),
  },
  {
    command: 'endorsed YYYY-MM-DD',
    pattern: /^(?:record )?(?:endorsed|endorsement)(?: on)?(?: (\S+))?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Record the date the chair endorsed the outcome.',
    examples: ['endorsed 2026-12-10', 'record endorsement'],
    handle: (turn, match) => recordEndorsementReply(turn.deps, reviewOf(turn), match[1] ?? '', turn.actor),
  },
  {
    command: 'report',
    menu: 'report',
    pattern: /^(?:report|write report)$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Write the Rapid Review report for the National Panel (named by reference) and say what it lacks.',
    examples: ['report', 'write report'],
    handle: (turn) => reportReply(turn.deps, reviewOf(turn), turn.actor),
  },
  {
    command: 'report summary|episodes|context TEXT',
    pattern: /^report (summary|incident|episodes|practice|context)\b/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Write a part of the report to the National Panel (it is rewritten with each part).',
    examples: ['report summary Two agencies saw the child in October.'],
    handle: (turn, match) =>
      reportPartReply(turn.deps, reviewOf(turn), match[1], argumentAfter(turn.rawText, 2), turn.actor),
  },
  {
    command: 'report sent [YYYY-MM-DD]',
    pattern: /^(?:record )?report sent(?: on)?(?: (\S+))?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Record that the report went to the National Panel: refused while a part is missing.',
    examples: ['report sent', 'report sent 2026-12-18'],
    handle: (turn, match) => reportSentReply(turn.deps, reviewOf(turn), match[1] ?? '', turn.actor),
  },
  {
    command: 'panel response agrees|more-information|national [YYYY-MM-DD]',
    pattern:
      /^(?:record )?panel response(?: (agrees|agreed|more-information|more information|national|national-review))?(?: on)?(?: (\S+))?$/,
    places: reviewChannel,
    who: 'business unit',
    help: "Record the National Panel's answer and start the clock that follows.",
    examples: ['panel response agrees', 'panel response national 2026-12-20'],
    handle: (turn, match) =>
      recordPanelResponseReply(
        turn.deps,
        reviewOf(turn),
        match[2] ?? '',
        turn.actor,
        (match[1] ?? 'agrees').replace(' ', '-'),
      ),
  },
  {
    command: 'post meeting held YYYY-MM-DD; Panel response; next steps; parental engagement',
    pattern: /^post meeting held\b/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Record the post Rapid Review meeting and its agenda, where the partnership holds one.',
    examples: ['post meeting held 2026-12-21; Panel response; next steps; parental engagement'],
    handle: (turn) =>
      postReviewMeetingReply(turn.deps, reviewOf(turn), argumentAfter(turn.rawText, 3), turn.actor),
  },
  {
    command: 'reconvene REASON',
    pattern: /^reconvene(?: .*)?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Hold the review meeting again after one that decided nothing (shown as late if so).',
    examples: ['reconvene the meeting was not quorate'],
    handle: (turn) => reconveneReply(turn.deps, reviewOf(turn), argumentAfter(turn.rawText, 1), turn.actor),
  },
  {
    command: 'export',
    pattern: /^export(?: review)?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Everything held about this review as one file in the secure reports folder (a subject access request, the LCSPR reviewer).',
    examples: ['export', 'export review'],
    handle: (turn) => exportReviewReply(turn.deps, reviewOf(turn), turn.actor, turn.place),
  },
  {
    command: 'close REASON',
    menu: 'close',
    pattern: /^close(?: review)?(?: .*)?$/,
    places: reviewChannel,
    who: 'business unit',
    help: 'Close the review, from any state, saying why (also: close review REASON).',
    examples: ['close Panel agreed: no further review', 'close review merged with RR-2026-001'],
    async handle(turn) {
      const words = /^close review\b/.test(turn.text) ? 2 : 1;
      const reason = argumentAfter(turn.rawText, words);
      if (!reason)
        return refusalReply('Say why the review is closed, e.g. close Panel response received, no LCSPR.');
      return closeReviewReply(turn.deps, reviewOf(turn), reason, turn.actor);
    },
  },
  {
    command:
      'what is due this week? · who has not returned? · when is the meeting? · what is overdue? · how many days left?',
    pattern: questionMatcher,
    places: ['personal', 'business-unit-channel', 'review-channel', 'meeting-chat'],
    who: 'anyone',
    help: 'Ask in plain words; in a 1:1 chat name the review, e.g. who hasn’t returned on RR-2026-003?',
    examples: [
      "what's due this week?",
      'who has not returned?',
      'when is the meeting',
      'what is overdue',
      'how many days left?',
    ],
    handle: (turn) => questionReply(turn, parseQuestion(turn.rawText) as Question),
  },
];

/** `record …` commands keep their own parsing (dates, periods) in reviewRecords.ts. */
function recordsCommand(turn: Turn): Promise<CardReply | undefined> {
  return reviewRecordCommand(turn.deps, turn.text, turn.actor, turn.place, turn.rawText);
}

/** `help`: accepted everywhere; its card is this table, filtered by place. */
export const helpRoute = {
  command: 'help',
  menu: 'help',
  help: 'This list.',
  who: 'anyone' as Who,
  pattern: /^(?:help|\?|commands|menu)$/,
};

export interface CardRoute {
  verb: string;
  /** Where its card is pressed; undefined for cards posted in several places (the flow checks who). */
  places?: readonly PlaceKind[];
  /**
   * The card names a review (data.reviewId) and the bot posts it only in that review's channel (or its
   * meeting chat): pressed in any other review's place, it is refused before the flow, whoever presses.
   */
  ofThePlacesReview?: true;
  who: Who;
  /** Refused before the handler unless the actor is in the business unit (verbs that read no review). */
  businessUnitOnly?: string;
  handle(turn: Turn, data: Record<string, unknown>): Promise<CardReply>;
}

const dataReviewId = (data: Record<string, unknown>) =>
  typeof data.reviewId === 'string' ? data.reviewId : '';
const dataAgencyId = (data: Record<string, unknown>) =>
  typeof data.agencyId === 'string' ? data.agencyId : '';

const directoryKeptBy = 'The partnership directory is kept by the business unit.';

export const cardRoutes: readonly CardRoute[] = [
  {
    verb: cardVerbs.openReview,
    places: personalPlaces,
    who: 'business unit',
    handle: (turn, data) => submitOpenReview(turn.deps, data, turn.actor, turn.origin, turn.place),
  },
  {
    verb: cardVerbs.scopingReturnRefresh,
    places: reviewChannel,
    who: 'the agency',
    handle: (turn, data) => scopingCardView(turn.deps, dataReviewId(data), dataAgencyId(data), turn.actor),
  },
  {
    verb: cardVerbs.scopingReturnSubmit,
    places: reviewChannel,
    who: 'the agency',
    handle: (turn, data) =>
      submitScopingReturnFlow(turn.deps, dataReviewId(data), dataAgencyId(data), data, turn.actor),
  },
  // The meeting proposal, the quorum card, the outcome form and the sign-off card are posted in the
  // review's channel (the quorum card also answers "quorum" in the meeting chat), and only there.
  {
    verb: cardVerbs.meetingAccept,
    places: reviewChannel,
    ofThePlacesReview: true,
    who: 'business unit',
    handle: (turn, data) => bookChosenSlot(turn.deps, data, turn.actor),
  },
  {
    verb: cardVerbs.meetingPick,
    places: reviewChannel,
    ofThePlacesReview: true,
    who: 'business unit',
    handle: (turn, data) => bookChosenSlot(turn.deps, data, turn.actor),
  },
  {
    verb: cardVerbs.quorumConfirm,
    places: ['review-channel', 'meeting-chat'],
    ofThePlacesReview: true,
    who: 'chair',
    handle: (turn, data) => decideQuorum(turn.deps, dataReviewId(data), true, turn.actor),
  },
  {
    verb: cardVerbs.quorumNotQuorate,
    places: ['review-channel', 'meeting-chat'],
    ofThePlacesReview: true,
    who: 'chair',
    handle: (turn, data) => decideQuorum(turn.deps, dataReviewId(data), false, turn.actor),
  },
  {
    verb: cardVerbs.outcomeRecord,
    places: reviewChannel,
    ofThePlacesReview: true,
    who: 'chair or business unit',
    handle: (turn, data) => submitOutcomeFlow(turn.deps, data, turn.actor),
  },
  {
    verb: cardVerbs.directorySaveAgency,
    places: personalPlaces,
    who: 'business unit',
    businessUnitOnly: directoryKeptBy,
    handle: saveAgencyFlow,
  },
  {
    verb: cardVerbs.directoryRemoveAgency,
    places: personalPlaces,
    who: 'business unit',
    businessUnitOnly: directoryKeptBy,
    handle: removeAgencyFlow,
  },
  {
    verb: cardVerbs.directorySaveChairs,
    places: personalPlaces,
    who: 'business unit',
    businessUnitOnly: directoryKeptBy,
    handle: saveChairsFlow,
  },
  {
    verb: cardVerbs.outcomeSignOff,
    places: reviewChannel,
    ofThePlacesReview: true,
    who: 'anyone',
    handle: (turn, data) => signOffFlow(turn.deps, data, turn.actor),
  },
];

/** Normalises typed text for matching: lower case, one space, no trailing punctuation. */
export function normaliseCommand(rawText: string): string {
  return rawText
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '');
}

/** Resolves the turn once: the review of a meeting chat is looked up here, not in each handler. */
export async function resolveTurn(
  deps: FlowDeps,
  actor: Actor,
  place: Place,
  rawText: string,
  origin: unknown,
): Promise<Turn> {
  let reviewId: string | undefined;
  if (place.kind === 'review-channel') reviewId = place.reviewId;
  if (place.kind === 'meeting-chat') {
    reviewId = (await reviewOfMeeting(deps, { chatId: conversationIdOf(origin) }))?.id;
  }
  return {
    deps,
    actor,
    place,
    ...(reviewId ? { reviewId } : {}),
    rawText: rawText.trim(),
    text: normaliseCommand(rawText),
    origin,
  };
}

/** The text routes of one place, in table order. */
export function routesIn(place: PlaceKind): TextRoute[] {
  return textRoutes.filter((route) => route.places.includes(place));
}

/** The route accepting this text in this place, if any, with its match. */
export function matchRoute(
  place: PlaceKind,
  text: string,
): { route: TextRoute; match: RegExpExecArray } | undefined {
  for (const route of routesIn(place)) {
    const match = route.pattern.exec(text);
    if (match) return { route, match };
  }
  return undefined;
}

/** The places where some route accepts this text (to say where a command works instead). */
export function placesAccepting(text: string): PlaceKind[] {
  const places = new Set<PlaceKind>();
  for (const route of textRoutes) {
    if (route.pattern.exec(text) !== null) route.places.forEach((p) => places.add(p));
  }
  return [...places];
}

/** What help lists in a place: every route accepted there, then help itself. */
export function helpCommandsIn(place: PlaceKind): HelpCommand[] {
  const line = (route: { command: string; help: string; who: Who }): HelpCommand => ({
    command: route.command,
    summary: route.help,
    who: route.who === 'anyone' ? '' : route.who,
  });
  return [...routesIn(place).map(line), line(helpRoute)];
}

/** Teams' command menu scopes and the places each covers (a team's channels are the team scope). */
export const manifestScopes = {
  personal: ['personal'],
  team: ['business-unit-channel', 'review-channel'],
  groupChat: ['meeting-chat'],
} as const satisfies Record<string, readonly PlaceKind[]>;

/** Microsoft's manifest schema allows at most 12 commands in a command list. */
export const menuLimit = 12;

export interface MenuCommand {
  title: string;
  description: string;
}

/**
 * The manifest's `commandLists`, from the routes with a menu title: one entry per title in each scope
 * (a title that means different things in a scope's places names each place).
 */
export function manifestCommandLists(): { scopes: string[]; commands: MenuCommand[] }[] {
  return Object.entries(manifestScopes).map(([scope, places]) => {
    const byTitle = new Map<string, Map<string, PlaceKind[]>>();
    const menuRoutes = [...textRoutes, helpRouteAsText];
    for (const place of places) {
      for (const route of menuRoutes) {
        if (!route.menu || !route.places.includes(place)) continue;
        const helps = byTitle.get(route.menu) ?? new Map<string, PlaceKind[]>();
        helps.set(route.help, [...(helps.get(route.help) ?? []), place]);
        byTitle.set(route.menu, helps);
      }
    }
    const commands = [...byTitle].map(([title, helps]) => ({
      title,
      description:
        helps.size === 1
          ? [...helps.keys()][0]
          : [...helps]
              .map(([help, where]) => `${where.map((p) => menuPlaceNames[p]).join(', ')}: ${help}`)
              .join(' '),
    }));
    return { scopes: [scope], commands };
  });
}

const menuPlaceNames: Record<PlaceKind, string> = {
  personal: 'In this chat',
  'business-unit-channel': "In the business unit's channel",
  'review-channel': "In a review's channel",
  'meeting-chat': 'In the meeting chat',
  'other-channel': 'Elsewhere',
  'group-chat': 'In a group chat',
};

const helpRouteAsText: Pick<TextRoute, 'menu' | 'places' | 'help'> = {
  menu: helpRoute.menu,
  places: ['personal', 'business-unit-channel', 'review-channel', 'meeting-chat'],
  help: 'What the bot does and what you can ask it here.',
};

/** The commands of a place as typed, without their arguments, for greetings and suggestions. */
export function commandWordsIn(place: PlaceKind): string[] {
  const words = routesIn(place)
    .filter((route) => route.pattern !== questionMatcher)
    .map((route) => {
      const bare: string[] = [];
      for (const word of route.command.split(' ')) {
        if (/[A-Z|[\];]/.test(word)) break;
        bare.push(word);
      }
      return bare.join(' ');
    })
    .filter((command) => command !== '');
  return [...new Set(words)];
}
