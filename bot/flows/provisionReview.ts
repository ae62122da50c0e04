/**
 * Sets a new review up in Teams, in the order a tenant allows it:
 *   people found in the directory (object ids) → added to the team (a private channel takes only team
 *   members) → the channel → the bot's app enabled in it → Teams' install event → channel members →
 *   the welcome card and one scoping-request card per agency.
 * Each step records its result in the review before the next one starts, and each step first checks
 * what is already recorded, so running this again after a crash or a failed call resumes where it
 * stopped and never creates a second channel or card.
 */
import { createHash } from 'node:crypto';
import type { Review } from '../../review/model';
import type { OutgoingMessage, PostedThread } from '../../review/ports';
import { markScopingSent, recordTeamspace, scopingCardOf } from '../../review/lifecycle';
import { agenciesAsked, scopingWaitsFor } from '../../review/initialCaseDiscussion';
import type { Person } from '../../review/model';
import {
  emailsToResolve,
  notInDirectoryAdvice,
  personKey,
  reviewPeople,
  withObjectIds,
} from '../../review/reviewPeople';
import { civilDateInLondon } from '../../scheduler/civilDate';
import { withPostToken } from './businessUnitPost';
import type { FlowDeps } from './deps';
import { postMeetingProposal } from './meetingBooking';
import { sendNotices } from './notices';
import { scopingRequestMessage, welcomeMessage } from './presenters';

/** Set-up cannot go on until someone acts (or Teams does); the message says who and what. */
export class SetupBlocked extends Error {
  constructor(
    message: string,
    /** Teams has still to add the bot to the channel: nothing for a person to do but wait. */
    readonly waitingForTeams = false,
  ) {
    super(message);
    this.name = 'SetupBlocked';
  }
}

async function save(deps: FlowDeps, review: Review, change: Partial<Review['teamspace']>, action: string) {
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(review.id, (current) =>
    recordTeamspace(current, change, at, action),
  );
  if (!result.ok) throw new Error(`could not record ${action} for ${review.reference}: ${result.reason}`);
  return result.review;
}

/**
 * The channel is set up, but the profile holds an Initial Case Discussion before any scoping request
 * goes out, and it is not recorded yet: nothing is wrong, the business unit has the next step.
 */
export class ScopingWaits extends SetupBlocked {
  constructor(message: string) {
    super(message);
    this.name = 'ScopingWaits';
  }
}

/** A post Teams refused because the bot is not (yet) in the channel. */
function isNotInChannel(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return status === 403 || status === 404;
}

async function resolvePeople(deps: FlowDeps, review: Review): Promise<Review> {
  const emails = emailsToResolve(review);
  const found = emails.length > 0 ? await deps.teamspace.resolvePeople(emails) : new Map();
  const at = deps.clock.now().toISOString();
  if (emails.length > 0 && found.size === 0) {
    // Nobody new found: nothing to record (the upkeep timer asks again), only who is missing.
    const still = withObjectIds(review, found, at).missing;
    throw new SetupBlocked(still.map(notInDirectoryAdvice).join('\n'));
  }
  let missing: Person[] = [];
  const result = await deps.store.updateReview(review.id, (current) => {
    const filled = withObjectIds(current, found, at);
    missing = filled.missing;
    const teamspace = { ...filled.review.teamspace, peopleResolved: filled.missing.length === 0 };
    return { ok: true, review: { ...filled.review, teamspace }, audit: filled.audit };
  });
  if (!result.ok) throw new Error(`could not record people for ${review.reference}: ${result.reason}`);
  if (missing.length > 0) throw new SetupBlocked(missing.map(notInDirectoryAdvice).join('\n'));
  return result.review;
}

function failedNames(review: Review, failed: ReadonlyMap<string, string>): string {
  return reviewPeople(review)
    .filter((person) => person.aadObjectId && failed.has(person.aadObjectId))
    .map((person) => `${person.name} (${failed.get(person.aadObjectId as string)})`)
    .join(', ');
}

