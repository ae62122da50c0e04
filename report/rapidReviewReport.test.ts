import JSZip from 'jszip';

import { sampleReview } from '../test/fixtures/sampleReview';
import { lcsprLabels, nationalImportanceLabels, subjectRedactor } from '../review/reportRules';
import { buildRapidReviewReport, rapidReviewReportFileName } from './rapidReviewReport';
import type { Review, ScopingReturnAnswers } from '../review/model';
import { ProfileRegistry } from '../review/profile';

const profile = new ProfileRegistry().get('england');

function answers(overrides: Partial<ScopingReturnAnswers> = {}): ScopingReturnAnswers {
  return {
    involvement: 'yes',
    recordsSecured: true,
    recordsSecuredOn: '2026-03-05',
    recordsSecuredBy: 'Records team',
    alertAdded: true,
    staffInformed: true,
    seniorLeadersSighted: true,
    ...overrides,
  };
}

/** A review that has been through the meeting, with free text that names the child and family. */
function decidedReview(): Review {
  const base = sampleReview();
  const rep = (id: string) => base.agencies.find((a) => a.id === id)!.representatives[0];
  const lead = (id: string) => base.agencies.find((a) => a.id === id)!.lead!;
  const chair = {
    aadObjectId: 'aad-chair',
    email: 'chair@partnership.example.org',
    name: 'Chris Chairperson',
  };
  return {
    ...base,
    state: 'signed-off',
    anchors: { ...base.anchors, meetingHeld: '2026-03-13' },
    scopingReturns: base.scopingReturns.map((r) => {
      if (r.agencyId === 'police') {
        return {
          ...r,
          status: 'submitted',
          revision: 2,
          submittedBy: rep('police'),
          submittedAt: '2026-03-06T14:05:00.000Z',
          answers: answers({
            involvementWith: 'Zoe and her mother Pat Fictional-Testparent',
            natureOfInvolvement:
              'Officers attended 1 Nowhere Lane, Exampleton, EX1 0AA twice.\nLEE O’FICTIONAL was arrested on 1 March.',
            keyInformation: 'zoë o’fictional-testchild was known to the school.',
          }),
        };
      }
      if (r.agencyId === 'la') {
        return {
          ...r,
          status: 'submitted',
          revision: 1,
          submittedBy: rep('la'),
          submittedAt: '2026-03-06T09:00:00.000Z',
          answers: answers({ involvement: 'no', immediateActions: "Checked O'Fictional family records." }),
        };
      }
      return r;
    }),
    meeting: {
      status: 'held',
      start: '2026-03-13T10:00:00.000Z',
      end: '2026-03-13T12:00:00.000Z',
      transactionId: 'txn-1',
      chair,
    },
    attendance: [
      { person: rep('la'), agencyId: 'la', seconds: 7200 },
      { person: rep('police'), agencyId: 'police', seconds: 6900 },
      { person: rep('icb'), agencyId: 'icb', seconds: 900, belowMinimum: true },
      { person: { name: 'Pat Fictional-Testparent', email: 'pat@home.example.org' }, seconds: 60 },
    ],
    quorumDecision: {
      quorate: true,
      decidedBy: chair,
      decidedAt: '2026-03-13T10:05:00.000Z',
      present: [
        { agencyKind: 'local-authority', people: [rep('la').name] },
        { agencyKind: 'police', people: [rep('police').name] },
        { agencyKind: 'icb', people: [rep('icb').name] },
      ],
      missing: [],
    },
    outcome: {
      lcspr: 'yes',
      nationalImportance: 'no',
      rationale: 'Agencies did not share what they knew about Zoë’s home life.',
      immediateActions: 'Strategy meeting held for siblings.',
      learning: 'Information sharing between health and police.',
      recordedBy: chair,
      recordedAt: '2026-03-13T11:50:00.000Z',
    },
    signOffs: [
      { agencyKind: 'local-authority', by: lead('la'), at: '2026-03-14T09:00:00.000Z' },
      { agencyKind: 'police', by: lead('police'), at: '2026-03-14T10:00:00.000Z' },
      { agencyKind: 'icb', by: lead('icb'), at: '2026-03-16T16:30:00.000Z' },
    ],
    endorsedOn: '2026-03-16',
  };
}

