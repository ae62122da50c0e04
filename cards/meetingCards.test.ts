import { assessQuorum } from '../review/lifecycle';
import type { Review } from '../review/model';
import { ProfileRegistry } from '../review/profile';
import { galleryReview } from './cardGallery';
import type { AdaptiveCard } from './cardTemplate';
import { meetingCard, noSlotCard, quorumCard, slotProposalCard } from './meetingCards';
import { signOffCard } from './outcomeCards';

const profiles = new ProfileRegistry();
const england = profiles.get('england');

type Node = Record<string, unknown>;
function find(card: AdaptiveCard, match: (node: Node) => boolean): Node[] {
  const found: Node[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      if (match(value as Node)) found.push(value as Node);
      Object.values(value).forEach(walk);
    }
  };
  walk(card);
  return found;
}
const executes = (card: AdaptiveCard) => find(card, (n) => n.type === 'Action.Execute');

describe('slotProposalCard', () => {
  const review = galleryReview();
  const card = slotProposalCard(review, {
    // 09:00 UTC in June is 10:00 on a London clock (BST).
    proposed: { start: '2027-06-01T09:00:00.000Z', end: '2027-06-01T11:00:00.000Z' },
    alternatives: [{ start: '2027-06-02T12:30:00.000Z', end: '2027-06-02T14:30:00.000Z' }],
    window: { from: '2027-05-28', to: '2027-06-09' },
    attendees: review.agencies[0].representatives,
    unchecked: review.agencies[1].representatives.slice(0, 1),
  });

  it('shows times on a London clock and names calendars it could not read', () => {
    const text = JSON.stringify(card);
    expect(text).toContain('Tue 1 Jun 2027, 10:00–12:00');
    expect(text).toContain('Wed 2 Jun 2027, 13:30–15:30');
    expect(text).toContain('could not be read, so check with them: Sam Specimen');
  });

  it('books the proposed slot in one click, or the alternative chosen', () => {
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      ['meeting.pick', { reviewId: review.id }],
      [
        'meeting.accept',
        { reviewId: review.id, start: '2027-06-01T09:00:00.000Z', end: '2027-06-01T11:00:00.000Z' },
      ],
    ]);
    const choice = find(card, (n) => n.type === 'Input.ChoiceSet')[0];
    expect(choice.id).toBe('slot');
    expect(choice.choices).toEqual([
      { title: 'Wed 2 Jun 2027, 13:30–15:30', value: '2027-06-02T12:30:00.000Z/2027-06-02T14:30:00.000Z' },
    ]);
  });
});

describe('meetingCard and noSlotCard', () => {
  const review = galleryReview();

  it('gives the join link as a button', () => {
    const card = meetingCard(
      review,
      {
        status: 'booked',
        start: '2027-01-05T10:00:00.000Z',
        end: '2027-01-05T12:00:00.000Z',
        transactionId: 't',
        joinUrl: 'https://teams.microsoft.com/l/meetup-join/sample',
      },
      [],
    );
    expect(card.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Join the meeting',
        url: 'https://teams.microsoft.com/l/meetup-join/sample',
      },
    ]);
    expect(JSON.stringify(card)).toContain('Tue 5 Jan 2027, 10:00–12:00');
  });

  it('names who blocks every slot, and why', () => {
    const card = noSlotCard(review, {
      window: { from: '2026-12-30', to: '2027-01-08' },
      lengthMinutes: 120,
      blockers: [{ person: { name: 'Sam Specimen' }, reason: 'Busy on every working day in the window' }],
    });
    expect(find(card, (n) => n.type === 'FactSet')[1].facts).toEqual([
      { title: 'Sam Specimen', value: 'Busy on every working day in the window' },
    ]);
  });
});

describe('quorumCard', () => {
  const review: Review = galleryReview();

  it('shows each statutory partner present (who) or missing, and attendees not on the register', () => {
    const present = [
      review.agencies[0].representatives[0],
      review.agencies[1].representatives[1],
      { name: 'Unlisted Guest', email: 'guest@elsewhere.example.org' },
    ];
    const card = quorumCard(
      review,
      england,
      assessQuorum(review, present, ['local-authority', 'police', 'icb']),
    );
    const text = JSON.stringify(card);
    expect(text).toContain('The rule is not met: missing Integrated Care Board');
    expect(text).toContain('Present: Ash Exampleton');
    expect(text).toContain('Unlisted Guest');
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      ['quorum.confirm', { reviewId: review.id }],
      ['quorum.notQuorate', { reviewId: review.id }],
    ]);
  });

  it('says the rule is met when every partner is there', () => {
    const present = review.agencies.slice(0, 3).map((a) => a.representatives[0]);
    const card = quorumCard(
      review,
      england,
      assessQuorum(review, present, ['local-authority', 'police', 'icb']),
    );
    expect(JSON.stringify(card)).toContain('The rule is met');
    expect(JSON.stringify(card)).not.toContain('Missing');
  });
});

describe('signOffCard', () => {
  it('offers a sign-off button only for the partners still to sign', () => {
    const base = galleryReview();
    const review: Review = {
      ...base,
      state: 'decided',
      outcome: {
        decision: 'no-further-review',
        rationale: 'Learning is already being taken forward.',
        immediateActions: 'None',
        learning: 'None identified yet',
        recordedBy: { name: 'Dana Independentchair' },
        recordedAt: '2027-01-05T11:50:00.000Z',
      },
      signOffs: [{ agencyKind: 'icb', by: { name: 'Casey Samplelead' }, at: '2027-01-06T09:00:00.000Z' }],
    };
    const card = signOffCard(review, england);
    expect(executes(card).map((a) => a.data)).toEqual([
      { reviewId: review.id, agencyKind: 'local-authority' },
      { reviewId: review.id, agencyKind: 'police' },
    ]);
    expect(JSON.stringify(card)).toContain('Signed off by Casey Samplelead, Wed 6 Jan 2027, 09:00');
    expect(JSON.stringify(card)).toContain('Signed off by 1 of 3 statutory partners');
  });
});
