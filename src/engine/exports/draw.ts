import type { PolicePackInput } from '../../reports/police-pack.ts';
import type { RecordInput } from '../../reports/record-document.ts';
import { drawRecord } from './export-record.ts';
import { drawPatterns, type PatternsJob } from './patterns-report.ts';
import { drawPolicePack } from './police-pack.ts';
import { drawReturns, type ReturnsJob } from './returns-csv.ts';
import type { Drawn } from './rules.ts';

/**
 * What an export draws, as plain data (dates, maps, no functions), so that it can be handed to a
 * worker thread: a long record's PDF takes seconds of CPU, and drawn on the main thread it would
 * hold up every acknowledgement Slack and Teams are waiting for meanwhile.
 */
export type DrawJob =
  | { kind: 'record'; input: RecordInput }
  | { kind: 'police_pack'; input: PolicePackInput }
  | ({ kind: 'patterns' } & PatternsJob)
  | ({ kind: 'returns' } & ReturnsJob);

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

/** Who draws: a worker thread in the running bot (see src/workers), the caller itself otherwise. */
export type Drawer = (job: DrawJob) => Promise<Drawn>;
