import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useQueryClient } from '@tanstack/react-query';
import { useCanChange } from '../../auth/useAuth';
import { Button, ErrorBanner, Loading } from '../../components/ui';
import { useNodeNames } from '../nodes/api';
import { planKeys, savePlan, useAnalyze, useSessionPlans } from './api';
import { ResizePlanEditor } from './ResizePlanEditor';

/** Each target's resize plan of a session, one tab per target. */
export default function PlanEditorPage() {
  const { id = '' } = useParams();
  const plans = useSessionPlans(id);
  const analyze = useAnalyze(id);
  const canChange = useCanChange();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const targets = plans.data?.targets ?? [];
  const nodeName = useNodeNames(targets.map((target) => target.node_id));
  const keyOf = (target: (typeof targets)[number]) => `${target.node_id}/${target.disk_id}`;

  return (
    <section aria-labelledby="plans-title">
      <div className="page-head">
        <h1 id="plans-title">Resize plans</h1>
        <Link to={`/sessions/${id}`}>Back to the session</Link>
        {canChange && <Button variant="primary" onPress={() => analyze.mutate()} isDisabled={analyze.isPending}>{analyze.isPending ? 'Analysing…' : 'Analyse again'}</Button>}
      </div>
      <p className="muted">Resize mode {plans.data?.resize_mode}; session {plans.data?.status}. Every change is checked by the planner before it is kept.</p>
      {plans.isPending && <Loading what="plans" />}
      <ErrorBanner error={plans.error ?? analyze.error} title="Plans" />
      {targets.length > 0 && (
        <Tabs selectedKey={selected ?? keyOf(targets[0])} onSelectionChange={(key) => setSelected(String(key))}>
          <TabList aria-label="Targets" className="tabs">
            {targets.map((target) => <Tab key={keyOf(target)} id={keyOf(target)} className="tab">{nodeName(target.node_id)} · {target.disk_id}</Tab>)}
          </TabList>
          {targets.map((target) => (
            <TabPanel key={keyOf(target)} id={keyOf(target)} className="panel">
              {!target.plan ? (
                <p>{target.inventory_reported ? 'Not analysed yet: press "Analyse again".' : 'This target has not reported its disks yet; it is planned when its inventory arrives.'}</p>
              ) : (
                <ResizePlanEditor plan={target.plan} readOnly={!canChange}
                  onSave={(edit) => savePlan(id, target.node_id!, target.disk_id, edit)}
                  onStale={() => void queryClient.invalidateQueries({ queryKey: planKeys.all(id) })} />
              )}
            </TabPanel>
          ))}
        </Tabs>
      )}
    </section>
  );
}
