import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileHeldCommands } from '../../src/store/held-commands-file.ts';
import { tempDir } from '../support/temp.ts';

const command = (i: number) => ({
  id: `c${i}`,
  receivedAt: new Date(Date.UTC(2026, 11, 2, 7, 0, i)),
  command: { type: 'record_message', text: `message ${i}` },
});

describe('the inbox file', () => {
  it('keeps every command of a burst, in order, across a restart, and empties itself once all are released', async () => {
    const file = path.join(tempDir('inbox-file-'), 'held-commands.jsonl');
    const inbox = fileHeldCommands(file);
    // Fifty at once: each resolves only once its line is on disk (written together, one fsync).
    await Promise.all(Array.from({ length: 50 }, (_, i) => inbox.hold(command(i))));
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`));

    // A restart reads them back, oldest first; releases are forgotten with the commands.
    await Promise.all([inbox.release('c0'), inbox.release('c1')]);
    const reopened = fileHeldCommands(file);
    expect(reopened.list().map((c) => c.id)).toEqual(Array.from({ length: 48 }, (_, i) => `c${i + 2}`));
    expect(reopened.list()[0]).toEqual(command(2));

    // Released while others are still being kept: the file is emptied only when nothing is held.
    const late = reopened.hold(command(99));
    await Promise.all(reopened.list().map((c) => reopened.release(c.id)));
    await late;
    expect(reopened.list()).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });
});
