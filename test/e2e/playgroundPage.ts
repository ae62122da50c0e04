/**
 * Driving the Microsoft 365 Agents Playground in headless Chromium the way a person does: pick a
 * chat or channel, type, @mention the bot, fill Adaptive Card inputs by their labels, pick dates in
 * the calendar, choose from drop-downs, press the card's buttons. Selectors are the accessible names
 * the playground renders (labels, roles), not its generated class names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { LONG_MONTHS } from '../../scheduler/civilDate';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing that reaches for the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const monthNames = LONG_MONTHS;

/** A field of a card in the order it is shown, by the text of its label. */
export interface CardField {
  label: string;
  /** 'combobox' for drop-downs and date pickers, 'input', 'textarea', 'radio', 'checkbox'... */
  role: string;
  datePicker: boolean;
}

export class PlaygroundPage {
  private shots = 0;

  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {}

  static async open(browser: Browser, url: string, screenshotDir: string): Promise<PlaygroundPage> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The playground asks a CDN for fonts; offline that only slows the page down.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
    await page.goto(url, { waitUntil: 'load' });
    await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
    // The log panel is for debugging the bot; the screenshots show what a user sees.
    const hide = page.getByRole('button', { name: 'Toggle Log Panel' });
    if (await page.getByText('Log Panel').isVisible()) await hide.click();
    fs.mkdirSync(screenshotDir, { recursive: true });
    return new PlaygroundPage(page, screenshotDir);
  }

  /** Personal Chat, a group chat, or a channel by its name ("General", "Review channel"). */
  async openConversation(name: string): Promise<void> {
    await this.page.getByRole('treeitem', { name: new RegExp(`(^|- )${name}$`) }).click();
  }

  private composer(): Locator {
    return this.page.locator('[data-lexical-editor="true"]');
  }

  /** Types a message in a chat and sends it. */
  async say(text: string): Promise<void> {
    await this.composer().last().click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** Starts a channel post that @mentions the bot (Teams only passes a channel message on then). */
  async postToBot(text: string, botName = 'Rapid Review'): Promise<void> {
    await this.composer().first().click();
    await this.page.keyboard.type(`@${botName.slice(0, 3)}`);
    await this.page.getByRole('menuitem', { name: botName }).click();
    await this.page.keyboard.type(` ${text}`);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
  }

  /** "act as police": the act-as relay answers in the chat. */
  async actAs(who: string): Promise<void> {
    await this.openConversation('Personal Chat');
    const answers = this.message(/^(From now on|Back to yourself)/);
    const before = await answers.count();
    await this.say(`act as ${who}`);
    await expectCount(answers, before + 1);
  }

  /** The newest text message (not a card) that shows `text`; the chat list's preview does not count. */
  message(text: string | RegExp): Locator {
    return this.page.getByRole('paragraph').filter({ hasText: text });
  }

  /**
   * The card that shows `text`: pass text only one card has (its heading), since a chat lists the
   * newest message last and a channel its newest post first.
   */
  card(text: string | RegExp): Locator {
    return this.page.locator('.ac-adaptiveCard').filter({ hasText: text });
  }

  async fields(card: Locator): Promise<CardField[]> {
    return card.locator('input, textarea').evaluateAll((elements) =>
      elements.map((el) => {
        const ids = (el.getAttribute('aria-labelledby') ?? '').split(' ').filter(Boolean);
        const labelled = ids.map((id) => document.getElementById(id)?.textContent ?? '').find(Boolean);
        return {
          label: (labelled ?? el.getAttribute('aria-label') ?? '').replace(/\s*\*\s*$/, '').trim(),
          role: el.getAttribute('role') ?? el.getAttribute('type') ?? el.tagName.toLowerCase(),
          datePicker: el.getAttribute('aria-haspopup') === 'dialog',
        };
      }),
    );
  }

  /**
   * Fills the card's inputs: `keys[i]` names the i-th input (as `fields()` lists them) and `values`
   * gives what to enter; a date picker takes YYYY-MM-DD, a drop-down the choice's title.
   */
  async fill(card: Locator, keys: string[], values: Record<string, string>): Promise<void> {
    const inputs = card.locator('input, textarea');
    const fields = await this.fields(card);
    for (const [i, key] of keys.entries()) {
      const value = values[key];
      if (value === undefined) continue;
      const input = inputs.nth(i);
      if (fields[i].datePicker) await this.pickDate(input, value);
      else if (fields[i].role === 'combobox') await this.choose(input, value);
      else await input.fill(value);
    }
  }

  async choose(input: Locator, title: string): Promise<void> {
    await input.click();
    await this.page.getByRole('option', { name: title, exact: true }).click();
  }

  /** Opens the calendar, steps to the month and clicks the day (the picker takes no typing). */
  async pickDate(input: Locator, isoDate: string): Promise<void> {
    const [year, month, day] = isoDate.split('-').map(Number);
    await input.click();
    const calendar = this.page.getByRole('dialog').last();
    for (let step = 0; step < 48; step += 1) {
      const heading = (
        (await calendar.locator('button[aria-live], span[aria-live]').first().textContent()) ?? ''
      )
        .trim()
        .split(' ');
      const shown = Number(heading[1]) * 12 + monthNames.indexOf(heading[0]);
      const wanted = year * 12 + month - 1;
      if (shown === wanted) break;
      await calendar.locator(`button[title^="${wanted < shown ? 'Previous' : 'Next'} month"]`).click();
    }
    await calendar.locator(`button[aria-label="${day}, ${monthNames[month - 1]}, ${year}"]`).click();
  }

  /** A numbered screenshot of the whole window, with `focus` scrolled to the top or the middle first. */
  async screenshot(name: string, focus?: Locator, at: 'start' | 'center' = 'center'): Promise<string> {
    if (focus) await focus.evaluate((el, block) => el.scrollIntoView({ block }), at);
    // Let the card's re-render and the scroll settle.
    await this.page.waitForTimeout(300);
    this.shots += 1;
    const file = path.join(this.screenshotDir, `${String(this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** Waits until the locator matches `count` elements (a card posted, an answer arrived). */
export async function expectCount(locator: Locator, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await locator.count()) < count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} of ${locator}, saw ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Names the open-review form's inputs from their labels (agency and person rows repeat them). */
export function openReviewFieldKeys(fields: CardField[]): string[] {
  const fixed: Record<string, string> = {
    Reference: 'reference',
    'Pseudonym (shown outside the review channel)': 'pseudonym',
    'Partnership procedure': 'profileId',
    'Referral to the partnership': 'referral',
    'Local authority became aware': 'aware',
    'SIN sent to the National Panel': 'sinSent',
    "Child's name": 'childName',
    'Date of birth': 'dateOfBirth',
    Address: 'address',
  };
  let agency = 0;
  let family = 0;
  let person = '';
  return fields.map(({ label }) => {
    let match: RegExpExecArray | null;
    if ((match = /^Agency (\d+): name/.exec(label))) {
      agency = Number(match[1]);
      return `agency${agency}Name`;
    }
    if ((match = /^Family member (\d+): name/.exec(label))) {
      family = Number(match[1]);
      return `family${family}Name`;
    }
    if (label.startsWith('Relationship')) return `family${family}Relationship`;
    if (label === 'Kind') return `agency${agency}Kind`;
    if ((match = /^Representative (\d+): name/.exec(label))) {
      person = `agency${agency}Rep${match[1]}`;
      return `${person}Name`;
    }
    if (label.startsWith('Partner lead')) {
      person = `agency${agency}Lead`;
      return `${person}Name`;
    }
    if (label === 'Email') return `${person}Email`;
    if (label.startsWith('Scoping returns due within')) return 'scopingReturnDays';
    return fixed[label] ?? label;
  });
}
