/**
 * Questions in plain words, greetings, and the nearest commands to something not understood. The
 * grammar is review/questions.ts, the answers scheduler/questionAnswers.ts; this file decides which
 * reviews a place may be told about.
 */
import { isReviewMember } from '../../review/refusals';
import { closestCommands, type Question } from '../../review/questions';
import type { Review } from '../../review/model';
import { civilDateInLondon } from '../../scheduler/civilDate';
import { answerQuestion } from '../../scheduler/questionAnswers';
import { reviewStatus } from '../../scheduler/reviewStatus';
import { digestText, weeklyDigest } from '../../scheduler/weeklyDigest';
import type { CardReply } from './replies';
import { refusalReply } from './presenters';
import type { Turn } from './turn';

/** The reviews a question in this turn may be answered about, or why none may. */
async function reviewsAsked(turn: Turn, question: Question): Promise<Review[] | string> {
  const { deps, place, actor } = turn;
  if (place.kind === 'review-channel' || place.kind === 'meeting-chat') {
    const review = turn.reviewId ? await deps.store.getReview(turn.reviewId) : undefined;
    if (!review) return 'I cannot tell which review this chat belongs to: ask in the review’s own channel.';
    if (question.reference && question.reference !== review.reference)
      return `This is ${review.reference}'s ${place.kind === 'review-channel' ? 'channel' : 'meeting chat'}: ask about ${question.reference} in its own channel.`;
    // The same rule as status here: the review's answers are for its own people.
    if (!isReviewMember(review, actor, deps.settings.chair))
      return `${review.reference} is answered for the people of this review only: ask the business unit if you should be one of them.`;
    return [review];
  }
  if (!actor.businessUnit)
    return 'Ask in the review’s own channel: here I answer questions about reviews for the business unit only.';
  if (question.reference) {
    const review = await deps.store.findByReference(question.reference);
    return review ? [review] : `There is no review ${question.reference}.`;
  }
  return deps.store.listReviews({ openOnly: true });
}

export async function questionReply(turn: Turn, question: Question): Promise<CardReply> {
  const reviews = await reviewsAsked(turn, question);
  if (typeof reviews === 'string') return refusalReply(reviews);
  const today = civilDateInLondon(turn.deps.clock.now());
  const views = reviews
    .map((review) => reviewStatus(review, turn.deps.profiles.get(review.profileId), today))
    .sort((a, b) => a.reference.localeCompare(b.reference));
  return { text: answerQuestion(question.kind, views) };
}

/** Examples shown in a greeting and beside the nearest commands. */
export const questionExamples = [
  'what is due this week?',
  'who has not returned?',
  'when is the meeting?',
  'what is overdue?',
  'how many days left?',
];

/** "hi": a short greeting and where to start here, not the whole help. */
export function greetingReply(turn: Turn, commands: readonly string[]): CardReply {
  const first = turn.actor.person.name.split(' ')[0];
  const hello = first && first !== 'Unknown' ? `Hello ${first}.` : 'Hello.';
  const start = commands.slice(0, 3).map((c) => `**${c}**`);
  return {
    text:
      `${hello} Here you can type ${start.join(', ')}, or ask a question such as “${questionExamples[0]}”. ` +
      'Type **help** for everything I can do here.',
  };
}

/** Something no route or question matched: the closest commands here, not the whole help. */
export function notUnderstoodReply(rawText: string, commands: readonly string[]): CardReply {
  const closest = closestCommands(rawText, commands);
  const typed = rawText.length > 60 ? `${rawText.slice(0, 60)}…` : rawText;
  const suggestions =
    closest.length > 0
      ? `The closest here: ${closest.map((c) => `**${c}**`).join(', ')}.`
      : `Here you can type ${commands
          .slice(0, 3)
          .map((c) => `**${c}**`)
          .join(', ')}, or ask e.g. “${questionExamples[3]}”.`;
  return { text: `I did not understand “${typed}”. ${suggestions} Type **help** for everything.` };
}

/** "digest": the business unit's weekly digest, on demand (every open review, RAG, this week, who is late). */
export async function digestReply(turn: Turn): Promise<CardReply> {
  const today = civilDateInLondon(turn.deps.clock.now());
  const views = (await turn.deps.store.listReviews({ openOnly: true })).map((review) =>
    reviewStatus(review, turn.deps.profiles.get(review.profileId), today),
  );
  return { text: digestText(weeklyDigest(views, today)) };
}
