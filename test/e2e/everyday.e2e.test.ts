/**
 * Everyday use (issue 13) in the Agents Playground, in a browser: the business unit sets up the
 * partnership directory from its card, opens a review by ticking agencies, asks a question in plain
 * words; a representative's nudge arrives in the 1:1 chat; the weekly digest reaches the business
 * unit's channel on Monday morning. The bot's clock is moved between steps, as the days pass.
 *
 * The playground shows one personal chat, for whoever is at the keyboard: the local run points every
 * person's 1:1 chat with the bot at it (test/dev/devStack.ts), so the representatives' nudges show
 * there. Screenshots go to E2E_SCREENSHOT_DIR/everyday (default docs/screenshots/everyday).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { loadProfiles, type PartnershipProfile } from '../../review/profile';
import type { Clock } from '../../review/ports';
import { addCalendarDays, civilDateInLondon, dayOfWeek, type CivilDate } from '../../scheduler/civilDate';
import { reviewStatus } from '../../scheduler/reviewStatus';
import { londonWallClockToInstant } from '../../scheduler/slotFinder';
import { calendarFor } from '../../scheduler/workingDayCalendar';
import { repoRoot, startDevStack, type DevStack } from '../dev/devStack';
import { samplePeople, type SamplePerson } from '../dev/samplePartnership';
import { expectCount, launchChromium, PlaygroundPage } from './playgroundPage';

const screenshotDir = path.join(
  process.env.E2E_SCREENSHOT_DIR ?? path.join(repoRoot(), 'docs', 'screenshots'),
  'everyday',
);
const england = loadProfiles().get('england') as PartnershipProfile;
const calendar = calendarFor(england.calendar);
const childName = 'Zebedee Quartermaine';

/** A Monday at least a week ahead that is a working day, so the review's first days are ordinary. */
function nextOrdinaryMonday(): CivilDate {
  let day = addCalendarDays(civilDateInLondon(new Date()), 7);
  while (
    dayOfWeek(day) !== 1 ||
    !calendar.isWorkingDay(day) ||
    !calendar.isWorkingDay(addCalendarDays(day, 7))
  )
    day = addCalendarDays(day, 1);
  return day;
}
const openedOn = nextOrdinaryMonday();
const reference = `RR-${openedOn.slice(0, 4)}-001`;

/** The bot's clock, moved by the test as the days pass (and running on at the real pace between). */
function movableClock(start: Date): Clock & { moveTo(at: Date): void } {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    moveTo: (at) => {
      offset = at.getTime() - Date.now();
    },
  };
}
const clock = movableClock(londonWallClockToInstant(openedOn, 10 * 60));
const personOf = (key: string) => samplePeople.find((p) => p.key === key) as SamplePerson;
const named = (p: SamplePerson) => `${p.name} <${p.email}>`;

jest.setTimeout(120_000);

