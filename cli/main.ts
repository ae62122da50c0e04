/** The `rapid-review` command. Every failure is one line on stderr; bad arguments exit with code 2. */
import { ProfileRegistry, ProfileError } from '../review/profile';
import { cardsCommand } from './cardsCommand';
import { auditCommand, disposeCommand, exportCommand, rotateKeysCommand } from './dataCommands';
import { commandsCommand } from './commandsCommand';
import { directoryCommand } from './directoryCommand';
import { doctorCommand } from './doctorCommand';
import { permissionsCommand } from './permissionsCommand';
import { profilesCommand, timelineCommand, workdaysCommand } from './scheduleCommands';
import { simulateCommand } from './simulateCommand';
import { UsageError, type CliIo } from './usage';

/** A command's exit code, when it has one of its own (0 otherwise). */
type Command = (
  args: string[],
  io: CliIo,
  registry: ProfileRegistry,
) => void | number | Promise<void | number>;

const commands: Record<string, { run: Command; summary: string }> = {
  workdays: {
    run: workdaysCommand,
    summary: 'workdays add <date> <n> | workdays between <from> <to> [--profile ID]',
  },
  timeline: {
    run: timelineCommand,
    summary:
      'timeline --profile ID --referral DATE [--aware DATE] [--sin DATE] [--scoping-sent DATE] [--meeting DATE] [--json]',
  },
  profiles: { run: profilesCommand, summary: 'profiles' },
  simulate: {
    run: simulateCommand,
    summary:
      'simulate --reviews N --days D --instances K --start DATE [--store sqlite|postgres] [--seed S] [--json]',
  },
  cards: { run: cardsCommand, summary: 'cards --out DIR [--profile ID] [--png]' },
  doctor: {
    run: (args, io) => doctorCommand(args, io),
    summary: 'doctor [--sandbox] [--sandbox-revoke NAME]: check the tenant, one line per check',
  },
  directory: {
    run: (args, io) => directoryCommand(args, io),
    summary:
      "directory import FILE.json|FILE.csv | directory show: the partnership directory in the bot's store",
  },
  commands: {
    run: (args, io) => commandsCommand(args, io),
    summary: 'commands [--write]: what each place accepts; --write regenerates the manifest command menu',
  },
  permissions: { run: permissionsCommand, summary: 'permissions --markdown | --powershell | --write' },
  'rotate-keys': {
    run: rotateKeysCommand,
    summary: 'rotate-keys [--batch N] [--by NAME]: re-seal every review under the current data key (audited)',
  },
  audit: {
    run: auditCommand,
    summary: "audit verify: check the audit trail's hash chain, naming the first broken line (exit 1)",
  },
  dispose: {
    run: disposeCommand,
    summary:
      'dispose [--dry-run] [--today DATE] [--by NAME]: dispose of closed reviews past the profile’s retention period (audited)',
  },
  export: {
    run: exportCommand,
    summary:
      'export RR-YYYY-NNN --out FILE|FOLDER [--by NAME]: everything held about one review, as JSON (audited)',
  },
};

export function usage(): string {
  return ['usage: rapid-review <command>', ...Object.values(commands).map((c) => `  ${c.summary}`)].join(
    '\n',
  );
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`rapid-review: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})`);
    return 2;
  }
  try {
    const extraProfiles = process.env.PROFILES_DIR ? [process.env.PROFILES_DIR] : [];
    const code = await command.run(args, io, new ProfileRegistry(extraProfiles));
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`rapid-review: ${error.message}`);
      return 2;
    }
    if (error instanceof ProfileError) {
      io.err(`rapid-review: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export function main(argv: string[]): void {
  const io: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };
  runCli(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`rapid-review: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
