import { sampleReview } from '../test/fixtures/sampleReview';
import { addYears, disposalStatus, disposeReview, minimalRecord, namedReportFiles } from './disposal';
import type { Review } from './model';

const officer = { name: 'Business Unit', aadObjectId: 'b0b0' };

function closedReview(closedAt = '2020-03-10T16:00:00.000Z', overrides: Partial<Review> = {}): Review {
  const base = sampleReview();
  return sampleReview({
    id: base.id,
    reference: base.reference,
    state: 'closed',
    closure: {
      reason: 'Panel agreed; Zoë’s family informed.',
      by: officer,
      at: closedAt,
      fromState: 'panel-responded',
    },
    outcome: {
      lcspr: 'yes',
      nationalImportance: 'no',
      rationale: 'Learning about the family’s GP.',
      immediateActions: 'Strategy meeting.',
      learning: 'Information sharing.',
      recordedBy: officer,
      recordedAt: '2020-02-01T10:00:00.000Z',
    },
    scopingReturns: base.scopingReturns.map((entry) => ({
      ...entry,
      status: 'submitted',
      submittedAt: '2020-01-20T10:00:00.000Z',
      submittedBy: officer,
      answers: {
        involvement: 'yes',
        natureOfInvolvement: 'Knew Zoë from school.',
        recordsSecured: true,
        alertAdded: true,
        staffInformed: true,
        seniorLeadersSighted: true,
      },
    })),
    reportParts: { incidentSummary: 'Zoë was found at home.' },
    report: {
      file: `${base.reference}-rapid-review-report.docx`,
      writtenAt: '2020-02-02T10:00:00.000Z',
      missing: [],
    },
    ...overrides,
  });
}

describe('retention rules', () => {
  it('adds whole years, 29 February becoming 28 February in a common year', () => {
    expect(addYears('2020-03-10', 6)).toBe('2026-03-10');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('makes a closed review due on the anniversary of its closing, after the profile’s period', () => {
    const review = closedReview();
    expect(disposalStatus(review, 6, '2026-03-09')).toEqual({
      due: false,
      why: 'not-yet',
      closedOn: '2020-03-10',
      dueOn: '2026-03-10',
    });
    expect(disposalStatus(review, 6, '2026-03-10')).toEqual({
      due: true,
      closedOn: '2020-03-10',
      dueOn: '2026-03-10',
    });
  });

  it('never disposes of an open review, one already disposed of, or any when no period is decided', () => {
    expect(disposalStatus(sampleReview(), 1, '2099-01-01')).toEqual({ due: false, why: 'open' });
    expect(disposalStatus(closedReview(), null, '2099-01-01')).toMatchObject({
      due: false,
      why: 'no-retention-period',
    });
    const gone = disposeReview(closedReview(), {
      retentionYears: 1,
      today: '2099-01-01',
      actor: { system: 'dispose' },
      at: '2099-01-01T09:00:00.000Z',
      reportFiles: 1,
    });
    if (!gone.ok) throw new Error(gone.reason);
    expect(disposalStatus(gone.review, 1, '2099-01-01')).toEqual({ due: false, why: 'disposed' });
    const { closure: _closure, ...unclosed } = closedReview();
    void _closure;
    expect(disposalStatus(unclosed as Review, 1, '2099-01-01')).toEqual({
      due: false,
      why: 'no-closure-date',
    });
  });
});

describe('disposing of a review', () => {
  const run = {
    retentionYears: 6,
    today: '2026-03-10',
    actor: { system: 'dispose (run by officer)' },
    at: '2026-03-10T09:00:00.000Z',
    reportFiles: 1,
  };

  it('keeps the reference, dates and the decision’s answers, and nothing about the child or any free text', () => {
    const review = closedReview();
    const result = disposeReview(review, run);
    if (!result.ok) throw new Error(result.reason);
    const kept = JSON.stringify(result.review);
    for (const text of [
      'Zoë',
      'Fictional',
      '2019-06-15',
      'Nowhere Lane',
      'GP',
      'Strategy meeting',
      'Information sharing',
      'found at home',
      'family informed',
      '.docx',
    ]) {
      expect({ text, kept: kept.includes(text) }).toEqual({ text, kept: false });
    }
    expect(result.review).toMatchObject({
      reference: review.reference,
      state: 'closed',
      anchors: review.anchors,
      openedAt: review.openedAt,
      outcome: { lcspr: 'yes', nationalImportance: 'no', recordedAt: '2020-02-01T10:00:00.000Z' },
      closure: { at: '2020-03-10T16:00:00.000Z', fromState: 'panel-responded' },
      disposal: { at: run.at, retentionYears: 6, dueOn: '2026-03-10', reportFiles: 1 },
    });
    expect(result.review.scopingReturns.every((entry) => entry.answers === undefined)).toBe(true);
    expect(result.audit).toEqual([
      {
        reviewId: review.id,
        at: run.at,
        actor: run.actor,
        action: 'review.disposed',
        detail: {
          reference: review.reference,
          openedAt: review.openedAt,
          closedOn: '2020-03-10',
          dueOn: '2026-03-10',
          retentionYears: 6,
          outcome: { lcspr: 'yes', nationalImportance: 'no' },
          reportFilesRemoved: 1,
        },
      },
    ]);
  });

  it('refuses, and audits the refusal, a review not yet due', () => {
    const result = disposeReview(closedReview(), { ...run, today: '2026-03-09' });
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not due for disposal \(not-yet\)/),
    });
    expect(!result.ok && result.audit?.map((line) => line.action)).toEqual(['review.disposed.refused']);
  });

  it('drops parts it does not name, so a part added to reviews later is removed by default', () => {
    const review = { ...closedReview(), somethingNew: { childName: 'Zoë' } } as Review;
    expect(JSON.stringify(minimalRecord(review, undefined))).not.toContain('somethingNew');
  });

  it('names the report files the review recorded', () => {
    const review = closedReview(undefined, {
      panelReportFile: 'RR-2026-001-panel.docx',
      reportSendings: [
        { by: officer, at: '2020-02-03T10:00:00.000Z', on: '2020-02-03', file: 'RR-2026-001-panel.docx' },
      ],
    });
    expect(namedReportFiles(review)).toEqual([
      `${review.reference}-rapid-review-report.docx`,
      'RR-2026-001-panel.docx',
    ]);
  });
});
