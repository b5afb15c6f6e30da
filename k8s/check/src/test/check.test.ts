// The checker must pass the real overlays and fail each broken fixture for the right reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { CHECK_DIR, REPO, checkOverlay } from "../check.js";
import { Finding } from "../objects.js";

const show = (fs: Finding[]) => fs.map((f) => `[${f.check}] ${f.object}: ${f.message}`).join("\n");

for (const overlay of ["lab", "production"]) {
  test(`overlay ${overlay} passes every check`, async () => {
    const { rendered, findings } = await checkOverlay(join(REPO, "k8s/overlays", overlay), `overlays/${overlay}`);
    const kinds = new Map<string, number>();
    for (const o of rendered.objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
    console.log(`overlays/${overlay}: ${rendered.objects.length} objects: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}`);
    assert.ok(rendered.objects.length > 30, `only ${rendered.objects.length} objects`);
    assert.deepEqual(findings, [], show(findings));
  });
}

const broken: [string, string, RegExp][] = [
  ["misspelled-field", "Deployment/storage-service", /imagePullPolcy/],
  ["misspelled-topic-field", "KafkaTopic/pureboot-storage", /unknown field "partitons"/],
  ["misspelled-cnpg-field", "Cluster/pureboot-db", /unknown field "passwordSecrets"/],
  ["wrong-port", "Deployment/clone-service", /readinessProbe asks port 8083, the service listens on 8080/],
  ["wrong-container-port", "Deployment/resize-planner-service", /listens on 8080 but declares container ports 8081/],
  ["missing-secret", "Deployment/storage-service", /Secret pureboot-internal-tokn, which does not exist/],
  ["missing-env", "Deployment/clone-service", /needs PUREBOOT_CLONE_SECRET_KEY/],
  ["missing-db-service", "ConfigMap/pureboot-services", /Service pureboot-database-rw does not exist and no operator creates it/],
  ["internal-routed", "Deployment/gateway", /internal.*reaches storage-service/],
  ["dnsmasq-wrong-origin", "ConfigMap/dnsmasq", /iPXE is chained to http:\/\/pureboot\.example\.invalid\/api\/v1\/boot\/ipxe\?mac=\$\{net0\/mac\}, not to http:\/\/pureboot\.lab\.example/],
  ["node-api-over-plain-http", "Deployment/gateway", /\/api\/v1\/node\/instructions reaches clone-service over plain HTTP/],
  ["planner-misrouted", "Deployment/gateway", /\/api\/v1\/clone-sessions\/\{sessionId\}\/analyze belongs to resize-planner-service but reaches clone-service/],
];

for (const [fixture, object, message] of broken) {
  test(`fixture ${fixture} fails on ${object}`, async () => {
    const { findings } = await checkOverlay(join(CHECK_DIR, "fixtures", fixture), `fixtures/${fixture}`);
    // startsWith: a ConfigMap a fixture generates carries a name hash.
    assert.ok(findings.some((f) => f.object.startsWith(object) && message.test(f.message)),
      `expected a finding on ${object} matching ${message}, got:\n${show(findings)}`);
  });
}
