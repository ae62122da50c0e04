/** `workdays`, `timeline` and `profiles`: the statutory clock from the command line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ProfileRegistry, type PartnershipProfile } from '../review/profile';
import type { ReviewAnchors } from '../review/model';
import { parseCivilDate } from '../scheduler/civilDate';
import { computeTimeline } from '../scheduler/timeline';
import { calendarFor } from '../scheduler/workingDayCalendar';
import { UsageError, type CliIo } from './usage';

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>, command: string) {
  // A negative count ('-3') is a positional, not an option: hide it from parseArgs and restore it.
  const negative = /^-\d+$/;
  const marked = args.map((a) => (negative.test(a) ? `neg:${a}` : a));
  try {
    const parsed = parseArgs({ args: marked, options, allowPositionals: true, strict: true });
    return { ...parsed, positionals: parsed.positionals.map((p) => p.replace(/^neg:/, '')) };
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function date(text: string | undefined, field: string): string {
  if (text === undefined) throw new UsageError(`${field}: a date is required (YYYY-MM-DD)`);
  try {
    return parseCivilDate(text, field);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function profileFrom(registry: ProfileRegistry, id: string | undefined): PartnershipProfile {
  const wanted = id ?? 'england';
  if (!registry.has(wanted)) {
    throw new UsageError(
      `--profile: '${wanted}' is not a known profile (known: ${registry.ids().join(', ')})`,
    );
  }
  return registry.get(wanted);
}

export function workdaysCommand(args: string[], io: CliIo, registry: ProfileRegistry): void {
  const { values, positionals } = parse(args, { profile: { type: 'string' } }, 'workdays');
  const [operation, ...rest] = positionals;
  const profile = profileFrom(registry, values.profile as string | undefined);
  const calendar = calendarFor(profile.calendar);
  if (operation === 'add') {
    if (rest.length !== 2)
      throw new UsageError('workdays add: usage: workdays add <YYYY-MM-DD> <n> [--profile ID]');
    const from = date(rest[0], 'date');
    if (!/^-?\d+$/.test(rest[1])) throw new UsageError(`n: must be a whole number (got '${rest[1]}')`);
    const n = Number(rest[1]);
    if (Math.abs(n) > 100_000) throw new UsageError(`n: must be between -100000 and 100000 (got ${n})`);
    io.out(calendar.addWorkingDays(from, n));
    return;
  }
  if (operation === 'between') {
    if (rest.length !== 2) {
      throw new UsageError('workdays between: usage: workdays between <from> <to> [--profile ID]');
    }
    io.out(String(calendar.workingDaysBetween(date(rest[0], 'from'), date(rest[1], 'to'))));
    return;
  }
  throw new UsageError(`workdays: unknown operation '${operation ?? ''}' (use 'add' or 'between')`);
}

export function timelineCommand(args: string[], io: CliIo, registry: ProfileRegistry): void {
  const dateOption = { type: 'string' } as const;
  const { values, positionals } = parse(
    args,
    {
      profile: dateOption,
      referral: dateOption,
      aware: dateOption,
      sin: dateOption,
      'scoping-sent': dateOption,
      meeting: dateOption,
      'panel-submitted': dateOption,
      'panel-response': dateOption,
      json: { type: 'boolean' },
    },
    'timeline',
  );
  if (positionals.length > 0) throw new UsageError(`timeline: unexpected argument '${positionals[0]}'`);
  if (values.profile === undefined) throw new UsageError('--profile: required (see `rapid-review profiles`)');
  const profile = profileFrom(registry, values.profile as string);
  const optional = (name: string): string | undefined =>
    values[name] === undefined ? undefined : date(values[name] as string, `--${name}`);
  const anchors: ReviewAnchors = {
    referral: date(values.referral as string | undefined, '--referral'),
    aware: optional('aware'),
    sinSent: optional('sin'),
    scopingSent: optional('scoping-sent'),
    meetingHeld: optional('meeting'),
    panelSubmitted: optional('panel-submitted'),
    panelResponse: optional('panel-response'),
  };
  // A planning view: dates not given yet (scoping sent, the meeting) are planned from the statutory
  // milestones before them, and marked as planned.
  const timeline = computeTimeline(anchors, profile, { project: true });
  if (values.json) {
    io.out(
      JSON.stringify({
        profile: profile.id,
        clock: { anchor: timeline.clock.anchor, label: timeline.clock.label, start: timeline.clock.start },
        milestones: timeline.milestones.map((m) => ({
          key: m.key,
          label: m.label,
          due: m.due,
          workingDay: m.workingDay,
          ...(m.pending ? { pending: m.pending } : {}),
          ...(m.projected ? { projected: m.projected } : {}),
          ...(m.capped ? { capped: m.capped } : {}),
        })),
      }),
    );
    return;
  }
  io.out(
    `${profile.name}: clock runs from ${timeline.clock.label} (${timeline.clock.start ?? 'not yet known'})`,
  );
  const keyWidth = Math.max(...timeline.milestones.map((m) => m.key.length));
  for (const m of timeline.milestones) {
    const notes = [m.projected, m.capped].filter(Boolean).join('; ');
    const when = m.due
      ? `${m.due}${m.workingDay === null ? '' : `  (working day ${m.workingDay})`}${notes ? `  ${notes}` : ''}`
      : `— ${m.pending}`;
    io.out(`${m.key.padEnd(keyWidth)}  ${when}`);
  }
}

export function profilesCommand(args: string[], io: CliIo, registry: ProfileRegistry): void {
  if (args.length > 0) throw new UsageError(`profiles: unexpected argument '${args[0]}'`);
  for (const profile of registry.all()) {
    io.out(`${profile.id.padEnd(16)} ${profile.name} — clock from ${profile.clock.anchorLabel}`);
  }
}
