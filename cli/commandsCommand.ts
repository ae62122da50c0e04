/**
 * `rapid-review commands`: the bot's route table, by place (what help lists).
 *   --write   rewrites the Teams app manifest's `commandLists` from it (infra/teams/manifest.json)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpCommandsIn, manifestCommandLists } from '../bot/flows/routes';
import { helpPlaces } from '../cards/conversationCards';
import { repoRoot } from '../infra/adminMaterial';
import { UsageError, type CliIo } from './usage';

export const manifestPath = join('infra', 'teams', 'manifest.json');

/** The manifest with its bot's command lists replaced by the route table's, as Prettier writes JSON. */
export async function manifestWithCommands(text: string): Promise<string> {
  const manifest = JSON.parse(text) as { bots: { commandLists?: unknown }[] };
  manifest.bots[0].commandLists = manifestCommandLists();
  const { format } = await import('prettier');
  const options = JSON.parse(readFileSync(join(repoRoot(), '.prettierrc.json'), 'utf8')) as object;
  return format(JSON.stringify(manifest), { ...options, parser: 'json' });
}

export async function commandsCommand(args: string[], io: CliIo): Promise<void> {
  const [flag, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`commands: unexpected '${rest[0]}'`);
  if (flag === undefined) {
    for (const place of helpPlaces) {
      io.out(`${place}:`);
      for (const c of helpCommandsIn(place))
        io.out(`  ${c.command}${c.who ? ` (${c.who})` : ''}: ${c.summary}`);
    }
    return;
  }
  if (flag !== '--write') throw new UsageError('commands: give no option, or --write');
  const path = join(repoRoot(), manifestPath);
  const before = readFileSync(path, 'utf8');
  const after = await manifestWithCommands(before);
  if (after === before) {
    io.out('up to date');
    return;
  }
  writeFileSync(path, after);
  io.out(`rewrote ${manifestPath}`);
}
