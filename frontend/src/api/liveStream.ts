import { fetchEventSource } from '@microsoft/fetch-event-source';
import { authorizationHeader } from '../auth/credentials';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LiveStreamOptions<T> {
  onMessage: (value: T) => void;
  onStatus?: (status: StreamStatus) => void;
  /** Called with 401/403: the stream stops instead of retrying a credential the server refused. */
  onRefused?: (status: number) => void;
  retryMillis?: number;
}

class RefusedError extends Error {}

/**
 * Server-Sent Events over fetch, so the credential travels in the Authorization header and never in
 * the URL (EventSource cannot send headers). The stream reconnects after a drop, waiting
 * retryMillis; every new connection starts with the whole current state, so nothing is missed.
 * Returns a function that closes the stream.
 */
export function openLiveStream<T>(path: string, options: LiveStreamOptions<T>): () => void {
  const controller = new AbortController();
  const retry = options.retryMillis ?? 2000;
  options.onStatus?.('connecting');
  void fetchEventSource(path, {
    signal: controller.signal,
    headers: { Accept: 'text/event-stream', ...authorizationHeader() },
    openWhenHidden: true,
    async onopen(response) {
      if (response.status === 401 || response.status === 403) {
        options.onRefused?.(response.status);
        throw new RefusedError(`refused: ${response.status}`);
      }
      if (!response.ok) throw new Error(`live progress answered ${response.status}`);
      options.onStatus?.('live');
    },
    onmessage(message) {
      if (!message.data) return;
      try {
        options.onMessage(JSON.parse(message.data) as T);
      } catch {
        // A message that is not JSON is not ours; the next complete state follows.
      }
    },
    onclose() {
      if (controller.signal.aborted) return;
      options.onStatus?.('reconnecting');
      // Throwing from onclose would stop; returning lets the library reconnect: ask it to by throwing a retriable error.
      throw new Error('stream closed by the server');
    },
    onerror(error) {
      if (error instanceof RefusedError) {
        options.onStatus?.('closed');
        throw error;
      }
      options.onStatus?.('reconnecting');
      return retry;
    },
  }).catch(() => options.onStatus?.('closed'));
  return () => {
    controller.abort();
    options.onStatus?.('closed');
  };
}
