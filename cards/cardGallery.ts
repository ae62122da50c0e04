/**
 * Every card bound to one fictitious review, for `rapid-review cards --out DIR`, the card tests and
 * anyone checking a card in the Adaptive Cards designer. Every name, address and email is invented
 * (example.org); the review sits across Christmas 2026 so the working-day counts show a holiday.
 */
import { assessQuorum } from '../review/lifecycle';
import type { Agency, AgencyKind, Meeting, Person, Review, ScopingReturn } from '../review/model';
import { directoryOf, type PartnershipDirectory } from '../review/directory';
import type { PartnershipProfile } from '../review/profile';
import type { CivilDate } from '../scheduler/civilDate';
import { portfolioRow, reviewStatus } from '../scheduler/reviewStatus';
import type { AdaptiveCard } from './cardTemplate';
import { formatDate } from './cardText';
import {
  alertCard,
  helpCard,
  helpPlaces,
  refusalCard,
  type HelpCommand,
  type HelpPlace,
} from './conversationCards';
import { meetingCard, noSlotCard, quorumCard, quorumDecisionCard, slotProposalCard } from './meetingCards';
import { directoryCard } from './directoryCards';
import { openReviewForm } from './openReviewForm';
import { outcomeForm, signOffCard } from './outcomeCards';
import { portfolioCard, reviewStatusCard, welcomeCard } from './reviewCards';
import { scopingForm, scopingRequestCard, scopingSubmittedCard, type RefreshUserIds } from './scopingCards';
import { fieldErrors } from './formFields';
import { openReviewSubmission } from './openReviewSubmission';
import { outcomeSubmission } from './outcomeSubmission';
import { scopingReturnSubmission } from './scopingReturnSubmission';

/** The gallery's 'today': a day after the scoping returns fell due, with some still out. */
export const galleryToday: CivilDate = '2026-12-31';

