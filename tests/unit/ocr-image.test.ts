import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { imageForOcr } from "@/server/documents/text/ocr-image";

// A page drawn from boxes: letters and digits as 10 x 18 px blocks, dots as 4 x 4 px, on one line whose foot is y = 118.
const WIDTH = 1000;
const HEIGHT = 300;
type Box = { x: number; y: number; w: number; h: number };
const glyph = (x: number): Box => ({ x, y: 100, w: 10, h: 18 });
const dot = (x: number, y = 114): Box => ({ x, y, w: 4, h: 4 });

async function page(boxes: Box[]) {
  const pixels = Buffer.alloc(WIDTH * HEIGHT, 240);
  for (const box of boxes) for (let y = box.y; y < box.y + box.h; y++) pixels.fill(20, y * WIDTH + box.x, y * WIDTH + box.x + box.w);
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } }).png().toBuffer();
}

/** Whether the prepared page has ink in the box. */
async function inkAt(prepared: Buffer, box: Box) {
  const { data, info } = await sharp(prepared).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  for (let y = box.y; y < box.y + box.h; y++) for (let x = box.x; x < box.x + box.w; x++) if (data[y * info.width + x] < 128) return true;
  return false;
}

describe("a page image made ready for OCR", () => {
  // "TSH ............ 3.56 : 8.0-11.0", a speck of dust below the line, and "i" with its dot.
  const name = [glyph(50), glyph(64), glyph(78)];
  const leader = Array.from({ length: 16 }, (_, i) => dot(110 + i * 12));
  // Its point within a leader's step of the last dot, but with the 3 between them.
  const value = [glyph(300), dot(313), glyph(320), glyph(334)];
  const colon = [dot(380, 103), dot(380, 114)];
  // "8.0-11.0": points 36 px apart with digits between, never a leader; the hyphen is a stroke, but short.
  const range = [glyph(400), dot(413), glyph(420), { x: 432, y: 108, w: 6, h: 3 }, glyph(440), glyph(454), dot(467), glyph(474)];
  // A short leader of underscores, too short for a rule: "Ratio ____ 21".
  const underscores = { x: 500, y: 116, w: 60, h: 3 };
  const speck = dot(700, 200);
  const letterI = [dot(803, 100), { x: 803, y: 106, w: 4, h: 12 }];

  it("whites out leaders and specks of dust, and keeps decimal points, hyphens, colons and the dots of letters", async () => {
    const prepared = await imageForOcr(await page([...name, ...leader, ...value, ...colon, ...range, underscores, speck, ...letterI]));
    for (const leaderDot of leader) expect(await inkAt(prepared, leaderDot)).toBe(false);
    expect(await inkAt(prepared, underscores)).toBe(false);
    expect(await inkAt(prepared, speck)).toBe(false);
    for (const kept of [...name, ...value, ...colon, ...range, ...letterI]) expect(await inkAt(prepared, kept)).toBe(true);
  });

  it("keeps three dots in a row: an ellipsis, not a leader", async () => {
    const ellipsis = [dot(110), dot(122), dot(134)];
    const prepared = await imageForOcr(await page([...name, ...ellipsis, ...value]));
    for (const kept of ellipsis) expect(await inkAt(prepared, kept)).toBe(true);
  });
});
