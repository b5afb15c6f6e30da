// Checks across the rendered objects of one overlay: what one object names, another provides.
import { Finding, K8sObject, Rendered, finding, matches, podSpec } from "./objects.js";
import { ServiceFacts } from "./services.js";

/** Services and Secrets the operators create from our custom resources, by the operators' naming rules. */
export function operatorCreated(r: Rendered): { services: Map<string, number[]>; secrets: Map<string, string[]> } {
  const services = new Map<string, number[]>();
  const secrets = new Map<string, string[]>();
  for (const c of r.all("Cluster")) { // CloudNativePG: <cluster>-rw/-ro/-r on 5432, <cluster>-app for the initdb owner
    for (const suffix of ["rw", "ro", "r"]) services.set(`${c.metadata.name}-${suffix}`, [5432]);
    secrets.set(`${c.metadata.name}-app`, ["username", "password"]);
  }
  for (const c of r.all("Certificate")) { // cert-manager: the TLS Secret spec.secretName
    if (c.spec?.secretName) secrets.set(c.spec.secretName, ["tls.crt", "tls.key", "ca.crt"]);
  }
  for (const k of r.all("Kafka")) { // Strimzi: <cluster>-kafka-bootstrap with one port per listener
    services.set(`${k.metadata.name}-kafka-bootstrap`, (k.spec?.kafka?.listeners ?? []).map((l: any) => l.port));
  }
  return { services, secrets };
}

function servicePorts(r: Rendered, name: string): number[] | undefined {
  const svc = r.find("Service", name);
  if (svc) return (svc.spec?.ports ?? []).map((p: any) => p.port);
  return operatorCreated(r).services.get(name);
}

function secretKeys(r: Rendered, name: string): Set<string> | undefined {
  const s = r.find("Secret", name);
  if (s) return new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
  const created = operatorCreated(r).secrets.get(name);
  return created ? new Set(created) : undefined;
}

function configKeys(r: Rendered, name: string): Set<string> | undefined {
  const c = r.find("ConfigMap", name);
  return c ? new Set(Object.keys(c.data ?? {})) : undefined;
}

