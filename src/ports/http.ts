import type http from 'node:http';

/** A route an adapter mounts on the one HTTP server (it gets the raw request: no body parser). */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;
