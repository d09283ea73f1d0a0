/**
 * Slack thread refs, opaque to the engine: the channel and the root message's ts. Only this
 * adapter encodes and decodes them.
 */
export const threadRef = (channel: string, threadTs: string) => `${channel}|${threadTs}`;

export function parseThreadRef(ref: string): { channel: string; threadTs: string } {
  const [channel, threadTs] = ref.split('|');
  if (!channel || !threadTs) throw new Error(`not a Slack thread ref: ${ref}`);
  return { channel, threadTs };
}
