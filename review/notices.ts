/**
 * Who is told, and when: the roles a profile names for the start of a review, its outcome and the
 * National Panel's response (North Yorkshire: the Executive, the chair and the independent scrutineer
 * at the start and at the outcome; the Panel's response shared with the review group). A notice names
 * the review by reference only: it goes to places outside the review's restricted channel.
 */
import type { NoticeEvent, NoticeSent, Review, ReviewState } from './model';
import type { PartnershipProfile } from './profile';

export const noticeWords: Record<NoticeEvent, string> = {
  start: 'has started',
  outcome: 'has an outcome agreed by the statutory partners',
  'panel-response': 'has a response from the National Panel',
};

const agreedStates: readonly ReviewState[] = ['signed-off', 'submitted-to-panel', 'panel-responded'];

const settingOf = { start: 'start', outcome: 'outcome', 'panel-response': 'panelResponse' } as const;

/** The roles the profile says are told of an event. */
export function noticeRoles(profile: Pick<PartnershipProfile, 'notices'>, event: NoticeEvent): string[] {
  return profile.notices[settingOf[event]];
}

/** Whether the event has happened for this review, so that its notices are owed. */
export function noticeEventHappened(review: Review, event: NoticeEvent): boolean {
  switch (event) {
    case 'start':
      // The review has started once its channel is there to point to.
      return Boolean(review.teamspace.welcomeActivityId);
    case 'outcome': {
      // Agreed once every statutory partner signed it off, even if the review was closed since.
      const state = review.state === 'closed' ? review.closure?.fromState : review.state;
      return Boolean(review.outcome) && state !== undefined && agreedStates.includes(state);
    }
    case 'panel-response':
      return (review.panelResponses?.length ?? 0) > 0;
  }
}

/** The roles not yet told of an event (each is told once, whatever retries). */
export function noticesOwed(
  review: Review,
  profile: Pick<PartnershipProfile, 'notices'>,
  event: NoticeEvent,
): string[] {
  if (!noticeEventHappened(review, event)) return [];
  const told = review.notices ?? [];
  return noticeRoles(profile, event).filter(
    (role) => !told.some((n) => n.event === event && n.role === role),
  );
}

/** The notice's text: the reference, the role and the event, nothing about the child. */
export function noticeText(reference: string, role: string, event: NoticeEvent, fallback: boolean): string {
  const text = `For ${role}: Rapid Review ${reference} ${noticeWords[event]}. Details are in the review’s own channel.`;
  return fallback
    ? `${text} (No place is configured for ${role}: business unit, please pass this on.)`
    : text;
}

/**
 * Where a role's notice goes: the role's own channel where one is configured, else the business
 * unit's channel (then marked as one to pass on), else nowhere.
 */
export function noticePlace(
  role: string,
  places: { noticeChannels?: ReadonlyMap<string, string>; businessUnitChannelId?: string },
): { channelId: string; via: NoticeSent['via'] } | null {
  const own = places.noticeChannels?.get(role);
  if (own) return { channelId: own, via: 'role-channel' };
  if (places.businessUnitChannelId)
    return { channelId: places.businessUnitChannelId, via: 'business-unit-channel' };
  return null;
}
