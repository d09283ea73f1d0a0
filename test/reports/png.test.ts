import { describe, expect, it } from 'vitest';
import { weekdayHourChart } from '../../src/reports/chart.ts';
import { encodePng } from '../../src/reports/png.ts';
import { decodePng } from '../support/png.ts';

describe('the PNG encoder', () => {
  it('writes a valid PNG: signature, IHDR with the size, CRCs, and rows that inflate back to the pixels', () => {
    const pixels = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    const png = decodePng(encodePng(2, 2, pixels));
    expect(png).toMatchObject({ chunks: ['IHDR', 'IDAT', 'IEND'], width: 2, height: 2, bitDepth: 8, colourType: 2 });
    expect([...png.raw]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  });

  it('draws the weekday × hour chart, darkest where most episodes began', () => {
    const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    grid[4]![19] = 4; // Friday 19:00
    grid[1]![9] = 1; // Tuesday 09:00
    const png = decodePng(weekdayHourChart(grid, 1));
    expect([png.width, png.height]).toEqual([30 + 22 * 24 + 12, 8 + 20 * 7 + 34]);
    const pixel = (x: number, y: number) => [...png.raw.subarray(y * (png.width * 3 + 1) + 1 + x * 3).subarray(0, 3)];
    // Top-left corner of each cell (inside its border, away from the count written in the middle).
    const cell = (day: number, hour: number) => pixel(30 + hour * 22 + 2, 8 + day * 20 + 2);
    expect(cell(4, 19)).toEqual([30, 58, 138]);
    expect(cell(1, 9)).toEqual([219, 234, 254]);
    expect(cell(0, 0)).toEqual([255, 255, 255]);
  });
});
