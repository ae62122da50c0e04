/**
 * A review in a real Teams-like client: the bot, the Graph sandbox and the Microsoft 365 Agents
 * Playground as `npm run dev` starts them, driven in headless Chromium. The steps run in order and
 * share one window, as one person at the keyboard playing each role with "act as".
 *
 * Screenshots of each step go to E2E_SCREENSHOT_DIR (default docs/screenshots).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { addCalendarDays, civilDateInLondon, type CivilDate } from '../../scheduler/civilDate';
import { londonWallClockToInstant } from '../../scheduler/slotFinder';
import { calendarFor } from '../../scheduler/workingDayCalendar';
import { clockStartingAt, repoRoot, startDevStack, type DevStack } from '../dev/devStack';
import {
  sampleBot,
  samplePeople,
  sampleTenantId,
  spareReviewChannels,
  type SamplePerson,
} from '../dev/samplePartnership';
import { expectCount, launchChromium, openReviewFieldKeys, PlaygroundPage } from './playgroundPage';

const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? path.join(repoRoot(), 'docs', 'screenshots');
const childName = 'Zebedee Quartermaine';
/**
 * The bot's day: alerts go out only on working days after the partnership's hour (9:00), so the bot's
 * clock starts at 10:00 on the latest working day of the sample partnership's calendar (England's),
 * which is today on a weekday and the Friday before on a weekend.
 */
function latestWorkingDay(): CivilDate {
  const calendar = calendarFor();
  let day = civilDateInLondon(new Date());
  while (!calendar.isWorkingDay(day)) day = addCalendarDays(day, -1);
  return day;
}
const today = latestWorkingDay();
const botClock = clockStartingAt(londonWallClockToInstant(today, 10 * 60));
const reference = `RR-${today.slice(0, 4)}-001`;
const daysAgo = (n: number) => addCalendarDays(today, -n);
const personOf = (key: string) => samplePeople.find((p) => p.key === key) as SamplePerson;

/** The open-review form as the business unit fills it in, agencies from the sample partnership. */
function openReviewValues(): Record<string, string> {
  const values: Record<string, string> = {
    reference,
    profileId: 'England (Working Together 2023 defaults)',
    aware: daysAgo(3),
    referral: daysAgo(2),
    sinSent: daysAgo(1),
    childName,
    address: '1 Nowhere Lane, Exampletown',
    family1Name: 'Yolanda Quartermaine',
    family1Relationship: 'Mother',
  };
  samplePeople
    .filter((p) => p.agency)
    .forEach((p, i) => {
      const n = i + 1;
      const agency = p.agency as NonNullable<SamplePerson['agency']>;
      values[`agency${n}Name`] = agency.name;
      values[`agency${n}Kind`] = agency.kindLabel;
      values[`agency${n}Rep1Name`] = p.name;
      values[`agency${n}Rep1Email`] = p.email;
      if (agency.lead) {
        values[`agency${n}LeadName`] = p.name;
        values[`agency${n}LeadEmail`] = p.email;
      }
    });
  return values;
}

jest.setTimeout(90_000);

