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
  closeReview,
  reconveneMeeting,
  recordPostReviewMeeting,
  recordReportParts,
  recordReportSent,
  recordReportWritten,
  recordEndorsement,
  recordQuorumDecision,
  signOff,
  submitScopingReturn,
  type Actor,
} from './lifecycle';
import type { ChangeResult } from './store';
import { ProfileRegistry } from './profile';
import { reportSendingRules } from './reportRules';

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

const noGaps = { missing: [], endorsementRequired: false, endorsedBy: 'Independent chair' };

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
    const result = recordReportSent(review, '2026-12-20', noGaps, officer, at);
    expect(result).toMatchObject({ ok: false });
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
          lcspr: 'yes',
          nationalImportance: 'yes',
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
    review = accepted(recordReportWritten(review, { file: 'f.docx', writtenAt: at, missing: [] }, at));
    expect(review.state).toBe('signed-off');
    review = accepted(recordReportSent(review, '2026-12-14', noGaps, officer, at));
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
    const cancelling = cancelMeeting(review, 'chair unavailable', officer, at);
    const cancelled = accepted(cancelling);
    expect(cancelled.state).toBe('scoping');
    expect(cancelled.meeting?.status).toBe('cancelled');
    // The reason is kept with the meeting (sealed at rest), not in the audit trail.
    expect(cancelled.meeting?.cancellationReason).toBe('chair unavailable');
    expect(JSON.stringify(cancelling.audit)).not.toContain('chair unavailable');
    review = accepted(recordMeetingHeld(review, '2026-12-10', { system: 'meeting-end' }, at));
    const outcome = recordOutcome(
      review,
      {
        lcspr: 'no-further-review',
        nationalImportance: 'no',
        rationale: 'r',
        immediateActions: 'a',
        learning: 'l',
      },
      as(chair),
      at,
    );
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'the outcome needs a quorate meeting confirmed by the chair',
    });
  });
});

