import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { formIds } from '../../src/messages/forms.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { expectPlainWords } from '../support/hostile.ts';
import { tempDir } from '../support/temp.ts';

// Every form of the playground, sent empty, with wrong choices and with unreadable times: each
// answer names the field as the form labels it and says what to do, in our words, never zod's.

let app: App;
let episodeId: string;
beforeAll(async () => {
  app = await startApp({
    env: parseEnv({ DATA_DIR: tempDir('plain-words-'), PORT: '0' }),
    clock: new FakeClock(new Date('2026-12-01T18:00:00Z')),
    logger: silentLogger,
    startTicking: false,
  });
  episodeId = (await post('command', { user: 'jo', text: '/missing AJ' })).episodeId!;
  await post('command', { user: 'jo', text: '/missing BT' });
});
afterAll(() => app?.stop());

async function post(path: string, body: Record<string, unknown>) {
  const res = await fetch(`${app.url}/api/web/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'oak-house', ...body }),
  });
  return (await res.json()) as { ok: boolean; error?: string; episodeId?: string };
}

describe('what the playground says about bad input', () => {
  it.each([...formIds])('answers the %s form sent empty or wrong in plain words', async (form) => {
    const cases: Record<string, unknown>[] = [
      {},
      { at: 'yesterday-ish', level: 'extreme', grade: 'extreme', classification: 'gone', status: 'maybe', what: 'x' },
    ];
    for (const values of cases) {
      const reply = await post('form', { user: 'jo', value: `${form}|${episodeId}|x`, values });
      if (reply.ok) continue; // some forms have nothing required (their fields are optional)
      expect(reply.error).toBeTruthy();
      expectPlainWords(reply.error!);
    }
  });

  it('names the field and says what to do, as the form labels it', async () => {
    const missing = await post('form', { user: 'jo', value: `police_report|${episodeId}|`, values: {} });
    expect(missing.error).toBe(
      'Some details don’t look right: Police risk grade: please choose one of the options. Nothing has been recorded yet; please check and try again.',
    );
    const wrong = await post('form', {
      user: 'jo',
      value: `police_report|${episodeId}|`,
      values: { reference: 'R1', officer: 'PC 1', grade: 'extreme', reportedAt: 'soon' },
    });
    expect(wrong.error).toBe(
      'Some details don’t look right: Police risk grade: please choose one of the options; Time of the call: this is not a time I can read. Nothing has been recorded yet; please check and try again.',
    );
  });

  it('shows a thread only to the page of its own home', async () => {
    const mine = await fetch(`${app.url}/api/web/thread/${episodeId}?channel=oak-house`);
    expect(mine.status).toBe(200);
    const other = await fetch(`${app.url}/api/web/thread/${episodeId}?channel=elm-house`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: string }).error).toMatch(/^I can’t find that episode\./);
  });

  it('answers a body too large to take with a reason, not a reset connection', async () => {
    const res = await fetch(`${app.url}/api/web/message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'jo', channel: 'oak-house', episodeId, text: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^That is too large to send in one go, so nothing has been recorded\./);
  });
});
