/** Platform-neutral messages the engine emits; each adapter renders them (Block Kit, Adaptive Cards, HTML). */

/** Ids of the buttons and forms on cards; adapters route presses back by these. */
export const ActionIds = {
  tickItem: 'tick_item',
  notApplicable: 'not_applicable',
  approve: 'approve',
  decline: 'decline',
  openForm: 'open_form',
  acceptHandover: 'accept_handover',
} as const;
export type ActionId = (typeof ActionIds)[keyof typeof ActionIds];

export interface CardAction {
  id: ActionId;
  label: string;
  /** Opaque to the adapter: it sends it back with the press. */
  value: string;
  style?: 'primary' | 'danger';
}

export type CardBlock =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | {
      type: 'checklist';
      items: {
        id: string;
        label: string;
        help?: string;
        status: 'open' | 'done' | 'not_applicable';
        note?: string;
        actions: CardAction[];
      }[];
    }
  | { type: 'actions'; actions: CardAction[] };

export interface Card {
  /** May be empty for a short notice, whose one text block says it all. */
  title: string;
  tone: 'info' | 'warning' | 'urgent' | 'success';
  blocks: CardBlock[];
  /** Plain text for notifications and screen readers. */
  fallback: string;
  /**
   * People the card is for, by their id on the platform it goes to: each platform mentions them
   * in its own way (Slack `<@U…>`, a Teams mention entity), so they are notified.
   */
  mentions?: Mention[];
  /**
   * The card's buttons are for some people only (a manager's Approve / Decline). A platform that
   * can show each person their own view (Teams) shows others the card without its buttons and
   * asks again by `key` for the view of whoever looks; the others show every button and refuse
   * the press of someone not allowed.
   */
  personal?: { key: string; forPlatformUserIds: string[] };
}

export interface Mention {
  name: string;
  platformUserId: string;
}

/** Where a message goes. The episode's thread is resolved by the adapter from its opaque ref. */
export type Target =
  | { kind: 'episode_root'; channelRef: string }
  | { kind: 'thread' }
  | { kind: 'direct'; staffId: string; platformUserId: string }
  | { kind: 'channel'; channelRef: string };

/** The card key of an episode's own card, the first message of its thread, updated in place. */
export const EPISODE_CARD_KEY = 'root';

export interface OutboundMessage {
  target: Target;
  card: Card;
  /** Messages with the same key in one episode update one card in place rather than post again. */
  cardKey?: string;
}

/**
 * A file for the person who asked for it, never for a channel: the adapter uploads the bytes to
 * them privately, or shows them the one-time download link when one was made.
 */
export interface OutboundFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
  link?: { url: string; expiresAt: Date };
}
