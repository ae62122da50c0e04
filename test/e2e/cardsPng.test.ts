/**
 * `rapid-review cards --out DIR --png`: a picture of every card, drawn by the Adaptive Cards renderer
 * in headless Chromium (here because it needs /usr/bin/chromium, like the other browser tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { runCli } from '../../cli/main';

jest.setTimeout(60_000);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('rapid-review cards --png', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-cards-'));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('draws every card it writes, at a card’s width, with something on it', async () => {
    const { io, out, err } = capture();
    expect(await runCli(['cards', '--out', dir, '--png'], io)).toBe(0);
    expect(err).toEqual([]);
    const cards = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(cards.length).toBeGreaterThan(10);
    expect(out.at(-1)).toMatch(new RegExp(`^drew ${cards.length} cards as PNG`));
    for (const card of cards) {
      const png = PNG.sync.read(fs.readFileSync(path.join(dir, card.replace(/\.json$/, '.png'))));
      expect({ card, width: png.width }).toEqual({ card, width: 480 });
      expect(png.height).toBeGreaterThan(40);
      // A card drawn empty would be all white: count the pixels of text and borders.
      let ink = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 128) ink += 1;
      expect({ card, inked: ink > 200 }).toEqual({ card, inked: true });
    }
  });

  it('says what is missing when there is no Chromium, and writes the JSON anyway', async () => {
    const { io, err } = capture();
    const saved = process.env.CHROMIUM_PATH;
    jest.resetModules();
    process.env.CHROMIUM_PATH = path.join(dir, 'no-chromium-here');
    try {
      const { runCli: runFresh } = await import('../../cli/main');
      const elsewhere = path.join(dir, 'without');
      expect(await runFresh(['cards', '--out', elsewhere, '--png'], io)).toBe(2);
      expect(err.join('\n')).toMatch(/--png: needs Chromium at .*no-chromium-here/);
      expect(fs.readdirSync(elsewhere).some((f) => f.endsWith('.json'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
