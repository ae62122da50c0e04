/**
 * The route table is the one list of what works where: help and the Teams command menu are generated
 * from it, so each listed command must be accepted in its place, and each accepted one listed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpPlaces } from '../../cards/conversationCards';
import {
  cardRoutes,
  helpCommandsIn,
  manifestCommandLists,
  manifestScopes,
  matchRoute,
  menuLimit,
  normaliseCommand,
  textRoutes,
  type PlaceKind,
} from './routes';

const allPlaces: PlaceKind[] = [
  'personal',
  'business-unit-channel',
  'review-channel',
  'meeting-chat',
  'other-channel',
  'group-chat',
];

describe('the route table', () => {
  it('accepts every example of every route in each of its places, and that route answers it', () => {
    for (const route of textRoutes) {
      expect(route.examples.length).toBeGreaterThan(0);
      for (const place of route.places) {
        for (const example of route.examples) {
          expect([place, example, matchRoute(place, normaliseCommand(example))?.route]).toEqual([
            place,
            example,
            route,
          ]);
        }
      }
    }
  });

  it('lists in each place’s help exactly the commands accepted there', () => {
    for (const place of helpPlaces) {
      const listed = helpCommandsIn(place).map((c) => c.command);
      const accepted = new Set<string>(['help']);
      for (const route of textRoutes) {
        for (const example of route.examples) {
          const found = matchRoute(place, normaliseCommand(example));
          if (found) accepted.add(found.route.command);
        }
      }
      expect(new Set(listed)).toEqual(accepted);
    }
  });

  it('lists in the review channel the commands its help used to omit, and status in the meeting chat', () => {
    const review = helpCommandsIn('review-channel').map((c) => c.command.split(' ')[0]);
    for (const command of ['attendance', 'cancel', 'reschedule', 'endorsed', 'panel', 'report', 'quorum'])
      expect(review).toContain(command);
    const meeting = helpCommandsIn('meeting-chat').map((c) => c.command);
    expect(meeting).toEqual([
      'status',
      'quorum',
      'outcome',
      expect.stringContaining('what is due this week?'),
      'help',
    ]);
    expect(matchRoute('meeting-chat', 'status')?.route.places).toContain('meeting-chat');
  });

  it('accepts nothing in a channel or chat the bot does not know', () => {
    for (const route of textRoutes) {
      for (const example of route.examples) {
        expect(matchRoute('other-channel', normaliseCommand(example))).toBeUndefined();
        expect(matchRoute('group-chat', normaliseCommand(example))).toBeUndefined();
      }
    }
  });

  it('routes each card verb once', () => {
    const verbs = cardRoutes.map((r) => r.verb);
    expect(new Set(verbs).size).toBe(verbs.length);
  });
});

describe('the Teams command menu', () => {
  const manifest = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'infra', 'teams', 'manifest.json'), 'utf8'),
  ) as { bots: { commandLists: unknown }[] };

  it('is the route table’s (regenerate with: npm run cli -- commands --write)', () => {
    expect(manifest.bots[0].commandLists).toEqual(manifestCommandLists());
  });

  it('has personal and team lists within Microsoft’s limits', () => {
    const lists = manifestCommandLists();
    expect(lists.map((l) => l.scopes[0])).toEqual(['personal', 'team', 'groupChat']);
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(menuLimit);
      for (const command of list.commands) expect(command.title.length).toBeLessThanOrEqual(32);
    }
  });

  it('offers only commands that the places of its scope accept, as Teams sends the title', () => {
    for (const list of manifestCommandLists()) {
      const places: readonly PlaceKind[] = manifestScopes[list.scopes[0] as keyof typeof manifestScopes];
      for (const { title } of list.commands) {
        const acceptedIn = places.filter(
          (place) => title === 'help' || matchRoute(place, normaliseCommand(title)) !== undefined,
        );
        expect([list.scopes[0], title, acceptedIn.length > 0]).toEqual([list.scopes[0], title, true]);
      }
    }
  });

  it('lists every menu-titled route of each place in its scope', () => {
    for (const [scope, places] of Object.entries(manifestScopes)) {
      const titles = manifestCommandLists()
        .find((l) => l.scopes[0] === scope)!
        .commands.map((c) => c.title);
      for (const place of places)
        for (const route of textRoutes)
          if (route.menu && route.places.includes(place)) expect(titles).toContain(route.menu);
    }
    expect(allPlaces).toHaveLength(6);
  });
});
