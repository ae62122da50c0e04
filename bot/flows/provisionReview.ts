/**
 * Sets a new review up in Teams: its restricted channel, the members, the welcome card and one
 * scoping-request card per agency. Each step records its result in the review before the next one
 * starts, and each step first checks what is already recorded, so running this again after a crash
 * or a failed call resumes where it stopped and never creates a second channel.
 */
import type { Review } from '../../review/model';
import { markScopingSent, recordTeamspace } from '../../review/lifecycle';
import type { Person } from '../../review/model';
import { civilDateInLondon } from '../../scheduler/civilDate';
import type { FlowDeps } from './deps';
import { scopingRequestMessage, welcomeMessage } from './presenters';

async function save(deps: FlowDeps, review: Review, change: Partial<Review['teamspace']>, action: string) {
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(review.id, (current) =>
    recordTeamspace(current, change, at, action),
  );
  if (!result.ok) throw new Error(`could not record ${action} for ${review.reference}: ${result.reason}`);
  return result.review;
}

/** Everyone who needs the channel: the business unit officer who opened it, representatives, leads. */
export function channelMembers(review: Review): Person[] {
  const people: Person[] = [review.openedBy];
  for (const agency of review.agencies) {
    for (const person of [...agency.representatives, ...(agency.lead ? [agency.lead] : [])]) {
      people.push(person);
    }
  }
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.aadObjectId ?? p.email?.toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function memberKey(person: Person): string {
  return person.aadObjectId ?? person.email?.toLowerCase() ?? person.name;
}

export async function provisionReview(deps: FlowDeps, reviewId: string): Promise<Review> {
  let review = await deps.store.getReview(reviewId);
  if (!review) throw new Error(`review ${reviewId} does not exist`);
  const profile = deps.profiles.get(review.profileId);
  const log = deps.log.child({ review: review.reference });

  if (!review.teamspace.channelId) {
    const channel = await deps.teamspace.createChannel({
      teamId: deps.settings.teamId,
      displayName: review.reference,
      description: `Rapid Review ${review.reference} (${review.pseudonym}). Restricted: need-to-know only.`,
      membershipType: profile.channel.membershipType,
      owner: review.openedBy,
    });
    review = await save(
      deps,
      review,
      { teamId: deps.settings.teamId, channelId: channel.id, channelName: review.reference },
      'channel.created',
    );
    log.info({ channelId: channel.id }, 'review channel ready');
  }
  const teamId = review.teamspace.teamId ?? deps.settings.teamId;
  const channelId = review.teamspace.channelId as string;

  for (const person of channelMembers(review)) {
    const key = memberKey(person);
    // The owner was added when the channel was created.
    if (review.teamspace.membersAdded.includes(key)) continue;
    if (key !== memberKey(review.openedBy)) await deps.teamspace.addMember(teamId, channelId, person);
    review = await save(
      deps,
      review,
      { membersAdded: [...review.teamspace.membersAdded, key] },
      'member.added',
    );
  }

  if (!review.teamspace.welcomeActivityId) {
    const posted = await deps.messenger.startThread(
      channelId,
      welcomeMessage(review, profile, deps.clock.now()),
    );
    review = await save(
      deps,
      review,
      { conversationReference: posted.conversationReference, welcomeActivityId: posted.activityId },
      'welcome.posted',
    );
  }

  if (
    !review.teamspace.teamsUserIds &&
    deps.messenger.teamsUserIds &&
    review.teamspace.conversationReference
  ) {
    const people = channelMembers(review);
    const ids = await deps.messenger
      .teamsUserIds(review.teamspace.conversationReference, people)
      .catch((error: unknown) => {
        log.warn({ err: { message: (error as Error).message } }, 'Teams user ids not resolved');
        return {};
      });
    review = await save(deps, review, { teamsUserIds: ids }, 'teams-ids.resolved');
  }

  // The requests go out with these cards, so each card shows the due date counted from today (the
  // date is recorded as the scoping-sent anchor once every card is out).
  const sentOn = review.anchors.scopingSent ?? civilDateInLondon(deps.clock.now());
  for (const agency of review.agencies) {
    if (review.teamspace.scopingCards[agency.id]) continue;
    const asSent = { ...review, anchors: { ...review.anchors, scopingSent: sentOn } };
    const posted = await deps.messenger.startThread(
      channelId,
      scopingRequestMessage(asSent, agency.id, deps),
    );
    review = await save(deps, review, { scopingCards: { [agency.id]: posted } }, 'scoping-request.posted');
  }

  if (review.state === 'opened') {
    const now = deps.clock.now();
    const result = await deps.store.updateReview(review.id, (current) =>
      markScopingSent(
        current,
        sentOn,
        { person: { name: 'Rapid Review Bot' }, businessUnit: true },
        now.toISOString(),
      ),
    );
    if (!result.ok) throw new Error(`could not mark scoping sent for ${review.reference}: ${result.reason}`);
    review = result.review;
  }
  return review;
}

/** On start-up: finish setting up any review a crash or an outage left half-done. */
export async function resumeProvisioning(deps: FlowDeps): Promise<string[]> {
  const resumed: string[] = [];
  for (const review of await deps.store.listReviews({ openOnly: true })) {
    if (review.state !== 'opened') continue;
    try {
      await provisionReview(deps, review.id);
      resumed.push(review.reference);
    } catch (error) {
      deps.log.warn(
        { review: review.reference, err: { message: (error as Error).message } },
        'resume failed',
      );
    }
  }
  return resumed;
}

/**
 * Teams told the bot it was added to a channel (its install event after the app was enabled there):
 * records it for the review that owns the channel and carries on setting that review up.
 */
export async function channelAppInstalled(
  deps: FlowDeps,
  teamId: string | undefined,
  channelId: string,
): Promise<void> {
  void deps;
  void teamId;
  void channelId;
}
