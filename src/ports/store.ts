import type { Author, Episode, ItemState, Platform, RhiStatus } from '../domain/episode.ts';
import type { ApprovalKind, ApprovalRecord } from '../domain/approval.ts';
import type { RecordEntry } from '../domain/record.ts';
import type { OutboundMessage } from '../messages/outbound.ts';
import type { ExportFiles, HistoryReads } from './exports.ts';

export type { ApprovalKind, ApprovalRecord };
import type { ChildPersonal, ChildPlan, Placement } from '../protocol/plan.ts';
import type { HomePolicy } from '../protocol/policy.ts';
import type { HomeKind } from '../protocol/protocols.ts';
import type { Classification, RiskLevel, Role } from '../protocol/schema.ts';

/** A home as the engine sees it. */
export interface HomeRecord {
  id: string;
  name: string;
  /** A children's home or a fostering service: which procedure it runs. */
  kind: HomeKind;
  timeZone: string;
  policy: HomePolicy;
  shiftChanges: string[];
  /** Staff ids on call, in the order they are tried. */
  onCall: string[];
  /** Who comes on at each shift change (local start time, weekdays; every day if none). */
  rota: {
    starts: string;
    days?: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[] | undefined;
    staff: string[];
  }[];
  /** Staff ids in the configuration's order. */
  staffOrder: string[];
  channels: { platform: Platform; channelRef: string }[];
}

/** What a thread message is written against: its episode, the chain's head, and its first entry if recorded. */
export interface ThreadState {
  episodeId: string;
  homeId: string;
  head: ChainHead | null;
  original: { id: string; seq: number } | null;
}

/** What to write for a thread message, planned against a ThreadState: entries chained after its head. */
export interface ThreadWrite<R> {
  entries: RecordEntry[];
  result: R;
}

/** The newest entry of an episode's record, which the next one chains to. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface StaffRecord {
  id: string;
  homeId: string;
  displayName: string;
  role: Role;
  active: boolean;
}

export interface ChildRecord {
  id: string;
  homeId: string;
  alias: string;
  plan: ChildPlan;
  personal: ChildPersonal;
  /** In a fostering service, whom the child is placed with (null in a children's home). */
  placement: Placement | null;
  active: boolean;
  /** When the risk assessment was last reviewed, if known. */
  riskReviewedAt: Date | null;
}

export interface PingRecord {
  id: string;
  key: string;
  homeId: string;
  episodeId: string | null;
  rule: string;
  audience: string;
  dueAt: Date;
  status: 'pending' | 'sent' | 'cancelled';
}

export interface HandoverRecord {
  id: string;
  homeId: string;
  shiftAt: Date;
  status: 'pending' | 'accepted';
  acceptedByStaffId: string | null;
  acceptedAt: Date | null;
}

export interface OutboxRecord {
  id: number;
  homeId: string;
  episodeId: string | null;
  platform: Platform;
  message: OutboundMessage;
  attempts: number;
  createdAt: Date;
}

/** Fields of an episode the engine may change. */
export type EpisodePatch = Partial<{
  status: Episode['status'];
  classification: Classification;
  riskLevel: RiskLevel;
  riskFactors: string[];
  lastSeenAt: Date | null;
  lastSeenPlace: string | null;
  lastSeenBy: string | null;
  clothing: string | null;
  withWhom: string | null;
  threadRef: string | null;
  police: Episode['police'];
  returnedAt: Date | null;
  returnDetails: Record<string, unknown>;
  policeToldOfReturnAt: Date | null;
  safeAndWellAt: Date | null;
  riskAssessmentUpdatedAt: Date | null;
  rhi: { status: RhiStatus; offeredAt: Date | null; heldAt: Date | null };
  closedAt: Date | null;
}>;

export interface NewEpisode {
  homeId: string;
  childId: string;
  classification: Classification;
  riskLevel: RiskLevel;
  riskFactors: string[];
  isDrill: boolean;
  drillSpeed: number;
  openedAt: Date;
  openedByStaffId: string;
  platform: Platform;
  lastSeenAt: Date | null;
  lastSeenPlace: string | null;
  lastSeenBy: string | null;
  clothing: string | null;
  withWhom: string | null;
  previousEpisodeId: string | null;
  historyNote: string | null;
}

