// The gateway's routing, proved by running it: the rendered gateway configuration (nginx.conf and the
// routes.conf and plain-http.conf the local proxy shares) is started in a real nginx whose upstreams are replaced by
// stubs that answer with the name of the service they stand for, with a throw-away certificate in place of the
// Secret's. Every public operation of every service's OpenAPI document is then sent through its HTTPS port and must
// reach its owner; through the plain port only iPXE's (/api/v1/boot/) may reach a service; nothing under /internal/
// may reach any service on either port.
import { execFileSync, spawn, ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Finding, K8sObject, Rendered, finding, matches, podSpec } from "./objects.js";
import { Operation } from "./services.js";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => { const p = (s.address() as any).port; s.close(() => resolve(p)); });
    s.on("error", reject);
  });
}

/** The gateway Deployment's nginx configuration files, keyed by their path in the container. */
function gatewayConfig(r: Rendered): { gateway: K8sObject; main: string; files: Map<string, string> } | undefined {
  const gateway = r.find("Deployment", "gateway");
  if (!gateway) return undefined;
  const c = podSpec(gateway).containers?.[0];
  const main = c?.command?.[c.command.indexOf("-c") + 1];
  const files = new Map<string, string>();
  for (const m of c?.volumeMounts ?? []) {
    const v = (podSpec(gateway).volumes ?? []).find((x: any) => x.name === m.name);
    const cm = v?.configMap && r.find("ConfigMap", v.configMap.name);
    for (const [k, text] of Object.entries<string>(cm?.data ?? {})) files.set(`${m.mountPath}/${k}`, text);
  }
  return { gateway, main, files };
}

/** The module whose container a Service's pods run. */
function owner(r: Rendered, service: string): string | undefined {
  const svc = r.find("Service", service);
  const w = svc && r.workloads().find((x) => matches(svc.spec?.selector, x.spec?.template?.metadata?.labels));
  return w ? podSpec(w).containers?.[0]?.name : undefined;
}

