/**
 * The demo's meeting script runs the whole meeting story against the real bot: it must keep working
 * for `npm run demo`, and what it reports must match what the review holds.
 */
import fs from 'node:fs';
import { playMeetingLifecycle } from '../demo/meetingScript';
import { refusedGraphRequests } from './meetingFixture';
import { openReviewValues, people, startHarness, type Harness } from './harness';

// A whole meeting story over HTTP takes seconds, more on a busy machine.
jest.setTimeout(20_000);

describe('the demo’s meeting script', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  it('plays booking, a late join, quorum, attendance, outcome and sign-offs to a written report', async () => {
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    const opened = await h.app.deps.store.findByReference('RR-2026-001');
    if (!opened) throw new Error('the review was not opened');

    const lines: string[] = [];
    const result = await playMeetingLifecycle({ h, reviewId: opened.id, transcript: (l) => lines.push(l) });

    const review = await h.app.deps.store.getReview(opened.id);
    expect(result).toEqual({
      meetingStart: review?.meeting?.start,
      quorate: true,
      outcome: 'yes',
      nationalImportance: 'yes',
      reportSent: { sent: true, by: people.officer.name, on: expect.any(String) },
      reportPath: expect.stringMatching(/RR-2026-001-rapid-review-report\.docx$/),
    });
    expect(review?.state).toBe('submitted-to-panel');
    expect(fs.existsSync(result.reportPath)).toBe(true);
    // The report went only when the business unit said so, and not while parts were missing.
    expect(lines.join('\n')).toMatch(/report sent: no/);
    expect(lines.join('\n')).toMatch(/The report is not recorded as sent: the report is missing/);
    const transcript = lines.join('\n');
    expect(transcript).toMatch(/not met: missing Integrated Care Board/);
    expect(transcript).toMatch(/only the chair of the review meeting can confirm quorum/);
    expect(transcript).toMatch(/Dial-in caller/);
    expect(transcript).not.toContain('Zebedee');
    expect(refusedGraphRequests(h)).toEqual([]);
  });
});
