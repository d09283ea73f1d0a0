import { addMilliseconds } from 'date-fns/addMilliseconds';
import type { Classification, RiskLevel, Role } from '../protocol/schema.ts';

export type EpisodeStatus = 'open' | 'returned' | 'closed';
export type ItemStatus = 'done' | 'not_applicable';
export const rhiStatuses = ['none', 'offered', 'accepted', 'declined', 'reoffered', 'held'] as const;
export type RhiStatus = (typeof rhiStatuses)[number];
export type Platform = 'slack' | 'teams' | 'web';

/** A checklist item someone has dealt with. */
export interface ItemState {
  status: ItemStatus;
  reason: string | null;
  byStaffId: string;
  at: Date;
}

/** Everything the rules need to know about one episode, as plain data. */
export interface Episode {
  id: string;
  homeId: string;
  childId: string;
  alias: string;
  status: EpisodeStatus;
  classification: Classification;
  riskLevel: RiskLevel;
  riskFactors: string[];
  isDrill: boolean;
  /** A drill's schedule runs this many times faster (1 for real episodes). */
  drillSpeed: number;
  openedAt: Date;
  lastSeenAt: Date | null;
  lastSeenPlace: string | null;
  lastSeenBy: string | null;
  clothing: string | null;
  withWhom: string | null;
  platform: Platform;
  threadRef: string | null;
  /** The report to police; the reference and officer may follow after the call. */
  police: {
    reportedAt: Date;
    reference: string | null;
    officer: string | null;
    grade: RiskLevel;
    reviewAt: Date | null;
  } | null;
  returnedAt: Date | null;
  policeToldOfReturnAt: Date | null;
  safeAndWellAt: Date | null;
  riskAssessmentUpdatedAt: Date | null;
  rhi: { status: RhiStatus; offeredAt: Date | null; heldAt: Date | null };
  closedAt: Date | null;
  checklist: Record<string, ItemState>;
  lastContactAttemptAt: Date | null;
  /** When the risk was last raised to high (anchor of the "call 999 now" prompt). */
  highRiskSince: Date | null;
  /** When a manager agreed that the police need not be told (null while they must be). */
  policeNotRequiredAt: Date | null;
  /** The child's episode before this one, when this one is a repeat. */
  previousEpisodeId: string | null;
  openedByStaffId: string;
  /** What the child's history showed at opening ("2nd episode in 30 days; …"), if anything. */
  historyNote: string | null;
}

/** Who did something: a member of staff, someone the home does not know, or the bot itself. */
export interface Author {
  staffId: string | null;
  name: string;
  role: Role | 'unknown' | 'bot';
}

/** Who the record names when the bot itself changed something (a rating at nightfall). */
export const BOT_STAFF_ID = 'bot';

/** Severity of classifications: a move to a lower one is a downgrade and needs approval. */
const classificationRank: Record<Classification, number> = { absent: 0, away_without_authorisation: 1, missing: 2 };
const riskRank: Record<RiskLevel, number> = { no_apparent_risk: 0, very_low: 1, low: 2, medium: 3, high: 4 };

export const isClassificationDowngrade = (from: Classification, to: Classification) =>
  classificationRank[to] < classificationRank[from];
export const isRiskDowngrade = (from: RiskLevel, to: RiskLevel) => riskRank[to] < riskRank[from];
export const higherRisk = (a: RiskLevel, b: RiskLevel): RiskLevel => (riskRank[a] >= riskRank[b] ? a : b);

/** The protocol's minutes as this episode counts them: a drill compresses its whole schedule. */
export function addEpisodeMinutes(e: Pick<Episode, 'drillSpeed'>, from: Date, minutes: number): Date {
  return addMilliseconds(from, (minutes * 60_000) / Math.max(1, e.drillSpeed));
}
