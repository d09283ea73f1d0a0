/**
 * Why the bot could not start, in one line a person can act on: the cause in words, never a
 * stack trace. Known causes get their own words; anything else its first line.
 */
export function startupProblem(
  error: unknown,
  settings: { dataDir: string; port: number; databaseUrl?: string },
): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (code === 'EADDRINUSE')
    return `port ${settings.port} is already in use (another bot or another program is listening on it): set PORT to a free one, or stop the other.`;
  if (['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR'].includes(code))
    return `the data folder ${settings.dataDir} cannot be written (${code}): DATA_DIR must be a folder the bot may create and write to.`;
  if (/SQLITE_BUSY|database is locked/i.test(`${code} ${message}`))
    return `the SQLite database in ${settings.dataDir} is held by another process (is another bot running on the same DATA_DIR?).`;
  if (/SQLITE_CANTOPEN|unable to open database/i.test(`${code} ${message}`))
    return `the SQLite database in ${settings.dataDir} cannot be opened: check that DATA_DIR is a folder the bot may write to.`;
  if (settings.databaseUrl && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|P1001|Can't reach database/i.test(`${code} ${message}`))
    return 'PostgreSQL at DATABASE_URL cannot be reached: check the address, and that the server is running.';
  return message.split('\n')[0]!.slice(0, 300);
}
