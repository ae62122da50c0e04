/**
 * The Initial Case Discussion, where the profile holds one (`initialCaseDiscussion`; North Yorkshire:
 * "The NY SPRG convene an Initial Case Discussion Meeting to agree the key lines of enquiry (KLOE) …
 * and decide which organisations to request information from. Information is requested from
 * organisations via the NY SPRG 'Form 2' which contains the KLOE's."). Until it is recorded no
 * scoping request goes out; once it is, only the agencies it names are asked, and each request shows
 * the lines of enquiry.
 */
import type { Actor } from './lifecycle';
import type { Agency, CivilDate, Instant, InitialCaseDiscussion, Review } from './model';
import type { PartnershipProfile } from './profile';
import type { ChangeResult } from './store';
import { futureDateIssue } from './anchorDates';

/** The command that records it, as status and refusals name it. */
export const icdCommand = 'icd ask AGENCIES; LINE OF ENQUIRY; LINE OF ENQUIRY…';

export const maxLinesOfEnquiry = 20;
export const lineOfEnquiryMaxLength = 1000;

export interface InitialCaseDiscussionInput {
  heldOn: CivilDate;
  linesOfEnquiry: string[];
  agencyIds: string[];
}

type Settings = Pick<PartnershipProfile, 'initialCaseDiscussion'>;

/** The agencies asked for a scoping return: those the discussion named, else every agency. */
export function agenciesAsked(review: Pick<Review, 'agencies' | 'initialCaseDiscussion'>): Agency[] {
  const named = review.initialCaseDiscussion?.agencyIds;
  if (!named) return review.agencies;
  return review.agencies.filter((agency) => named.includes(agency.id));
}

/**
 * Why the scoping requests may not go out yet, in words for status and the business unit, or null.
 * Only a profile that holds the discussion waits for it, and only before the requests are sent.
 */
export function scopingWaitsFor(
  review: Pick<Review, 'state' | 'initialCaseDiscussion'>,
  profile: Settings,
): string | null {
  if (!profile.initialCaseDiscussion || review.initialCaseDiscussion) return null;
  if (review.state !== 'opened') return null;
  return (
    'Scoping requests not sent: they wait for the Initial Case Discussion (key lines of enquiry and ' +
    `which agencies to ask). Business unit: mention me in the review channel with "${icdCommand}".`
  );
}

// Control characters other than tab and new line, and lone surrogates, cannot be stored as text.
const unstorable =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why the discussion as given cannot be recorded, naming the field and the rule, or null. */
export function initialCaseDiscussionIssue(
  review: Pick<Review, 'agencies' | 'anchors'>,
  input: InitialCaseDiscussionInput,
  today: CivilDate,
): string | null {
  const future = futureDateIssue(input.heldOn, today);
  if (future) return `heldOn ${input.heldOn}: ${future} (today is ${today})`;
  const earliest = [review.anchors.aware, review.anchors.referral]
    .filter((d): d is CivilDate => Boolean(d))
    .sort()[0];
  if (earliest && input.heldOn < earliest) {
    return `heldOn ${input.heldOn}: Must not be before the partnership knew of the incident (${earliest})`;
  }
  if (input.agencyIds.length === 0) return 'agencies: Name at least one agency to ask';
  const known = new Set(review.agencies.map((a) => a.id));
  const unknown = input.agencyIds.find((id) => !known.has(id));
  if (unknown !== undefined) return `agencies: '${unknown}' is not an agency of this review`;
  if (new Set(input.agencyIds).size !== input.agencyIds.length) return 'agencies: An agency is named twice';
  if (input.linesOfEnquiry.length === 0) return 'linesOfEnquiry: Agree at least one key line of enquiry';
  if (input.linesOfEnquiry.length > maxLinesOfEnquiry) {
    return `linesOfEnquiry: At most ${maxLinesOfEnquiry} key lines of enquiry`;
  }
  for (const [index, line] of input.linesOfEnquiry.entries()) {
    const field = `linesOfEnquiry ${index + 1}`;
    if (typeof line !== 'string' || line.trim() === '') return `${field}: Must not be empty`;
    if (line.length > lineOfEnquiryMaxLength) {
      return `${field}: At most ${lineOfEnquiryMaxLength} characters (got ${line.length})`;
    }
    if (unstorable.test(line)) return `${field}: Contains characters that cannot be stored as text`;
  }
  return null;
}

