import { runCli } from './main';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('rapid-review CLI', () => {
  it('workdays add prints the date alone on the last line', async () => {
    const { code, out } = await run('workdays', 'add', '2026-12-24', '1');
    expect(code).toBe(0);
    expect(out.at(-1)).toBe('2026-12-29');
    expect((await run('workdays', 'add', '2026-12-29', '-1')).out.at(-1)).toBe('2026-12-24');
  });

  it('workdays between counts the working days after from, up to and including to', async () => {
    expect((await run('workdays', 'between', '2026-12-24', '2027-01-04')).out.at(-1)).toBe('4');
  });

  it('honours a profile’s calendar', async () => {
    expect((await run('workdays', 'add', '2026-12-24', '1', '--profile', 'walsall')).out.at(-1)).toBe(
      '2026-12-29',
    );
    const unknown = await run('workdays', 'add', '2026-12-24', '1', '--profile', 'kent');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual([expect.stringMatching(/--profile: 'kent' is not a known profile/)]);
  });

  it('timeline --json gives the profile and every milestone', async () => {
    const { code, out } = await run('timeline', '--profile', 'walsall', '--referral', '2026-12-14', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out.join('\n'));
    expect(parsed.profile).toBe('walsall');
    expect(parsed.milestones.find((m: { key: string }) => m.key === 'review-complete')).toEqual({
      key: 'review-complete',
      label: 'Rapid Review complete',
      due: '2027-01-07',
      workingDay: 15,
    });
  });

  it('answers bad arguments with one clear line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['workdays', 'add', '2026-02-30', '1'], /date: must be a date as YYYY-MM-DD.*2026-02-30/],
      [['workdays', 'add', '2026-02-03', 'ten'], /n: must be a whole number \(got 'ten'\)/],
      [['workdays', 'subtract', '2026-02-03', '1'], /workdays: unknown operation 'subtract'/],
      [['timeline', '--referral', '2026-12-14'], /--profile: required/],
      [['timeline', '--profile', 'england'], /--referral: a date is required/],
      [
        ['timeline', '--profile', 'england', '--referral', '2026-12-14', '--colour'],
        /timeline: Unknown option '--colour'/,
      ],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(message);
    }
  });

  it('profiles lists every profile', async () => {
    const { out } = await run('profiles');
    expect(out.map((l) => l.split(' ')[0])).toEqual([
      'england',
      'gloucestershire',
      'north-yorkshire',
      'staffordshire',
      'walsall',
      'wscp',
    ]);
  });
});
