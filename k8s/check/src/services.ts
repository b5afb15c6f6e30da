// What the services themselves say: their configuration (which environment variables they need,
// which port they listen on) and their OpenAPI documents, as built into target/quarkus-app.
import { existsSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export interface ServiceFacts {
  module: string;
  /** Environment variables the production profile reads with no default: the service does not start without them. */
  requiredEnv: string[];
  /** quarkus.http.port as an environment variable and its default. */
  httpPort: { variable?: string; fallback: number };
}

const PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)(:[^}]*)?\}/g;

function properties(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

export function serviceFacts(repo: string, module: string): ServiceFacts {
  const files = [join(repo, "platform/src/main/resources/META-INF/microprofile-config.properties"),
    join(repo, module, "src/main/resources/application.properties")];
  const props = new Map<string, string>();
  for (const f of files) for (const [k, v] of properties(f)) props.set(k, v);
  const required = new Set<string>();
  for (const [key, value] of props) {
    if (key.startsWith("%")) continue; // dev and test profiles
    for (const m of value.matchAll(PLACEHOLDER)) if (m[2] === undefined) required.add(m[1]);
  }
  const port = /^\$\{([A-Z0-9_]+):(\d+)\}$/.exec(props.get("quarkus.http.port") ?? "");
  return {
    module,
    requiredEnv: [...required].sort(),
    httpPort: port ? { variable: port[1], fallback: Number(port[2]) } : { fallback: Number(props.get("quarkus.http.port") ?? 8080) },
  };
}

export interface Operation { method: string; path: string; }

/** The public operations of a built service: its OpenAPI document from generated-bytecode.jar. */
export function openApiOperations(repo: string, module: string): Operation[] {
  const jar = join(repo, module, "target/quarkus-app/quarkus/generated-bytecode.jar");
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build the services first (./mvnw -B package -DskipTests)`);
  const json = execFileSync("unzip", ["-p", jar, "META-INF/quarkus-generated-openapi-doc.JSON"], { encoding: "utf8", maxBuffer: 16 << 20 });
  const doc = JSON.parse(json);
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of Object.keys(item)) {
      if (["get", "put", "post", "delete", "patch", "head", "options"].includes(method)) ops.push({ method: method.toUpperCase(), path });
    }
  }
  return ops;
}
