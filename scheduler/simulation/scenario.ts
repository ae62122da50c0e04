/**
 * The reviews a simulation runs: invented, seeded (the same seed gives the same run), spread over
 * all the partnership profiles, and each with a script of what happens to it and when — agencies
 * returning on time, late or never; meetings booked early, late or not at all; reports and Panel
 * responses on varied days — so every kind of alert gets its turn. Everything happens at a
 * half-hour mark in the working day, the simulation's own resolution.
 */
import type { Agency, AgencyKind, Person, Review } from '../../review/model';
import { resolveAnchor, type PartnershipProfile } from '../../review/profile';
import type { CivilDate } from '../civilDate';
import { londonWallClockToInstant } from '../slotFinder';
import { calendarFor, type WorkingDayCalendar } from '../workingDayCalendar';

/** A small seeded PRNG (mulberry32): fast, and enough to vary a scenario reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ScriptedChange {
  at: Date;
  /** What happened, for a reader of the run (never subject data). */
  label: string;
  apply: (review: Review) => Review;
}

export interface ScriptedReview {
  /** When the business unit opens the review in the bot. */
  openAt: Date;
  review: Review;
  changes: ScriptedChange[];
  /** The restricted strings no alert may ever contain. */
  restricted: string[];
}

const agencyPool: { id: string; name: string; kind: AgencyKind }[] = [
  { id: 'la', name: 'Simshire Council Children’s Services', kind: 'local-authority' },
  { id: 'police', name: 'Simshire Constabulary', kind: 'police' },
  { id: 'icb', name: 'Simshire Integrated Care Board', kind: 'icb' },
  { id: 'acute', name: 'Simshire Hospitals NHS Trust', kind: 'health-provider' },
  { id: 'gp', name: 'Brookside Sim Surgery', kind: 'health-provider' },
  { id: 'school', name: 'Elmfield Sim Academy', kind: 'education' },
  { id: 'probation', name: 'Probation Service (Simshire)', kind: 'probation' },
  { id: 'camhs', name: 'Simshire CAMHS', kind: 'health-provider' },
];