describe('a review in the Agents Playground, in a browser', () => {
  let stack: DevStack;
  let browser: Browser;
  let pg: PlaygroundPage;
  let dataDir: string;
  const police = personOf('police');
  const policeAgency = 'Exampleshire Police';

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-e2e-'));
    for (const old of fs.existsSync(screenshotDir) ? fs.readdirSync(screenshotDir) : []) {
      if (/^\d\d-.*\.png$/.test(old)) fs.rmSync(path.join(screenshotDir, old));
    }
    [stack, browser] = await Promise.all([
      startDevStack({
        dataDir,
        fresh: true,
        ports: { bot: 0, sandbox: 0, relay: 0, playground: 0 },
        logLevel: 'warn',
        clock: botClock,
      }),
      launchChromium(),
    ]);
    pg = await PlaygroundPage.open(browser, stack.playgroundUrl, screenshotDir);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The police agency's post in the review channel, whichever view of it is showing. */
  function policeCard(): Locator {
    return pg.card(new RegExp(`(Scoping request|Scoping return|Return received): ${policeAgency}`));
  }

  it('the business unit opens a review from the card in its 1:1 chat', async () => {
    await pg.openConversation('Personal Chat');
    await pg.say('open review');
    const submit = pg.page.getByRole('button', { name: 'Open the review' });
    await submit.waitFor();
    const form = pg.card('Open a Rapid Review');
    await pg.screenshot('open-review-form', form, 'start');

    const fields = await pg.fields(form);
    await pg.fill(form, openReviewFieldKeys(fields), openReviewValues());
    await pg.screenshot('open-review-form-filled', form.getByText('Agency 1: name'), 'start');
    await submit.click();

    const ready = pg.message(`${reference} is ready`).last();
    await ready.waitFor({ timeout: 20_000 });
    await pg.screenshot('review-opened', ready);

    const review = await stack.app.deps.store.findByReference(reference);
    expect(review?.state).toBe('scoping');
    expect(review?.teamspace.channelId).toBe(spareReviewChannels[0].id);
    expect(review?.openedBy.aadObjectId).toBe(personOf('officer').aadObjectId);

    // The playground shows the review's channel; one scoping request per agency is waiting there.
    await pg.openConversation('Review channel');
    await expectCount(pg.page.getByText(/^Scoping request: /), 4);
    expect(await policeCard().getByRole('button', { name: 'Fill in the return' }).count()).toBe(1);
    await pg.screenshot('review-channel', pg.page.getByText(/^Scoping request: /).first(), 'start');
  });

  it('the police representative fills in the scoping return: a wrong one shows each problem, a right one is saved', async () => {
    await pg.actAs('police');
    await pg.screenshot('act-as-police', pg.message(/^From now on/).last());

    await pg.openConversation('Review channel');
    await policeCard().getByRole('button', { name: 'Fill in the return' }).click();
    const form = policeCard();
    const submit = form.getByRole('button', { name: 'Submit the return' });
    await submit.waitFor();
    // The agency's own view carries the child's details to search its records for.
    await expect(form.textContent()).resolves.toContain(childName);

    await form.getByRole('radio', { name: 'Yes' }).check();
    await form.getByLabel(/^Involvement with/).fill('Child and mother');
    await pg.pickDate(form.getByRole('combobox', { name: /^Involvement from/ }), daysAgo(20));
    await pg.pickDate(form.getByRole('combobox', { name: /^Involvement to/ }), daysAgo(40));
    await form.getByLabel(/^Nature of involvement/).fill('Two welfare visits and one strategy discussion.');
    await form.getByRole('checkbox', { name: /Records have been secured/ }).check();
    await submit.click();

    const refused = policeCard();
    await refused.getByText('Required when records are secured').first().waitFor();
    await expect(refused.textContent()).resolves.toContain('Must not be before the start of the period');
    await pg.screenshot('scoping-return-field-errors', refused.getByText('The return was not saved'));
    let saved = await stack.app.deps.store.findByReference(reference);
    const policeId = saved?.agencies.find((a) => a.name === policeAgency)?.id as string;
    expect(saved?.scopingReturns.find((r) => r.agencyId === policeId)?.status).toBe('requested');

    await pg.pickDate(refused.getByRole('combobox', { name: /^Involvement from/ }), daysAgo(60));
    await pg.pickDate(refused.getByRole('combobox', { name: /^Records secured on/ }), daysAgo(1));
    await refused.getByLabel(/^Records secured by/).fill('Records manager');
    await refused
      .getByLabel(/^Immediate learning/)
      .fill('Information sharing after the October visit was slow.');
    for (const done of [
      /alert has been added/,
      /Staff involved have been informed/,
      /Senior leaders have been sighted/,
    ]) {
      await refused.getByRole('checkbox', { name: done }).check();
    }
    await refused.getByRole('button', { name: 'Submit the return' }).click();

    const done = policeCard().filter({ hasText: `Submitted by ${police.name}` });
    await done.waitFor();
    await pg.screenshot('scoping-return-submitted', done, 'start');
    saved = await stack.app.deps.store.findByReference(reference);
    expect(saved?.scopingReturns.find((r) => r.agencyId === policeId)).toMatchObject({
      status: 'submitted',
      submittedBy: { email: police.email },
    });
  });

  it('another agency’s representative sees the police return but cannot edit it', async () => {
    await pg.actAs('school');
    await pg.openConversation('Review channel');
    await policeCard()
      .getByRole('button', { name: /return/ })
      .click();
    // Their view of the police card: the status, never the police agency's form.
    const view = pg.card(`Scoping request: ${policeAgency}`);
    await view
      .getByText(/[Ss]ubmitted/)
      .first()
      .waitFor();
    await expect(
      view.getByRole('button', { name: /Submit the return|Save the changes/ }).count(),
    ).resolves.toBe(0);
    expect(await pg.page.getByRole('button', { name: 'Save the changes' }).count()).toBe(0);
    await pg.screenshot('other-agency-cannot-edit', view, 'start');
    const trail = await stack.app.deps.store.auditTrail(
      (await stack.app.deps.store.findByReference(reference))?.id as string,
    );
    expect(trail.filter((a) => a.action === 'scoping-return.submitted')).toHaveLength(1);
  });

  it('"status" in the review channel shows the police return as submitted', async () => {
    await pg.actAs('me');
    await pg.openConversation('Review channel');
    await pg.postToBot('status');
    const status = pg.card(`Status: ${reference}`);
    await status.waitFor();
    const text = (await status.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`${policeAgency}\\s*[Ss]ubmitted`));
    for (const agency of ['Exampleshire ICB', 'Example Primary School']) expect(text).toContain(agency);
    await pg.screenshot('status', status, 'start');
  });

  it('the countdown alert appears in the review channel and names no child', async () => {
    await pg.openConversation('Review channel');
    const countdown = pg.message(/Working day \d+ of 15/);
    expect(await countdown.count()).toBe(0);
    const runAlerts = stack.app.runAlerts;
    if (!runAlerts) throw new Error('the dev stack started the bot without its alert tick');
    // The tick the timer would run at the partnership's hour, now.
    const tick = await runAlerts();
    expect(tick.reviews).toBe(1);
    await expectCount(countdown, 1, 20_000);
    const text = (await countdown.first().textContent()) ?? '';
    expect(text).toContain(reference);
    for (const name of [childName, ...childName.split(' '), 'Yolanda']) expect(text).not.toContain(name);
    await pg.screenshot('countdown-alert', countdown.first());
  });

  /** A meeting event as Teams sends it in the meeting chat, through the playground's custom-activity sender. */
  async function sendMeetingEvent(chatId: string, name: string, value: unknown): Promise<void> {
    const officer = personOf('officer');
    const response = await fetch(`${stack.playgroundUrl}/_internal/v1/customActivities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'event',
        name: `application/vnd.microsoft.${name}`,
        channelId: 'msteams',
        serviceUrl: `${stack.playgroundUrl}/_connector`,
        from: { id: officer.id, aadObjectId: officer.aadObjectId },
        recipient: sampleBot,
        conversation: { id: chatId, isGroup: true, conversationType: 'groupChat', tenantId: sampleTenantId },
        channelData: { tenant: { id: sampleTenantId }, meeting: { id: 'meeting-1' } },
        value,
      }),
    });
    expect(response.status).toBeLessThan(300);
  }

  it('the meeting is booked, the statutory partners join, and the chair confirms quorum', async () => {
    await pg.openConversation('Review channel');
    await pg.card('Proposed review meeting').getByRole('button', { name: 'Book the proposed time' }).click();
    let meeting: { joinWebUrl: string; chatInfo: { threadId: string } } | undefined;
    const deadline = Date.now() + 15_000;
    while (!meeting && Date.now() < deadline) {
      const byUser = (stack.sandbox.state as unknown as { onlineMeetings?: Record<string, unknown[]> })
        .onlineMeetings;
      meeting = Object.values(byUser ?? {}).flat()[0] as typeof meeting;
      if (!meeting) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!meeting) throw new Error('no meeting was booked in the Graph sandbox');

    // The bot knows a participant by the roster of a conversation it has met them in: the playground
    // has no roster for the meeting chat, so each statutory partner asks for the status first.
    for (const key of ['la', 'police', 'icb']) {
      await pg.actAs(key);
      await pg.openConversation('Review channel');
      const statuses = pg.card(`Status: ${reference}`);
      const before = await statuses.count();
      await pg.postToBot('status');
      await expectCount(statuses, before + 1);
    }

    const chatId = meeting.chatInfo.threadId;
    await sendMeetingEvent(chatId, 'meetingStart', {
      Id: 'meeting-1',
      JoinUrl: meeting.joinWebUrl,
      Title: 'Rapid Review meeting',
      MeetingType: 'Scheduled',
      StartTime: new Date().toISOString(),
    });
    await sendMeetingEvent(chatId, 'meetingParticipantJoin', {
      members: ['la', 'police', 'icb', 'chair'].map((key) => {
        const p = personOf(key);
        return {
          user: { id: p.id, aadObjectId: p.aadObjectId, name: p.name },
          meeting: { inMeeting: true, role: key === 'chair' ? 'Organizer' : 'Attendee' },
        };
      }),
    });

    await pg.actAs('chair');
    await pg.openConversation('Review channel');
    const confirm = pg.page.getByRole('button', { name: 'Confirm quorate' });
    const before = await confirm.count();
    await pg.postToBot('quorum');
    await expectCount(confirm, before + 1);
    await confirm.first().click();
    const deadlineSaved = Date.now() + 15_000;
    let saved = await stack.app.deps.store.findByReference(reference);
    while (!saved?.quorumDecision && Date.now() < deadlineSaved) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      saved = await stack.app.deps.store.findByReference(reference);
    }
    expect(saved?.quorumDecision).toMatchObject({ quorate: true });
    const decided = pg.page.getByText(/Confirmed by Chris Chair/).first();
    await decided.waitFor();
    await pg.screenshot('quorum', decided);
  });
});
