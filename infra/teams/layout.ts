/**
 * Where the Teams app's files live. The scripts run both from source (jest) and compiled from dist/,
 * so paths are found from the repository root (the folder holding package.json), not from __dirname.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function repositoryRoot(from = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${from}`);
    folder = parent;
  }
  return folder;
}

/** infra/teams/ of the repository: the manifest template and the icons. */
export function teamsFolder(): string {
  return join(repositoryRoot(), 'infra', 'teams');
}
