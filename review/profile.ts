/**
 * Partnership profiles: every point where partnerships' procedures differ is data here, never a
 * hard-coded rule. Files live in review/profiles/*.json (plus an optional extra folder), are
 * validated with zod at load, and may `extends` another profile to state only their differences.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { agencyKinds } from './model';

const civilDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((text) => {
    const d = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
  }, 'must be a real calendar date');

const noticeRole = z
  .string()
  .min(1)
  .max(100)
  .regex(/^\P{Cc}+$/u, 'must be a role name without control characters');
const workingDays = z.number().int('must be a whole number of working days').min(0).max(60);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM');

/** The anchors a clock can run from. 'sin-sent' is the Serious Incident Notification to the Panel. */
export const clockAnchors = ['sin-sent', 'referral', 'aware'] as const;
export type ClockAnchor = (typeof clockAnchors)[number];

/** What a milestone can run from: one of the anchors, or `clock`, the review's own clock anchor. */
export const milestoneAnchors = [...clockAnchors, 'clock'] as const;
export type MilestoneAnchor = (typeof milestoneAnchors)[number];

/** The anchor a milestone setting runs from, with `clock` resolved to the profile's clock anchor. */
export function resolveAnchor(
  profile: Pick<PartnershipProfile, 'clock'>,
  from: MilestoneAnchor,
): ClockAnchor {
  return from === 'clock' ? profile.clock.anchor : from;
}

/**
 * Why the profile's clocks cannot fit together, one message per broken rule naming the settings; empty
 * when they fit. Every clock must run from one anchor (the review's dates may come in any order, so
 * two anchors give no guarantee), the scoping returns must be due before the meeting window closes,
 * the window must close no later than the review is complete, and a meeting held on the window's
 * last day must leave the report due no later than the review is complete.
 */
export function clockFitIssues(profile: ClockSettings): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const clock = profile.clock.anchor;
  for (const [setting, from] of [
    ['scopingRequests', profile.scopingRequests.from],
    ['meetingWindow', profile.meetingWindow.from],
  ] as const) {
    const resolved = from === 'clock' ? clock : from;
    if (resolved !== clock) {
      issues.push({
        path: [setting, 'from'],
        message: `runs from '${from}' but clock.anchor is '${clock}': every milestone must follow the review's clock anchor (use 'clock'), or the clocks cannot fit together whatever order the dates come in`,
      });
    }
  }
  const { completionDays } = profile.clock;
  const { closeDay } = profile.meetingWindow;
  const { withinDays } = profile.scopingRequests;
  if (closeDay > completionDays) {
    issues.push({
      path: ['meetingWindow', 'closeDay'],
      message: `meetingWindow.closeDay (${closeDay}) must not be after clock.completionDays (${completionDays}): the window would close after the review is due to complete`,
    });
  }
  if (closeDay + profile.panel.reportDays > completionDays) {
    issues.push({
      path: ['panel', 'reportDays'],
      message: `meetingWindow.closeDay (${closeDay}) + panel.reportDays (${profile.panel.reportDays}) must not be after clock.completionDays (${completionDays}): a meeting on the window's last day would leave the report due after the review is due to complete`,
    });
  }
  if (withinDays + profile.scopingReturns.withinDays >= closeDay) {
    issues.push({
      path: ['scopingReturns', 'withinDays'],
      message: `scopingRequests.withinDays (${withinDays}) + scopingReturns.withinDays (${profile.scopingReturns.withinDays}) must be before meetingWindow.closeDay (${closeDay}): the returns would be due after the meeting window closes`,
    });
  }
  return issues;
}

/**
 * Why a scoping-return timescale agreed for one review cannot be used, or null: returns requested on
 * the profile's last day for sending them must be due before the meeting window closes.
 */
export function agreedReturnDaysIssue(profile: ClockSettings, days: number): string | null {
  const latest = profile.meetingWindow.closeDay - profile.scopingRequests.withinDays - 1;
  if (profile.scopingRequests.withinDays + days < profile.meetingWindow.closeDay) return null;
  return `Must end before the meeting window closes (working day ${profile.meetingWindow.closeDay}; requests go out by working day ${profile.scopingRequests.withinDays}): at most ${latest} working days`;
}

