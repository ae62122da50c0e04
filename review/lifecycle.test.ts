import type { Agency, Person, Review, ScopingReturnAnswers } from './model';
import {
  assessQuorum,
  bookMeeting,
  cancelMeeting,
  legalTransitions,
  markScopingSent,
  openReview,
  recordMeetingHeld,
  recordOutcome,
  recordPanelResponse,
  recordPanelSubmission,
  recordQuorumDecision,
  signOff,
  submitScopingReturn,
  type Actor,
} from './lifecycle';
import type { ChangeResult } from './store';

const at = '2026-12-01T10:00:00.000Z';
const officer: Actor = { person: { aadObjectId: 'bu-1', name: 'Business Officer' }, businessUnit: true };
const policeRep: Person = { aadObjectId: 'pol-1', name: 'Police Rep', email: 'pol.rep@police.example' };
const laRep: Person = { aadObjectId: 'la-1', name: 'LA Rep' };
const icbRep: Person = { email: 'icb.rep@icb.example', name: 'ICB Rep' };
const chair: Person = { aadObjectId: 'chair-1', name: 'Chair' };
const as = (person: Person): Actor => ({ person, businessUnit: false });

const agencies: Agency[] = [
  {
    id: 'la',
    name: 'Children’s Social Care',
    kind: 'local-authority',
    representatives: [laRep],
    lead: laRep,
  },
  { id: 'police', name: 'Police', kind: 'police', representatives: [policeRep], lead: policeRep },
  { id: 'icb', name: 'ICB', kind: 'icb', representatives: [icbRep], lead: icbRep },
];

const answers: ScopingReturnAnswers = {
  involvement: 'yes',
  natureOfInvolvement: 'Two welfare visits',
  recordsSecured: true,
  recordsSecuredOn: '2026-12-01',
  recordsSecuredBy: 'Records officer',
  alertAdded: true,
  staffInformed: true,
  seniorLeadersSighted: true,
};

function accepted(result: ChangeResult): Review {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.review;
}

function opened(): Review {
  const result = openReview(
    {
      id: 'r1',
      reference: 'RR-2026-001',
      pseudonym: 'Child A',
      profileId: 'england',
      anchors: { referral: '2026-12-01' },
      subject: { childName: 'Test Child', familyMembers: [] },
      agencies,
    },
    officer,
    at,
  );
  if (!result.ok) throw new Error(result.reason);
  return result.review;
}

