/**
 * Countdown alerts over a fixed calendar: one England review through its 15 working days across
 * Christmas 2026 (Fri 25 Dec, the substitute Boxing Day Mon 28 Dec, and Fri 1 Jan are days off).
 */
import type { Review } from '../review/model';
import { loadProfiles, type PartnershipProfile } from '../review/profile';
import { sampleAgencies, sampleReview } from '../test/fixtures/sampleReview';
import { alertsOn, catchUpAlerts, dueAlerts, type DueAlert } from './alerts';
import { addCalendarDays } from './civilDate';
import { londonWallClockToInstant } from './slotFinder';

const profiles = loadProfiles();
const england = profiles.get('england') as PartnershipProfile;
const northYorkshire = profiles.get('north-yorkshire') as PartnershipProfile;

const at = (day: string, hour: number, minute = 0) => londonWallClockToInstant(day, hour * 60 + minute);

const [la, police, icb] = sampleAgencies.map((a) => ({ ...a }));

function christmasReview(): Review {
  const agencies = [la, police, icb].map((a) => ({ ...(a as Review['agencies'][number]) }));
  return sampleReview({
    id: 'review-xmas',
    reference: 'RR-2026-041',
    pseudonym: 'Child K',
    state: 'opened',
    anchors: { aware: '2026-12-11', referral: '2026-12-14', sinSent: '2026-12-14' },
    scopingReturnDays: undefined,
    agencies,
    scopingReturns: agencies.map((a) => ({ agencyId: a.id, status: 'requested', revision: 0 })),
    openedAt: at('2026-12-14', 8, 30).toISOString(),
  });
}

type Change = { at: Date; apply: (review: Review) => Review };

function submitted(agencyId: string, when: Date) {
  return (review: Review): Review => ({
    ...review,
    scopingReturns: review.scopingReturns.map((r) =>
      r.agencyId === agencyId
        ? { ...r, status: 'submitted', revision: 1, submittedAt: when.toISOString() }
        : r,
    ),
  });
}

/** What happens to the review: the police return on time, the local authority late, the ICB never. */
const story: Change[] = [
  {
    at: at('2026-12-15', 11),
    apply: (r) => ({ ...r, state: 'scoping', anchors: { ...r.anchors, scopingSent: '2026-12-15' } }),
  },
  { at: at('2026-12-18', 14), apply: submitted('police', at('2026-12-18', 14)) },
  { at: at('2026-12-23', 14), apply: submitted('la', at('2026-12-23', 14)) },
  {
    at: at('2026-12-29', 11),
    apply: (r) => ({
      ...r,
      state: 'meeting-booked',
      meeting: {
        status: 'booked',
        start: at('2027-01-04', 10).toISOString(),
        end: at('2027-01-04', 12).toISOString(),
        transactionId: 'txn-xmas',
      },
    }),
  },
  {
    at: at('2027-01-04', 12),
    apply: (r) => ({ ...r, state: 'meeting-held', anchors: { ...r.anchors, meetingHeld: '2027-01-04' } }),
  },
  {
    at: at('2027-01-06', 15),
    apply: (r) => ({
      ...r,
      state: 'submitted-to-panel',
      anchors: { ...r.anchors, panelSubmitted: '2027-01-06' },
    }),
  },
];

function reviewAt(instant: Date): Review {
  return story.filter((c) => c.at <= instant).reduce((review, c) => c.apply(review), christmasReview());
}

/** The alerts of each calendar day at 09:00, from the opening to the completion date. */
function alertsByDay(from: string, to: string): Map<string, DueAlert[]> {
  const table = new Map<string, DueAlert[]>();
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    const now = at(day, 9);
    table.set(day, dueAlerts(reviewAt(now), england, now));
  }
  return table;
}

