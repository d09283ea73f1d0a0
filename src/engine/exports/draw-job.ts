import type { Card } from '../../messages/outbound.ts';
import type { PastEpisode } from '../../ports/exports.ts';
import type { ChildRecord, HomeRecord } from '../../ports/store.ts';
import type { PolicePackInput } from '../../reports/police-pack.ts';
import type { RecordInput } from '../../reports/record-document.ts';
import type { CollectionYear, ReturnsEpisode } from '../../reports/returns-csv.ts';

/** A file as an export makes it, before it is handed over. */
export interface MadeFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** An export's files, drawn, with the answer for the person who asked and what the record notes. */
export interface Drawn {
  files: MadeFile[];
  reply: Card;
  detail?: Record<string, unknown>;
}

/** A home's (or one child's) real episodes, with the children and their aliases. */
export interface History {
  children: ChildRecord[];
  aliases: Map<string, string>;
  episodes: PastEpisode[];
}

/** What the patterns report is drawn from. */
export interface PatternsJob {
  history: History;
  home: HomeRecord;
  child: ChildRecord | null;
  now: Date;
  /** Who asked, named in the PDF. */
  by: string;
}

/** What the returns are drawn from. */
export interface ReturnsJob {
  home: HomeRecord;
  year: CollectionYear;
  inYear: ReturnsEpisode[];
  inAnnex: ReturnsEpisode[];
  asOf: Date;
  asOfDate: string;
}

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

/** Who draws: a worker thread in the running bot (see src/workers), the caller itself otherwise. */
export type Drawer = (job: DrawJob) => Promise<Drawn>;
