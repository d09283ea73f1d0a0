import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Route } from '../../src/ports/http.ts';
import { exportCommand, helpText, parseCommandText } from '../../src/engine/commands/command-text.ts';
import type { Result } from '../../src/engine/base/context.ts';
import type { Commands } from '../../src/engine/engine.ts';
import type { Queries } from '../../src/engine/queries.ts';
import { formCommand, openEpisodeCommand } from '../../src/engine/commands/form-commands.ts';
import { parseItemValue } from '../../src/messages/cards.ts';
import { DOWNLOAD_MINUTES } from '../../src/engine/exports/rules.ts';
import { exportTexts } from '../../src/messages/export-texts.ts';
import { formSpec, openEpisodeFormSpec } from '../../src/messages/form-specs.ts';
import { formValue, parseFormValue, type FormId, type FormSpec } from '../../src/messages/forms.ts';
import { localInputInstant } from '../../src/messages/form-times.ts';
import { ActionIds, type Card } from '../../src/messages/outbound.ts';
import { describeError } from '../../src/messages/texts.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { StoreUnavailable } from '../../src/ports/held-commands.ts';
import type { Timeline } from '../../src/ports/timeline.ts';
import { BodyTooLarge, readJson, sendJson } from './http.ts';

const pageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page');
const inPage = (file: string) => path.join(pageDir, file);
/** Vega's and Vega-Lite's browser builds, for the patterns view (from node_modules, as installed). */
const builtBeside = (pkg: string, file: string) =>
  path.join(path.dirname(createRequire(import.meta.url).resolve(pkg)), file);
const assets: Record<string, string> = {
  '/': inPage('index.html'),
  '/app.js': inPage('app.js'),
  '/app.css': inPage('app.css'),
  '/vendor/vega.min.js': builtBeside('vega', 'vega.min.js'),
  '/vendor/vega-lite.min.js': builtBeside('vega-lite', 'vega-lite.min.js'),
};
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const id = z.string().min(1).max(256);
/** One per submission (the page makes it): the same submission sent twice is recorded once. */
const requestId = z.string().min(8).max(64).optional();

const schemas = {
  command: z.object({
    user: id,
    requestId,
    channel: id,
    text: z.string().max(2_000),
    drillSpeed: z.number().int().min(1).max(3_600).optional(),
  }),
  message: z.object({ user: id, channel: id, episodeId: id, text: z.string(), requestId }),
  action: z.object({
    user: id,
    requestId,
    action: z.enum(Object.values(ActionIds) as [string, ...string[]]),
    value: z.string().max(1_000),
  }),
  form: z.object({
    user: id,
    requestId,
    channel: id,
    drillSpeed: z.number().int().min(1).max(3_600).optional(),
    value: z.string().max(1_000),
    values: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  }),
};

/** What the page gets back for anything it does: a card to show privately, or a form to open. */
type Reply = {
  ok: boolean;
  card?: Card;
  form?: Omit<FormSpec, 'id'> & { id: string; value: string };
  episodeId?: string;
  error?: string;
  /** One-time download links for files made for this person; only their page is given them. */
  files?: { name: string; url: string; expiresAt: string }[];
};

/** A trainer's drill: the episode is marked as a drill and its schedule runs this much faster. */
const drill = (speed: number | undefined) => (speed && speed > 1 ? { drill: true, drillSpeed: speed } : {});

const fromResult = (r: Result): Reply =>
  r.ok
    ? { ok: true, ...(r.reply ? { card: r.reply } : {}), ...(r.episodeId ? { episodeId: r.episodeId } : {}) }
    : { ok: false, error: describeError(r.error) };
/** An export's answer: its card with a line about the links, and the links themselves. */
function withFiles(r: Result): Reply {
  const reply = fromResult(r);
  if (!r.ok || !r.files?.length || !reply.card) return reply;
  const files = r.files.flatMap((f) =>
    f.link ? [{ name: f.name, url: f.link.url, expiresAt: f.link.expiresAt.toISOString() }] : [],
  );
  const note = { type: 'text' as const, text: exportTexts.linksBelow(DOWNLOAD_MINUTES) };
  return { ...reply, card: { ...reply.card, blocks: [...reply.card.blocks, note] }, files };
}
const say = (title: string, text: string): Reply => ({
  ok: true,
  card: { title, tone: 'info', blocks: [{ type: 'text', text }], fallback: text },
});

/**
 * The local playground: a page that behaves like a home's channel, driven by the same engine and
 * the same neutral cards as Slack and Teams. Bound to loopback by default; anyone who can reach
 * it can act as any demo member of staff, so it is for trying out and training, not production.
 */
