/** The words people read around exported files: when they are sent, and on the download page. */

export const exportTexts = {
  sentByDirectMessage: 'I have sent the files to you in a direct message with me; nobody else can see them.',
  linksBelow: (minutes: number) =>
    `Download below. Each link works once, for ${minutes} minutes, and only you have been given it.`,
  noPublicUrl:
    'The file is ready, but I can’t give you a link to it here: the bot’s public address (PUBLIC_URL) is not set. Ask your administrator.',
  notDelivered: (reason: string) =>
    `The export was made and recorded, but I could not send you the files (${reason}). Please ask again in a moment.`,
  download: (name: string) => `Download ${name}`,
  pageTitle: 'Your file from the missing-episode bot',
  pageReady:
    'This link works once. Press the button to download the file; the link then stops working. The file holds personal data: keep it safe and do not forward it.',
  pageButton: 'Download the file',
  pageGone:
    'This link has already been used or has expired, so the file is no longer available here. Ask the bot for the export again.',
} as const;
