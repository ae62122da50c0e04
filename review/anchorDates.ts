/**
 * The rules a review's anchor dates obey wherever they are entered: on the opening form and by the
 * business unit's `record sin|aware|referral DATE`. One rule, one place, so the two cannot disagree.
 */
import type { CivilDate, ReviewAnchors } from './model';

export type RecordableAnchor = 'aware' | 'sinSent' | 'referral';

export const anchorLabels: Record<RecordableAnchor, string> = {
  aware: 'the date the local authority became aware',
  sinSent: 'the date the SIN was sent',
  referral: 'the referral date',
};

/** A date something happened cannot be after today. */
export function futureDateIssue(value: CivilDate, today: CivilDate): string | null {
  return value > today ? 'Must not be in the future' : null;
}

export interface AnchorIssue {
  field: RecordableAnchor;
  message: string;
}

/** Orders of anchor dates that cannot have happened: the SIN is sent after the local authority is aware. */
export function anchorOrderIssues(anchors: Partial<Pick<ReviewAnchors, RecordableAnchor>>): AnchorIssue[] {
  const issues: AnchorIssue[] = [];
  if (anchors.aware && anchors.sinSent && anchors.sinSent < anchors.aware) {
    issues.push({
      field: 'sinSent',
      message: 'Must not be before the date the local authority became aware',
    });
  }
  return issues;
}

/**
 * Why `on` cannot be recorded as the review's `anchor`, naming the field and the rule, or null. Judged
 * with the review's other anchor dates as they stand.
 */
export function recordedAnchorIssue(
  anchors: ReviewAnchors,
  anchor: RecordableAnchor,
  on: CivilDate,
  today: CivilDate,
): string | null {
  const future = futureDateIssue(on, today);
  if (future) return `${anchor} ${on}: ${future} (today is ${today})`;
  const next = { ...anchors, [anchor]: on };
  const order = anchorOrderIssues(next)[0];
  if (!order) return null;
  const others = (['aware', 'sinSent'] as const)
    .filter((key) => key !== anchor && next[key])
    .map((key) => `${key} is recorded as ${next[key] as CivilDate}`);
  return `${anchor} ${on}: refused, ${order.field}: ${order.message} (${others.join('; ')})`;
}