export const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'),
    name: z.string().min(1),
    businessUnit: z.object({
      name: z.string().min(1),
    }),
    reviewGroupName: z.string().min(1),
    calendar: z.object({
      region: z.enum(['ENG', 'WLS']),
      closureDays: z.array(civilDate),
    }),
    clock: z.object({
      /** Which anchor the 15 working days run from. */
      anchor: z.enum(clockAnchors),
      /** How the partnership's own guidance names that anchor, for status views. */
      anchorLabel: z.string().min(1),
      completionDays: workingDays,
    }),
    /** The local authority notifies the Panel within this many working days of becoming aware. */
    sinDueDays: workingDays,
    scopingRequests: z.object({
      /** The anchor the requests run from; `clock` follows the review's clock anchor. */
      from: z.enum(milestoneAnchors),
      /** Working days within which the requests go out; the latest day is the deadline. */
      /** Gloucestershire's "within 2 to 3 working days" is a deadline of 3; nothing forbids sending sooner. */
      withinDays: workingDays,
      /** What the partnership calls the request, as the card's heading shows it (North Yorkshire: "Form 2"). */
      formName: z.string().min(1).max(60).default('Scoping request'),
    }),
    /** Staffordshire: agencies search "the agreed time frame / scoping period" of each review. */
    scopingPeriod: z.object({ agreedPerReview: z.boolean() }).default({ agreedPerReview: false }),
    scopingReturns: z.object({
      withinDays: workingDays,
      /** True where the business unit agrees the timescale with each review ("agreed timescale"). */
      agreedPerReview: z.boolean(),
    }),
    meetingWindow: z
      .object({
        from: z.enum(milestoneAnchors),
        openDay: workingDays,
        closeDay: workingDays,
      })
      .refine((w) => w.openDay <= w.closeDay, 'openDay must not be after closeDay'),
    meeting: z.object({
      lengthMinutes: z.number().int().min(30).max(480),
      workingHours: z.object({ start: clockTime, end: clockTime }),
      /** A partner present for less than this is flagged in the attendance reconciliation. */
      minimumAttendanceMinutes: z.number().int().min(0),
    }),
    panel: z.object({
      reportDays: workingDays,
      responseDays: workingDays,
      /** The National Panel's own expectation, counted from the SIN being sent, whatever the clock. */
      deadlineDays: workingDays.default(15),
    }),
    postReviewMeetingDays: workingDays.nullable(),
    /**
     * True where the review group agrees the key lines of enquiry and which agencies to ask before any
     * scoping request goes out (North Yorkshire's Initial Case Discussion): see initialCaseDiscussion.ts.
     */
    initialCaseDiscussion: z.boolean(),
    statutoryPartners: z
      .array(
        z.object({
          kind: z.enum(agencyKinds),
          label: z.string().min(1),
        }),
      )
      .min(1),
    quorum: z.object({
      /** At least this many representatives of each statutory partner must be present. */
      minimumPerPartner: z.number().int().min(1),
    }),
    endorsement: z.object({
      /** Who endorses the outcome, as the partnership writes it (the report names them so). */
      by: z.string().min(1),
      /**
       * True where the partnership's procedure has the outcome endorsed before the report goes to the
       * National Panel (North Yorkshire: sent "on agreement by the Executive Leads"; WSCP: the
       * endorsement date "should be included on the form"): `report sent` is refused until then.
       */
      requiredBeforeSending: z.boolean().default(false),
    }),
    /**
     * Who is told of the review's start, its outcome (once the statutory partners signed it off) and
     * the National Panel's response, by role; where each role's notice goes is the deployment's
     * setting (NOTICE_CHANNELS), the business unit's channel otherwise.
     */
    notices: z
      .object({
        start: z.array(noticeRole).default([]),
        outcome: z.array(noticeRole).default([]),
        panelResponse: z.array(noticeRole).default([]),
      })
      .strict()
      .default({ start: [], outcome: [], panelResponse: [] }),
    channel: z.object({
      /** A standard channel is readable by the whole team, so it is never allowed for a review. */
      membershipType: z.enum(['private', 'shared']),
    }),
    alerts: z.object({
      /** Hour of day (Europe/London) at which countdown alerts go out. */
      hour: z.number().int().min(0).max(23),
    }),
    retention: z.object({
      years: z.number().int().min(1).nullable(),
      note: z.string(),
    }),
    sources: z.array(z.string()),
  })
  .strict()
  .superRefine((profile, ctx) => {
    for (const issue of clockFitIssues(profile)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });

export type PartnershipProfile = z.infer<typeof profileSchema>;
/** The settings the clock-fit rules read. */
export type ClockSettings = Pick<
  PartnershipProfile,
  'clock' | 'scopingRequests' | 'scopingReturns' | 'meetingWindow' | 'panel'
>;

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars in the child replace the parent's. */
function mergeProfile(parent: JsonObject, child: JsonObject): JsonObject {
  const merged: JsonObject = { ...parent };
  for (const [key, value] of Object.entries(child)) {
    const base = merged[key];
    merged[key] = isObject(base) && isObject(value) ? mergeProfile(base, value) : value;
  }
  return merged;
}

function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${file}: ${field}: ${issue.message}`;
}

/** The shipped profiles; from dist/review the JSON files are still read from the source folder. */
export const builtInProfilesDir = [
  path.join(__dirname, 'profiles'),
  path.join(__dirname, '..', '..', 'review', 'profiles'),
].find((dir) => fs.existsSync(dir)) as string;

interface RawProfile {
  file: string;
  data: JsonObject;
}

function readProfileFiles(dirs: string[]): Map<string, RawProfile> {
  const raw = new Map<string, RawProfile>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) throw new ProfileError(`profiles folder ${dir} does not exist`);
    for (const name of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const file = path.join(dir, name);
      let data: unknown;
      try {
        data = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new ProfileError(`${file}: not valid JSON (${(error as Error).message})`);
      }
      if (!isObject(data)) throw new ProfileError(`${file}: (root): must be a JSON object`);
      const id = typeof data.id === 'string' ? data.id : name.replace(/\.json$/, '');
      if (`${id}.json` !== name)
        throw new ProfileError(`${file}: id: must match the file name (got '${id}')`);
      // A partnership's own folder may replace a built-in profile of the same id.
      raw.set(id, { file, data });
    }
  }
  return raw;
}

function resolveProfile(id: string, raw: Map<string, RawProfile>, seen: string[] = []): JsonObject {
  const entry = raw.get(id);
  if (!entry) throw new ProfileError(`profile '${id}' does not exist`);
  if (seen.includes(id))
    throw new ProfileError(`${entry.file}: extends: forms a cycle (${[...seen, id].join(' → ')})`);
  const { extends: parentId, ...own } = entry.data;
  if (parentId === undefined) return own;
  if (typeof parentId !== 'string' || !raw.has(parentId)) {
    throw new ProfileError(
      `${entry.file}: extends: must name an existing profile (got '${String(parentId)}')`,
    );
  }
  return mergeProfile(resolveProfile(parentId, raw, [...seen, id]), own);
}

/** Loads and validates every profile; the first invalid one stops loading with a clear message. */
export function loadProfiles(extraDirs: string[] = []): Map<string, PartnershipProfile> {
  const raw = readProfileFiles([builtInProfilesDir, ...extraDirs]);
  const profiles = new Map<string, PartnershipProfile>();
  for (const [id, entry] of raw) {
    const parsed = profileSchema.safeParse(resolveProfile(id, raw));
    if (!parsed.success) throw new ProfileError(describeIssue(entry.file, parsed.error.issues[0]));
    profiles.set(id, parsed.data);
  }
  return profiles;
}

export class ProfileRegistry {
  private readonly profiles: Map<string, PartnershipProfile>;

  constructor(extraDirs: string[] = []) {
    this.profiles = loadProfiles(extraDirs);
  }

  get(id: string): PartnershipProfile {
    const profile = this.profiles.get(id);
    if (!profile) {
      throw new ProfileError(`profile: '${id}' is not a known profile (known: ${this.ids().join(', ')})`);
    }
    return profile;
  }

  has(id: string): boolean {
    return this.profiles.has(id);
  }

  ids(): string[] {
    return [...this.profiles.keys()].sort();
  }

  all(): PartnershipProfile[] {
    return this.ids().map((id) => this.get(id));
  }
}
