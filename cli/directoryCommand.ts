/**
 * `rapid-review directory import FILE` (JSON or CSV) and `directory show`: the partnership directory
 * in the store the bot itself uses (its settings from the environment). An import replaces the
 * whole directory in one audited transaction; a file with a problem changes nothing and names it.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DirectoryError, directoryFromCsv, directoryOf, replaceDirectory } from '../review/directory';
import { operatorActor, storeFromEnvironment } from './dataCommands';
import { UsageError, type CliIo } from './usage';

export async function directoryCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [action, file, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`directory: unexpected '${rest[0]}'`);
  if (action !== 'import' && action !== 'show') throw new UsageError('directory: give import FILE or show');
  if (action === 'import' && !file) throw new UsageError('directory import: give the file (.json or .csv)');
  let parsed;
  if (action === 'import') {
    const text = readFileSync(file as string, 'utf8');
    try {
      parsed =
        extname(file as string).toLowerCase() === '.csv'
          ? directoryFromCsv(text)
          : directoryOf(JSON.parse(text));
    } catch (error) {
      if (error instanceof DirectoryError || error instanceof SyntaxError) {
        io.err(`rapid-review: ${file}: ${error.message}`);
        return 1;
      }
      throw error;
    }
  }
  const store = await storeFromEnvironment(env);
  try {
    if (parsed) {
      const imported = parsed;
      const at = new Date().toISOString();
      const result = await store.updateDirectory((current) =>
        replaceDirectory(current, imported, operatorActor('directory import', undefined), at),
      );
      if (!result.ok) {
        io.err(`rapid-review: ${result.reason}`);
        return 1;
      }
    }
    const directory = await store.getDirectory();
    io.out(
      `${directory.agencies.length} agencies, ${directory.chairs.length} chairs, ${directory.officers.length} officers (version ${directory.version})`,
    );
    for (const agency of directory.agencies)
      io.out(
        `  ${agency.name} (${agency.kind}): ${agency.representatives.length} representatives${agency.lead ? ', partner lead' : ''}`,
      );
    return 0;
  } finally {
    await store.close();
  }
}
