import { ErrorBanner, Loading } from '../../components/ui';
import { formatTime } from '../../components/format';
import { useAudit } from './api';

/** The session's audit trail: every event about it, oldest first, as clone-service recorded it. */
export function AuditTimeline({ sessionId }: { sessionId: string }) {
  const audit = useAudit(sessionId);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit timeline</h2>
      {audit.isPending && <Loading what="the audit timeline" />}
      <ErrorBanner error={audit.error} />
      {audit.data?.length === 0 && <p className="muted">No event recorded yet.</p>}
      <ol className="timeline">
        {audit.data?.map((event) => (
          <li key={event.event_id}>
            <time dateTime={event.time}>{formatTime(event.time)}</time>
            <span className="event-type">{(event.type ?? '').replace(/^io\.pureboot\./, '')}</span>
            <span className="muted">from {event.source}</span>
            {summary(event.data) && <span className="event-summary">{summary(event.data)}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function summary(data: unknown): string | null {
  if (!data || typeof data !== 'object') return null;
  const record = data as Record<string, unknown>;
  const parts = ['status', 'reason', 'failure_reason', 'message', 'target_node_id', 'version']
    .filter((key) => record[key] != null && typeof record[key] !== 'object')
    .map((key) => `${key.replace(/_/g, ' ')}: ${String(record[key])}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}
