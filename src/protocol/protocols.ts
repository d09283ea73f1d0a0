import { defaultProtocol } from './default-protocol.ts';
import { fosteringProtocol } from './fostering-protocol.ts';
import type { Protocol } from './schema.ts';

/** The kinds of service the bot runs a procedure for: a children's home, or a fostering service. */
export const homeKinds = ['childrens_home', 'fostering'] as const;
export type HomeKind = (typeof homeKinds)[number];

/** One procedure per kind of service; each home runs its kind's, tightened by its own policy. */
export type ProtocolBook = Readonly<Record<HomeKind, Protocol>>;

export const protocols: ProtocolBook = { childrens_home: defaultProtocol, fostering: fosteringProtocol };
