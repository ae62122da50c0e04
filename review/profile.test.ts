import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfiles, ProfileError, ProfileRegistry } from './profile';

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
    expect(registry.get('walsall').businessUnit.mailbox).toBe('safeguardingbusinessunit@walsall.gov.uk');
    expect(registry.get('wscp').clock.anchor).toBe('aware');
    expect(registry.get('wscp').statutoryPartners.find((p) => p.kind === 'icb')?.label).toBe('CCG');
    expect(registry.get('gloucestershire').scopingRequests).toEqual({
      from: 'sin-sent',
      earliestDays: 2,
      withinDays: 3,
    });
    expect(registry.get('gloucestershire').scopingReturns.agreedPerReview).toBe(true);
    const ny = registry.get('north-yorkshire');
    expect(ny.postReviewMeetingDays).toBe(10);
    expect(ny.initialCaseDiscussion).toBe(true);
    expect(ny.panel.responseDays).toBe(15);
    expect(registry.get('england').postReviewMeetingDays).toBeNull();
  });

  it('inherits what a partnership does not override', () => {
    const walsall = registry.get('walsall');
    expect(walsall.meetingWindow).toEqual({ from: 'referral', openDay: 7, closeDay: 13 });
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
});
