/**
 * Draws the Teams app icons: a shield (safeguarding) holding a clock face whose hands stand at the
 * statutory deadline. Drawn in code rather than in an image editor so the committed PNGs can be
 * regenerated and checked byte-for-byte against this file (infra/teams/manifest.test.ts does).
 *
 *   node bin/ensure-build.js && node dist/infra/teams/drawIcons.js
 *
 * Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on transparent.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { teamsFolder } from './layout';

type Rgb = readonly [number, number, number];

export const ACCENT: Rgb = [0x1f, 0x5f, 0x7a];
const WHITE: Rgb = [255, 255, 255];

/** A shape is a test of a point in unit coordinates (0..1 across, 0..1 down). */
type Shape = (x: number, y: number) => boolean;

const SHIELD_TOP = 0.13;
const SHIELD_SHOULDER = 0.5;
const SHIELD_TIP = 0.9;
const SHIELD_HALF_WIDTH = 0.33;

/** Straight sides down to the shoulder, then a curve that closes to a point at the tip. */
function shield(inset: number): Shape {
  return (x, y) => {
    const top = SHIELD_TOP + inset;
    const tip = SHIELD_TIP - inset * 1.6;
    if (y < top || y > tip) return false;
    const half = SHIELD_HALF_WIDTH - inset;
    const t = y <= SHIELD_SHOULDER ? 0 : (y - SHIELD_SHOULDER) / (tip - SHIELD_SHOULDER);
    return Math.abs(x - 0.5) <= half * (1 - t * t);
  };
}

const CLOCK_X = 0.5;
const CLOCK_Y = 0.46;

/** Math.hypot is exact but several times slower; the icons call this millions of times. */
function distance(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy);
}

function ring(radius: number, thickness: number): Shape {
  return (x, y) => Math.abs(distance(x - CLOCK_X, y - CLOCK_Y) - radius) <= thickness / 2;
}

function disc(radius: number): Shape {
  return (x, y) => distance(x - CLOCK_X, y - CLOCK_Y) <= radius;
}

/** A clock hand from the centre, `angle` in degrees clockwise from twelve o'clock, with round ends. */
function hand(angle: number, length: number, thickness: number): Shape {
  const radians = (angle * Math.PI) / 180;
  const ex = CLOCK_X + Math.sin(radians) * length;
  const ey = CLOCK_Y - Math.cos(radians) * length;
  return (x, y) => {
    const dx = ex - CLOCK_X;
    const dy = ey - CLOCK_Y;
    const along = Math.max(0, Math.min(1, ((x - CLOCK_X) * dx + (y - CLOCK_Y) * dy) / (dx * dx + dy * dy)));
    return distance(x - (CLOCK_X + along * dx), y - (CLOCK_Y + along * dy)) <= thickness / 2;
  };
}

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));
const minus =
  (shape: Shape, hole: Shape): Shape =>
  (x, y) =>
    shape(x, y) && !hole(x, y);

/** Fraction of the pixel covered by the shape, from a grid of samples (anti-aliasing). */
function coverage(shape: Shape, px: number, py: number, size: number, samples = 5): number {
  let inside = 0;
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      if (shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) inside++;
    }
  }
  return inside / (samples * samples);
}

function blank(size: number): PNG {
  return new PNG({ width: size, height: size, colorType: 6 });
}

/** 192x192: white shield on the accent colour, the clock drawn in the accent colour on the shield. */
export function drawColorIcon(size = 192): PNG {
  const png = blank(size);
  const layers: { shape: Shape; colour: Rgb }[] = [
    { shape: shield(0), colour: WHITE },
    {
      shape: union(ring(0.19, 0.045), hand(0, 0.14, 0.045), hand(75, 0.11, 0.045), disc(0.03)),
      colour: ACCENT,
    },
  ];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let colour: number[] = [...ACCENT];
      for (const layer of layers) {
        const a = coverage(layer.shape, px, py, size);
        colour = colour.map((c, i) => c * (1 - a) + layer.colour[i] * a);
      }
      const at = (py * size + px) * 4;
      png.data[at] = Math.round(colour[0]);
      png.data[at + 1] = Math.round(colour[1]);
      png.data[at + 2] = Math.round(colour[2]);
      png.data[at + 3] = 255;
    }
  }
  return png;
}

/** 32x32: the shield's outline and the clock hands, white, on transparency (Teams tints it). */
export function drawOutlineIcon(size = 32): PNG {
  const png = blank(size);
  const stroke = 2.2 / size;
  const mark = union(
    minus(shield(0), shield(stroke)),
    hand(0, 0.17, stroke * 1.1),
    hand(75, 0.13, stroke * 1.1),
    disc(stroke * 0.9),
  );
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const at = (py * size + px) * 4;
      const alpha = Math.round(coverage(mark, px, py, size) * 255);
      // Fully transparent pixels are written as 0,0,0,0 so the file holds only white or nothing.
      const value = alpha === 0 ? 0 : 255;
      png.data[at] = value;
      png.data[at + 1] = value;
      png.data[at + 2] = value;
      png.data[at + 3] = alpha;
    }
  }
  return png;
}

export function encodePng(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6 });
}

export function writeIcons(folder = teamsFolder()): { color: string; outline: string } {
  const color = join(folder, 'color.png');
  const outline = join(folder, 'outline.png');
  writeFileSync(color, encodePng(drawColorIcon()));
  writeFileSync(outline, encodePng(drawOutlineIcon()));
  return { color, outline };
}

if (require.main === module) {
  const written = writeIcons();
  process.stdout.write(`Wrote ${written.color} and ${written.outline}\n`);
}