/** Every Secret, ConfigMap, volume claim and service account a pod names exists, with the keys it reads. */
export function checkReferences(r: Rendered): Finding[] {
  const out: Finding[] = [];
  for (const w of r.workloads()) {
    const spec = podSpec(w);
    if (spec.serviceAccountName && !r.find("ServiceAccount", spec.serviceAccountName)) {
      out.push(finding("references", w, `ServiceAccount ${spec.serviceAccountName} does not exist`));
    }
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !configKeys(r, from.configMapRef.name)) out.push(finding("references", w, `container ${c.name}: ConfigMap ${from.configMapRef.name} does not exist`));
        if (from.secretRef && !secretKeys(r, from.secretRef.name)) out.push(finding("references", w, `container ${c.name}: Secret ${from.secretRef.name} does not exist`));
      }
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        if (s) {
          const keys = secretKeys(r, s.name);
          if (!keys) out.push(finding("references", w, `container ${c.name}: env ${e.name} reads Secret ${s.name}, which does not exist`));
          else if (!keys.has(s.key)) out.push(finding("references", w, `container ${c.name}: env ${e.name} reads key ${s.key} that Secret ${s.name} does not have`));
        }
        const m = e.valueFrom?.configMapKeyRef;
        if (m) {
          const keys = configKeys(r, m.name);
          if (!keys) out.push(finding("references", w, `container ${c.name}: env ${e.name} reads ConfigMap ${m.name}, which does not exist`));
          else if (!keys.has(m.key)) out.push(finding("references", w, `container ${c.name}: env ${e.name} reads key ${m.key} that ConfigMap ${m.name} does not have`));
        }
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.configMap && !configKeys(r, v.configMap.name)) out.push(finding("references", w, `volume ${v.name}: ConfigMap ${v.configMap.name} does not exist`));
      if (v.secret && !secretKeys(r, v.secret.secretName)) out.push(finding("references", w, `volume ${v.name}: Secret ${v.secret.secretName} does not exist`));
      if (v.persistentVolumeClaim && !r.find("PersistentVolumeClaim", v.persistentVolumeClaim.claimName)) out.push(finding("references", w, `volume ${v.name}: PersistentVolumeClaim ${v.persistentVolumeClaim.claimName} does not exist`));
    }
  }
  for (const c of r.all("Cluster")) {
    for (const role of c.spec?.managed?.roles ?? []) {
      const name = role.passwordSecret?.name;
      if (!name) continue;
      const s = r.find("Secret", name);
      if (!s) { out.push(finding("references", c, `role ${role.name}: password Secret ${name} does not exist`)); continue; }
      if (s.type !== "kubernetes.io/basic-auth") out.push(finding("references", c, `role ${role.name}: Secret ${name} must be of type kubernetes.io/basic-auth`));
      const user = s.data?.username ? Buffer.from(s.data.username, "base64").toString() : s.stringData?.username;
      if (user !== role.name) out.push(finding("references", c, `role ${role.name}: Secret ${name} has username ${user}`));
    }
  }
  for (const d of r.all("Database")) {
    if (!r.find("Cluster", d.spec?.cluster?.name)) out.push(finding("references", d, `Cluster ${d.spec?.cluster?.name} does not exist`));
    const roles = new Set<string>([...r.all("Cluster").flatMap((c) => (c.spec?.managed?.roles ?? []).map((x: any) => x.name)),
      ...r.all("Cluster").map((c) => c.spec?.bootstrap?.initdb?.owner)]);
    for (const s of d.spec?.schemas ?? []) if (s.owner && !roles.has(s.owner)) out.push(finding("references", d, `schema ${s.name}: owner ${s.owner} is no role of the cluster`));
  }
  for (const t of [...r.all("KafkaTopic"), ...r.all("KafkaNodePool")]) {
    const cluster = t.metadata.labels?.["strimzi.io/cluster"];
    if (!cluster || !r.find("Kafka", cluster)) out.push(finding("references", t, `label strimzi.io/cluster names no Kafka (${cluster})`));
  }
  // Services select pods and reach a port those pods declare.
  for (const svc of r.all("Service")) {
    const pods = r.workloads().filter((w) => matches(svc.spec?.selector, w.spec?.template?.metadata?.labels));
    if (pods.length === 0) { out.push(finding("references", svc, "selects no pods")); continue; }
    for (const p of svc.spec?.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const declared = pods.flatMap((w) => (podSpec(w).containers ?? []).flatMap((c: any) => c.ports ?? []));
      if (!declared.some((cp: any) => cp.name === target || cp.containerPort === target)) out.push(finding("references", svc, `port ${p.name ?? p.port}: targetPort ${target} is no container port of the selected pods`));
    }
  }
  for (const np of r.all("NetworkPolicy")) {
    const selectors = [np.spec?.podSelector?.matchLabels,
      ...(np.spec?.ingress ?? []).flatMap((i: any) => (i.from ?? []).map((f: any) => f.podSelector?.matchLabels))].filter((s) => s && Object.keys(s).length);
    for (const s of selectors) {
      const operatorPods = Object.keys(s).some((k) => k.startsWith("cnpg.io/") || k.startsWith("strimzi.io/"));
      if (!operatorPods && !r.workloads().some((w) => matches(s, w.spec?.template?.metadata?.labels))) out.push(finding("references", np, `podSelector ${JSON.stringify(s)} matches no pods`));
    }
  }
  // Host names in the services' configuration are Services of this overlay, on a port they expose.
  for (const cm of r.all("ConfigMap")) {
    for (const [key, value] of Object.entries<string>(cm.data ?? {})) {
      const hostPort = /^(?:https?:\/\/)?([a-z0-9-]+):(\d+)\/?$/.exec(value);
      const host = key.endsWith("_DB_HOST") ? value : undefined;
      if (hostPort) checkHost(r, cm, key, hostPort[1], Number(hostPort[2]), out);
      else if (host) checkHost(r, cm, key, host, Number(cm.data[key.replace("_HOST", "_PORT")] ?? 5432), out);
    }
  }
  return out;
}

function checkHost(r: Rendered, cm: K8sObject, key: string, host: string, port: number, out: Finding[]): void {
  const ports = servicePorts(r, host);
  if (!ports) out.push(finding("references", cm, `${key}: Service ${host} does not exist and no operator creates it`));
  else if (!ports.includes(port)) out.push(finding("references", cm, `${key}: Service ${host} has no port ${port} (it has ${ports.join(", ")})`));
}

/** The container of a service's Deployment: the container named like the service's module. */
export function serviceContainer(r: Rendered, module: string): { workload: K8sObject; container: any } | undefined {
  for (const w of r.all("Deployment")) {
    const c = (podSpec(w).containers ?? []).find((x: any) => x.name === module);
    if (c) return { workload: w, container: c };
  }
  return undefined;
}