describe('dueAlerts over one review across Christmas 2026', () => {
  const table = alertsByDay('2026-12-14', '2027-01-07');

  it('posts exactly this list, day by day, through the 15 working days', () => {
    const kinds = Object.fromEntries([...table].map(([day, alerts]) => [day, alerts.map((a) => a.kind)]));
    expect(kinds).toEqual({
      '2026-12-14': ['countdown'],
      '2026-12-15': ['countdown'],
      '2026-12-16': ['countdown'],
      '2026-12-17': ['countdown'],
      '2026-12-18': ['countdown'],
      '2026-12-19': [],
      '2026-12-20': [],
      '2026-12-21': ['countdown', 'scoping-returns:due-tomorrow'],
      '2026-12-22': ['countdown', 'scoping-returns:due-today', 'no-meeting:window-opens'],
      '2026-12-23': ['countdown', 'scoping-returns:overdue', 'escalation'],
      '2026-12-24': ['countdown', 'scoping-returns:overdue', 'escalation'],
      '2026-12-25': [],
      '2026-12-26': [],
      '2026-12-27': [],
      '2026-12-28': [],
      '2026-12-29': ['countdown', 'scoping-returns:overdue', 'escalation'],
      '2026-12-30': ['countdown', 'scoping-returns:overdue', 'escalation'],
      '2026-12-31': ['countdown', 'scoping-returns:overdue', 'escalation'],
      '2027-01-01': [],
      '2027-01-02': [],
      '2027-01-03': [],
      '2027-01-04': ['countdown', 'scoping-returns:overdue', 'escalation'],
      '2027-01-05': [
        'countdown',
        'scoping-returns:overdue',
        'review-complete:due',
        'panel-report:due',
        'escalation',
      ],
      '2027-01-06': [
        'countdown',
        'scoping-returns:overdue',
        'review-complete:due',
        'panel-report:due',
        'escalation',
      ],
      // The report went to the Panel on the 6th: the countdown and the deadlines it met stop; the
      // ICB's missing return is still chased.
      '2027-01-07': ['scoping-returns:overdue', 'escalation'],
    });
  });

  it('counts the working days on the clock, skipping the bank holidays', () => {
    const countdowns = [...table.values()].flat().filter((a) => a.kind === 'countdown');
    expect(countdowns.map((a) => a.text.match(/Working day (\d+) of 15/)?.[1])).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13',
      '14',
    ]);
    expect(countdowns[0]?.text).toBe(
      'RR-2026-041 (Child K): Working day 0 of 15 — next: scoping requests due out Wed 16 Dec (2 working days)',
    );
    expect(table.get('2026-12-24')?.[0]?.text).toBe(
      'RR-2026-041 (Child K): Working day 8 of 15 — next: meeting window closes Tue 5 Jan (5 working days) — overdue: scoping returns',
    );
    expect(table.get('2027-01-05')?.[0]?.text).toBe(
      'RR-2026-041 (Child K): Working day 13 of 15 — next: report due to the National Panel Wed 6 Jan (1 working day) — overdue: scoping returns',
    );
  });

  it('names the agencies still outstanding and mentions their representatives', () => {
    const [tomorrow] = (table.get('2026-12-21') ?? []).filter(
      (a) => a.kind === 'scoping-returns:due-tomorrow',
    );
    expect(tomorrow?.text).toBe(
      'RR-2026-041 (Child K): Scoping returns are due tomorrow, Tue 22 Dec. Still outstanding: ' +
        'Exampleshire County Council Children’s Services, Exampleshire Integrated Care Board.',
    );
    expect(tomorrow?.mentions.map((p) => p.name)).toEqual(['Robin Placeholder', 'Alex Dummyrep']);

    const [afterChristmas] = (table.get('2026-12-29') ?? []).filter(
      (a) => a.kind === 'scoping-returns:overdue',
    );
    expect(afterChristmas?.text).toBe(
      'RR-2026-041 (Child K): Scoping returns are overdue by 3 working days (they were due Tue 22 Dec). ' +
        'Still outstanding: Exampleshire Integrated Care Board.',
    );
    expect(afterChristmas?.mentions.map((p) => p.name)).toEqual(['Alex Dummyrep']);
  });

  it('warns the business unit before the meeting window opens with no meeting booked', () => {
    const [opens] = (table.get('2026-12-22') ?? []).filter((a) => a.kind === 'no-meeting:window-opens');
    expect(opens?.text).toBe(
      'RR-2026-041 (Child K): No review meeting is booked. The meeting window opens tomorrow, Wed 23 Dec, and closes Tue 5 Jan.',
    );
    expect(opens?.mentions).toEqual([christmasReview().openedBy]);
  });

  it('escalates to the business unit channel by reference only', () => {
    const escalations = [...table.values()].flat().filter((a) => a.kind === 'escalation');
    expect(escalations).toHaveLength(9);
    for (const alert of escalations) {
      expect(alert.target).toBe('business-unit-channel');
      expect(alert.text).not.toContain('Child K');
      expect(alert.mentions).toEqual([]);
    }
    expect(escalations[0]?.text).toBe(
      'RR-2026-041 has overdue deadlines: Scoping returns due (was due Tue 22 Dec).',
    );
  });

  it('counts down to completion and the Panel report, then stops once the report is sent', () => {
    const texts = (day: string, kind: string) =>
      (table.get(day) ?? []).filter((a) => a.kind === kind).map((a) => a.text);
    expect(texts('2027-01-05', 'review-complete:due')).toEqual([
      'RR-2026-041 (Child K): The Rapid Review is due to complete in 2 working days, Thu 7 Jan (working day 15).',
    ]);
    expect(texts('2027-01-06', 'panel-report:due')).toEqual([
      'RR-2026-041 (Child K): The Rapid Review report is due to the National Panel today, Wed 6 Jan (2 working days after the meeting).',
    ]);
  });

  it('gives every occurrence its own key', () => {
    const keys = [...table.values()].flat().map((a) => a.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('review-xmas:countdown:2026-12-15');
    expect(keys).toContain('review-xmas:scoping-returns:due-today:2026-12-22');
  });

  it('never names the child, a family member, an address or a date of birth', () => {
    const review = christmasReview();
    const restricted = [
      review.subject.childName,
      review.subject.address as string,
      review.subject.dateOfBirth as string,
      ...review.subject.familyMembers.map((m) => m.name),
    ];
    const all = [...table.values()].flat();
    expect(all).toHaveLength(40);
    for (const alert of all) {
      for (const text of restricted) {
        expect(alert.text).not.toContain(text);
        expect(alert.mentions.map((p) => p.name)).not.toContain(text);
      }
    }
  });
});