export function webPlayground(deps: {
  engine: Commands;
  queries: Queries;
  timeline: Timeline;
  changes: EventEmitter;
  /** For a time typed without a date (today, in the home's zone). */
  clock: Clock;
}): Route {
  const { engine, queries, timeline, changes } = deps;
  /** A form as a person's home has it: its procedure's options, its time zone. */
  const formOf = async (user: string, id: FormId) => {
    const { timeZone, protocol } = await queries.formContextOf('web', user);
    return formSpec(id, protocol, timeZone);
  };
  const actor = (user: string) => ({ platform: 'web' as const, userId: user });
  /** Runs a command for a request of the page, carrying its request id so a repeat counts once. */
  const execute = (body: { requestId?: string | undefined }, command: Record<string, unknown> | null) =>
    engine.execute(command && body.requestId ? { ...command, eventId: `req:${body.requestId}` } : command);
  // After anything that changed the record, every open page refreshes (deliveries announce too).
  const done = (reply: Reply): Reply => {
    changes.emit('change');
    return reply;
  };

  async function command(body: z.infer<typeof schemas.command>): Promise<Reply> {
    const intent = parseCommandText(body.text.replace(/^\/?missing\b/i, ''));
    switch (intent.kind) {
      case 'help':
        return say('How to use /missing', helpText('/missing'));
      case 'unclear':
        return {
          ok: false,
          error: `${describeError({ code: 'not_understood', detail: { word: intent.word } })}\n${helpText('/missing')}`,
        };
      case 'handover': {
        const card = await queries.handoverSummary('web', { channelRef: body.channel });
        return card ? { ok: true, card } : { ok: false, error: describeError({ code: 'unknown_home' }) };
      }
      case 'list': {
        const card = await queries.listEpisodes('web', body.channel);
        return card ? { ok: true, card } : { ok: false, error: describeError({ code: 'unknown_home' }) };
      }
      case 'status':
        return fromResult(await queries.episodeStatus('web', body.channel, intent.child));
      case 'choose': {
        const view = await queries.homeView('web', body.channel);
        if (!view) return { ok: false, error: describeError({ code: 'unknown_home' }) };
        return { ok: true, form: { ...openEpisodeFormSpec(view.children, view.timeZone), value: 'open_episode' } };
      }
      case 'returned': {
        const status = await queries.episodeStatus('web', body.channel, intent.child);
        if (!status.ok) return fromResult(status);
        if (!status.episodeId)
          return { ok: false, error: describeError({ code: 'no_open_episode', detail: { child: intent.child } }) };
        return {
          ok: true,
          form: {
            ...(await formOf(body.user, 'return')),
            value: formValue('return', status.episodeId),
          },
        };
      }
      case 'export':
      case 'pack':
      case 'patterns':
      case 'returns':
        return done(withFiles(await execute(body, exportCommand(intent, actor(body.user), 'link'))));
      case 'open':
        return done(
          fromResult(
            await execute(body, {
              type: 'open_episode',
              actor: actor(body.user),
              channel: { platform: 'web', channelRef: body.channel },
              child: intent.child,
              ...drill(body.drillSpeed),
            }),
          ),
        );
    }
  }

  async function action(body: z.infer<typeof schemas.action>): Promise<Reply> {
    switch (body.action) {
      case ActionIds.tickItem: {
        const item = parseItemValue(body.value);
        if (!item) return { ok: false, error: describeError({ code: 'unknown_item' }) };
        return done(fromResult(await execute(body, { type: 'tick_item', actor: actor(body.user), ...item })));
      }
      case ActionIds.acceptHandover:
        return done(
          fromResult(await execute(body, { type: 'accept_handover', actor: actor(body.user), handoverId: body.value })),
        );
      case ActionIds.approve:
      case ActionIds.decline:
        return done(
          fromResult(
            await execute(body, {
              type: 'decide_approval',
              actor: actor(body.user),
              approvalId: body.value,
              decision: body.action === ActionIds.approve ? 'approve' : 'decline',
            }),
          ),
        );
      case ActionIds.openForm:
      case ActionIds.notApplicable: {
        const form = parseFormValue(body.value);
        if (!form) return { ok: false, error: describeError({ code: 'unknown_form' }) };
        return {
          ok: true,
          form: { ...(await formOf(body.user, form.form)), value: body.value },
        };
      }
      default:
        return { ok: false, error: describeError({ code: 'unknown_action' }) };
    }
  }

  async function form(body: z.infer<typeof schemas.form>): Promise<Reply> {
    const { timeZone, protocol } = await queries.formContextOf('web', body.user);
    if (body.value === 'open_episode')
      return done(
        fromResult(
          await execute(body, {
            ...openEpisodeCommand(
              inHomeZone(openEpisodeFormSpec([], timeZone), body.values, timeZone),
              actor(body.user),
              {
                platform: 'web',
                channelRef: body.channel,
              },
            ),
            ...drill(body.drillSpeed),
          }),
        ),
      );
    const parsed = parseFormValue(body.value);
    if (!parsed) return { ok: false, error: describeError({ code: 'unknown_form' }) };
    const values = inHomeZone(formSpec(parsed.form, protocol, timeZone), body.values, timeZone);
    return done(
      fromResult(
        await execute(body, formCommand(parsed.form, parsed.episodeId, parsed.extra, values, actor(body.user))),
      ),
    );
  }

  /** The page sends times as typed (wall-clock, no zone): they mean the home's zone, which the form names. */
  function inHomeZone(spec: Pick<FormSpec, 'fields'>, values: Record<string, string | string[]>, timeZone: string) {
    const out = { ...values };
    for (const f of spec.fields)
      if (f.kind === 'datetime' && typeof out[f.name] === 'string')
        out[f.name] = localInputInstant(out[f.name] as string, timeZone, deps.clock.now());
    return out;
  }

  /**
   * Thread refs of the episodes pages have been shown, so a message written in one can still be
   * taken (and held) while the database is away.
   */
  const known = new Map<string, { threadRef: string | null }>();
  async function homeView(channel: string) {
    const view = await queries.homeView('web', channel);
    for (const e of view?.episodes ?? []) if (e.threadRef) known.set(`${channel}|${e.id}`, { threadRef: e.threadRef });
    return view;
  }
  async function threadOf(
    channel: string,
    episodeId: string,
  ): Promise<{ threadRef: string | null } | 'unreachable' | null> {
    try {
      return (await homeView(channel))?.episodes.find((e) => e.id === episodeId) ?? null;
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      // The database is not answering: the engine holds the message ("recording delayed"), if
      // this bot has shown the episode's thread since it started.
      return known.get(`${channel}|${episodeId}`) ?? 'unreachable';
    }
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /api/web/view') {
      const channels = await queries.channels('web');
      const channel = url.searchParams.get('channel') || channels[0]?.channelRef || '';
      const view = await homeView(channel);
      if (!view) return (sendJson(res, 404, { ok: false, error: describeError({ code: 'unknown_home' }) }), true);
      const user = url.searchParams.get('user');
      const direct = user ? await timeline.directMessages('web', user) : [];
      return (sendJson(res, 200, { ok: true, channel, channels, view, direct }), true);
    }
    const threadMatch = /^GET \/api\/web\/thread\/([^/]+)$/.exec(route);
    if (threadMatch) {
      // Only a thread of the home whose channel the page shows (the first home's by default).
      const channel = url.searchParams.get('channel') || (await queries.channels('web'))[0]?.channelRef || '';
      const items = await timeline.thread(decodeURIComponent(threadMatch[1]!), 'web', channel);
      return (
        items
          ? sendJson(res, 200, { ok: true, items })
          : sendJson(res, 404, { ok: false, error: describeError({ code: 'unknown_episode' }) }),
        true
      );
    }
    if (route === 'GET /api/web/events') return (events(req, res), true);
    if (route === 'GET /api/web/patterns') {
      // The patterns charts' specification, drawn by Vega in the page; only for those who may see it.
      const user = url.searchParams.get('user') ?? '';
      const child = url.searchParams.get('child') || undefined;
      const chart = await queries.patternsChart('web', user, child);
      return (sendJson(res, 200, chart.ok ? chart : { ok: false, error: describeError(chart.error) }), true);
    }

    const handlers: Record<string, (body: unknown) => Promise<Reply>> = {
      'POST /api/web/command': (b) => command(schemas.command.parse(b)),
      'POST /api/web/action': (b) => action(schemas.action.parse(b)),
      'POST /api/web/form': (b) => form(schemas.form.parse(b)),
      'POST /api/web/message': async (b) => {
        const body = schemas.message.parse(b);
        const episode = await threadOf(body.channel, body.episodeId);
        if (episode === 'unreachable') return { ok: false, error: describeError({ code: 'store_unavailable' }) };
        if (!episode) return { ok: false, error: describeError({ code: 'unknown_episode' }) };
        if (!episode.threadRef) return { ok: false, error: describeError({ code: 'thread_not_ready' }) };
        return done(
          fromResult(
            await execute(body, {
              type: 'record_message',
              actor: actor(body.user),
              thread: { platform: 'web', threadRef: episode.threadRef },
              messageId: body.requestId ?? randomUUID(),
              text: body.text,
            }),
          ),
        );
      },
    };
    const handler = handlers[route];
    if (!handler) return false;
    try {
      sendJson(res, 200, await handler(await readJson(req)));
    } catch (error) {
      if (error instanceof BodyTooLarge) sendJson(res, 413, { ok: false, error: describeError({ code: 'too_large' }) });
      else if (error instanceof z.ZodError || error instanceof SyntaxError)
        sendJson(res, 400, { ok: false, error: describeError({ code: 'unreadable_request' }) });
      else throw error;
    }
    return true;
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    const send = () => res.write('event: change\ndata: {}\n\n');
    changes.on('change', send);
    req.on('close', () => changes.off('change', send));
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && assets[url.pathname]) {
      const file = assets[url.pathname]!;
      res
        .writeHead(200, { 'content-type': types[path.extname(file)]!, 'cache-control': 'no-store' })
        .end(await fs.promises.readFile(file));
      return true;
    }
    if (url.pathname.startsWith('/api/web/')) return api(req, res, url);
    return false;
  };
}
