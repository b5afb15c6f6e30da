// Renders a kustomize overlay with `kubectl kustomize` (offline) and parses the YAML stream.
import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { K8sObject, Rendered } from "./objects.js";

export function render(overlayDir: string, name = overlayDir): Rendered {
  let out: string;
  try {
    out = execFileSync("kubectl", ["kustomize", overlayDir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (e: any) {
    if (e.code === "ENOENT") throw new Error("kubectl is not installed: it renders the overlays (kubectl kustomize)");
    throw new Error(`kubectl kustomize ${overlayDir} failed: ${String(e.stderr ?? e.message).trim()}`);
  }
  const objects = parseAllDocuments(out).map((doc) => doc.toJS() as K8sObject).filter((o) => o != null);
  return new Rendered(name, objects);
}