function xmlText(xml: string): string {
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

async function unpack(buffer: Buffer): Promise<{ document: string; everything: string }> {
  const zip = await JSZip.loadAsync(buffer);
  const document = xmlText(await zip.file('word/document.xml')!.async('string'));
  const parts = await Promise.all(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map(async (f) => xmlText(await f.async('string'))),
  );
  return { document, everything: parts.join('\n') };
}

// Everything about the child and family that must never reach the report, in the forms agencies write it.
const identifying = [
  'Zoë',
  'Zoe',
  'Testchild',
  'Fictional',
  'FICTIONAL',
  'Testparent',
  'Pat ',
  'Lee',
  'LEE',
  'Nowhere',
  'EX1 0AA',
  '2019-06-15',
  'Saturday 15 June 2019',
];

describe('buildRapidReviewReport', () => {
  let review: Review;
  let report: { fileName: string; buffer: Buffer };
  let document: string;
  let everything: string;

  beforeAll(async () => {
    review = decidedReview();
    report = await buildRapidReviewReport(review, profile, { generatedOn: '2026-03-16' });
    ({ document, everything } = await unpack(report.buffer));
  });

  it('names the file by the reference only', () => {
    expect(report.fileName).toBe(`${review.reference}-rapid-review-report.docx`);
    expect(report.fileName).not.toContain(review.pseudonym);
  });

  it('holds the reference, the pseudonym, the decision and every agency', () => {
    expect(document).toContain(review.reference);
    expect(document).toContain(review.pseudonym);
    expect(document).toContain(lcsprLabels.yes);
    expect(document).toContain(nationalImportanceLabels.no);
    for (const agency of review.agencies) expect(document).toContain(agency.name);
  });

  it('never holds the child’s or family’s names or address, in any part of the file', () => {
    for (const term of identifying) expect(everything).not.toContain(term);
    expect(everything).not.toContain(review.subject.childName);
    expect(everything).not.toContain(review.subject.address);
  });

  it('keeps the meaning of free text, with the child named by pseudonym and family by relationship', () => {
    expect(document).toContain('Child A and her mother [mother]');
    expect(document).toContain('Officers attended [address withheld] twice.');
    expect(document).toContain('[mother’s partner] was arrested on 1 March.');
    expect(document).toContain('Child A was known to the school.');
    expect(document).toContain('about Child A’s home life');
    // The surname is shared by the child and a family member: either replacement withholds it.
    expect(document).toMatch(/Checked (Child A|\[mother’s partner\]) family records\./);
  });

  it('reports each agency’s return, or that none came', () => {
    expect(document).toContain('Records secured');
    expect(document).toContain('Yes, on Thursday 5 March 2026, by Records team');
    expect(document).toContain('(revision 2)');
    const school = review.agencies.find((a) => a.id === 'school')!;
    const afterSchool = document.slice(document.indexOf(school.name));
    expect(afterSchool.slice(0, 200)).toContain('No scoping return has been received');
  });

  it('reports the meeting in London time, the quorum decision and attendance below the minimum', () => {
    expect(document).toContain('Friday 13 March 2026, 10:00 to 12:00');
    expect(document).toContain('The meeting was quorate: confirmed by Chris Chairperson');
    expect(document).toContain('Partner present for less than 30 minutes');
    expect(document).toContain('Not on the register');
  });

  it('asks the partnership to complete the context section', () => {
    expect(document).toContain('Context of the child’s and family’s lives');
    expect(document).toContain('TO BE COMPLETED');
    expect(document).toMatch(/racism and other inequalities related to protected characteristics/);
  });

  it('lists each statutory partner’s sign-off and the chair’s endorsement date', () => {
    for (const signOff of review.signOffs) expect(document).toContain(signOff.by.name);
    expect(document).toContain('Monday 16 March 2026, 16:30');
    expect(document).toContain('Endorsed by Independent chair on Monday 16 March 2026.');
  });

  it('names the endorser as the profile writes them, not lower-cased', async () => {
    const northYorkshire = new ProfileRegistry().get('north-yorkshire');
    const built = await buildRapidReviewReport(review, northYorkshire, { generatedOn: '2026-03-17' });
    const { document: text } = await unpack(built.buffer);
    expect(text).toContain('Endorsed by Executive leads of NYP, NYCC and the ICB on Monday 16 March 2026.');
    expect(text).not.toContain('executive leads of nyp');
  });

  it('shows the statutory timeline with working-day numbers', () => {
    expect(document).toContain('Rapid Review complete');
    // SIN sent Wed 4 March 2026 + 15 working days = Wed 25 March 2026.
    expect(document).toContain('Wednesday 25 March 2026');
  });

  it('says what is missing on a review not yet decided', async () => {
    const early = sampleReview();
    const built = await buildRapidReviewReport(early, profile, { generatedOn: '2026-03-05' });
    const { document: text } = await unpack(built.buffer);
    expect(text).toContain('No decision has been recorded yet.');
    expect(text).toContain('Not yet signed off');
    expect(text).toContain('Not yet endorsed');
    expect(text).toContain('The chair has not confirmed whether the meeting was quorate.');
  });

  it('refuses a reference that is not a review reference, rather than put it in a file name', async () => {
    const named = sampleReview({ reference: 'Zoe-case' });
    await expect(buildRapidReviewReport(named, profile, { generatedOn: '2026-03-05' })).rejects.toThrow(
      /reference/,
    );
    expect(() => rapidReviewReportFileName('RR-2026-003')).not.toThrow();
  });
});

describe('subjectRedactor', () => {
  const redact = subjectRedactor(
    {
      childName: 'Amy May-Brown',
      familyMembers: [{ name: 'May Green', relationship: 'grandmother' }],
      address: '22 Example Road, Sampletown, SA1 1AA',
    },
    'Child B',
  );

  it('replaces names whole and in part, in capitals and without accents', () => {
    expect(redact('AMY MAY-BROWN and amy may-brown')).toBe('Child B and Child B');
    expect(redact('Amy told May Green about BROWN')).toBe('Child B told [grandmother] about Child B');
  });

  it('leaves ordinary words that happen to be names in lower case', () => {
    expect(redact('the family may move')).toBe('the family may move');
  });

  it('withholds the street and postcode but not the town', () => {
    expect(redact('seen at 22 Example Road (SA1 1AA) in Sampletown')).toBe(
      'seen at [address withheld] ([address withheld]) in Sampletown',
    );
  });

  it('does not touch words that merely contain a name', () => {
    expect(redact('Amygdala and Brownies')).toBe('Amygdala and Brownies');
  });
});
