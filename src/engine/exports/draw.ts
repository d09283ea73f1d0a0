import { drawRecord } from './export-record.ts';
import { drawPatterns } from './patterns-report.ts';
import { drawPolicePack } from './police-pack.ts';
import { drawReturns } from './returns-csv.ts';
import type { DrawJob, Drawn } from './draw-job.ts';

export type { DrawJob, Drawer, Drawn } from './draw-job.ts';

/** Draws an export's files, wherever it runs (the worker thread, or the caller's when there is none). */
export function drawJob(job: DrawJob): Promise<Drawn> {
  switch (job.kind) {
    case 'record':
      return drawRecord(job.input);
    case 'police_pack':
      return drawPolicePack(job.input);
    case 'patterns':
      return drawPatterns(job);
    case 'returns':
      return drawReturns(job);
  }
}