describe('no dead ends: every state has a lawful way out', () => {
  const meeting = {
    status: 'booked' as const,
    start: '2026-12-10T10:00:00.000Z',
    end: '2026-12-10T12:00:00.000Z',
    transactionId: 'tx-1',
    chair,
  };
  const everyone = [laRep, policeRep, icbRep];
  const outcome = {
    lcspr: 'yes' as const,
    nationalImportance: 'yes' as const,
    rationale: 'r',
    immediateActions: 'a',
    learning: 'l',
  };

  /** One review in each state, reached by lawful steps only. */
  function inEachState(): Record<Review['state'], Review> {
    const o = opened();
    const scoping = accepted(markScopingSent(o, '2026-12-02', officer, at));
    const booked = accepted(bookMeeting(scoping, meeting, officer, at));
    const held = accepted(recordMeetingHeld(booked, '2026-12-10', { system: 'meeting-end' }, at));
    const quorate = accepted(recordQuorumDecision(held, assessQuorum(held, everyone), as(chair), at));
    const decided = accepted(recordOutcome(quorate, outcome, as(chair), at));
    let signed = decided;
    for (const [kind, lead] of [
      ['local-authority', laRep],
      ['police', policeRep],
      ['icb', icbRep],
    ] as const)
      signed = accepted(signOff(signed, kind, as(lead), at));
    const written = accepted(recordReportWritten(signed, { file: 'f.docx', writtenAt: at, missing: [] }, at));
    const submitted = accepted(recordReportSent(written, '2026-12-14', noGaps, officer, at));
    const responded = accepted(recordPanelResponse(submitted, '2027-01-08', officer, at, 'agrees'));
    const closed = accepted(closeReview(responded, 'Learning handed to the LCSPR', officer, at));
    return {
      opened: o,
      scoping,
      'meeting-booked': booked,
      'meeting-held': held,
      decided,
      'signed-off': written,
      'submitted-to-panel': submitted,
      'panel-responded': responded,
      closed,
    };
  }

  it('walks every state and shows a lawful way forward out of each, and a close with a reason', () => {
    const states = inEachState();
    const forward: Record<Exclude<Review['state'], 'closed'>, (r: Review) => ChangeResult> = {
      opened: (r) => markScopingSent(r, '2026-12-02', officer, at),
      scoping: (r) => bookMeeting(r, meeting, officer, at),
      'meeting-booked': (r) => recordMeetingHeld(r, '2026-12-10', { system: 'meeting-end' }, at),
      'meeting-held': (r) => reconveneMeeting(r, 'the meeting was not quorate', officer, at),
      decided: (r) => signOff(r, 'local-authority', as(laRep), at),
      'signed-off': (r) => recordReportSent(r, '2026-12-14', noGaps, officer, at),
      'submitted-to-panel': (r) => recordPanelResponse(r, '2027-01-08', officer, at, 'more-information'),
      'panel-responded': (r) => closeReview(r, 'done', officer, at),
    };
    for (const [state, review] of Object.entries(states) as [Review['state'], Review][]) {
      expect(review.state).toBe(state);
      if (state === 'closed') {
        expect(legalTransitions.closed).toEqual([]);
        continue;
      }
      expect(forward[state](review)).toMatchObject({ ok: true });
      const closed = closeReview(review, 'the business unit closed it', officer, at);
      expect(closed).toMatchObject({ ok: true, review: { state: 'closed' } });
      expect(legalTransitions[state]).toContain('closed');
    }
  });

  it('a meeting recorded not quorate after it ended is reconvened with a reason, its date cleared (late)', () => {
    const held = inEachState()['meeting-held'];
    const notQuorate = accepted(
      recordQuorumDecision(held, assessQuorum(held, [laRep, policeRep]), as(chair), at),
    );
    expect(recordOutcome(notQuorate, outcome, as(chair), at)).toMatchObject({ ok: false });
    expect(reconveneMeeting(notQuorate, '', officer, at)).toMatchObject({ ok: false });
    expect(reconveneMeeting(notQuorate, 'not quorate', as(laRep), at)).toMatchObject({ ok: false });
    const result = reconveneMeeting(notQuorate, 'not quorate: ICB absent', officer, at);
    const again = accepted(result);
    expect(again.state).toBe('scoping');
    expect(again.quorumDecision).toBeUndefined();
    expect(again.anchors.meetingHeld).toBeUndefined();
    expect(again.reconvenings).toEqual([
      expect.objectContaining({ reason: 'not quorate: ICB absent', previousMeetingOn: '2026-12-10' }),
    ]);
    expect(result.audit?.[0]).toMatchObject({ action: 'meeting.reconvened' });
    expect(accepted(bookMeeting(again, { ...meeting, transactionId: 'tx-2' }, officer, at)).state).toBe(
      'meeting-booked',
    );
  });

  it('closing keeps the reason in the review and out of the audit trail, which disposal cannot clear', () => {
    const reason = 'Family of Zebedee Testchild moved to Wales';
    const result = closeReview(inEachState().opened, reason, officer, at);
    expect(accepted(result).closure?.reason).toBe(reason);
    expect(result.audit?.[0]).toMatchObject({ action: 'review.closed' });
    expect(JSON.stringify(result.audit)).not.toContain('Zebedee');
  });

  it('closing a closed review is refused and audited as a refusal, not a second close', () => {
    const closed = inEachState().closed;
    const result = closeReview(closed, 'again', officer, at);
    expect(result).toMatchObject({ ok: false, reason: 'the review is already closed' });
    expect(result.audit?.map((a) => a.action)).toEqual(['review.closed.refused']);
    expect(closeReview(inEachState().opened, ' ', officer, at)).toMatchObject({ ok: false });
    expect(closeReview(inEachState().opened, 'x', as(laRep), at)).toMatchObject({ ok: false });
  });

  it('report sent is refused until the endorsement is recorded, where the profile endorses before sending', () => {
    const registry = new ProfileRegistry();
    // North Yorkshire sends the report "on agreement by the Executive Leads"; WSCP puts the
    // endorsement date on the form it sends. The others say nothing of the order.
    const required = registry
      .all()
      .filter((p) => p.endorsement.requiredBeforeSending)
      .map((p) => p.id);
    expect(required).toEqual(['north-yorkshire', 'wscp']);
    const signed = inEachState()['signed-off'];
    const complete = accepted(
      recordReportParts(
        signed,
        { incidentSummary: 'Summary', practiceEpisodes: 'Episodes', childContext: 'Context' },
        officer,
        at,
      ),
    );
    for (const profile of registry.all()) {
      const early = recordReportSent(
        complete,
        '2026-12-14',
        reportSendingRules(complete, profile),
        officer,
        at,
      );
      if (profile.endorsement.requiredBeforeSending) {
        expect(early).toMatchObject({
          ok: false,
          reason: `the report needs the endorsement of ${profile.endorsement.by} first`,
        });
        const endorsed = accepted(recordEndorsement(complete, '2026-12-14', officer, at));
        const sent = recordReportSent(
          endorsed,
          '2026-12-14',
          reportSendingRules(endorsed, profile),
          officer,
          at,
        );
        expect(accepted(sent).state).toBe('submitted-to-panel');
      } else {
        expect(accepted(early).state).toBe('submitted-to-panel');
      }
    }
  });

  it('the report is sent only when a person says so, never with a missing part or a required endorsement', () => {
    const signed = inEachState()['signed-off'];
    expect(signed.state).toBe('signed-off');
    expect(signed.anchors.panelSubmitted).toBeUndefined();
    const draft = accepted(
      recordReportWritten(signed, { file: 'f.docx', writtenAt: at, missing: ['the context'] }, at),
    );
    expect(recordReportSent(draft, '2026-12-14', noGaps, officer, at)).toMatchObject({
      ok: false,
      reason: 'the report is missing: the context',
    });
    expect(
      recordReportSent(signed, '2026-12-14', { ...noGaps, endorsementRequired: true }, officer, at),
    ).toMatchObject({ ok: false, reason: 'the report needs the endorsement of Independent chair first' });
    expect(recordReportSent(signed, '2026-12-14', noGaps, as(laRep), at)).toMatchObject({ ok: false });
    const sent = accepted(recordReportSent(signed, '2026-12-14', noGaps, officer, at));
    expect(sent.reportSendings).toEqual([{ by: officer.person, at, on: '2026-12-14', file: 'f.docx' }]);
    expect(recordReportSent(sent, '2026-12-15', noGaps, officer, at)).toMatchObject({ ok: false });
  });

  it('records report parts, the Panel asking for more information, and the post Rapid Review meeting', () => {
    const states = inEachState();
    const parts = accepted(recordReportParts(states.decided, { incidentSummary: 'Summary' }, as(chair), at));
    expect(parts.reportParts).toEqual({ incidentSummary: 'Summary' });
    expect(recordReportParts(states.decided, { childContext: 'x' }, as(laRep), at)).toMatchObject({
      ok: false,
    });
    const more = accepted(
      recordPanelResponse(states['submitted-to-panel'], '2027-01-08', officer, at, 'more-information'),
    );
    const resent = accepted(recordReportSent(more, '2027-01-12', noGaps, officer, at));
    expect(resent.state).toBe('submitted-to-panel');
    expect(resent.anchors.panelSubmitted).toBe('2027-01-12');
    const agreed = states['panel-responded'];
    const agenda = {
      heldOn: '2027-01-20',
      panelResponse: 'Panel agrees',
      nextSteps: 'Commission LCSPR',
      parentalEngagement: 'Letter to parents',
    };
    expect(recordPostReviewMeeting(agreed, agenda, false, officer, at)).toMatchObject({ ok: false });
    expect(
      recordPostReviewMeeting(agreed, { ...agenda, parentalEngagement: '' }, true, officer, at),
    ).toMatchObject({ ok: false, reason: 'the agenda needs: parentalEngagement' });
    const held = accepted(recordPostReviewMeeting(agreed, agenda, true, officer, at));
    expect(held.postReviewMeeting).toMatchObject({ heldOn: '2027-01-20', nextSteps: 'Commission LCSPR' });
  });
});
