// k8s/check: renders every overlay (or the directories given) and checks it; exit code 1 on any finding.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CHECK_DIR, REPO, checkOverlay } from "./check.js";

const overlaysDir = join(REPO, "k8s/overlays");
const targets = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync(overlaysDir).sort().map((o) => join(overlaysDir, o));
let failed = 0;
for (const dir of targets) {
  const name = dir.replace(REPO + "/", "");
  if (dir.startsWith(overlaysDir) && !existsSync(join(dir, "secrets"))) {
    execFileSync(join(REPO, "k8s/generate-secrets.sh"), [dir.slice(overlaysDir.length + 1)], { stdio: "inherit" });
  }
  const started = Date.now();
  const { rendered, findings } = await checkOverlay(dir, name);
  const kinds = new Map<string, number>();
  for (const o of rendered.objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  console.log(`${name}: ${rendered.objects.length} objects (${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}) in ${Date.now() - started} ms`);
  for (const f of findings) console.log(`  FAIL [${f.check}] ${f.object}: ${f.message}`);
  if (findings.length) failed++;
  else console.log("  ok: schemas, references, service environment and probes, boot, routes");
}
void CHECK_DIR;
process.exit(failed ? 1 : 0);