export async function provisionReview(deps: FlowDeps, reviewId: string): Promise<Review> {
  let review = await deps.store.getReview(reviewId);
  if (!review) throw new Error(`review ${reviewId} does not exist`);
  const profile = deps.profiles.get(review.profileId);
  const membershipType = profile.channel.membershipType;
  const log = deps.log.child({ review: review.reference });
  const teamsAppId = deps.settings.teamsAppId;
  if (!teamsAppId) {
    throw new SetupBlocked(
      "The bot's Teams app id (TEAMS_APP_ID) is not configured, so it cannot add itself to review channels.",
    );
  }

  if (!review.teamspace.peopleResolved) review = await resolvePeople(deps, review);
  const people = reviewPeople(review);
  const ids = people.map((person) => person.aadObjectId).filter((id): id is string => Boolean(id));

  if (!review.teamspace.teamMembersAdded && membershipType === 'private') {
    const added = await deps.teamspace.addTeamMembers(deps.settings.teamId, ids);
    if (added.failed.size > 0) {
      throw new SetupBlocked(
        `These people could not be added to the team: ${failedNames(review, added.failed)}.`,
      );
    }
    review = await save(deps, review, { teamMembersAdded: true }, 'team-members.added');
  }

  if (!review.teamspace.channelId) {
    const channel = await deps.teamspace.createChannel({
      teamId: deps.settings.teamId,
      displayName: review.reference,
      description: `Rapid Review ${review.reference} (${review.pseudonym}). Restricted: need-to-know only.`,
      membershipType,
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

  if (!review.teamspace.appEnabledAt) {
    await deps.teamspace.enableAppInChannel(teamId, channelId, teamsAppId, membershipType);
    // The saved review comes back as stored: it already says installed if Teams' event beat this.
    review = await save(deps, review, { appEnabledAt: deps.clock.now().toISOString() }, 'app.enabled');
  }
  if (!review.teamspace.appInstalled) {
    // Teams answers 403 to posts until it has added the bot; its install event resumes set-up.
    throw new SetupBlocked('Waiting for Teams to add the bot to the review channel.', true);
  }

  const owner = personKey(review.openedBy);
  const toAdd = people.filter((person) => {
    const key = personKey(person);
    return key !== owner && !review?.teamspace.membersAdded.includes(key);
  });
  if (toAdd.length > 0) {
    const added = await deps.teamspace.addChannelMembers(
      teamId,
      channelId,
      toAdd.map((person) => person.aadObjectId as string),
    );
    const keys = toAdd
      .filter((person) => !added.failed.has(person.aadObjectId as string))
      .map((person) => personKey(person));
    const membersAdded = [...new Set([...review.teamspace.membersAdded, owner, ...keys])];
    review = await save(deps, review, { membersAdded }, 'members.added');
    if (added.failed.size > 0) {
      throw new SetupBlocked(
        `These people could not be added to the review channel: ${failedNames(review, added.failed)}.`,
      );
    }
  } else if (!review.teamspace.membersAdded.includes(owner)) {
    review = await save(
      deps,
      review,
      { membersAdded: [...review.teamspace.membersAdded, owner] },
      'members.added',
    );
  }

  if (!review.teamspace.welcomeActivityId) {
    const sent = await postOnce(
      deps,
      review,
      'welcome',
      channelId,
      welcomeMessage(review, profile, deps.clock.now()),
    );
    review = await save(
      deps,
      sent.review,
      {
        conversationReference: sent.posted.conversationReference,
        welcomeActivityId: sent.posted.activityId,
        postInFlight: undefined,
      },
      'welcome.posted',
    );
  }

  if (
    !review.teamspace.teamsUserIds &&
    deps.messenger.teamsUserIds &&
    review.teamspace.conversationReference
  ) {
    const ids = await deps.messenger
      .teamsUserIds(review.teamspace.conversationReference, reviewPeople(review))
      .catch((error: unknown) => {
        log.warn({ err: { message: (error as Error).message } }, 'Teams user ids not resolved');
        return new Map<string, string>();
      });
    const teamsUserIds = [...ids].map(([memberKey, teamsUserId]) => ({ memberKey, teamsUserId }));
    review = await save(deps, review, { teamsUserIds }, 'teams-ids.resolved');
  }

  const waits = scopingWaitsFor(review, profile);
  if (waits) throw new ScopingWaits(waits);

  // The requests go out with these cards, so each card shows the due date counted from today (the
  // date is recorded as the scoping-sent anchor once every card is out).
  const sentOn = review.anchors.scopingSent ?? civilDateInLondon(deps.clock.now());
  for (const agency of agenciesAsked(review)) {
    if (scopingCardOf(review, agency.id)) continue;
    const asSent = { ...review, anchors: { ...review.anchors, scopingSent: sentOn } };
    const sent = await postOnce(
      deps,
      review,
      `scoping:${agency.id}`,
      channelId,
      scopingRequestMessage(asSent, agency.id, deps),
    );
    review = await save(
      deps,
      sent.review,
      { scopingCards: [{ agencyId: agency.id, ...sent.posted }], postInFlight: undefined },
      'scoping-request.posted',
    );
  }

  if (review.state === 'opened') {
    const now = deps.clock.now();
    const result = await deps.store.updateReview(review.id, (current) => {
      const sent = markScopingSent(
        current,
        sentOn,
        { person: { name: 'Rapid Review Bot' }, businessUnit: true },
        now.toISOString(),
      );
      // Owed in the same write as the state it announces: no crash can leave it sent but untold.
      if (!sent.ok) return sent;
      return {
        ...sent,
        review: { ...sent.review, teamspace: { ...sent.review.teamspace, readyOwed: true } },
      };
    });
    if (!result.ok) throw new Error(`could not mark scoping sent for ${review.reference}: ${result.reason}`);
    review = result.review;
  }
  return review;
}

/** The short token a set-up card carries into Teams, derived from the review and the card (no review data). */
export function postToken(reviewId: string, slot: string): string {
  return createHash('sha256').update(`${reviewId}:${slot}`).digest('hex').slice(0, 12);
}

/**
 * Posts one set-up card at most once. The card is recorded as in flight before it is posted and its
 * activity id is recorded after, so the one window nothing local can close is "Teams accepted the
 * post, then the bot died before recording it". A card still in flight on resume is therefore first
 * looked up in Teams by the token it carries (in its fallback text, which Graph returns with the
 * card): found, it is taken as posted; not found, it is posted. Cards go out one at a time, so only
 * the newest post can be unrecorded, and it is among the channel's latest posts. When Teams cannot be
 * asked, set-up stops here and the upkeep timer tries again: unknown is not "absent".
 */
async function postOnce(
  deps: FlowDeps,
  review: Review,
  slot: string,
  channelId: string,
  message: OutgoingMessage,
): Promise<{ review: Review; posted: PostedThread }> {
  const token = postToken(review.id, slot);
  if (review.teamspace.postInFlight === slot && deps.teamspace.findPostedMessage && deps.messenger.threadOf) {
    const teamId = review.teamspace.teamId ?? deps.settings.teamId;
    const found = await deps.teamspace.findPostedMessage(teamId, channelId, token);
    if (found) {
      deps.log.info({ review: review.reference, slot }, 'card found in Teams: not posted again');
      return { review, posted: deps.messenger.threadOf(channelId, found) };
    }
  } else if (review.teamspace.postInFlight !== slot) {
    review = await save(deps, review, { postInFlight: slot }, 'post.started');
  }
  return { review, posted: await deps.messenger.startThread(channelId, withPostToken(message, token)) };
}

/** How long after enabling the app the bot waits for Teams' install event before trying a post. */
const installEventGraceMs = 2 * 60_000;

/**
 * Provisioning from a restart: if Teams' install event was missed (the bot was down when it came), a
 * post into the channel is the way to find out whether the bot is there — Teams refuses it if not.
 */
async function provisionOrProbe(deps: FlowDeps, reviewId: string): Promise<Review> {
  try {
    return await provisionReview(deps, reviewId);
  } catch (error) {
    if (!(error instanceof SetupBlocked && error.waitingForTeams)) throw error;
    const review = await deps.store.getReview(reviewId);
    if (!review?.teamspace.channelId) throw error;
    // Give Teams' own event time to arrive before asking by posting.
    const enabledAt = Date.parse(review.teamspace.appEnabledAt ?? '');
    if (deps.clock.now().getTime() - enabledAt < installEventGraceMs) throw error;
    const profile = deps.profiles.get(review.profileId);
    let sent;
    try {
      sent = await postOnce(
        deps,
        review,
        'welcome',
        review.teamspace.channelId,
        welcomeMessage(review, profile, deps.clock.now()),
      );
    } catch (postError) {
      if (isNotInChannel(postError)) throw error;
      throw postError;
    }
    await save(
      deps,
      sent.review,
      {
        appInstalled: true,
        conversationReference: sent.posted.conversationReference,
        welcomeActivityId: sent.posted.activityId,
        postInFlight: undefined,
      },
      'app.installed',
    );
    return provisionReview(deps, reviewId);
  }
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
  const review = await deps.store.findByChannel(channelId);
  if (!review || review.teamspace.appInstalled) return;
  if (teamId && review.teamspace.teamId && review.teamspace.teamId !== teamId) return;
  // Whoever records second carries on: if set-up has not yet recorded that it enabled the app, the
  // run that is enabling it will read this install when it records that, and carry on itself.
  let carryOn = false;
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(review.id, (current) => {
    carryOn = Boolean(current.teamspace.appEnabledAt) && current.state === 'opened';
    return recordTeamspace(current, { appInstalled: true }, at, 'app.installed');
  });
  if (!result.ok || !carryOn) return;
  deps.background.afterReply(() => setUpReview(deps, review.id));
}

/**
 * Runs set-up and tells the place the review was opened from how it went: ready (then proposes the
 * meeting), stopped with what someone must do, or paused by an outage (it resumes by itself). A
 * message is repeated only when what it says changes.
 */
export function setUpReview(
  deps: FlowDeps,
  reviewId: string,
  options: { resuming?: boolean } = {},
): Promise<Review | undefined> {
  return deps.background.oneAtATime(`setup:${reviewId}`, () =>
    setUpReviewNow(deps, reviewId, options.resuming ?? false),
  );
}

async function setUpReviewNow(
  deps: FlowDeps,
  reviewId: string,
  resuming: boolean,
): Promise<Review | undefined> {
  const tell = async (review: Review, text: string) => {
    if (review.teamspace.setupBlocked === text) return;
    try {
      await deps.messenger.post(review.teamspace.originReference, { text });
    } catch (error) {
      // Not told, so not recorded as told: the next run says it again.
      deps.log.warn({ review: review.reference, err: { message: (error as Error).message } }, 'not told');
      return;
    }
    await save(deps, review, { setupBlocked: text }, 'setup.blocked').catch(() => undefined);
  };
  try {
    let ready = resuming ? await provisionOrProbe(deps, reviewId) : await provisionReview(deps, reviewId);
    if (ready.teamspace.setupBlocked !== undefined) {
      ready = await save(deps, ready, { setupBlocked: undefined }, 'setup.unblocked');
    }
    // Told once: a review set up earlier (ready told) has nothing more to say here.
    if (!ready.teamspace.readyOwed) return ready;
    await deps.messenger.post(ready.teamspace.originReference, {
      text: `${ready.reference} is ready: its restricted channel is set up and ${agenciesAsked(ready).length} scoping requests are out.`,
    });
    ready = await save(deps, ready, { readyOwed: undefined }, 'ready.told');
    await sendNotices(deps, ready.id, 'start');
    // The meeting is set as soon as the scoping requests are out: propose a slot straight away.
    // A failure here is not a failure to open the review; "book meeting" proposes again.
    if (ready.chair ?? deps.settings.chair) {
      await postMeetingProposal(deps, ready.id).catch((error: unknown) =>
        deps.log.warn({ review: ready.reference, err: { message: (error as Error).message } }, 'no proposal'),
      );
    }
    return ready;
  } catch (error) {
    const review = await deps.store.getReview(reviewId);
    if (!review) throw error;
    if (error instanceof SetupBlocked && error.waitingForTeams) {
      deps.log.info({ review: review.reference }, 'waiting for the bot to be added to the channel');
      return review;
    }
    if (error instanceof ScopingWaits) {
      await tell(review, `${review.reference}: its restricted channel is set up. ${error.message}`);
      await sendNotices(deps, reviewId, 'start');
      return review;
    }
    deps.log.warn(
      { review: review.reference, err: { message: (error as Error).message } },
      'provisioning paused',
    );
    await tell(
      review,
      error instanceof SetupBlocked
        ? `${review.reference} is saved, but its set-up is stopped until this is fixed:\n${error.message}\n` +
            `I will carry on by myself once it is.`
        : `${review.reference} is saved, but setting up its channel did not finish. I will resume it automatically.`,
    );
    return review;
  }
}