describe('everyday use in the Agents Playground, in a browser', () => {
  let stack: DevStack;
  let browser: Browser;
  let pg: PlaygroundPage;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-e2e-everyday-'));
    fs.rmSync(screenshotDir, { recursive: true, force: true });
    [stack, browser] = await Promise.all([
      startDevStack({
        dataDir,
        fresh: true,
        ports: { bot: 0, sandbox: 0, relay: 0, playground: 0 },
        logLevel: 'warn',
        clock,
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

  it('the business unit sets up the partnership directory from its card', async () => {
    await pg.openConversation('Personal Chat');
    await pg.say('directory');
    const card = () => pg.card('Partnership directory').last();
    await card().getByRole('button', { name: 'Save agency' }).waitFor();
    await pg.screenshot('directory-empty', card(), 'start');
    for (const p of samplePeople.filter((person) => person.agency)) {
      const agency = p.agency as NonNullable<SamplePerson['agency']>;
      const form = card();
      await form.getByLabel(/^Agency name/).fill(agency.name);
      await pg.choose(form.getByRole('combobox', { name: /^Kind/ }), agency.kindLabel);
      await form.getByLabel(/^Standing representatives/).fill(named(p));
      await form.getByLabel(/^Partner lead/).fill(agency.lead ? named(p) : '');
      await form.getByRole('button', { name: 'Save agency' }).click();
      await card().getByText(agency.name, { exact: false }).first().waitFor();
      await expectDirectoryAgencies(samplePeople.filter((q) => q.agency).indexOf(p) + 1);
    }
    await card()
      .getByLabel(/^Chairs of the review group/)
      .fill(named(personOf('chair')));
    await card().getByRole('button', { name: 'Save chairs' }).click();
    await card()
      .getByText(`Chairs: ${personOf('chair').name}`)
      .waitFor();
    await pg.screenshot('directory-set-up', card(), 'start');
    const directory = await stack.app.deps.store.getDirectory();
    expect(directory.agencies.map((a) => a.name)).toEqual(
      samplePeople.filter((p) => p.agency).map((p) => p.agency?.name),
    );
  });

  async function expectDirectoryAgencies(count: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while ((await stack.app.deps.store.getDirectory()).agencies.length < count) {
      if (Date.now() > deadline) throw new Error(`the directory did not reach ${count} agencies`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('opens a review by ticking agencies on the form', async () => {
    await pg.openConversation('Personal Chat');
    await pg.say('open review');
    const submit = pg.page.getByRole('button', { name: 'Open the review' });
    await submit.waitFor();
    const form = pg.card('Open a Rapid Review').last();
    await pg.screenshot('open-review-ticks', form.getByText(/agencies/i).first(), 'start');
    await form.getByLabel(/^Reference/).fill(reference);
    await pg.choose(
      form.getByRole('combobox', { name: /^Partnership procedure/ }),
      'England (Working Together 2023 defaults)',
    );
    await pg.pickDate(
      form.getByRole('combobox', { name: /^Local authority became aware/ }),
      addCalendarDays(openedOn, -3),
    );
    await pg.pickDate(
      form.getByRole('combobox', { name: /^Referral to the partnership/ }),
      addCalendarDays(openedOn, -3),
    );
    await pg.pickDate(form.getByRole('combobox', { name: /^SIN sent/ }), addCalendarDays(openedOn, -3));
    await form.getByLabel(/^Child's name/).fill(childName);
    // The school is not a statutory partner: ticked by hand.
    await form.getByRole('checkbox', { name: 'Example Primary School' }).check();
    await submit.click();
    const ready = pg.message(`${reference} is ready`).last();
    await ready.waitFor({ timeout: 30_000 });
    await pg.screenshot('review-opened-from-ticks', ready);
    const review = await stack.app.deps.store.findByReference(reference);
    expect(review?.agencies.map((a) => a.name).sort()).toEqual(
      samplePeople
        .filter((p) => p.agency)
        .map((p) => p.agency?.name)
        .sort(),
    );
    expect(review?.agencies.find((a) => a.kind === 'police')?.representatives[0].email).toBe(
      personOf('police').email,
    );
  });

  it('answers a question in plain words, by reference only', async () => {
    await pg.openConversation('Personal Chat');
    const answers = pg.message(/has not returned|have not returned|not returned/i);
    const before = await answers.count();
    await pg.say('who has not returned?');
    await expectCount(answers, before + 1);
    const text = (await answers.last().textContent()) ?? '';
    expect(text).toContain(reference);
    expect(text).toContain('Exampleshire Police');
    expect(text).not.toContain(childName);
    await pg.screenshot('question-who-has-not-returned', answers.last());
  });

  it('a representative’s nudge arrives in the 1:1 chat the working day before returns are due', async () => {
    const review = await stack.app.deps.store.findByReference(reference);
    if (!review) throw new Error('no review');
    const due = reviewStatus(review, england, openedOn, calendar).milestones.find(
      (m) => m.key === 'scoping-returns-due',
    )?.due as CivilDate;
    clock.moveTo(londonWallClockToInstant(calendar.addWorkingDays(due, -1), 9 * 60 + 5));
    const runAlerts = stack.app.runAlerts;
    if (!runAlerts) throw new Error('the dev stack started the bot without its alert tick');
    await pg.openConversation('Personal Chat');
    const nudges = pg.card(/scoping return is due/);
    expect(await nudges.count()).toBe(0);
    await runAlerts();
    await expectCount(nudges, 1, 20_000);
    const nudge = nudges.last();
    expect((await nudge.textContent()) ?? '').toContain(reference);
    expect((await nudge.textContent()) ?? '').not.toContain(childName);
    // Action.OpenUrl: a link to the review's channel (Teams' channel deep link).
    const open = nudge.getByRole('link', { name: `Open ${reference}` });
    expect(await open.getAttribute('title')).toMatch(
      new RegExp(
        `^https://teams\\.microsoft\\.com/l/channel/${encodeURIComponent(review.teamspace.channelId as string)}/`,
      ),
    );
    await pg.screenshot('nudge-in-1-1-chat', nudge);
    // The app was installed for each representative through Graph, once.
    expect(Object.keys(stack.sandbox.state.personalApps)).toHaveLength(4);
  });

  it('the weekly digest reaches the business unit’s channel on Monday morning', async () => {
    const monday = addCalendarDays(openedOn, 7);
    clock.moveTo(londonWallClockToInstant(monday, 9 * 60 + 5));
    const runUpkeep = stack.app.runUpkeep;
    if (!runUpkeep) throw new Error('the dev stack started the bot without its upkeep');
    const result = await runUpkeep();
    expect(result.weeklyDigest).toBe(1);
    await pg.openConversation('General');
    const digest = pg.page.getByText(/Week of /).first();
    await digest.waitFor({ timeout: 20_000 });
    const text = (await pg.page.locator('body').textContent()) ?? '';
    expect(text).toContain(reference);
    expect(text).not.toContain(childName);
    await pg.screenshot('weekly-digest', digest);
    expect((await runUpkeep()).weeklyDigest).toBeNull();
  });
});
