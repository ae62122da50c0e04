/** `cards --out DIR`: every Adaptive Card bound to fictitious sample data, one JSON file per card. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cardGallery } from '../cards/cardGallery';
import type { ProfileRegistry } from '../review/profile';
import { UsageError, type CliIo } from './usage';

export async function cardsCommand(args: string[], io: CliIo, registry: ProfileRegistry): Promise<void> {
  let values: { out?: string; profile?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { out: { type: 'string' }, profile: { type: 'string' } },
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
  const cards = cardGallery(registry.get(profileId));
  for (const { file, card } of cards) {
    const json = `${JSON.stringify(card, null, 2)}\n`;
    await fs.promises.writeFile(path.join(out, file), json, 'utf8');
    // Teams refuses a message over 40 KB; the compact form is what is sent.
    io.out(`${file.padEnd(34)} ${(Buffer.byteLength(JSON.stringify(card)) / 1024).toFixed(1)} KB`);
  }
  io.out(`wrote ${cards.length} cards to ${out}`);
}