export async function checkRoutes(r: Rendered, operations: Map<string, Operation[]>): Promise<Finding[]> {
  const out: Finding[] = [];
  const config = gatewayConfig(r);
  if (!config) return [finding("routes", "Deployment/gateway", "no gateway Deployment")];
  if (!config.files.has(config.main)) return [finding("routes", config.gateway, `its configuration ${config.main} is in no mounted ConfigMap`)];
  const dir = mkdtempSync(join(tmpdir(), "pureboot-routes-"));
  const mountDir = dirname(config.main);
  const listen = await freePort();
  const tlsListen = await freePort();
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-keyout", join(dir, "check-tls.key"), "-out", join(dir, "check-tls.crt"), "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
  let stubs = "";
  const stubNames = new Set<string>();
  const rewrite = async (text: string): Promise<string> => {
    // /tmp first: the scratch directory is itself under /tmp.
    let t = text.replaceAll("/tmp/", dir + "/").split(mountDir + "/").join(dir + "/")
      .replace(/access_log \/dev\/stdout;/g, "access_log off;").replace(/^\s*daemon off;\s*$/m, "")
      .replace(/listen 8080;/g, `listen 127.0.0.1:${listen};`)
      .replace(/listen 8443 ssl;/g, `listen 127.0.0.1:${tlsListen} ssl;`)
      .replace(/ssl_certificate\s+\S+;/g, `ssl_certificate ${join(dir, "check-tls.crt")};`)
      .replace(/ssl_certificate_key\s+\S+;/g, `ssl_certificate_key ${join(dir, "check-tls.key")};`);
    const upstreams = [...t.matchAll(/upstream\s+(\S+)\s*\{\s*server\s+([a-z0-9-]+):(\d+);[^}]*\}/g)];
    for (const [whole, , host, port] of upstreams) {
      const module = owner(r, host);
      const ports = (r.find("Service", host)?.spec?.ports ?? []).map((p: any) => p.port);
      if (!module) out.push(finding("routes", config.gateway, `upstream ${host}:${port}: no Service ${host} with pods`));
      else if (!ports.includes(Number(port))) out.push(finding("routes", config.gateway, `upstream ${host}:${port}: Service ${host} has no port ${port}`));
      const stub = await freePort();
      const name = module ?? `missing:${host}`;
      stubNames.add(name);
      stubs += `  server { listen 127.0.0.1:${stub}; location / { default_type text/plain; return 200 "routed-to:${name}"; } }\n`;
      t = t.replace(whole, whole.replace(`${host}:${port}`, `127.0.0.1:${stub}`));
    }
    return t;
  };
  for (const [path, text] of config.files) {
    let t = await rewrite(text);
    if (path === config.main) t = t.replace(/\}\s*$/, stubs + "}\n");
    writeFileSync(join(dir, path.slice(mountDir.length + 1)), t);
  }
  let nginx: ChildProcess | undefined;
  try {
    let stderr = "";
    nginx = spawn("nginx", ["-g", "daemon off;", "-e", "stderr", "-p", dir, "-c", join(dir, config.main.slice(mountDir.length + 1))], { stdio: ["ignore", "ignore", "pipe"] });
    nginx.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<void>((resolve) => nginx!.on("exit", () => resolve()));
    const up = await waitForPort(listen, exited);
    if (!up) return [...out, finding("routes", config.gateway, `nginx does not start with the rendered configuration: ${stderr.trim()}`)];
    const plain = `http://127.0.0.1:${listen}`;
    const base = `https://127.0.0.1:${tlsListen}`;
    // The throw-away certificate is trusted by nobody: this process only, for the check's requests.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    const send = async (origin: string, op: Operation) => {
      const path = op.path.replace(/\{[^}]+\}/g, "0b9f3a1e-0000-4000-8000-000000000001");
      const res = await fetch(origin + path, { method: op.method, body: ["POST", "PUT", "PATCH"].includes(op.method) ? "{}" : undefined, redirect: "manual" });
      const body = await res.text();
      return { status: res.status, reached: body.startsWith("routed-to:") ? body.slice("routed-to:".length) : undefined };
    };
    for (const [module, ops] of operations) {
      for (const op of ops) {
        const { status, reached } = await send(base, op);
        if (op.path.startsWith("/internal/")) {
          if (reached) out.push(finding("routes", config.gateway, `${op.method} ${op.path} (internal, ${module}) reaches ${reached} from outside`));
        } else if (reached !== module) {
          out.push(finding("routes", config.gateway, `${op.method} ${op.path} belongs to ${module} but reaches ${reached ?? `nothing (HTTP ${status})`}`));
        }
        // Plain HTTP: iPXE's boot scripts reach clone-service, nothing else reaches anything (node tokens and API keys
        // never cross the network in clear).
        const overPlain = await send(plain, op);
        const forIpxe = op.path.startsWith("/api/v1/boot/");
        if (forIpxe && overPlain.reached !== module) {
          out.push(finding("routes", config.gateway, `${op.method} ${op.path} (iPXE) over plain HTTP reaches ${overPlain.reached ?? `nothing (HTTP ${overPlain.status})`}, not ${module}`));
        } else if (!forIpxe && overPlain.reached) {
          out.push(finding("routes", config.gateway, `${op.method} ${op.path} reaches ${overPlain.reached} over plain HTTP: only iPXE's /api/v1/boot/ may`));
        }
      }
    }
    // The kernel and initrd the boot scripts name come from the boot-file server, on both ports.
    for (const origin of [plain, base]) {
      for (const file of ["/boot/pureboot-vmlinuz", "/boot/pureboot-initrd.img"]) {
        const body = await (await fetch(origin + file)).text();
        if (body !== "routed-to:boot-files") out.push(finding("routes", config.gateway, `GET ${origin.split(":")[0]} ${file} reaches ${body.startsWith("routed-to:") ? body.slice(10) : "nothing"}, not boot-files`));
      }
      for (const probe of ["/internal/v1/staging/x/mount", "/internal/", "//internal/v1/x", "/api/v1/../internal/v1/x"]) {
        const res = await fetch(origin + probe, { redirect: "manual" });
        const body = await res.text();
        if (body.startsWith("routed-to:")) out.push(finding("routes", config.gateway, `GET ${probe} reaches ${body.slice(10)}: /internal/ must never be routed`));
      }
    }
    return out;
  } finally {
    nginx?.kill("SIGTERM");
    await new Promise((res) => setTimeout(res, 100));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitForPort(port: number, exited: Promise<void>): Promise<boolean> {
  let dead = false;
  exited.then(() => (dead = true));
  for (let i = 0; i < 100 && !dead; i++) {
    try { await fetch(`http://127.0.0.1:${port}/healthz`); return true; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  return false;
}