let serial = 0;
function person(name: string, domain: string): Person {
  serial += 1;
  return {
    aadObjectId: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${domain}.example.org`,
    name,
  };
}

function agency(id: string, name: string, kind: AgencyKind, reps: string[], lead?: string): Agency {
  return {
    id,
    name,
    kind,
    representatives: reps.map((rep) => person(rep, id)),
    ...(lead ? { lead: person(lead, id) } : {}),
  };
}

/** The user MRIs Teams would give these people ('29:…'), for the scoping cards' refresh list. */
export function galleryRefreshUserIds(review: Review, agencyId: string): RefreshUserIds {
  const agencyOf = review.agencies.find((a) => a.id === agencyId);
  return {
    representatives: (agencyOf?.representatives ?? []).map((p) => `29:sample-${p.aadObjectId ?? p.name}`),
    businessUnit: [`29:sample-${review.openedBy.aadObjectId ?? 'business-unit'}`],
  };
}

/** The gallery's review; `childName` lets a test bind the same review with a name it can search for. */
export function galleryReview(options: { profileId?: string; childName?: string } = {}): Review {
  serial = 0;
  const agencies: Agency[] = [
    agency(
      'la',
      'Sampleshire Council Children’s Services',
      'local-authority',
      ['Robin Placeholder'],
      'Morgan Testlead',
    ),
    agency('police', 'Sampleshire Police', 'police', ['Sam Specimen', 'Ash Exampleton'], 'Jordan Mocklead'),
    agency('icb', 'Sampleshire Integrated Care Board', 'icb', ['Alex Dummyrep'], 'Casey Samplelead'),
    agency('acute', 'Sampleshire Hospitals NHS Trust', 'health-provider', ['Taylor Fakename']),
    agency('community-health', 'Sampleshire Community Health', 'health-provider', ['Jamie Pretend']),
    agency('gp', 'Riverside Sample Surgery', 'health-provider', ['Drew Imaginary']),
    agency('camhs', 'Sampleshire CAMHS', 'health-provider', ['Riley Notreal']),
    agency('school', 'Oakfield Sample Primary School', 'education', ['Quinn Madeup']),
    agency('probation', 'Probation Service (Sampleshire)', 'probation', ['Avery Inventive']),
    agency('ambulance', 'Sample Ambulance Service', 'other', ['Harper Fictive']),
  ];
  const submitted = (
    agencyId: string,
    at: string,
    revision: number,
    answers: ScopingReturn['answers'],
  ): ScopingReturn => {
    const found = agencies.find((a) => a.id === agencyId) as Agency;
    return {
      agencyId,
      status: 'submitted',
      answers,
      submittedBy: found.representatives[0],
      submittedAt: at,
      revision,
    };
  };
  const returns: ScopingReturn[] = agencies.map((a) => ({
    agencyId: a.id,
    status: 'requested',
    revision: 0,
  }));
  const replace = (ret: ScopingReturn) => {
    returns[returns.findIndex((r) => r.agencyId === ret.agencyId)] = ret;
  };
  replace(
    submitted('police', '2026-12-29T15:42:00.000Z', 2, {
      involvement: 'yes',
      involvementWith: 'the child; mother; mother’s partner',
      periodFrom: '2025-09-01',
      periodTo: '2026-12-14',
      natureOfInvolvement:
        'Three domestic abuse call-outs to the family home (Oct 2025, Mar 2026, Nov 2026). A DASH risk ' +
        'assessment was completed each time (standard, standard, medium). A referral to children’s social ' +
        'care was made after the November call-out.',
      keyContacts:
        '14/10/2025 call-out, PC 1234; 02/03/2026 call-out, PC 2345; 28/11/2026 call-out and referral, ' +
        'DS 3456 (public protection unit).',
      recordsSecured: true,
      recordsSecuredOn: '2026-12-18',
      recordsSecuredBy: 'DS 3456, public protection unit',
      alertAdded: true,
      staffInformed: true,
      immediateActions:
        'Harassment warning issued to the mother’s partner; safeguarding strategy discussion held.',
      immediateLearning: 'The second call-out was not shared with the school.',
      keyInformation: 'The mother’s partner is on bail for an unrelated assault.',
      seniorLeadersSighted: true,
    }),
  );
  for (const [id, at] of [
    ['la', '2026-12-22T11:05:00.000Z'],
    ['icb', '2026-12-23T09:30:00.000Z'],
    ['acute', '2026-12-24T10:12:00.000Z'],
    ['gp', '2026-12-30T16:20:00.000Z'],
  ] as const) {
    replace(
      submitted(id, at, 1, {
        involvement: 'yes',
        involvementWith: 'the child',
        periodFrom: '2024-01-01',
        periodTo: '2026-12-14',
        natureOfInvolvement: 'Routine contacts; see the chronology attached to the agency’s file.',
        recordsSecured: true,
        recordsSecuredOn: '2026-12-21',
        recordsSecuredBy: 'Named safeguarding lead',
        alertAdded: true,
        staffInformed: true,
        seniorLeadersSighted: true,
      }),
    );
  }
  replace(
    submitted('ambulance', '2026-12-22T08:00:00.000Z', 1, {
      involvement: 'no',
      recordsSecured: false,
      alertAdded: false,
      staffInformed: false,
      seniorLeadersSighted: false,
    }),
  );
  return {
    id: 'review-gallery-014',
    reference: 'RR-2026-014',
    pseudonym: 'Child A',
    profileId: options.profileId ?? 'england',
    state: 'scoping',
    anchors: {
      aware: '2026-12-16',
      referral: '2026-12-17',
      sinSent: '2026-12-18',
      scopingSent: '2026-12-21',
    },
    subject: {
      childName: options.childName ?? 'Ellis Nobody-Example',
      dateOfBirth: '2018-04-09',
      address: '12 Example Row, Sampletown, SX9 9ZZ',
      familyMembers: [
        { name: 'Jo Nobody-Example', relationship: 'mother' },
        { name: 'Kit Samplefield', relationship: 'mother’s partner' },
        { name: 'Rae Nobody-Example', relationship: 'sibling' },
      ],
    },
    agencies,
    scopingReturns: returns,
    signOffs: [],
    teamspace: { membersAdded: [], scopingCards: [] },
    openedBy: {
      aadObjectId: '00000000-0000-4000-8000-0000000000b0',
      email: 'business.unit@partnership.example.org',
      name: 'Bailey Businessunit',
    },
    openedAt: '2026-12-17T10:15:00.000Z',
    version: 7,
  };
}

function galleryMeeting(review: Review): Meeting {
  return {
    status: 'booked',
    start: '2027-01-05T10:00:00.000Z',
    end: '2027-01-05T12:00:00.000Z',
    organizer: 'business.unit@partnership.example.org',
    transactionId: `${review.id}-meeting-1`,
    eventId: 'AAMkAGI2-sample-event',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_sample%40thread.v2/0',
    chair: {
      aadObjectId: '00000000-0000-4000-8000-0000000000c0',
      email: 'dana.independentchair@partnership.example.org',
      name: 'Dana Independentchair',
    },
  };
}

export interface GalleryCard {
  file: string;
  card: AdaptiveCard;
  /** True for cards that show the subject's details (open form, welcome, scoping form). */
  restricted: boolean;
}

/** A second open review for the portfolio: every return in, meeting booked, on track. */
function secondReview(): Review {
  const review = galleryReview();
  return {
    ...review,
    id: 'review-gallery-011',
    reference: 'RR-2026-011',
    pseudonym: 'Child B',
    state: 'meeting-booked',
    anchors: {
      aware: '2026-12-18',
      referral: '2026-12-21',
      sinSent: '2026-12-22',
      scopingSent: '2026-12-22',
    },
    scopingReturns: review.scopingReturns.map((r) => ({
      ...r,
      status: 'submitted',
      revision: 1,
      submittedAt: '2026-12-29T12:00:00.000Z',
    })),
  };
}

/**
 * The help cards list what the bot's route table accepts in each place; cards/ cannot read bot/, so the
 * caller passes it (the CLI does). Without it the help cards show only "help".
 */
export type HelpLists = (place: HelpPlace) => HelpCommand[];

const onlyHelp: HelpLists = () => [{ command: 'help', summary: 'This list.', who: '' }];

/** A sample partnership directory (every name invented). */
export function galleryDirectory(): PartnershipDirectory {
  return {
    ...directoryOf({
      agencies: [
        {
          name: 'Sampleshire County Council Children’s Services',
          kind: 'local-authority',
          representatives: ['Robin Placeholder <robin@council.example.org>'],
          lead: 'Morgan Testlead <morgan@council.example.org>',
        },
        {
          name: 'Sampleshire Constabulary',
          kind: 'police',
          representatives: ['Sam Specimen <sam@police.example.org>'],
          lead: 'Jordan Mocklead <jordan@police.example.org>',
        },
        {
          name: 'Sampleshire Integrated Care Board',
          kind: 'icb',
          representatives: ['Alex Dummyrep <alex@icb.example.org>'],
          lead: 'Casey Samplelead <casey@icb.example.org>',
        },
        {
          name: 'Sampleshire Hospitals NHS Trust',
          kind: 'health-provider',
          representatives: ['Taylor Fakename <taylor@nhs.example.org>'],
        },
        {
          name: 'Oakfield Example Primary School',
          kind: 'education',
          representatives: ['Quinn Madeup <quinn@school.example.org>'],
        },
        {
          name: 'Probation Service (Sampleshire)',
          kind: 'probation',
          representatives: ['Avery Inventive <avery@probation.example.org>'],
        },
      ],
      chairs: [
        'Chris Chairperson <chris@partnership.example.org>',
        'Dana Deputy <dana@partnership.example.org>',
      ],
      officers: ['Olu Officer <olu@partnership.example.org>'],
    }),
    version: 1,
  };
}

export function cardGallery(
  profile: PartnershipProfile,
  childName?: string,
  helpLists: HelpLists = onlyHelp,
): GalleryCard[] {
  const today = galleryToday;
  const review = galleryReview({ profileId: profile.id, ...(childName ? { childName } : {}) });
  const refresh = galleryRefreshUserIds(review, 'police');
  const cards: GalleryCard[] = [];
  const add = (file: string, card: AdaptiveCard, restricted = false) =>
    cards.push({ file, card, restricted });

  add(
    'open-review-form.json',
    openReviewForm({
      profiles: [profile],
      today,
      suggestedReference: 'RR-2027-001',
      directory: galleryDirectory(),
    }),
    true,
  );
  add(
    'open-review-form-without-directory.json',
    openReviewForm({ profiles: [profile], today, suggestedReference: 'RR-2027-001' }),
    true,
  );
  add('directory.json', directoryCard(galleryDirectory(), { notice: 'Sampleshire Constabulary is saved.' }));
  // A submission with typical mistakes, shown again with its problems beside the fields.
  const typed: Record<string, string> = {
    reference: 'RR-27-1',
    profileId: profile.id,
    pseudonym: 'Child C',
    referral: '2026-12-30',
    aware: '2027-02-01',
    childName: review.subject.childName,
    dateOfBirth: '2019-05-06',
    family1Name: 'Jo Nobody-Example',
    family1Relationship: '',
    agency1Name: 'Sampleshire Police',
    agency1Kind: 'police',
    agency1Rep1Name: 'Sam Specimen',
    agency1Rep1Email: 'sam.specimen@police',
    agency2Name: 'Sampleshire Council Children’s Services',
    agency2Kind: 'local-authority',
    agency2Rep1Name: 'Robin Placeholder',
    agency2Rep1Email: 'robin.placeholder@la.example.org',
  };
  const openResult = openReviewSubmission({ today, profiles: [profile] }).safeParse(typed);
  add(
    'open-review-form-errors.json',
    openReviewForm({
      profiles: [profile],
      today,
      suggestedReference: 'RR-2027-001',
      values: typed,
      errors: fieldErrors(openResult),
    }),
    true,
  );
  add('welcome.json', welcomeCard(review, profile, today), true);
  add(
    'scoping-request.json',
    scopingRequestCard(review, 'school', profile, {
      today,
      refreshUserIds: galleryRefreshUserIds(review, 'school'),
    }),
  );
  add(
    'scoping-request-submitted.json',
    scopingRequestCard(review, 'police', profile, { today, refreshUserIds: refresh }),
  );
  add('scoping-form.json', scopingForm(review, 'police', profile, { today, refreshUserIds: refresh }), true);
  const scopingTyped: Record<string, string> = {
    reviewId: review.id,
    agencyId: 'school',
    involvement: 'yes',
    involvementWith: 'the child',
    periodFrom: '2026-09-01',
    periodTo: '2026-06-30',
    natureOfInvolvement: '',
    recordsSecured: 'true',
    recordsSecuredOn: '',
    recordsSecuredBy: '',
    alertAdded: 'true',
    staffInformed: 'false',
    seniorLeadersSighted: 'false',
    immediateLearning: 'Attendance concerns were logged but not escalated.',
  };
  add(
    'scoping-form-errors.json',
    scopingForm(review, 'school', profile, {
      today,
      values: scopingTyped,
      errors: fieldErrors(scopingReturnSubmission({ today }).safeParse(scopingTyped)),
      refreshUserIds: galleryRefreshUserIds(review, 'school'),
    }),
    true,
  );
  add(
    'scoping-submitted.json',
    scopingSubmittedCard(review, 'police', { editable: true, refreshUserIds: refresh }),
  );
  add('review-status.json', reviewStatusCard(reviewStatus(review, profile, today)));
  const second = { ...secondReview(), meeting: galleryMeeting(review) };
  add(
    'portfolio.json',
    portfolioCard([portfolioRow(review, profile, today), portfolioRow(second, profile, today)], {
      today,
      partnershipName: profile.name,
    }),
  );
  for (const place of helpPlaces) add(`help-${place}.json`, helpCard(place, helpLists(place)));
  add(
    'refusal.json',
    refusalCard(
      'Only Sampleshire Police’s representatives or the business unit can submit or edit its return.',
    ),
  );

  const attendees = review.agencies.flatMap((a) => a.representatives);
  add(
    'slot-proposal.json',
    slotProposalCard(review, {
      proposed: { start: '2027-01-05T10:00:00.000Z', end: '2027-01-05T12:00:00.000Z' },
      alternatives: [
        { start: '2027-01-06T13:30:00.000Z', end: '2027-01-06T15:30:00.000Z' },
        { start: '2027-01-07T09:30:00.000Z', end: '2027-01-07T11:30:00.000Z' },
      ],
      window: { from: '2026-12-30', to: '2027-01-08' },
      attendees,
      unchecked: [attendees[attendees.length - 1]],
    }),
  );
  const meeting = galleryMeeting(review);
  add('meeting.json', meetingCard(review, meeting, attendees));
  add(
    'no-slot.json',
    noSlotCard(review, {
      window: { from: '2026-12-30', to: '2027-01-08' },
      lengthMinutes: profile.meeting.lengthMinutes,
      blockers: [
        { person: review.agencies[1].representatives[0], reason: 'Busy on every working day in the window' },
        { person: review.agencies[2].representatives[0], reason: 'Out of office until Mon 11 Jan 2027' },
      ],
    }),
  );
  const inMeeting: Review = { ...review, state: 'meeting-booked', meeting };
  const present = [
    review.agencies[0].representatives[0],
    review.agencies[1].representatives[0],
    review.agencies[3].representatives[0],
    { name: 'Unlisted Guest', email: 'guest@elsewhere.example.org' },
  ];
  const partnerKinds = profile.statutoryPartners.map((p) => p.kind);
  const assessment = assessQuorum(inMeeting, present, partnerKinds, profile.quorum.minimumPerPartner);
  add('quorum.json', quorumCard(inMeeting, profile, assessment));
  const chair = meeting.chair as Person;
  const decided = assessQuorum(
    inMeeting,
    [...present, review.agencies[2].representatives[0]],
    partnerKinds,
    profile.quorum.minimumPerPartner,
  );
  const quorumDecision = {
    quorate: decided.quorate,
    present: decided.present,
    missing: decided.missing,
    decidedBy: chair,
    decidedAt: '2027-01-05T10:12:00.000Z',
  };
  add('quorum-decision.json', quorumDecisionCard(inMeeting, quorumDecision, profile));
  const held: Review = { ...inMeeting, state: 'meeting-held', quorumDecision };
  add('outcome-form.json', outcomeForm(held, profile));
  const outcomeTyped = {
    reviewId: review.id,
    lcspr: 'yes',
    nationalImportance: '',
    rationale: '',
    immediateActions: '',
    learning: '',
  };
  add(
    'outcome-form-errors.json',
    outcomeForm(held, profile, {
      values: outcomeTyped,
      errors: fieldErrors(outcomeSubmission().safeParse(outcomeTyped)),
    }),
  );
  const decidedReview: Review = {
    ...held,
    state: 'decided',
    outcome: {
      lcspr: 'yes',
      nationalImportance: 'yes',
      rationale:
        'Agencies knew of repeated domestic abuse in the household and the information was not brought ' +
        'together; the case meets the criteria for a local review and may show learning for the partnership.',
      immediateActions: 'Strategy discussion held; the sibling is subject to a child protection plan.',
      learning: 'Information sharing between police and schools after domestic abuse call-outs.',
      recordedBy: chair,
      recordedAt: '2027-01-05T11:50:00.000Z',
    },
    signOffs: [
      {
        agencyKind: 'police',
        by: review.agencies[1].lead as Person,
        at: '2027-01-06T09:05:00.000Z',
      },
    ],
  };
  add('sign-off.json', signOffCard(decidedReview, profile));
  const status = reviewStatus(review, profile, today);
  const returnsDue = status.returns[0]?.due ?? today;
  const overdueIds = status.returns.filter((r) => r.overdue).map((r) => r.agencyId);
  const outstanding = review.agencies.filter((a) => overdueIds.includes(a.id));
  add(
    'alert.json',
    alertCard({
      review,
      text: `Scoping returns for ${review.reference} were due ${formatDate(returnsDue)}; ${outstanding.length} agencies have not returned yet.`,
      mentions: outstanding.map((a) => a.representatives[0]),
      severity: 'overdue',
    }),
  );
  return cards;
}
