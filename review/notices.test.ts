import { recordNoticeSent } from './lifecycle';
import { noticePlace, noticeRoles, noticesOwed, noticeText } from './notices';
import { ProfileRegistry } from './profile';
import { sampleReview } from '../test/fixtures/sampleReview';
import type { Outcome } from './model';

const profiles = new ProfileRegistry();
const northYorkshire = profiles.get('north-yorkshire');
const at = '2026-03-05T10:00:00.000Z';
const outcome = { rationale: 'r', immediateActions: 'i', learning: 'l' } as Outcome;

describe('who is told (issue 11, point 8)', () => {
  it('is profile data: North Yorkshire tells the Executive, chair and scrutineer at the start and the outcome', () => {
    const executive = ['NYSCP Executive (NYP, NYCC, ICB)', 'NYSCP Chair', 'NYSCP Independent Scrutineer'];
    expect(noticeRoles(northYorkshire, 'start')).toEqual(executive);
    expect(noticeRoles(northYorkshire, 'outcome')).toEqual(executive);
    expect(noticeRoles(northYorkshire, 'panel-response')).toContain('NY SPRG membership');
    expect(noticeRoles(profiles.get('wscp'), 'outcome')).toEqual([
      'Agencies involved',
      'The referring agency',
    ]);
    expect(noticeRoles(profiles.get('england'), 'start')).toEqual([]);
  });

  it('owes a notice only once the event happened, and each role once', () => {
    const review = sampleReview({ profileId: 'north-yorkshire', state: 'opened' });
    expect(noticesOwed(review, northYorkshire, 'start')).toEqual([]);
    review.teamspace.welcomeActivityId = 'welcome-1';
    expect(noticesOwed(review, northYorkshire, 'start')).toHaveLength(3);
    const told = recordNoticeSent(review, { event: 'start', role: 'NYSCP Chair', via: 'role-channel' }, at);
    if (!told.ok) throw new Error(told.reason);
    expect(told.audit[0]).toMatchObject({
      action: 'notice.sent',
      detail: { role: 'NYSCP Chair', via: 'role-channel' },
    });
    expect(noticesOwed(told.review, northYorkshire, 'start')).not.toContain('NYSCP Chair');
    // Told once: the same notice recorded again (two runs racing) is refused, nothing changes.
    expect(recordNoticeSent(told.review, { event: 'start', role: 'NYSCP Chair' }, at).ok).toBe(false);

    expect(noticesOwed({ ...review, state: 'decided', outcome }, northYorkshire, 'outcome')).toEqual([]);
    expect(noticesOwed({ ...review, state: 'signed-off', outcome }, northYorkshire, 'outcome')).toHaveLength(
      3,
    );
    const closedAfter = {
      ...review,
      state: 'closed' as const,
      outcome,
      closure: { reason: 'x', by: { name: 'B' }, at, fromState: 'submitted-to-panel' as const },
    };
    expect(noticesOwed(closedAfter, northYorkshire, 'outcome')).toHaveLength(3);
    expect(noticesOwed(review, northYorkshire, 'panel-response')).toEqual([]);
  });

  it('names the review by reference only, and says when the business unit must pass it on', () => {
    expect(noticeText('RR-2026-004', 'NYSCP Chair', 'start', false)).toBe(
      'For NYSCP Chair: Rapid Review RR-2026-004 has started. Details are in the review’s own channel.',
    );
    expect(noticeText('RR-2026-004', 'NYSCP Chair', 'outcome', true)).toContain(
      'No place is configured for NYSCP Chair: business unit, please pass this on.',
    );
  });

  it('goes to the role’s own channel, else the business unit’s, else nowhere', () => {
    const noticeChannels = new Map([['NYSCP Chair', '19:chair@thread.tacv2']]);
    const businessUnitChannelId = '19:bu@thread.tacv2';
    expect(noticePlace('NYSCP Chair', { noticeChannels, businessUnitChannelId })).toEqual({
      channelId: '19:chair@thread.tacv2',
      via: 'role-channel',
    });
    expect(noticePlace('NY SPRG membership', { noticeChannels, businessUnitChannelId })).toEqual({
      channelId: businessUnitChannelId,
      via: 'business-unit-channel',
    });
    expect(noticePlace('constructor', { noticeChannels })).toBeNull();
  });
});
