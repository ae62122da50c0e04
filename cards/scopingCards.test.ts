/**
 * The scoping request and "return received" cards are built in code (they are rebuilt on every
 * submission) but their templates stay the reference: for the same data, both must give exactly the
 * same card JSON, whatever a user typed.
 */
import type { Review, ScopingReturnAnswers } from '../review/model';
import { ProfileRegistry } from '../review/profile';
import { galleryRefreshUserIds, galleryReview, galleryToday } from './cardGallery';
import { bindTemplate } from './cardTemplate';
import {
  requestCardFrom,
  scopingRequestView,
  scopingSubmittedView,
  submittedCardFrom,
  type RefreshUserIds,
} from './scopingCards';
import requestTemplate from './templates/scoping-request.json';
import submittedTemplate from './templates/scoping-submitted.json';

const profiles = new ProfileRegistry();

/** Text people type that a template engine or Teams' markdown could take for something else. */
const hostile = [
  '${reference}',
  '${count(linesOfEnquiry) > 0}',
  '@{agencyName} ${',
  '`code` **bold** _it_ [link](https://example.com) # heading',
  "O'Brien & \"Sons\" <script>alert('x')</script>",
  'line one\nline two\r\n- a list item',
  '{"$data": "${answers}", "$when": "${false}"}',
  'Ünïcödé ✓ 子供 👶',
  '\\${escaped}\\',
  'x'.repeat(2000),
];

function hostileReview(variant: number): Review {
  const base = galleryReview();
  const text = (i: number) => hostile[(variant + i) % hostile.length];
  const answers: ScopingReturnAnswers = {
    involvement: variant % 2 === 0 ? 'yes' : 'no',
    involvementWith: text(1),
    periodFrom: '2026-01-01',
    periodTo: '2026-11-30',
    natureOfInvolvement: text(2),
    keyContacts: text(3),
    recordsSecured: variant % 3 !== 0,
    recordsSecuredOn: '2026-12-20',
    recordsSecuredBy: text(4),
    alertAdded: true,
    staffInformed: variant % 2 === 1,
    immediateActions: text(5),
    immediateLearning: text(6),
    keyInformation: text(7),
    seniorLeadersSighted: false,
  };
  return {
    ...base,
    reference: `RR-2026-${text(0).slice(0, 30)}`,
    pseudonym: text(8),
    agencies: base.agencies.map((agency, i) => ({
      ...agency,
      name: `${agency.name} ${text(i)}`,
      representatives: agency.representatives.map((person, j) => ({ ...person, name: text(i + j + 1) })),
    })),
    scopingReturns: base.agencies.map((agency, i) => ({
      agencyId: agency.id,
      status: 'submitted' as const,
      answers,
      submittedBy: { name: text(i + 9) },
      submittedAt: '2026-12-29T15:42:00.000Z',
      revision: 1 + (i % 3),
    })),
    initialCaseDiscussion: {
      heldOn: '2026-12-18',
      linesOfEnquiry: [text(0), text(3), ''],
      agencyIds: base.agencies.map((agency) => agency.id),
      recordedBy: base.openedBy,
      recordedAt: '2026-12-18T12:00:00.000Z',
    },
  };
}

const reviews: [string, Review][] = [
  ['the gallery review', galleryReview()],
  [
    'the gallery review with no Initial Case Discussion',
    { ...galleryReview(), initialCaseDiscussion: undefined },
  ],
  ...hostile.map((_, variant): [string, Review] => [
    `hostile text, variant ${variant}`,
    hostileReview(variant),
  ]),
];

const nobody: RefreshUserIds = { representatives: [], businessUnit: [] };

describe('the scoping request card built in code', () => {
  it.each(reviews)('is the template bound to the same data, for every agency: %s', (_, review) => {
    for (const profileId of ['england', 'staffordshire']) {
      const profile = profiles.get(profileId);
      for (const agency of review.agencies) {
        for (const refreshUserIds of [galleryRefreshUserIds(review, agency.id), nobody]) {
          for (const today of [galleryToday, '2026-12-01']) {
            const view = scopingRequestView(review, agency.id, profile, { today, refreshUserIds });
            expect(JSON.stringify(requestCardFrom(view))).toBe(
              JSON.stringify(bindTemplate(requestTemplate, view)),
            );
          }
        }
      }
    }
  });

  it('keeps user text as typed, not evaluated', () => {
    const review = hostileReview(0);
    const view = scopingRequestView(review, review.agencies[0].id, profiles.get('england'), {
      today: galleryToday,
      refreshUserIds: nobody,
    });
    const text = JSON.stringify(requestCardFrom(view));
    expect(text).toContain(JSON.stringify('${reference}').slice(1, -1));
    expect(text).toContain('RR-2026-${reference}');
  });
});

describe('the return received card built in code', () => {
  it.each(reviews)('is the template bound to the same data, for every submitted return: %s', (_, review) => {
    const submitted = review.scopingReturns.filter((r) => r.status === 'submitted' && r.answers);
    expect(submitted.length).toBeGreaterThan(0);
    for (const { agencyId } of submitted) {
      for (const editable of [true, false]) {
        for (const refreshUserIds of [galleryRefreshUserIds(review, agencyId), nobody]) {
          const view = scopingSubmittedView(review, agencyId, { editable, refreshUserIds });
          expect(JSON.stringify(submittedCardFrom(view))).toBe(
            JSON.stringify(bindTemplate(submittedTemplate, view)),
          );
        }
      }
    }
  });
});
