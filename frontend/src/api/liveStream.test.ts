// @vitest-environment node
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

// A real HTTP server speaking Server-Sent Events: the first connection sends one state and drops,
// the second sends the next; the client must carry the token in a header and reconnect.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function startServer(handler: (request: IncomingMessage, connection: number) => string | null): Promise<string> {
  let connections = 0;
  server = createServer((request, response) => {
    connections++;
    const body = handler(request, connections);
    if (body == null) { response.writeHead(401).end(); return; }
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    response.end(body);
  });
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)));
}

describe('openLiveStream', () => {
  it('sends the token in a header, never the URL, and reconnects after the server closes', async () => {
    vi.stubGlobal('window', globalThis);
    vi.stubGlobal('document', { hidden: false, addEventListener() {}, removeEventListener() {} });
    const { setCredentials } = await import('../auth/credentials');
    const { openLiveStream } = await import('./liveStream');
    const seen: { url?: string; auth?: string }[] = [];
    const base = await startServer((request, connection) => {
      seen.push({ url: request.url, auth: request.headers.authorization });
      return `data: {"n": ${connection}}\n\n`;
    });
    setCredentials({ apiKey: 'pbk_secret', token: 'jwt.secret', expiresAt: Date.now() + 600_000, role: 'viewer', subject: 'v', keyId: null });
    const values: number[] = [];
    const statuses: string[] = [];
    const close = openLiveStream<{ n: number }>(`${base}/api/v1/clone-sessions/s/progress`, {
      onMessage: (value) => values.push(value.n), onStatus: (status) => statuses.push(status), retryMillis: 50,
    });
    await vi.waitFor(() => expect(values.length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    close();
    expect(values.slice(0, 2)).toEqual([1, 2]);
    expect(seen[0]).toEqual({ url: '/api/v1/clone-sessions/s/progress', auth: 'Bearer jwt.secret' });
    expect(statuses).toContain('reconnecting');
    vi.unstubAllGlobals();
  });

  it('stops on a refused credential instead of retrying it', async () => {
    vi.stubGlobal('window', globalThis);
    vi.stubGlobal('document', { hidden: false, addEventListener() {}, removeEventListener() {} });
    const { openLiveStream } = await import('./liveStream');
    let connections = 0;
    const base = await startServer(() => { connections++; return null; });
    const refused: number[] = [];
    const statuses: string[] = [];
    openLiveStream(`${base}/p`, { onMessage: () => undefined, onRefused: (status) => refused.push(status), onStatus: (s) => statuses.push(s), retryMillis: 20 });
    await vi.waitFor(() => expect(statuses).toContain('closed'), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(refused).toEqual([401]);
    expect(connections).toBe(1);
    vi.unstubAllGlobals();
  });
});
