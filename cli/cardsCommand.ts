/**
 * `cards --out DIR [--png]`: every Adaptive Card bound to fictitious sample data, one JSON file per
 * card, and with --png a picture of each as the `adaptivecards` renderer draws it in headless Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { helpCommandsIn } from '../bot/flows/routes';
import { cardGallery } from '../cards/cardGallery';
import type { ProfileRegistry } from '../review/profile';
import { UsageError, type CliIo } from './usage';

export async function cardsCommand(args: string[], io: CliIo, registry: ProfileRegistry): Promise<void> {
  let values: { out?: string; profile?: string; png?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { out: { type: 'string' }, profile: { type: 'string' }, png: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`cards: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!values.out) throw new UsageError('--out: required (the folder to write the cards to)');
  const profileId = values.profile ?? 'england';
  if (!registry.has(profileId)) {
    throw new UsageError(
      `--profile: '${profileId}' is not a known profile (known: ${registry.ids().join(', ')})`,
    );
  }
  const out = path.resolve(values.out);
  await fs.promises.mkdir(out, { recursive: true });
  const cards = cardGallery(registry.get(profileId), undefined, helpCommandsIn);
  for (const { file, card } of cards) {
    const json = `${JSON.stringify(card, null, 2)}\n`;
    await fs.promises.writeFile(path.join(out, file), json, 'utf8');
    // Teams refuses a message over 40 KB; the compact form is what is sent.
    io.out(`${file.padEnd(34)} ${(Buffer.byteLength(JSON.stringify(card)) / 1024).toFixed(1)} KB`);
  }
  io.out(`wrote ${cards.length} cards to ${out}`);
  if (values.png) {
    const started = Date.now();
    const pictures = await renderCardPngs(cards, out, io);
    io.out(`drew ${pictures} cards as PNG in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Debian's Chromium (apt-get install -y chromium), headless, with nothing that reaches for the network. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Close to Teams' light theme: its font, its purple for actions, its card width. */
const teamsLikeHostConfig = {
  fontFamily: "'Segoe UI', 'Helvetica Neue', 'DejaVu Sans', sans-serif",
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: { accent: { default: '#6264A7' } } },
    emphasis: { backgroundColor: '#F5F5F5' },
    good: { backgroundColor: '#E7F2DA' },
    attention: { backgroundColor: '#FCF4F6' },
    warning: { backgroundColor: '#FBF6D9' },
    accent: { backgroundColor: '#E8EBFA' },
  },
  actions: { actionsOrientation: 'horizontal', buttonSpacing: 8, maxActions: 6 },
};
const cardWidthPx = 480;

/**
 * The renderer and Chromium are development tools (devDependencies), loaded only when --png asks,
 * so `cards --out` works without them.
 */
async function renderCardPngs(
  cards: { file: string; card: unknown }[],
  out: string,
  io: CliIo,
): Promise<number> {
  if (!fs.existsSync(chromiumPath)) {
    throw new UsageError(
      `--png: needs Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );
  }
  let chromium: typeof import('playwright-core').chromium;
  let rendererScript: string;
  let rendererCss: string;
  try {
    ({ chromium } = await import('playwright-core'));
    rendererScript = require.resolve('adaptivecards/dist/adaptivecards.min.js');
    rendererCss = require.resolve('adaptivecards/dist/adaptivecards.css');
  } catch {
    throw new UsageError(
      '--png: needs the development dependencies playwright-core and adaptivecards (npm install)',
    );
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
  });
  try {
    const page = await browser.newPage({
      viewport: { width: cardWidthPx + 40, height: 800 },
      // Dates in inputs as a partnership in England reads them.
      locale: 'en-GB',
    });
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"></head><body><div id="card"></div></body></html>',
    );
    await page.addStyleTag({ path: rendererCss });
    // After the renderer's own styles, so these win: a white card on Teams' grey, purple buttons.
    await page.addStyleTag({
      content: `
        body { margin: 0; padding: 20px; background: #F5F5F5; }
        #card { width: ${cardWidthPx}px; background: #FFFFFF; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.14); }
        .ac-pushButton { color: #6264A7; background: #FFFFFF; border: 1px solid #C8C6C4; border-radius: 4px; }
        .ac-pushButton.style-positive { color: #FFFFFF; background: #6264A7; border-color: #6264A7; }`,
    });
    await page.addScriptTag({ path: rendererScript });
    for (const { file, card } of cards) {
      const problems = await page.evaluate(
        ({ card, hostConfig }) => {
          type Renderer = {
            AdaptiveCard: {
              new (): {
                hostConfig: unknown;
                parse(json: unknown, context: unknown): void;
                render(): HTMLElement | undefined;
              };
              onProcessMarkdown: (text: string, result: { outputHtml?: string; didProcess: boolean }) => void;
            };
            HostConfig: new (json: unknown) => unknown;
            SerializationContext: new () => {
              eventCount: number;
              getEventAt(i: number): { message: string };
            };
          };
          const AC = (window as unknown as { AdaptiveCards: Renderer }).AdaptiveCards;
          // Teams renders a subset of Markdown: **bold**, _italic_, [links](url), lists and line breaks.
          AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
            const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
            const inline = (line: string) =>
              line
                .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
                .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1<em>$2</em>')
                .replace(/\[(.+?)\]\((.+?)\)/g, '<a href="$2">$1</a>');
            const lines = escaped.split('\n');
            const html: string[] = [];
            let list = false;
            for (const line of lines) {
              const item = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
              if (item && !list) html.push('<ul style="margin:0;padding-left:20px">');
              if (!item && list) html.push('</ul>');
              list = Boolean(item);
              html.push(item ? `<li>${inline(item[1])}</li>` : `${inline(line)}<br>`);
            }
            if (list) html.push('</ul>');
            result.outputHtml = html.join('').replace(/(<br>)+$/, '');
            result.didProcess = true;
          };
          const adaptiveCard = new AC.AdaptiveCard();
          adaptiveCard.hostConfig = new AC.HostConfig(hostConfig);
          const context = new AC.SerializationContext();
          adaptiveCard.parse(card, context);
          const element = adaptiveCard.render();
          const holder = document.getElementById('card') as HTMLElement;
          holder.replaceChildren(...(element ? [element] : []));
          return Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
        },
        { card, hostConfig: teamsLikeHostConfig },
      );
      // What the renderer did not understand is what Teams may not show either.
      for (const problem of problems) io.err(`${file}: ${problem}`);
      await page.locator('#card').screenshot({ path: path.join(out, file.replace(/\.json$/, '.png')) });
    }
    return cards.length;
  } finally {
    await browser.close();
  }
}