describe('when alerts exist', () => {
  const review = reviewAt(at('2026-12-22', 9));

  it('not before the partnership alert hour, and from it on', () => {
    expect(dueAlerts(review, england, at('2026-12-22', 8, 59))).toEqual([]);
    expect(dueAlerts(review, england, at('2026-12-22', 9)).length).toBeGreaterThan(0);
    expect(dueAlerts(review, { ...england, alerts: { hour: 14 } }, at('2026-12-22', 13, 30))).toEqual([]);
  });

  it('never on a weekend, a bank holiday or a partnership closure day', () => {
    for (const day of ['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28', '2027-01-01']) {
      expect(dueAlerts(reviewAt(at(day, 12)), england, at(day, 12))).toEqual([]);
    }
    const closing = { ...england, calendar: { ...england.calendar, closureDays: ['2026-12-29'] } };
    expect(dueAlerts(reviewAt(at('2026-12-29', 12)), closing, at('2026-12-29', 12))).toEqual([]);
  });

  it('never for a closed review', () => {
    expect(dueAlerts({ ...review, state: 'closed' }, england, at('2026-12-22', 10))).toEqual([]);
  });
});

describe('alerts stop when the milestone they watch is met', () => {
  const day = '2026-12-23';
  const base = reviewAt(at(day, 9));
  const kindsOf = (review: Review, d = day) => alertsOn(review, england, d).map((a) => a.kind);

  it('scoping-return alerts stop once every agency has returned', () => {
    expect(kindsOf(base)).toContain('scoping-returns:overdue');
    const allIn = ['la', 'icb'].reduce((r, id) => submitted(id, at(day, 9))(r), base);
    expect(kindsOf(allIn)).not.toContain('scoping-returns:overdue');
    expect(kindsOf(allIn)).not.toContain('escalation');
  });

  it('no-meeting alerts stop once a meeting is booked', () => {
    const unbooked = reviewAt(at('2026-12-31', 9));
    expect(kindsOf({ ...unbooked, meeting: undefined, state: 'scoping' }, '2026-12-31')).toContain(
      'no-meeting:window-closes',
    );
    expect(kindsOf(unbooked, '2026-12-31')).not.toContain('no-meeting:window-closes');
  });

  it('the Panel response is expected on its day, then chased as overdue until recorded', () => {
    const sent = reviewAt(at('2027-01-08', 9));
    const expectedOn = '2027-01-27'; // 15 working days after Wed 6 Jan
    expect(kindsOf(sent, '2027-01-26')).not.toContain('panel-response:expected');
    expect(alertsOn(sent, england, expectedOn).find((a) => a.kind === 'panel-response:expected')?.text).toBe(
      "RR-2026-041 (Child K): The National Panel's response is expected today, Wed 27 Jan. Record it when it arrives.",
    );
    expect(kindsOf(sent, '2027-01-28')).toContain('panel-response:overdue');
    const answered = {
      ...sent,
      state: 'panel-responded' as const,
      anchors: { ...sent.anchors, panelResponse: '2027-01-28' },
    };
    expect(kindsOf(answered, '2027-01-28')).not.toContain('panel-response:overdue');
  });

  it('the post-review meeting is flagged where the profile has one', () => {
    const answered: Review = {
      ...reviewAt(at('2027-01-08', 9)),
      profileId: 'north-yorkshire',
      state: 'panel-responded',
      anchors: { ...reviewAt(at('2027-01-08', 9)).anchors, panelResponse: '2027-01-27' },
    };
    // North Yorkshire: 10 working days after the response, Wed 10 Feb.
    const kinds = (d: string) => alertsOn(answered, northYorkshire, d).map((a) => a.kind);
    expect(kinds('2027-02-09')).toContain('post-review-meeting:due');
    expect(kinds('2027-02-10')).toContain('post-review-meeting:due');
    expect(kinds('2027-02-08')).not.toContain('post-review-meeting:due');
    expect(alertsOn(answered, england, '2027-02-10').map((a) => a.kind)).not.toContain(
      'post-review-meeting:due',
    );
  });

  it('says so when the clock has not started because its anchor is unknown', () => {
    const noSin: Review = { ...base, anchors: { ...base.anchors, sinSent: undefined } };
    const [countdown] = alertsOn(noSin, england, day);
    expect(countdown?.text).toMatch(
      /^RR-2026-041 \(Child K\): The review clock has not started: it runs from the Serious Incident Notification sent to the National Panel, and that date is not recorded yet/,
    );
  });
});