function envValue(r: Rendered, container: any, name: string): { set: boolean; value?: string } {
  const e = (container.env ?? []).find((x: any) => x.name === name);
  if (e) return { set: true, value: e.value };
  for (const from of container.envFrom ?? []) {
    const cm = from.configMapRef && r.find("ConfigMap", from.configMapRef.name);
    if (cm?.data?.[name] !== undefined) return { set: true, value: cm.data[name] };
    const s = from.secretRef && r.find("Secret", from.secretRef.name);
    if (s?.data?.[name] !== undefined) return { set: true };
  }
  return { set: false };
}

const PROBES: Record<string, string> = { livenessProbe: "/q/health/live", readinessProbe: "/q/health/ready", startupProbe: "/q/health/started" };

/** Each service gets every variable it needs without a default, and its probes ask its port for its health. */
export function checkServices(r: Rendered, facts: ServiceFacts[]): Finding[] {
  const out: Finding[] = [];
  for (const f of facts) {
    const found = serviceContainer(r, f.module);
    if (!found) { out.push(finding("services", `Deployment/${f.module}`, `no Deployment runs a container named ${f.module}`)); continue; }
    const { workload, container } = found;
    for (const name of f.requiredEnv) {
      if (!envValue(r, container, name).set) out.push(finding("services", workload, `${f.module} needs ${name} (no default outside dev and test) and it is not set`));
    }
    const configured = f.httpPort.variable ? envValue(r, container, f.httpPort.variable).value : undefined;
    const listens = Number(configured ?? f.httpPort.fallback);
    const ports: any[] = container.ports ?? [];
    const resolve = (p: any): number | undefined => typeof p === "number" ? p : ports.find((x) => x.name === p)?.containerPort;
    if (!ports.some((p) => p.containerPort === listens)) out.push(finding("services", workload, `${f.module} listens on ${listens} but declares container ports ${ports.map((p) => p.containerPort).join(", ") || "none"}`));
    for (const [probe, path] of Object.entries(PROBES)) {
      const p = container[probe];
      if (!p) { out.push(finding("services", workload, `${f.module}: no ${probe}`)); continue; }
      if (p.httpGet?.path !== path) out.push(finding("services", workload, `${f.module}: ${probe} asks ${p.httpGet?.path}, expected ${path}`));
      const port = resolve(p.httpGet?.port);
      const named = typeof p.httpGet?.port === "string" ? ` (${port ?? "no such container port"})` : "";
      if (port !== listens) out.push(finding("services", workload, `${f.module}: ${probe} asks port ${p.httpGet?.port}${named}, the service listens on ${listens}`));
    }
    const sc = container.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) out.push(finding("services", workload, `${f.module}: root filesystem is not read-only`));
    if (podSpec(workload).securityContext?.runAsNonRoot !== true && sc.runAsNonRoot !== true) out.push(finding("services", workload, `${f.module}: may run as root`));
    if (!container.resources?.requests || !container.resources?.limits) out.push(finding("services", workload, `${f.module}: no resource requests and limits`));
  }
  return out;
}

/** Nodes find the origin the clone-service writes into boot scripts: dnsmasq chains iPXE to its boot
 *  script, kernel and initrd come from its /boot/, which the gateway serves. */
export function checkBoot(r: Rendered): Finding[] {
  const out: Finding[] = [];
  const origin = r.find("ConfigMap", "pureboot-origin");
  const url = origin?.data?.PUREBOOT_PUBLIC_URL;
  if (!origin || !url) return [finding("boot", "ConfigMap/pureboot-origin", "no PUREBOOT_PUBLIC_URL")];
  for (const key of ["PUREBOOT_CLONE_BOOT_KERNEL_URL", "PUREBOOT_CLONE_BOOT_INITRD_URL"]) {
    if (!String(origin.data[key] ?? "").startsWith(`${url}/boot/`)) out.push(finding("boot", origin, `${key} ${origin.data[key]} is not under ${url}/boot/`));
  }
  const dnsmasq = r.all("ConfigMap").find((c) => c.data?.["dnsmasq.conf"] !== undefined);
  if (!dnsmasq) return [...out, finding("boot", "ConfigMap/dnsmasq", "no dnsmasq.conf")];
  const chains = [...dnsmasq.data["dnsmasq.conf"].matchAll(/^pxe-service=tag:ipxe,[^,]+,"[^"]*",(\S+)$/gm)].map((m) => m[1]);
  if (chains.length === 0) out.push(finding("boot", dnsmasq, "no pxe-service chains iPXE to the boot script"));
  for (const chain of chains) {
    if (!chain.startsWith(`${url}/api/v1/boot/ipxe`)) out.push(finding("boot", dnsmasq, `iPXE is chained to ${chain}, not to ${url}/api/v1/boot/ipxe`));
  }
  return out;
}
