import type http from 'node:http';
import type { Route } from '../../src/ports/http.ts';
import { DOWNLOAD_PATH } from '../../src/engine/exports/rules.ts';
import type { Download } from '../../src/engine/exports/downloads.ts';
import { exportTexts } from '../../src/messages/export-texts.ts';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(res: http.ServerResponse, status: number, body: string, action?: string): void {
  const form = action
    ? `<form method="post" action="${escape(action)}"><button type="submit">${escape(exportTexts.pageButton)}</button></form>`
    : '';
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    })
    .end(
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escape(exportTexts.pageTitle)}</title>` +
        `<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>${escape(exportTexts.pageTitle)}</h1><p>${escape(body)}</p>${form}</body></html>`,
    );
}

/**
 * One-time downloads of exported files at /exports/<token>. A GET only shows a button (link
 * scanners and previews fetch links, and must not use them up); the POST it sends hands the file
 * over once, as an attachment.
 */
export function downloadRoute(queries: { takeDownload(token: string): Promise<Download | null> }): Route {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(DOWNLOAD_PATH)) return false;
    const token = url.pathname.slice(DOWNLOAD_PATH.length);
    if (req.method === 'GET') return (page(res, 200, exportTexts.pageReady, url.pathname), true);
    if (req.method !== 'POST') return (res.writeHead(405, { allow: 'GET, POST' }).end(), true);
    req.resume(); // the form sends no fields worth reading
    const file = await queries.takeDownload(token);
    if (!file) return (page(res, 410, exportTexts.pageGone), true);
    res
      .writeHead(200, {
        'content-type': file.mimeType,
        'content-length': String(file.bytes.byteLength),
        'content-disposition': `attachment; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      })
      .end(Buffer.from(file.bytes));
    return true;
  };
}