describe('a review whose clock runs from the SIN, with no SIN date (issue 11, point 2)', () => {
  const noSin = (): Review => {
    const review = christmasReview();
    return { ...review, anchors: { aware: '2026-12-11', referral: '2026-12-14' } };
  };

  it('prompts the business unit to record it, once per working day, by a key of that day', () => {
    const days = ['2026-12-14', '2026-12-15', '2026-12-16'];
    const prompts = days.flatMap((d) =>
      [9, 10, 15].flatMap((hour) =>
        dueAlerts(noSin(), england, at(d, hour)).filter((a) => a.kind === 'sin-date:missing'),
      ),
    );
    const keys = new Set(prompts.map((a) => a.key));
    expect([...keys]).toEqual(days.map((d) => `review-xmas:sin-date:missing:${d}`));
    expect(prompts[0]).toMatchObject({
      target: 'review-channel',
      text: 'RR-2026-041 (Child K): No SIN date recorded: the statutory deadline cannot be computed — record sin DATE',
      mentions: [christmasReview().openedBy],
    });
    // Not on a weekend, and not once the SIN is recorded.
    expect(dueAlerts(noSin(), england, at('2026-12-19', 10))).toEqual([]);
    expect(alertsOn(christmasReview(), england, '2026-12-15').map((a) => a.kind)).not.toContain(
      'sin-date:missing',
    );
  });

  it('is not a prompt for a clock that runs from the referral', () => {
    const walsall = profiles.get('walsall') as PartnershipProfile;
    expect(alertsOn(noSin(), walsall, '2026-12-15').map((a) => a.kind)).not.toContain('sin-date:missing');
  });

  it('after downtime, only today’s prompt is sent: earlier days’ are superseded', () => {
    const now = at('2026-12-17', 10);
    const { due, superseded } = catchUpAlerts(noSin(), england, now, '2026-12-15');
    expect(due.filter((a) => a.kind === 'sin-date:missing')).toEqual([]);
    expect(superseded.filter((a) => a.kind === 'sin-date:missing').map((a) => a.dueOn)).toEqual([
      '2026-12-15',
      '2026-12-16',
    ]);
  });
});

describe('catchUpAlerts after downtime', () => {
  it('still owes the earlier days’ alerts but supersedes their countdowns', () => {
    // Down from Wed 23 Dec to Tue 29 Dec at 10:00; the ICB still has not returned.
    const now = at('2026-12-29', 10);
    const { due, superseded } = catchUpAlerts(reviewAt(now), england, now, '2026-12-23');
    expect(superseded.map((a) => a.dueOn)).toEqual(['2026-12-23', '2026-12-24']);
    expect(superseded.every((a) => a.kind === 'countdown')).toBe(true);
    expect(due.map((a) => `${a.dueOn} ${a.kind}`)).toEqual([
      '2026-12-23 scoping-returns:overdue',
      '2026-12-23 escalation',
      '2026-12-24 scoping-returns:overdue',
      '2026-12-24 escalation',
    ]);
  });

  it('owes nothing for days before the review was opened', () => {
    const now = at('2026-12-16', 10);
    const { due, superseded } = catchUpAlerts(reviewAt(now), england, now, '2026-12-01');
    expect([...due, ...superseded].map((a) => a.dueOn)).toEqual(['2026-12-14', '2026-12-15']);
  });
});