/** Reads and writes inside one transaction: what the engine needs, in the domain's words. */
export interface Tx {
  homes: {
    get(id: string): Promise<HomeRecord | null>;
    findByChannel(platform: Platform, channelRef: string): Promise<HomeRecord | null>;
    list(): Promise<HomeRecord[]>;
  };
  staff: {
    get(id: string): Promise<StaffRecord | null>;
    findByIdentity(platform: Platform, platformUserId: string): Promise<StaffRecord | null>;
    listForHome(homeId: string): Promise<StaffRecord[]>;
    identities(staffId: string): Promise<{ platform: Platform; platformUserId: string }[]>;
    /** Every identity of a home's staff, by staff id, in one read (the Home tab, not one read per person). */
    identitiesInHome(homeId: string): Promise<Map<string, { platform: Platform; platformUserId: string }[]>>;
  };
  children: {
    get(id: string): Promise<ChildRecord | null>;
    findByAlias(homeId: string, alias: string): Promise<ChildRecord | null>;
    listForHome(homeId: string): Promise<ChildRecord[]>;
    /** Records a review of the child's risk assessment (never moves the date back). */
    riskReviewed(id: string, at: Date): Promise<void>;
  };
  episodes: {
    get(id: string): Promise<Episode | null>;
    /** The child's episode while they are missing (status open): at most one. */
    findMissingForChild(childId: string): Promise<Episode | null>;
    /** The child's episodes in view as listActive has them (a returned one and a new missing one may stand together), oldest first. */
    listActiveForChild(childId: string): Promise<Episode[]>;
    findByThread(platform: Platform, threadRef: string): Promise<Episode | null>;
    /** Episodes not yet closed, and closed ones whose follow-ups still have reminders to come. */
    listActive(homeId?: string): Promise<Episode[]>;
    /**
     * Creates an episode. If another instance opened one for the child meanwhile, the unique
     * open-child index fails the transaction, the store retries it, and the retry joins theirs.
     */
    create(data: NewEpisode): Promise<string>;
    update(id: string, patch: EpisodePatch): Promise<void>;
    setItem(episodeId: string, itemId: string, state: ItemState): Promise<void>;
    addClassification(
      episodeId: string,
      c: { classification: Classification; at: Date; byStaffId: string; reason: string },
    ): Promise<void>;
    addRisk(
      episodeId: string,
      r: {
        level: RiskLevel;
        factors: string[];
        source: 'internal' | 'police';
        at: Date;
        byStaffId: string;
        reason: string;
      },
    ): Promise<void>;
    addNotification(
      episodeId: string,
      n: {
        party: string;
        decision: 'notified' | 'not_required';
        method: string | null;
        response: string | null;
        reason: string | null;
        at: Date;
        byStaffId: string;
      },
    ): Promise<void>;
    addContactAttempt(
      episodeId: string,
      a: { method: string; outcome: string; at: Date; byStaffId: string },
    ): Promise<void>;
    classificationHistory(
      episodeId: string,
    ): Promise<{ classification: Classification; at: Date; byStaffId: string; reason: string }[]>;
  };
  approvals: {
    create(a: Omit<ApprovalRecord, 'id' | 'status' | 'decidedByStaffId' | 'decidedAt' | 'note'>): Promise<string>;
    get(id: string): Promise<ApprovalRecord | null>;
    /** Decides a pending approval; false when it was already decided (a double click). */
    decide(
      id: string,
      d: { status: 'approved' | 'declined'; byStaffId: string; at: Date; note: string | null },
    ): Promise<boolean>;
    pendingFor(episodeId: string): Promise<ApprovalRecord[]>;
  };
  record: {
    last(episodeId: string): Promise<ChainHead | null>;
    insert(entry: RecordEntry): Promise<string>;
    findByPlatformMessage(
      episodeId: string,
      platform: string,
      platformMessageId: string,
    ): Promise<(RecordEntry & { id: string }) | null>;
    list(episodeId: string): Promise<(RecordEntry & { id: string })[]>;
    /** The newest entry of any of these kinds (for "latest new information"). */
    latestOf(episodeId: string, kinds: string[]): Promise<(RecordEntry & { id: string }) | null>;
    /** The same for many episodes at once, by episode id, in a fixed number of reads (the handover). */
    latestOfEach(episodeIds: string[], kinds: string[]): Promise<Map<string, RecordEntry & { id: string }>>;
  };
  pings: {
    keys(episodeId: string): Promise<Set<string>>;
    exists(key: string): Promise<boolean>;
    /** Which of these keys have a ping already (one read for a home's children, not one each). */
    existing(keys: string[]): Promise<Set<string>>;
    pending(episodeId: string): Promise<PingRecord[]>;
    /** Pings already sent for an episode (a reminder whose reason still holds is overdue). */
    sent(episodeId: string): Promise<PingRecord[]>;
    /** The pending, or sent, pings of many episodes in one read, soonest first (a home's views). */
    ofEpisodes(episodeIds: string[], status: 'pending' | 'sent'): Promise<PingRecord[]>;
    /** Cancels the pending pings whose keys start with this prefix (a handover accepted). */
    cancelByPrefix(prefix: string, reason: string, at: Date): Promise<void>;
    insert(p: Omit<PingRecord, 'id' | 'status'> & { createdAt: Date }): Promise<void>;
    cancel(ids: string[], reason: string, at: Date): Promise<void>;
    /** Marks a claimed ping sent; false when another instance got there first. */
    markSent(id: string, claimedBy: string, at: Date): Promise<boolean>;
  };
  handovers: {
    /** Records the handover of a shift; null when one exists already (another instance sent it). */
    create(homeId: string, shiftAt: Date, at: Date): Promise<string | null>;
    get(id: string): Promise<HandoverRecord | null>;
    /** Whether the handover of this shift has been sent already. */
    exists(homeId: string, shiftAt: Date): Promise<boolean>;
    /** Accepts a pending handover; false when it was accepted already. */
    accept(id: string, staffId: string, at: Date): Promise<boolean>;
  };
  outbox: {
    enqueue(m: {
      homeId: string;
      episodeId: string | null;
      platform: Platform;
      message: OutboundMessage;
      at: Date;
    }): Promise<number>;
    /** The latest message under each card key starting with `keyPrefix` (the copies of a card). */
    copies(episodeId: string | null, keyPrefix: string): Promise<{ platform: Platform; message: OutboundMessage }[]>;
  };
  events: {
    /** Records an inbound event id; false when it was seen before. */
    markProcessed(id: string, at: Date): Promise<boolean>;
  };
  /** What a chat adapter learnt about reaching people (see PlatformAddresses), as JSON text. */
  addresses: {
    get(platform: Platform, kind: string, key: string): Promise<string | null>;
    put(platform: Platform, kind: string, key: string, valueJson: string, at: Date): Promise<void>;
  };
  /** What the record export, patterns and returns read: every episode and its histories. */
  history: HistoryReads;
  /** The export log and the files kept for one download each. */
  exports: ExportFiles;
}

