import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agreedReturnDaysIssue, loadProfiles, ProfileError, ProfileRegistry, resolveAnchor } from './profile';

function tempProfilesDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-profiles-'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('partnership profiles', () => {
  const registry = new ProfileRegistry();

  it('ships England and the five seed partnerships', () => {
    expect(registry.ids()).toEqual([
      'england',
      'gloucestershire',
      'north-yorkshire',
      'staffordshire',
      'walsall',
      'wscp',
    ]);
  });

  it('holds the differences between partnerships as data', () => {
    expect(registry.get('england').clock.anchor).toBe('sin-sent');
    expect(registry.get('walsall').clock.anchor).toBe('referral');
    // Settings nothing read are gone: the business unit's mailbox (returns come in Teams) and an
    // earliest day for scoping requests (Gloucestershire's "within 2 to 3 working days" is a deadline).
    expect(registry.get('walsall').businessUnit).toEqual({
      name: 'Walsall Safeguarding Partnership Business Unit',
    });
    // WSCP's 15 days run from "becoming aware": the partnership receiving the referral.
    expect(registry.get('wscp').clock.anchor).toBe('referral');
    expect(registry.get('wscp').statutoryPartners.find((p) => p.kind === 'icb')?.label).toBe('CCG');
    expect(registry.get('gloucestershire').scopingRequests).toEqual({
      from: 'sin-sent',
      withinDays: 3,
      formName: 'Scoping request',
    });
    expect(registry.get('north-yorkshire').scopingRequests.formName).toBe('NY SPRG Form 2');
    expect(registry.get('gloucestershire').scopingReturns.agreedPerReview).toBe(true);
    const ny = registry.get('north-yorkshire');
    expect(ny.postReviewMeetingDays).toBe(10);
    expect(ny.initialCaseDiscussion).toBe(true);
    expect(ny.panel.responseDays).toBe(15);
    expect(registry.get('england').postReviewMeetingDays).toBeNull();
  });

  it('inherits what a partnership does not override', () => {
    const walsall = registry.get('walsall');
    expect(walsall.meetingWindow).toEqual({ from: 'clock', openDay: 7, closeDay: 13 });
    expect(walsall.clock.completionDays).toBe(15);
    expect(walsall.channel.membershipType).toBe('private');
  });

  it('names an unknown profile and lists the known ones', () => {
    expect(() => registry.get('kent')).toThrow(/profile: 'kent' is not a known profile \(known: england/);
  });

  it('loads a partnership’s own file from an extra folder', () => {
    const dir = tempProfilesDir({
      'kent.json': {
        id: 'kent',
        extends: 'england',
        name: 'Kent Safeguarding Children Multi-Agency Partnership',
        calendar: { closureDays: ['2026-12-29', '2026-12-30', '2026-12-31'] },
      },
    });
    const kent = new ProfileRegistry([dir]).get('kent');
    expect(kent.calendar).toEqual({ region: 'ENG', closureDays: ['2026-12-29', '2026-12-30', '2026-12-31'] });
  });

  it('refuses a bad file naming the file, the field and the rule', () => {
    const dir = tempProfilesDir({
      'broken.json': { id: 'broken', extends: 'england', meetingWindow: { openDay: 'seven' } },
    });
    expect(() => loadProfiles([dir])).toThrow(ProfileError);
    expect(() => loadProfiles([dir])).toThrow(/broken\.json: meetingWindow\.openDay: .*number/);
  });

  it('refuses a standard channel, which the whole team could read', () => {
    const dir = tempProfilesDir({
      'open.json': { id: 'open', extends: 'england', channel: { membershipType: 'standard' } },
    });
    expect(() => loadProfiles([dir])).toThrow(/open\.json: channel\.membershipType/);
  });

  it('refuses an invalid closure day and an unknown setting', () => {
    const badDate = tempProfilesDir({
      'x.json': { id: 'x', extends: 'england', calendar: { closureDays: ['2026-02-30'] } },
    });
    expect(() => loadProfiles([badDate])).toThrow(
      /x\.json: calendar\.closureDays\.0: must be a real calendar date/,
    );
    const unknown = tempProfilesDir({ 'y.json': { id: 'y', extends: 'england', meetingRoom: 'B12' } });
    expect(() => loadProfiles([unknown])).toThrow(/y\.json: .*meetingRoom/);
  });

  it('refuses a file whose id differs from its name, and broken JSON', () => {
    const mismatch = tempProfilesDir({ 'a.json': { id: 'b', extends: 'england' } });
    expect(() => loadProfiles([mismatch])).toThrow(/a\.json: id: must match the file name/);
    const broken = tempProfilesDir({ 'c.json': '{ "id": ' });
    expect(() => loadProfiles([broken])).toThrow(/c\.json: not valid JSON/);
  });

  describe('clocks that fit together (issue 11, point 1)', () => {
    it('runs every shipped profile’s milestones from its clock anchor', () => {
      for (const profile of registry.all()) {
        expect({ id: profile.id, from: resolveAnchor(profile, profile.meetingWindow.from) }).toEqual({
          id: profile.id,
          from: profile.clock.anchor,
        });
        expect(resolveAnchor(profile, profile.scopingRequests.from)).toBe(profile.clock.anchor);
        const { closeDay } = profile.meetingWindow;
        expect(closeDay + profile.panel.reportDays).toBeLessThanOrEqual(profile.clock.completionDays);
        expect(profile.panel.deadlineDays).toBe(15);
      }
    });

    it('matches each seed’s arithmetic', () => {
      // Staffordshire: the Rapid Review must be held within 15 working days of the SIN.
      const staffs = registry.get('staffordshire');
      expect(staffs.clock.anchor).toBe('sin-sent');
      expect(staffs.meetingWindow.closeDay).toBeLessThanOrEqual(15);
      // WSCP: meeting by day 13 of the referral, report 2 days later = day 15 of becoming aware.
      const wscp = registry.get('wscp');
      expect(resolveAnchor(wscp, wscp.meetingWindow.from)).toBe('referral');
      expect(wscp.meetingWindow.closeDay + wscp.panel.reportDays).toBe(wscp.clock.completionDays);
    });

    it('refuses a meeting window on another anchor than the clock, naming both settings', () => {
      const dir = tempProfilesDir({
        'split.json': { id: 'split', extends: 'england', meetingWindow: { from: 'referral' } },
      });
      expect(() => loadProfiles([dir])).toThrow(
        /split\.json: meetingWindow\.from: runs from 'referral' but clock\.anchor is 'sin-sent'/,
      );
    });

    it('refuses a window closing after completion, or leaving the report due after it', () => {
      const late = tempProfilesDir({
        'late.json': { id: 'late', extends: 'england', meetingWindow: { closeDay: 16 } },
      });
      expect(() => loadProfiles([late])).toThrow(
        /late\.json: meetingWindow\.closeDay: meetingWindow\.closeDay \(16\) must not be after clock\.completionDays \(15\)/,
      );
      const report = tempProfilesDir({
        'report.json': { id: 'report', extends: 'england', panel: { reportDays: 3 } },
      });
      expect(() => loadProfiles([report])).toThrow(
        /report\.json: panel\.reportDays: meetingWindow\.closeDay \(13\) \+ panel\.reportDays \(3\) must not be after clock\.completionDays \(15\)/,
      );
    });

    it('refuses scoping returns due after the meeting window closes', () => {
      const dir = tempProfilesDir({
        'slow.json': { id: 'slow', extends: 'england', scopingReturns: { withinDays: 11 } },
      });
      expect(() => loadProfiles([dir])).toThrow(
        /slow\.json: scopingReturns\.withinDays: scopingRequests\.withinDays \(2\) \+ scopingReturns\.withinDays \(11\) must be before meetingWindow\.closeDay \(13\)/,
      );
    });
  });

  describe('an agreed per-review return period (issue 11, point 9)', () => {
    it('cannot end after the meeting window closes', () => {
      const walsall = registry.get('walsall');
      expect(agreedReturnDaysIssue(walsall, 10)).toBeNull();
      expect(agreedReturnDaysIssue(walsall, 11)).toBe(
        'Must end before the meeting window closes (working day 13; requests go out by working day 2): at most 10 working days',
      );
    });
  });
});
