import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
// undici's Agent class alone: the package's entry point would also install an Agent of its own
// version as the process's global dispatcher, which Node's built-in fetch then uses (and this
// version refuses some requests Node's accepts, e.g. a fetch with its own content-length header).
import Agent from 'undici/lib/dispatcher/agent.js';

/**
 * A lean HTTP client for the platform's own calls (the gateway to its subgraphs, the tests and
 * benchmarks to the gateway): undici's dispatcher with kept-alive connections per origin, the whole
 * answer buffered, and an optional timeout over the whole exchange. Node's global fetch (undici's
 * WHATWG fetch: Request and Response objects, web streams, an AbortSignal per call) costs several
 * times the CPU per call; the answer here has the part of fetch's Response that callers use.
 */

/** What a call sends. */
export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Abort the call this long after it starts (connecting, sending, waiting, reading the answer),
   * rejecting with a `TimeoutError` DOMException as `fetch` with `AbortSignal.timeout` does.
   */
  timeoutMs?: number;
  /** Default: one kept-alive agent shared by the process. */
  dispatcher?: Dispatcher;
}

/** An answer's headers (names case-insensitive), with the read and write methods of fetch's Headers. */
export class HttpHeaders implements Iterable<[string, string]> {
  private readonly map = new Map<string, string>();

  constructor(headers: IncomingHttpHeaders = {}) {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (value !== undefined) {
        this.map.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
      }
    }
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const current = this.map.get(key);
    this.map.set(key, current === undefined ? value : `${current}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** A whole answer, read: what a fetch Response offers, for a body already received. */
export class HttpResponse {
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: HttpHeaders,
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get redirected(): boolean {
    return false;
  }
  get bodyUsed(): boolean {
    return this.used;
  }

  private consume(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.body;
  }
  // The methods are async as fetch's are: a second read or bad JSON rejects, it does not throw.
  // eslint-disable-next-line @typescript-eslint/require-await
  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }
  // eslint-disable-next-line @typescript-eslint/require-await
  async json(): Promise<unknown> {
    return JSON.parse(this.consume().toString('utf8'));
  }
  // eslint-disable-next-line @typescript-eslint/require-await
  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.consume();
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }
  clone(): HttpResponse {
    if (this.used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new HttpResponse(this.url, this.status, this.statusText, this.headers, this.body);
  }
}

let sharedAgent: Dispatcher | undefined;

/** The process's kept-alive agent (a connection pool per origin), made at first use. */
export function defaultDispatcher(): Dispatcher {
  sharedAgent ??= new Agent();
  return sharedAgent;
}

/** The error of a call aborted by its timeout: what `AbortSignal.timeout` aborts a fetch with. */
function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/**
 * Sends one request and reads the whole answer. Rejects on a network failure (refused, reset,
 * closed before the answer ended) and, with `timeoutMs`, when the exchange takes longer: the
 * request is then aborted (its connection closed), as fetch with an `AbortSignal.timeout` does.
 * Any status resolves (check `ok`); redirects are not followed; no content encoding is asked for.
 */
export function httpRequest(url: string | URL, init: HttpRequestInit = {}): Promise<HttpResponse> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const href = target.href;
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let timer: NodeJS.Timeout | undefined;
    let status = 0;
    let statusText = '';
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      reject(err);
    };
    if (init.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        const err = timeoutError();
        fail(err);
        controller?.abort(err);
      }, init.timeoutMs);
    }
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        // Timed out while waiting for a connection: abort as soon as it is sent.
        if (settled) started.abort(timeoutError());
      },
      onResponseStart(_controller, statusCode, responseHeaders, statusMessage) {
        status = statusCode;
        headers = responseHeaders;
        statusText = statusMessage ?? '';
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        resolve(new HttpResponse(href, status, statusText, new HttpHeaders(headers), body));
      },
      onResponseError(_controller, err) {
        fail(err);
      },
    };
    try {
      (init.dispatcher ?? defaultDispatcher()).dispatch(
        {
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: init.method ?? 'GET',
          headers: init.headers,
          body: init.body,
        },
        handler,
      );
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
