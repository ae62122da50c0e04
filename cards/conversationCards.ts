/**
 * Small cards for the conversation itself: help (which commands work where), a refusal, and an alert
 * with @mentions. Alerts go to places wider than the review channel's need-to-know (a reminder in a
 * chat, a mention in the business unit's channel), so they take only a reference and a pseudonym.
 */
import type { Person, Review } from '../review/model';
import { bindTemplate, type AdaptiveCard } from './cardTemplate';
import alertTemplate from './templates/alert.json';
import helpTemplate from './templates/help.json';
import refusalTemplate from './templates/refusal.json';

export const helpPlaces = ['personal', 'business-unit-channel', 'review-channel', 'meeting-chat'] as const;
export type HelpPlace = (typeof helpPlaces)[number];

export interface HelpCommand {
  command: string;
  summary: string;
  /** Who may use it, when not everyone there may. */
  who: string;
}

const status: HelpCommand = {
  command: 'status RR-2026-003',
  summary: "One review's timeline, scoping returns and what is next.",
  who: '',
};
const help: HelpCommand = { command: 'help', summary: 'This list.', who: '' };

/** The commands each place accepts; bot/ answers anything else with this card. */
export const helpCommands: Record<HelpPlace, HelpCommand[]> = {
  personal: [
    {
      command: 'open',
      summary: 'Open a new Rapid Review: a form for the dates, the child and family, and the agencies.',
      who: 'business unit',
    },
    status,
    { command: 'portfolio', summary: 'Every open review with its RAG status.', who: 'business unit' },
    help,
  ],
  'business-unit-channel': [
    {
      command: 'open',
      summary: 'Open a new Rapid Review (this channel must hold only the business unit).',
      who: 'business unit',
    },
    status,
    { command: 'portfolio', summary: 'Every open review with its RAG status.', who: 'business unit' },
    help,
  ],
  'review-channel': [
    { command: 'status', summary: "This review's timeline, scoping returns and what is next.", who: '' },
    {
      command: 'record sin|aware|referral YYYY-MM-DD',
      summary: 'Record an anchor date of the statutory clock.',
      who: 'business unit',
    },
    {
      command: 'record scoping-period FROM TO',
      summary: 'Record the period agencies search, where the partnership agrees one per review.',
      who: 'business unit',
    },
    {
      command: 'icd [on YYYY-MM-DD] ask AGENCIES; LINE OF ENQUIRY; …',
      summary:
        'Record the Initial Case Discussion (key lines of enquiry, agencies to ask), where the partnership holds one: the scoping requests then go out with them.',
      who: 'business unit',
    },
    {
      command: 'meeting',
      summary: 'Find a time in the meeting window when everyone invited is free, and propose it.',
      who: 'business unit',
    },
    { command: 'outcome', summary: "Record the review meeting's decision.", who: 'chair or business unit' },
    { command: 'sign-off', summary: 'Show the sign-off card for the statutory partners.', who: '' },
    {
      command: 'report summary|episodes|context TEXT',
      summary: 'Write a part of the report to the National Panel (it is rewritten with each part).',
      who: 'business unit',
    },
    {
      command: 'report sent [YYYY-MM-DD]',
      summary: 'Record that the report went to the National Panel: refused while a part is missing.',
      who: 'business unit',
    },
    {
      command: 'panel response agrees|more-information|national [YYYY-MM-DD]',
      summary: "Record the National Panel's answer and start the clock that follows.",
      who: 'business unit',
    },
    {
      command: 'post meeting held YYYY-MM-DD; Panel response; next steps; parental engagement',
      summary: 'Record the post Rapid Review meeting and its agenda, where the partnership holds one.',
      who: 'business unit',
    },
    {
      command: 'reconvene REASON',
      summary: 'Hold the review meeting again after one that decided nothing (shown as late if so).',
      who: 'business unit',
    },
    { command: 'close REASON', summary: 'Close the review, from any state.', who: 'business unit' },
    help,
  ],
  'meeting-chat': [
    {
      command: 'quorum',
      summary: 'Check who is present against the quorum rule; the chair confirms.',
      who: '',
    },
    { command: 'outcome', summary: "Record the meeting's decision.", who: 'chair' },
    { command: 'status', summary: "This review's timeline and what is next.", who: '' },
    help,
  ],
};

const placeNames: Record<HelpPlace, string> = {
  personal: 'in this chat',
  'business-unit-channel': "in the business unit's channel",
  'review-channel': "in this review's channel",
  'meeting-chat': 'in the meeting chat',
};

export function helpCard(place: HelpPlace): AdaptiveCard {
  return bindTemplate(helpTemplate, {
    title: `What you can ask ${placeNames[place]}`,
    intro:
      place === 'personal'
        ? 'Type a command.'
        : 'Mention the bot, then type a command, e.g. @Rapid Review Bot status.',
    commands: helpCommands[place].map((c) => ({
      heading: c.who === '' ? `**${c.command}**` : `**${c.command}** · ${c.who}`,
      summary: c.summary,
    })),
  });
}

export function refusalCard(message: string, title = 'Not done'): AdaptiveCard {
  return bindTemplate(refusalTemplate, { title, message });
}

export interface AlertCardInput {
  /** Only the reference and pseudonym are read: an alert never names the child. */
  review: Pick<Review, 'reference' | 'pseudonym'>;
  text: string;
  mentions: Person[];
  severity?: 'info' | 'warning' | 'overdue';
}

const severityColor = { info: 'Default', warning: 'Warning', overdue: 'Attention' } as const;

/**
 * Teams turns `<at>Name</at>` in the text into a mention when msteams.entities names the same text;
 * the id may be the AAD object id or the UPN (email). Someone with neither is named without a mention.
 */
export function alertCard(input: AlertCardInput): AdaptiveCard {
  const mentionable = input.mentions.filter((p) => p.aadObjectId || p.email);
  const unmentionable = input.mentions.filter((p) => !p.aadObjectId && !p.email);
  const names = [...mentionable.map((p) => `<at>${p.name}</at>`), ...unmentionable.map((p) => p.name)];
  const text = names.length > 0 ? `${input.text}\n\n${names.join(', ')}` : input.text;
  return bindTemplate(alertTemplate, {
    reference: input.review.reference,
    pseudonym: input.review.pseudonym,
    color: severityColor[input.severity ?? 'info'],
    text,
    plainText: input.text,
    msteams: {
      entities: mentionable.map((p) => ({
        type: 'mention',
        text: `<at>${p.name}</at>`,
        mentioned: { id: (p.aadObjectId ?? p.email) as string, name: p.name },
      })),
    },
  });
}
