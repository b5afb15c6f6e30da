import { PHASES } from './api';

const DIRECT_PHASES = ['uploading', 'downloading', 'done'] as const;
const LABELS: Record<string, string> = {
  created: 'Created', provisioning: 'Provisioning', uploading: 'Uploading', ready: 'Ready',
  downloading: 'Downloading', cleanup: 'Cleanup', done: 'Done',
};

/** Where the session is among its phases; the current one is marked for assistive technology too. */
export function PhaseStepper({ phase, mode, outcome }: { phase: string; mode: string; outcome?: string }) {
  const phases: readonly string[] = mode === 'direct' ? DIRECT_PHASES : PHASES;
  const current = phases.indexOf(phase);
  return (
    <ol className="stepper" aria-label="Phases">
      {phases.map((step, index) => {
        const state = phase === 'done' || index < current ? 'past' : index === current ? 'current' : 'future';
        return (
          <li key={step} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            {/* An ended session that did not complete may have skipped steps: no tick claims they ran. */}
            <span className="step-mark" aria-hidden="true">{state === 'past' ? (outcome && outcome !== 'completed' ? '•' : '✔') : index + 1}</span>
            <span>{LABELS[step] ?? step}{step === 'done' && phase === 'done' && outcome ? ` (${outcome})` : ''}</span>
            <span className="visually-hidden">{state === 'past' ? ' finished' : state === 'current' ? ' in progress' : ' to come'}</span>
          </li>
        );
      })}
    </ol>
  );
}

export function phaseLabel(phase: string): string {
  return LABELS[phase] ?? phase;
}
