import { formatTime, platformName } from './format.ts';

/** To the person whose entry was held while the database was away, and then refused when applied. */
export function heldRefusedText(receivedAt: Date, timeZone: string, reason: string): string {
  return `The entry you made at ${formatTime(receivedAt, timeZone)}, while recording was delayed, could not be recorded now that the database is back: ${reason}`;
}

/** To a home's managers when a platform refuses the bot's messages for good. */
export function deliveryRefusedText(platform: string, homeName: string, alias: string | null, reason: string): string {
  const name = platform === 'web' ? 'The playground' : platformName(platform);
  const about = alias ? ` for ${alias}’s episode` : '';
  return `${name} refused a message from the bot${about} at ${homeName} for good (${reason.slice(0, 200)}). Reminders and cards there will not arrive until this is fixed: check that the bot is still in the home’s ${platform === 'slack' ? 'channel' : 'team'}, and follow the episode here meanwhile.`;
}