/** Why this person may not record the discussion on this review now, whatever they give, or null. */
export function initialCaseDiscussionRefusal(
  review: Pick<Review, 'state' | 'teamspace'>,
  profile: Settings,
  actor: Actor,
): string | null {
  if (!actor.businessUnit) return 'only the business unit records the Initial Case Discussion';
  if (!profile.initialCaseDiscussion) {
    return 'this partnership holds no Initial Case Discussion: the scoping requests go out when the review is set up';
  }
  if (review.state !== 'opened' || review.teamspace.scopingCards.length > 0) {
    return 'the scoping requests have already gone out with the Initial Case Discussion as recorded';
  }
  return null;
}

/**
 * Records the discussion: the business unit only, where the profile holds one, before any scoping
 * request has gone out (the requests carry what it agreed). Recording it again before then replaces it.
 */
export function recordInitialCaseDiscussion(
  review: Review,
  profile: Settings,
  input: InitialCaseDiscussionInput,
  actor: Actor,
  at: Instant,
  today: CivilDate,
): ChangeResult {
  const action = 'icd.recorded';
  const reason =
    initialCaseDiscussionRefusal(review, profile, actor) ?? initialCaseDiscussionIssue(review, input, today);
  const event = (name: string, detail: Record<string, unknown>) => ({
    reviewId: review.id,
    at,
    actor: actor.person,
    action: name,
    detail,
  });
  if (reason) return { ok: false, reason, audit: [event(`${action}.refused`, { reason })] };
  const discussion: InitialCaseDiscussion = {
    heldOn: input.heldOn,
    linesOfEnquiry: input.linesOfEnquiry.map((line) => line.trim()),
    agencyIds: input.agencyIds,
    recordedBy: actor.person,
    recordedAt: at,
  };
  return {
    ok: true,
    review: { ...review, initialCaseDiscussion: discussion },
    audit: [
      // How many lines, never their wording: they may describe the case.
      event(action, {
        heldOn: input.heldOn,
        agencyIds: input.agencyIds,
        linesOfEnquiry: discussion.linesOfEnquiry.length,
        replaces: review.initialCaseDiscussion ? review.initialCaseDiscussion.recordedAt : null,
      }),
    ],
  };
}

/**
 * Reads "[on YYYY-MM-DD] ask AGENCIES; LINE; LINE…" (the words after "icd"): agencies by id or name,
 * separated by commas, or "all". The date defaults to today.
 */
export function parseInitialCaseDiscussion(
  text: string,
  review: Pick<Review, 'agencies'>,
  today: CivilDate,
): { ok: true; input: InitialCaseDiscussionInput } | { ok: false; reason: string } {
  const [head = '', ...lines] = text.split(';').map((part) => part.trim());
  const match = /^(?:on (\S+) )?ask (.+)$/i.exec(head.replace(/\s+/g, ' '));
  if (!match) return { ok: false, reason: `Say "${icdCommand}" (optionally "icd on YYYY-MM-DD ask …")` };
  const heldOn = match[1] ?? today;
  const asDate = new Date(`${heldOn}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(heldOn) ||
    Number.isNaN(asDate.getTime()) ||
    asDate.toISOString().slice(0, 10) !== heldOn
  ) {
    return { ok: false, reason: `heldOn: must be a real date as YYYY-MM-DD (got '${heldOn}')` };
  }
  const names = match[2]
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const agencyIds: string[] = [];
  for (const name of names) {
    if (name === 'all') {
      agencyIds.push(...review.agencies.map((a) => a.id).filter((id) => !agencyIds.includes(id)));
      continue;
    }
    const agency = review.agencies.find(
      (a) => a.id.toLowerCase() === name || a.name.toLowerCase().replace(/\s+/g, ' ') === name,
    );
    if (!agency) {
      const known = review.agencies.map((a) => `${a.id} (${a.name})`).join(', ');
      return {
        ok: false,
        reason: `agencies: '${name}' is not an agency of this review (its agencies: ${known})`,
      };
    }
    agencyIds.push(agency.id);
  }
  return { ok: true, input: { heldOn, linesOfEnquiry: lines.filter((l) => l !== ''), agencyIds } };
}
