import { partnerRepresentativesNotSeen, peoplePresent, quorumNow } from './quorumPresence';
import { ProfileRegistry } from './profile';
import type { Meeting, Person, Review } from './model';
import { sampleReview } from '../test/fixtures/sampleReview';

const england = new ProfileRegistry().get('england');
const stranger: Person = {
  aadObjectId: 'oid-stranger',
  name: 'Unlisted Visitor',
  email: 'visitor@example.org',
};
const officer: Person = { aadObjectId: 'oid-officer', name: 'Olu Officer', email: 'officer@example.org' };
const at = '2026-12-10T10:00:00.000Z';

function inMeeting(review: Review, people: Person[], status: Meeting['status'] = 'booked'): Review {
  const history = people.map((person) => ({ person, join: at }));
  return {
    ...review,
    meeting: {
      status,
      start: at,
      end: '2026-12-10T11:30:00.000Z',
      transactionId: 'tx-q',
      live: { history },
    },
  };
}

const repOf = (review: Review, id: string) => {
  const agency = review.agencies.find((a) => a.id === id);
  if (!agency) throw new Error(`no agency ${id}`);
  return agency.representatives[0];
};

describe('quorum presence', () => {
  it('is quorate with one representative each of the local authority, police and the ICB in the room', () => {
    const review = sampleReview();
    const room = inMeeting(review, [repOf(review, 'la'), repOf(review, 'police'), repOf(review, 'icb')]);
    const now = quorumNow(room, england, () => false);
    expect(now.quorate).toBe(true);
    expect(now.missing).toEqual([]);
  });

  it('names the missing partner, and lists only strangers as unknown (not the business unit or the opener)', () => {
    const review = sampleReview();
    const room = inMeeting(review, [
      repOf(review, 'la'),
      repOf(review, 'police'),
      stranger,
      officer,
      review.openedBy,
    ]);
    const now = quorumNow(room, england, (person) => person.aadObjectId === officer.aadObjectId);
    expect(now.quorate).toBe(false);
    expect(now.missing).toEqual(['icb']);
    expect(now.unknown.map((p) => p.name)).toEqual([stranger.name]);
  });

  it('after the meeting ends, counts everyone who attended, once each', () => {
    const review = sampleReview();
    const police = repOf(review, 'police');
    const ended = inMeeting(review, [police], 'held');
    const withReport: Review = {
      ...ended,
      attendance: [{ person: police, agencyId: 'police', seconds: 3600 }],
    };
    expect(peoplePresent(withReport)).toEqual([police]);
  });

  it('lists the partners’ representatives not seen in the room', () => {
    const review = sampleReview();
    const room = inMeeting(review, [repOf(review, 'la')]);
    expect(
      partnerRepresentativesNotSeen(room, ['local-authority', 'police', 'icb']).map((p) => p.name),
    ).toEqual([repOf(review, 'police').name, repOf(review, 'icb').name]);
  });
});
