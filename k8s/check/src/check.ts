// Runs every check on one overlay directory.
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkBoot, checkReferences, checkServices } from "./consistency.js";
import { Finding, Rendered } from "./objects.js";
import { render } from "./render.js";
import { checkRoutes } from "./routes.js";
import { CrdSchemas, checkSchemas } from "./schemas.js";
import { Operation, ServiceFacts, openApiOperations, serviceFacts } from "./services.js";

export const CHECK_DIR = resolve(fileURLToPath(import.meta.url), "../..");
export const REPO = resolve(CHECK_DIR, "../..");
export const SERVICES = ["storage-service", "resize-planner-service", "clone-service"];

export interface Context { crds: CrdSchemas; facts: ServiceFacts[]; operations: Map<string, Operation[]>; }

let context: Context | undefined;

/** Loads what every overlay is checked against, once: the CRD schemas and what the built services say. */
export function loadContext(): Context {
  if (context) return context;
  const strimzi = execFileSync(join(CHECK_DIR, "strimzi-crds.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const crds = new CrdSchemas().load([...CrdSchemas.yamlFiles(strimzi), join(CHECK_DIR, "schemas/cnpg-subset.yaml"),
    join(CHECK_DIR, "schemas/cert-manager-subset.yaml")]);
  const facts = SERVICES.map((m) => serviceFacts(REPO, m));
  const operations = new Map(SERVICES.map((m) => [m, openApiOperations(REPO, m)] as [string, Operation[]]));
  context = { crds, facts, operations };
  return context;
}

export async function checkOverlay(dir: string, name = dir): Promise<{ rendered: Rendered; findings: Finding[] }> {
  const ctx = loadContext();
  const rendered = render(dir, name);
  const findings = [
    ...(await checkSchemas(rendered, ctx.crds, join(CHECK_DIR, ".cache/typecheck", name.replace(/[^a-z0-9-]/gi, "_")))),
    ...checkReferences(rendered),
    ...checkServices(rendered, ctx.facts),
    ...checkBoot(rendered),
    ...(await checkRoutes(rendered, ctx.operations)),
  ];
  return { rendered, findings };
}