describe('review lifecycle', () => {
  it('opens a review with one requested return per agency and an audit line without subject data', () => {
    const result = openReview(
      {
        id: 'r1',
        reference: 'RR-2026-001',
        pseudonym: 'Child A',
        profileId: 'england',
        anchors: { referral: '2026-12-01' },
        subject: {
          childName: 'Test Child',
          familyMembers: [{ name: 'Test Parent', relationship: 'mother' }],
        },
        agencies,
      },
      officer,
      at,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.review.state).toBe('opened');
    expect(result.review.scopingReturns.map((r) => [r.agencyId, r.status])).toEqual([
      ['la', 'requested'],
      ['police', 'requested'],
      ['icb', 'requested'],
    ]);
    expect(JSON.stringify(result.audit)).not.toMatch(/Test Child|Test Parent/);
  });

  it('refuses a reference that is not RR-YYYY-NNN, and an agency listed twice', () => {
    const base = opened();
    const bad = openReview({ ...base, reference: 'Jane Doe 2026' }, officer, at);
    expect(bad).toEqual({ ok: false, reason: "reference: must look like RR-2026-003 (got 'Jane Doe 2026')" });
    const twice = openReview({ ...base, agencies: [agencies[0], agencies[0]] }, officer, at);
    expect(twice).toEqual({ ok: false, reason: "agencies: 'la' is listed twice" });
    expect(openReview(base, as(laRep), at).ok).toBe(false);
  });

  it('lets the agency’s representative submit and then edit its return, auditing which fields changed', () => {
    let review = accepted(markScopingSent(opened(), '2026-12-02', officer, at));
    const first = submitScopingReturn(review, 'police', answers, as(policeRep), at);
    review = accepted(first);
    expect(first.audit?.[0]).toMatchObject({ action: 'scoping-return.submitted', detail: { revision: 1 } });
    const edit = submitScopingReturn(review, 'police', { ...answers, alertAdded: false }, as(policeRep), at);
    review = accepted(edit);
    expect(edit.audit?.[0]).toMatchObject({
      action: 'scoping-return.edited',
      detail: { revision: 2, changedFields: ['alertAdded'] },
    });
    expect(review.scopingReturns.find((r) => r.agencyId === 'police')).toMatchObject({
      status: 'submitted',
      revision: 2,
      submittedBy: policeRep,
    });
  });

  it('matches a representative by email when there is no AAD object id', () => {
    const review = opened();
    const result = submitScopingReturn(
      review,
      'icb',
      answers,
      as({ name: 'x', email: 'ICB.Rep@icb.example' }),
      at,
    );
    expect(result.ok).toBe(true);
  });

  it('refuses another agency’s representative, changes nothing, and audits the attempt', () => {
    const review = opened();
    const result = submitScopingReturn(review, 'police', answers, as(laRep), at);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(
      "only Police's representatives or the business unit can submit or edit its return",
    );
    expect(result.audit?.[0]).toMatchObject({ action: 'scoping-return.submitted.refused', actor: laRep });
    expect(review.scopingReturns.find((r) => r.agencyId === 'police')?.status).toBe('requested');
  });

  it('closes returns to edits once the meeting has started', () => {
    let review = accepted(markScopingSent(opened(), '2026-12-02', officer, at));
    review = accepted(
      bookMeeting(
        review,
        {
          status: 'booked',
          start: '2026-12-10T10:00:00.000Z',
          end: '2026-12-10T12:00:00.000Z',
          transactionId: 't',
        },
        officer,
        at,
      ),
    );
    expect(submitScopingReturn(review, 'police', answers, as(policeRep), '2026-12-10T09:59:00.000Z').ok).toBe(
      true,
    );
    const late = submitScopingReturn(review, 'police', answers, as(policeRep), '2026-12-10T10:00:00.000Z');
    expect(late).toMatchObject({
      ok: false,
      reason: 'scoping returns can no longer be changed: the review meeting has started',
    });
  });

  it('refuses an illegal step with the reason and leaves the review as it was', () => {
    const review = opened();
    const result = recordPanelSubmission(review, '2026-12-20', 'RR-2026-001-report.docx', officer, at);
    expect(result).toMatchObject({
      ok: false,
      reason: "a review that is 'opened' cannot become 'submitted-to-panel'",
    });
    expect(review.state).toBe('opened');
    expect(review.anchors.panelSubmitted).toBeUndefined();
  });

  it('no state moves to itself, and a closed review is final', () => {
    expect(legalTransitions.closed).toEqual([]);
    for (const [from, to] of Object.entries(legalTransitions)) {
      expect(to).not.toContain(from);
    }
  });

  it('walks the whole lifecycle: meeting, quorum by the chair, outcome, sign-offs, Panel', () => {
    let review = accepted(markScopingSent(opened(), '2026-12-02', officer, at));
    const meeting = {
      status: 'booked' as const,
      start: '2026-12-10T10:00:00.000Z',
      end: '2026-12-10T12:00:00.000Z',
      transactionId: 'tx-1',
      chair,
    };
    review = accepted(bookMeeting(review, meeting, officer, at));
    review = accepted(recordMeetingHeld(review, '2026-12-10', { system: 'meeting-end' }, at));

    const quorum = assessQuorum(review, [laRep, policeRep, { name: 'Visitor', email: 'v@x.example' }]);
    expect(quorum).toMatchObject({ quorate: false, missing: ['icb'], unknown: [{ name: 'Visitor' }] });
    const full = assessQuorum(review, [laRep, policeRep, { name: 'ICB', email: 'icb.rep@icb.example' }]);
    expect(full.quorate).toBe(true);

    const notChair = recordQuorumDecision(review, full, as(laRep), at);
    expect(notChair).toMatchObject({
      ok: false,
      reason: 'only the chair of the review meeting can confirm quorum',
    });
    review = accepted(recordQuorumDecision(review, full, as(chair), at));

    review = accepted(
      recordOutcome(
        review,
        {
          decision: 'lcspr',
          rationale: 'Learning across agencies',
          immediateActions: 'None',
          learning: 'Some',
        },
        as(chair),
        at,
      ),
    );
    expect(review.state).toBe('decided');
    review = accepted(signOff(review, 'local-authority', as(laRep), at));
    expect(signOff(review, 'local-authority', as(laRep), at)).toMatchObject({ ok: false });
    expect(signOff(review, 'police', as(laRep), at)).toMatchObject({
      ok: false,
      reason: 'only the Police partner lead can sign off',
    });
    review = accepted(signOff(review, 'police', as(policeRep), at));
    expect(review.state).toBe('decided');
    review = accepted(signOff(review, 'icb', as(icbRep), at));
    expect(review.state).toBe('signed-off');
    review = accepted(
      recordPanelSubmission(review, '2026-12-14', 'RR-2026-001-rapid-review-report.docx', officer, at),
    );
    expect(review.anchors.panelSubmitted).toBe('2026-12-14');
    review = accepted(recordPanelResponse(review, '2027-01-08', officer, at));
    expect(review.state).toBe('panel-responded');
  });

  it('refuses an outcome without a quorate decision, and cancelling goes back to scoping', () => {
    let review = accepted(markScopingSent(opened(), '2026-12-02', officer, at));
    review = accepted(
      bookMeeting(
        review,
        {
          status: 'booked',
          start: '2026-12-10T10:00:00.000Z',
          end: '2026-12-10T12:00:00.000Z',
          transactionId: 't',
          chair,
        },
        officer,
        at,
      ),
    );
    const cancelled = accepted(cancelMeeting(review, 'chair unavailable', officer, at));
    expect(cancelled.state).toBe('scoping');
    expect(cancelled.meeting?.status).toBe('cancelled');
    review = accepted(recordMeetingHeld(review, '2026-12-10', { system: 'meeting-end' }, at));
    const outcome = recordOutcome(
      review,
      { decision: 'no-further-review', rationale: 'r', immediateActions: 'a', learning: 'l' },
      as(chair),
      at,
    );
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'the outcome needs a quorate meeting confirmed by the chair',
    });
  });
});
