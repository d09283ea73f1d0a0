/**
 * Thrown by the store when the database cannot take a transaction now: unreachable, or still
 * locked after the store's own retries. The engine answers "recording delayed" and holds the
 * command (see HeldCommands) rather than dropping it.
 */
export class StoreUnavailable extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'StoreUnavailable';
  }
}

/** A command kept outside the database while it was unavailable, with the time it arrived. */
export interface HeldCommand {
  id: string;
  receivedAt: Date;
  /** The validated command, as plain JSON (it is validated again when applied). */
  command: Record<string, unknown>;
}

/**
 * Where commands wait while the database is unavailable: kept in order, and written somewhere that
 * survives a restart before the person is told their entry is safe.
 */
export interface HeldCommands {
  /** Keeps a command; resolves once it is safely written. */
  hold(command: HeldCommand): Promise<void>;
  /** Everything held, oldest first. */
  list(): HeldCommand[];
  /** Forgets a command once it has been applied, or refused for good. */
  release(id: string): Promise<void>;
}

/** Held commands in memory only: for tests and tools (they do not survive a restart). */
export function memoryHeldCommands(): HeldCommands {
  const held: HeldCommand[] = [];
  return {
    hold: async (command) => void held.push(command),
    list: () => [...held],
    release: async (id) => {
      const index = held.findIndex((h) => h.id === id);
      if (index >= 0) held.splice(index, 1);
    },
  };
}
