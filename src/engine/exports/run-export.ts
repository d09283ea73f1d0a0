import { ok, type EngineDeps, type Result } from '../base/context.ts';
import { drawJob, type Drawer } from './draw.ts';
import { prepareRecord } from './export-record.ts';
import { handOver, type ExportCommand, type Prepare, type Prepared } from './rules.ts';
import { preparePatterns } from './patterns-report.ts';
import { preparePolicePack } from './police-pack.ts';
import { prepareReturns } from './returns-csv.ts';

function prepareOf(cmd: ExportCommand): Prepare {
  switch (cmd.type) {
    case 'export_record':
      return prepareRecord(cmd);
    case 'police_pack':
      return preparePolicePack(cmd);
    case 'patterns':
      return preparePatterns(cmd);
    case 'returns_csv':
      return prepareReturns(cmd);
  }
}

/**
 * Runs an export in three steps, so no transaction is held while a long record is drawn (an
 * episode of 10,000 entries takes seconds): read and check in one transaction, draw the files
 * outside any — on a worker thread when the bot has one, so the event loop stays free — then log
 * and hand them over in a second one.
 */
export async function runExport(deps: EngineDeps & { drawer?: Drawer }, cmd: ExportCommand): Promise<Result> {
  const prepared = await deps.store.transaction(async (tx): Promise<Prepared | Result> => {
    if (cmd.eventId && !(await tx.events.markProcessed(`${cmd.actor.platform}:${cmd.eventId}`, deps.clock.now())))
      return { ok: true, duplicate: true };
    return prepareOf(cmd)(tx, deps);
  });
  if ('ok' in prepared) return prepared;
  const drawn = await (deps.drawer ?? drawJob)(prepared.job);
  const files = await deps.store.transaction((tx) =>
    handOver(tx, deps, { ...prepared, files: drawn.files, delivery: cmd.delivery, detail: drawn.detail ?? {} }),
  );
  return ok({ ...(prepared.episodeId ? { episodeId: prepared.episodeId } : {}), reply: drawn.reply, files });
}
