/**
 * Questions in plain words: a small grammar (synonyms, no outside service) that turns "who hasn't
 * returned on RR-2026-003?" into a question the bot can answer from a review's status. Language only:
 * the answers come from the review's status (scheduler/questionAnswers.ts).
 */

export type QuestionKind = 'due-this-week' | 'not-returned' | 'meeting-when' | 'overdue' | 'days-left';

export interface Question {
  kind: QuestionKind;
  /** The review named in the question (upper case), when one is; else the place's review. */
  reference?: string;
}

/** Lower case, contractions spelt out, punctuation dropped, one space between words. */
export function plainWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\bwhat's\b/g, 'what is')
    .replace(/\bwho's\b/g, 'who is')
    .replace(/\bwhen's\b/g, 'when is')
    .replace(/\bhow's\b/g, 'how is')
    .replace(/\bwhere's\b/g, 'where is')
    .replace(/\bwe've\b/g, 'we have')
    .replace(/\bcan't\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/\b(\w+)n't\b/g, '$1 not')
    .replace(/[^a-z0-9\s-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const referencePattern = /\brr-(\d{4})-(\d{3,})\b/;

/** Words and phrases, each a regular expression over plainWords(text). */
const words = {
  negation: /\b(not|yet to|still to|no|without|never|missing|outstanding|awaiting|waiting|chase|chasing)\b/,
  returned:
    /\b(return|returns|returned|submit|submitted|submission|submissions|sent|send|replied|reply|responded|response|responses|scoping|form|forms|filled|completed|in yet)\b/,
  who: /\b(who|which|whose|what agenc(y|ies)|any agenc(y|ies)|anyone|anybody|agencies|agency|partners)\b/,
  overdue: /\b(overdue|late|behind|past due|missed|slipped|slipping|lapsed|running over|over time)\b/,
  meeting: /\b(meeting|meet|panel meeting|review meeting|rr meeting|call|booked|scheduled)\b/,
  when: /\b(when|what time|what day|what date|which day|date|day|time|booked|scheduled|is there a|have we got|is it)\b/,
  due: /\b(due|deadline|deadlines|coming up|upcoming|expected|needed|happening|to do|on the cards|lined up)\b/,
  week: /\b(this week|the week|week|next few days|next 7 days|next seven days|these days|by friday|before the weekend)\b/,
  daysLeft:
    /\b(how many days|how many working days|days left|days remaining|working days left|days to go|time left|time remaining|how long|how much time|left on the clock|until the deadline|till the deadline|remaining|countdown|what day are we on|which day are we on|what day of)\b/,
};

/**
 * The question a text asks, if it is one of the five the bot answers. Order matters: "who is late
 * with their return" is about returns (who), "what is late" about every deadline.
 */
export function parseQuestion(text: string): Question | undefined {
  const plain = plainWords(text);
  if (plain === '') return undefined;
  const ref = referencePattern.exec(plain);
  const reference = ref ? `RR-${ref[1]}-${ref[2]}` : undefined;
  const withRef = (kind: QuestionKind): Question => (reference ? { kind, reference } : { kind });
  const has = (pattern: RegExp) => pattern.test(plain);

  if (
    has(words.returned) &&
    (has(words.negation) || has(words.overdue)) &&
    (has(words.who) || has(/\bhave|has\b/))
  )
    return withRef('not-returned');
  if (has(/\b(missing|outstanding|chase|chasing)\b/) && has(/\b(return|returns|agenc(y|ies)|who)\b/))
    return withRef('not-returned');
  if (has(words.meeting) && has(words.when) && !has(words.daysLeft)) return withRef('meeting-when');
  if (has(words.overdue)) return withRef('overdue');
  if (has(words.daysLeft)) return withRef('days-left');
  if (has(words.due) && has(words.week)) return withRef('due-this-week');
  if (has(words.week) && has(/\b(what|anything|deadlines?)\b/)) return withRef('due-this-week');
  return undefined;
}

const greetings =
  /^(hi|hello|hey|hiya|morning|good morning|good afternoon|good evening|afternoon|evening|yo|howdy|thanks|thank you|cheers|ta)( there| bot| rapid review)?$/;

/** "hi", "good morning", "thanks": a short greeting back, not the whole help. */
export function isGreeting(text: string): boolean {
  return greetings.test(plainWords(text));
}

/** Levenshtein distance, for the closest commands to a text that matched nothing. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * The commands closest to what was typed (at most `limit`): those sharing a word with it first, then
 * by the edit distance of the first word (typos: "stauts", "quorom").
 */
export function closestCommands(text: string, commands: readonly string[], limit = 3): string[] {
  const typed = plainWords(text).split(' ').filter(Boolean);
  if (typed.length === 0) return [];
  const score = (command: string) => {
    const commandWords = plainWords(command).split(' ');
    const shared = typed.filter((w) => w.length > 2 && commandWords.includes(w)).length;
    const distance = Math.min(...typed.map((w) => editDistance(w, commandWords[0])));
    return { command, shared, distance };
  };
  return commands
    .map(score)
    .filter((s) => s.shared > 0 || s.distance <= Math.max(1, Math.floor(s.command.split(' ')[0].length / 3)))
    .sort((a, b) => b.shared - a.shared || a.distance - b.distance)
    .slice(0, limit)
    .map((s) => s.command);
}
