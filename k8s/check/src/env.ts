// Prints the environment a rendered Deployment gives one container, as KEY=VALUE lines for
// `podman run --env-file`: env values, ConfigMap and Secret references resolved from the rendered
// objects of the overlay. Usage: node dist/env.js <overlay-dir> <container-name>
import { render } from "./render.js";
import { podSpec } from "./objects.js";

const [dir, name] = process.argv.slice(2);
if (!dir || !name) { console.error("usage: env.js <overlay-dir> <container-name>"); process.exit(2); }
const r = render(dir);
const workload = r.workloads().find((w) => (podSpec(w).containers ?? []).some((c: any) => c.name === name));
if (!workload) { console.error(`env: no workload runs a container named ${name}`); process.exit(1); }
const container = podSpec(workload).containers.find((c: any) => c.name === name);
const decode = (v: string) => Buffer.from(v, "base64").toString("utf8");
const lines = new Map<string, string>();
for (const from of container.envFrom ?? []) {
  const cm = from.configMapRef && r.find("ConfigMap", from.configMapRef.name);
  for (const [k, v] of Object.entries<string>(cm?.data ?? {})) lines.set(k, v);
  const s = from.secretRef && r.find("Secret", from.secretRef.name);
  for (const [k, v] of Object.entries<string>(s?.data ?? {})) lines.set(k, decode(v));
}
for (const e of container.env ?? []) {
  if (e.value !== undefined) lines.set(e.name, e.value);
  const s = e.valueFrom?.secretKeyRef;
  if (s) lines.set(e.name, decode(r.find("Secret", s.name)!.data[s.key]));
  const m = e.valueFrom?.configMapKeyRef;
  if (m) lines.set(e.name, r.find("ConfigMap", m.name)!.data[m.key]);
}
for (const [k, v] of lines) {
  if (v.includes("\n")) { console.error(`env: ${k} spans lines; podman's env files cannot carry it`); process.exit(1); }
  console.log(`${k}=${v}`);
}
