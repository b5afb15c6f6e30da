// The rendered objects of one overlay and the few lookups every check needs.
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: any;
}

/** One thing wrong with an overlay: which object, and why. */
export interface Finding {
  check: string;
  object: string;
  message: string;
}

export const id = (o: K8sObject): string => `${o.kind}/${o.metadata?.name}`;

export const finding = (check: string, object: K8sObject | string, message: string): Finding => ({
  check,
  object: typeof object === "string" ? object : id(object),
  message,
});

export class Rendered {
  constructor(readonly overlay: string, readonly objects: K8sObject[]) {}

  find(kind: string, name: string): K8sObject | undefined {
    return this.objects.find((o) => o.kind === kind && o.metadata?.name === name);
  }

  all(kind: string): K8sObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  /** Deployments, DaemonSets and StatefulSets with their pod templates. */
  workloads(): K8sObject[] {
    return this.objects.filter((o) => ["Deployment", "DaemonSet", "StatefulSet"].includes(o.kind));
  }
}

export const podSpec = (workload: K8sObject): any => workload.spec?.template?.spec ?? {};

export const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
