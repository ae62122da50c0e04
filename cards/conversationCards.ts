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

const placeNames: Record<HelpPlace, string> = {
  personal: 'in this chat',
  'business-unit-channel': "in the business unit's channel",
  'review-channel': "in this review's channel",
  'meeting-chat': 'in the meeting chat',
};

/** The commands come from the bot's route table (bot/flows/routes.ts), so help lists what works. */
export function helpCard(place: HelpPlace, commands: readonly HelpCommand[]): AdaptiveCard {
  return bindTemplate(helpTemplate, {
    title: `What you can ask ${placeNames[place]}`,
    intro:
      place === 'personal'
        ? 'Type a command.'
        : 'Mention the bot, then type a command, e.g. @Rapid Review Bot status.',
    commands: commands.map((c) => ({
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
