import type { ConnectorClientOptions } from 'botframework-connector';

type HttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type WebResource = Parameters<HttpClient['sendRequest']>[0];
type CompatResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;

/**
 * The connector answered with a status that the Azure pipeline would retry on its own (429, 408,
 * 5xx). We stop it here instead: the durable outbox owns retries, so a message is not re-posted
 * four times in a burst, a long Retry-After does not hold the scheduler, and a 5xx on a POST —
 * which may arrive after Teams created the message — is reported as ambiguous.
 */
export class ConnectorStatusError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`connector answered ${status} to ${method}`);
    this.name = 'ConnectorStatusError';
  }
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), if it says. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** A header bag in the shape the compat pipeline reads back (it only calls toJson and get). */
function headersLike(headers: Headers) {
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => (plain[name] = value));
  return {
    get: (name: string) => plain[name.toLowerCase()],
    contains: (name: string) => name.toLowerCase() in plain,
    set: (name: string, value: string) => void (plain[name.toLowerCase()] = value),
    remove: (name: string) => delete plain[name.toLowerCase()],
    rawHeaders: () => ({ ...plain }),
    headersArray: () => Object.entries(plain).map(([name, value]) => ({ name, value })),
    headerNames: () => Object.keys(plain),
    headerValues: () => Object.values(plain),
    toJson: () => ({ ...plain }),
    clone() {
      return this;
    },
  };
}

const retriedByPipeline = (status: number) => status === 429 || status === 408 || status >= 500;

/**
 * The HTTP client botframework-connector sends connector calls through (fetch, Node 20). Any
 * status the pipeline would retry is thrown as ConnectorStatusError, which the pipeline passes
 * through untouched; other statuses go back for the connector client to turn into its errors.
 */
export function connectorTransport(timeoutMs = 15_000): HttpClient {
  return {
    async sendRequest(request: WebResource): Promise<CompatResponse> {
      const signal = AbortSignal.any([
        AbortSignal.timeout(timeoutMs),
        ...(request.abortSignal ? [request.abortSignal as AbortSignal] : []),
      ]);
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers.toJson({ preserveCase: true }),
        body: typeof request.body === 'string' ? request.body : undefined,
        signal,
      });
      const bodyAsText = await response.text();
      if (retriedByPipeline(response.status))
        throw new ConnectorStatusError(
          response.status,
          request.method,
          retryAfterMs(response.headers.get('retry-after')),
        );
      return {
        request,
        status: response.status,
        headers: headersLike(response.headers),
        bodyAsText,
      } as unknown as CompatResponse;
    },
  };
}
