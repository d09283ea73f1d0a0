import type { Episode } from '../domain/episode.ts';
import type { RiskLevel } from '../protocol/schema.ts';
import type { ApprovalRecord } from '../domain/approval.ts';

/** An episode as history sees it (closed ones too), with the details recorded at its return. */
export interface PastEpisode extends Episode {
  returnDetails: Record<string, unknown> | null;
}
export interface RiskChangeRecord {
  level: RiskLevel;
  factors: string[];
  source: 'internal' | 'police';
  at: Date;
  byStaffId: string;
  reason: string;
}
export interface NotificationRecord {
  party: string;
  decision: 'notified' | 'not_required';
  method: string | null;
  response: string | null;
  reason: string | null;
  at: Date;
  byStaffId: string;
}
export interface ContactAttemptRecord {
  method: string;
  outcome: string;
  at: Date;
  byStaffId: string;
}
/** One request to take data out of the bot, allowed or refused. */
export interface ExportLogEntry {
  homeId: string;
  episodeId: string | null;
  childId: string | null;
  staffId: string;
  kind: string;
  outcome: 'delivered' | 'refused';
  at: Date;
  detail: Record<string, unknown>;
}
/** A file kept for one download through a link; only the token's hash is stored. */
export interface ExportFileRecord {
  exportId: string;
  tokenHash: string;
  name: string;
  mimeType: string;
  content: Uint8Array;
  sha256: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What the record export, patterns and returns read: every episode and its histories. */
export interface HistoryReads {
  /** Every episode of a home, or of one child, closed ones too, oldest first. */
  episodes(homeId: string, childId?: string): Promise<PastEpisode[]>;
  risks(episodeId: string): Promise<RiskChangeRecord[]>;
  notifications(episodeId: string): Promise<NotificationRecord[]>;
  contactAttempts(episodeId: string): Promise<ContactAttemptRecord[]>;
  approvals(episodeId: string): Promise<ApprovalRecord[]>;
}

/** The export log and the files kept for one download each. */
export interface ExportFiles {
  /** Logs an export or a refused one (never deleted); returns its id. */
  log(entry: ExportLogEntry): Promise<string>;
  /** Keeps a file for one download; clears the content of files that have expired meanwhile. */
  putFile(file: ExportFileRecord): Promise<void>;
  /** Takes a file once: null when the token is unknown, used or expired. The content is then cleared. */
  takeFile(tokenHash: string, at: Date): Promise<{ name: string; mimeType: string; content: Uint8Array } | null>;
}