/** The store: transactions, plus the claim operations that must run outside the engine's. */
export interface Store {
  /** Runs fn in one transaction; the record and the state change commit together or not at all. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Writes a thread message's entries, once per event, with as few round trips as the database
   * allows (the bot's busiest write). `plan` is given the thread's state and who the author is,
   * and says what to write (it may throw to refuse; nothing is written then). The event and the
   * entries are written together or not at all; another writer appending first means the state
   * is read and planned again. Resolves with the plan's result, or 'duplicate' when the event was
   * written before.
   */
  appendToThread<R>(
    args: {
      eventKey: string | null;
      at: Date;
      platform: Platform;
      threadRef: string;
      platformMessageId: string;
      author: { platform: Platform; userId: string };
    },
    plan: (state: ThreadState | null, staff: StaffRecord | null) => ThreadWrite<R>,
  ): Promise<R | 'duplicate'>;
  /**
   * Claims the `limit` earliest due pings for this instance until `leaseUntil`, with the other due
   * pings of their episodes (an episode's reminders that fell due together are sent together).
   */
  claimDuePings(now: Date, instanceId: string, leaseUntil: Date, limit: number): Promise<PingRecord[]>;
  /** Claims up to `limit` outbox messages due for (re)delivery. */
  claimDueOutbox(now: Date, instanceId: string, leaseUntil: Date, limit: number): Promise<OutboxRecord[]>;
  outboxDelivered(id: number, at: Date, resultRef: string | null): Promise<void>;
  /** A failed delivery: retried at `retryAt`, or given up (kept, marked failed) when null. */
  outboxFailed(id: number, error: string, retryAt: Date | null): Promise<void>;
  /** Puts a claimed message back without counting an attempt (e.g. its thread is not posted yet). */
  outboxRelease(id: number, retryAt: Date): Promise<void>;
  /** The platform reference of the card last delivered under this key (to update it in place). */
  cardRef(episodeId: string | null, cardKey: string): Promise<string | null>;
  ping(): Promise<void>;
  /** A tiny write, to tell whether the record can be written now (not only read). */
  probeWrite(at: Date): Promise<void>;
  close(): Promise<void>;
}

export type { Author };
export type * from './exports.ts';