const businessUnit: Person = {
  aadObjectId: '00000000-0000-4000-8000-00000000b0b0',
  email: 'business.unit@simshire.example.org',
  name: 'Business Unit',
};

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function between(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

/** A half-hour mark between 08:00 and 17:30 London time on `day`. */
function during(random: () => number, day: CivilDate): Date {
  return londonWallClockToInstant(day, 8 * 60 + 30 * between(random, 0, 19));
}

function workingDayOnOrAfter(calendar: WorkingDayCalendar, day: CivilDate): CivilDate {
  return calendar.isWorkingDay(day) ? day : calendar.nextWorkingDay(day);
}

export interface ScenarioOptions {
  reviews: number;
  days: number;
  start: CivilDate;
  seed: number;
  profiles: readonly PartnershipProfile[];
}

export function buildScenario(options: ScenarioOptions): ScriptedReview[] {
  const random = seededRandom(options.seed);
  const scripted: ScriptedReview[] = [];
  // Reviews open over the first two thirds of the run, so later milestones fall inside it.
  const openingSpan = Math.max(1, Math.floor((options.days * 2) / 3));
  for (let index = 0; index < options.reviews; index++) {
    const profile = options.profiles[index % options.profiles.length] as PartnershipProfile;
    const calendar = calendarFor(profile.calendar);
    const serial = String(index + 1).padStart(3, '0');
    const referral = workingDayOnOrAfter(
      calendar,
      calendar.addWorkingDays(options.start, Math.floor((random() * openingSpan * 5) / 7)),
    );
    const openAt = during(random, referral);
    const changes: ScriptedChange[] = [];
    const at = (day: CivilDate, label: string, apply: (review: Review) => Review) =>
      changes.push({ at: during(random, day), label, apply });

    const aware = calendar.addWorkingDays(referral, -between(random, 0, 2));
    // The SIN is sometimes sent the day of the referral, sometimes days later (the clock of a
    // profile that runs from it has then not started), and its date is recorded when it is sent.
    const sinDelay = pick(random, [0, 0, 1, 2, 4]);
    const sinSent = calendar.addWorkingDays(referral, sinDelay);
    const scopingSent = calendar.addWorkingDays(referral, pick(random, [0, 1, 1, 2, 3]));
    const returnDays = profile.scopingReturns.agreedPerReview ? between(random, 3, 7) : undefined;
    const returnsDue = calendar.addWorkingDays(scopingSent, returnDays ?? profile.scopingReturns.withinDays);

    const agencyCount = between(random, 3, agencyPool.length);
    const agencies: Agency[] = agencyPool.slice(0, agencyCount).map((a) => ({
      ...a,
      representatives: [
        {
          aadObjectId: `00000000-0000-4000-9000-${String(index * 10 + agencyPool.indexOf(a)).padStart(12, '0')}`,
          name: `${a.id.toUpperCase()} Rep ${serial}`,
        },
      ],
    }));

    const review: Review = {
      id: `sim-review-${serial}`,
      reference: `RR-SIM-${serial}`,
      pseudonym: `Child ${serial}`,
      profileId: profile.id,
      state: 'opened',
      anchors: { aware, referral, ...(sinDelay === 0 ? { sinSent } : {}) },
      ...(returnDays === undefined ? {} : { scopingReturnDays: returnDays }),
      subject: {
        childName: `Zed Restricted-Simname-${serial}`,
        dateOfBirth: '2019-06-15',
        address: `${serial} Hidden Lane, Simtown`,
        familyMembers: [{ name: `Pat Restricted-Parent-${serial}`, relationship: 'mother' }],
      },
      agencies,
      scopingReturns: agencies.map((a) => ({ agencyId: a.id, status: 'requested', revision: 0 })),
      signOffs: [],
      teamspace: {
        teamId: 'sim-team',
        channelName: `RR-SIM-${serial}`,
        membersAdded: [],
        scopingCards: [],
        // One review in ten has its channel set up only later, so its first alerts wait for it.
        ...(random() < 0.1
          ? {}
          : { conversationReference: { conversation: { id: `sim-channel-${serial}` } } }),
      },
      openedBy: businessUnit,
      openedAt: openAt.toISOString(),
      version: 1,
    };

    if (review.teamspace.conversationReference === undefined) {
      changes.push({
        at: new Date(openAt.getTime() + between(random, 1, 6) * 30 * 60_000),
        label: 'channel ready',
        apply: (r) => ({
          ...r,
          teamspace: {
            ...r.teamspace,
            conversationReference: { conversation: { id: `sim-channel-${serial}` } },
          },
        }),
      });
    }
    if (sinDelay > 0) {
      at(sinSent, 'SIN sent', (r) => ({ ...r, anchors: { ...r.anchors, sinSent } }));
    }
    at(scopingSent, 'scoping requests sent', (r) => ({
      ...r,
      state: r.state === 'opened' ? 'scoping' : r.state,
      anchors: { ...r.anchors, scopingSent },
    }));
    for (const agency of agencies) {
      const behaviour = pick(random, ['on-time', 'on-time', 'on-time', 'late', 'late', 'missing']);
      if (behaviour === 'missing') continue;
      const day =
        behaviour === 'on-time'
          ? calendar.addWorkingDays(
              scopingSent,
              between(random, 1, calendar.workingDaysBetween(scopingSent, returnsDue)),
            )
          : calendar.addWorkingDays(returnsDue, between(random, 1, 4));
      const when = during(random, day);
      changes.push({
        at: when,
        label: `${agency.id} return`,
        apply: (r) => ({
          ...r,
          scopingReturns: r.scopingReturns.map((ret) =>
            ret.agencyId === agency.id
              ? {
                  ...ret,
                  status: 'submitted',
                  revision: ret.revision + 1,
                  submittedBy: agency.representatives[0] as Person,
                  submittedAt: when.toISOString(),
                }
              : ret,
          ),
        }),
      });
    }

    const windowFrom = { referral, 'sin-sent': sinSent, aware }[
      resolveAnchor(profile, profile.meetingWindow.from)
    ];
    const opens = calendar.addWorkingDays(windowFrom, profile.meetingWindow.openDay);
    const closes = calendar.addWorkingDays(windowFrom, profile.meetingWindow.closeDay);
    const meetingPlan = pick(random, ['early', 'early', 'late', 'never']);
    if (meetingPlan === 'never') {
      scripted.push({ openAt, review, changes, restricted: restrictedOf(review) });
      continue;
    }
    const bookedOn =
      meetingPlan === 'early'
        ? calendar.addWorkingDays(scopingSent, between(random, 0, 3))
        : calendar.addWorkingDays(closes, -between(random, 0, 1));
    const heldOn =
      meetingPlan === 'early'
        ? calendar.addWorkingDays(
            opens,
            between(random, 0, profile.meetingWindow.closeDay - profile.meetingWindow.openDay),
          )
        : calendar.addWorkingDays(closes, between(random, 0, 2));
    const heldStart = londonWallClockToInstant(heldOn, 10 * 60);
    const heldEnd = londonWallClockToInstant(heldOn, 12 * 60);
    at(bookedOn < heldOn ? bookedOn : calendar.addWorkingDays(heldOn, -1), 'meeting booked', (r) => ({
      ...r,
      state: r.state === 'scoping' || r.state === 'opened' ? 'meeting-booked' : r.state,
      meeting: {
        status: 'booked',
        start: heldStart.toISOString(),
        end: heldEnd.toISOString(),
        transactionId: `sim-${serial}`,
      },
    }));
    changes.push({
      at: londonWallClockToInstant(heldOn, 12 * 60),
      label: 'meeting held',
      apply: (r) => ({
        ...r,
        state: 'meeting-held',
        anchors: { ...r.anchors, meetingHeld: heldOn },
        meeting: r.meeting ? { ...r.meeting, status: 'held' } : r.meeting,
      }),
    });
    const submitPlan = pick(random, ['prompt', 'prompt', 'slow', 'never']);
    if (submitPlan === 'never') {
      scripted.push({ openAt, review, changes, restricted: restrictedOf(review) });
      continue;
    }
    const submittedOn = calendar.addWorkingDays(
      heldOn,
      submitPlan === 'prompt' ? between(random, 0, 2) : between(random, 3, 6),
    );
    at(submittedOn, 'report sent to the Panel', (r) => ({
      ...r,
      state: 'submitted-to-panel',
      anchors: { ...r.anchors, panelSubmitted: submittedOn },
    }));
    const respondedOn = calendar.addWorkingDays(
      submittedOn,
      profile.panel.responseDays + between(random, -3, 4),
    );
    if (random() < 0.8) {
      at(respondedOn, 'Panel responded', (r) => ({
        ...r,
        state: 'panel-responded',
        anchors: { ...r.anchors, panelResponse: respondedOn },
      }));
      const closesOn = calendar.addWorkingDays(
        respondedOn,
        (profile.postReviewMeetingDays ?? 0) + between(random, 1, 3),
      );
      if (random() < 0.7) at(closesOn, 'review closed', (r) => ({ ...r, state: 'closed' }));
    }
    scripted.push({ openAt, review, changes, restricted: restrictedOf(review) });
  }
  for (const script of scripted) {
    // Nothing can happen to a review in the bot before it is opened there.
    for (const change of script.changes) {
      if (change.at < script.openAt) change.at = script.openAt;
    }
    script.changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  return scripted;
}

function restrictedOf(review: Review): string[] {
  return [
    review.subject.childName,
    ...(review.subject.address ? [review.subject.address] : []),
    ...review.subject.familyMembers.map((member) => member.name),
  ];
}
