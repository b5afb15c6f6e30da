// End-to-end test of the console in Debian's Chromium (playwright-core, no browser download),
// against the real stack that stack.sh starts: services, nginx serving frontend/dist, PostgreSQL,
// Kafka and the local nfs-ganesha, with a real staged clone: the node agent runs as local processes on
// loop-device disks (as ./pureboot demo does), booted from each node's iPXE script (boot ticket, HTTPS to
// the origin with the development CA). Every screen is screenshotted to build-e2e/screenshots and checked
// with axe-core (no serious or critical violation). Every wait is bounded; the agents it started are
// killed by pid and its loop devices detached at the end. Exit code 0 when every step passed. Needs root.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const BASE = process.env.PUREBOOT_E2E_URL ?? 'https://127.0.0.1:18443';
const ADMIN_KEY = process.env.PUREBOOT_E2E_ADMIN_KEY;
const NFS_SERVER = process.env.PUREBOOT_E2E_NFS_SERVER ?? '127.0.0.1';
const NFS_EXPORT = process.env.PUREBOOT_E2E_NFS_EXPORT ?? '/pureboot';
// The plain port, where iPXE fetches boot scripts; the agent itself calls BASE (pureboot.server) trusting CA.
const PLAIN = process.env.PUREBOOT_E2E_PLAIN_URL ?? 'http://127.0.0.1:18080';
const CA = process.env.PUREBOOT_E2E_CA;
const AGENT_JAR = process.env.PUREBOOT_E2E_AGENT_JAR;
const JAVA = process.env.PUREBOOT_E2E_JAVA ?? 'java';
// The directory nfs-ganesha exports: agents reach staging as a pre-mounted directory, as in the demo.
const EXPORT_DIR = process.env.PUREBOOT_E2E_NFS_EXPORT_DIR;
const SOURCE_MIB = Number(process.env.PUREBOOT_E2E_SOURCE_MIB ?? 1024);
const AGENT_TIMEOUT = 8 * 60_000;
const shots = join(here, '..', 'build-e2e', 'screenshots');
const axePath = join(here, '..', 'node_modules', 'axe-core', 'axe.min.js');
const axeSource = readFileSync(axePath, 'utf8');
const run = Date.now().toString(36);
const MiB = 1024 ** 2;

for (const [name, value] of Object.entries({ PUREBOOT_E2E_ADMIN_KEY: ADMIN_KEY, PUREBOOT_E2E_CA: CA, PUREBOOT_E2E_AGENT_JAR: AGENT_JAR, PUREBOOT_E2E_NFS_EXPORT_DIR: EXPORT_DIR })) {
  if (!value) throw new Error(`${name} is required (run.sh sets it)`);
}
if (!existsSync(AGENT_JAR)) throw new Error(`${AGENT_JAR} is missing: build node-agent first`);
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
const work = join(here, '..', 'build-e2e', `work-${run}`);
mkdirSync(work, { recursive: true });
const loopDisks = join(here, 'loop-disks.sh');

// ---- agents: the real node agent as local processes, killed by pid at the end -------------------------
const agents = new Map();
/** Boots a node as PXE would: its iPXE script's kernel line becomes the agent's command line (boot ticket and all). */
async function bootAgent(name, mac, options = []) {
  const response = await fetch(`${PLAIN}/api/v1/boot/ipxe?mac=${encodeURIComponent(mac)}`, { signal: AbortSignal.timeout(20_000) });
  const script = await response.text();
  const kernel = script.split('\n').find((line) => line.startsWith('kernel '));
  if (!response.ok || !kernel) throw new Error(`no kernel line in the boot script of ${name}: ${response.status} ${script}`);
  if (!kernel.includes(`pureboot.server=${BASE}`)) throw new Error(`the agent of ${name} would not call the origin over HTTPS: ${kernel}`);
  const mode = /pureboot\.mode=(\S+)/.exec(kernel)[1];
  const cmdline = join(work, `${name}.cmdline`);
  writeFileSync(cmdline, `${kernel}\n`);
  const log = openSync(join(work, `${name}.log`), 'a');
  const child = spawn(JAVA, ['-Xmx384m', '-jar', AGENT_JAR, mode, '--cmdline', cmdline, '--ca', CA,
    '--token-dir', join(work, 'tokens'), ...options], { stdio: ['ignore', log, log] });
  const agent = { name, child, done: false };
  agent.exit = new Promise((resolve) => child.on('exit', (code, signal) => { agent.done = true; resolve(code ?? signal); }));
  agents.set(child.pid, agent);
  console.log(`     agent ${name} (${mode}) pid ${child.pid}`);
  return child.pid;
}
/** Waits for an agent to exit 0, at most `ms`; otherwise kills it and fails with the end of its log. */
async function agentSucceeds(pid, ms = AGENT_TIMEOUT) {
  const agent = agents.get(pid);
  const code = await Promise.race([agent.exit, new Promise((resolve) => setTimeout(() => resolve('timeout'), ms))]);
  if (code === 'timeout') process.kill(pid, 'SIGKILL');
  agents.delete(pid);
  if (code !== 0) {
    const log = readFileSync(join(work, `${agent.name}.log`), 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`agent ${agent.name} ended with ${code}:\n${log}`);
  }
}
// Stopped from outside (run.sh's overall timeout, Ctrl-C): the agents and loop devices go anyway.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`console e2e: ${signal}; killing ${agents.size} agent(s) and detaching the loop disks`);
    for (const pid of agents.keys()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    try { execFileSync('bash', [loopDisks, 'remove', work], { timeout: 60_000, stdio: 'inherit' }); } catch { /* reported */ }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
/** Polls `probe` until it answers truthy, at most `ms`. */
async function until(what, probe, ms = 60_000, every = 500) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await probe().catch(() => undefined);
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const results = [];
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - started, error });
    await page.screenshot({ path: join(shots, 'FAILED.png'), fullPage: true }).catch(() => undefined);
    console.log(`FAIL ${name}: ${error.stack ?? error}`);
    throw error;
  }
}

async function api(method, path, body, key = ADMIN_KEY) {
  const response = await fetch(`${BASE}${path}`, {
    method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const axeFindings = [];
/** Screenshot plus axe-core: serious or critical violations fail the test. */
async function check(page, name) {
  // Pages with live progress never go network-idle: wait a moment at most.
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  // Evaluated through the DevTools protocol, not as a <script>: the origin's CSP (script-src 'self') rightly
  // blocks inline scripts, and the console must run under that very policy.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeFindings.push({ name, violations });
  if (bad.length > 0) throw new Error(`axe on ${name}: ${JSON.stringify(bad, null, 1)}`);
}


const userDataDir = mkdtempSync(join(tmpdir(), 'pureboot-e2e-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.PUREBOOT_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
  // The origin's certificate is the development CA's (deploy/dev/ca.sh), which this throw-away profile does not
  // trust; the test's own fetch calls trust it through NODE_EXTRA_CA_CERTS (run.sh).
  ignoreHTTPSErrors: true,
});
const page = context.pages()[0] ?? await context.newPage();
// Refused requests are expected (wrong key, viewer probe, inventories not yet known); other errors are shown.
page.on('console', (message) => {
  if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) console.log(`browser: ${message.text()}`);
});
page.setDefaultTimeout(20_000);
const urlsSeen = [];
page.on('request', (request) => urlsSeen.push(request.url()));
let exitCode = 0;
let sessionId;
const nodes = {};
const macs = {};
let viewerKey;

try {
  await step('sign-in page; a wrong key is refused at its field', async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('heading', { name: 'PureBoot Clone' }).waitFor();
    await check(page, '01-sign-in');
    await page.getByLabel('API key').fill('pbk_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('is not a valid API key').waitFor();
  });

  await step('admin signs in and lands on the sessions list', async () => {
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Clone sessions' }).waitFor();
    await check(page, '02-sessions');
  });

  const backendName = `e2e nfs ${run}`;
  await step('create an NFS backend: the server 400 reason shows at its field, then it is created', async () => {
    await page.getByRole('link', { name: 'Storage' }).click();
    await page.getByRole('button', { name: 'New backend' }).click();
    await page.getByLabel('Name', { exact: true }).fill(backendName);
    await page.getByLabel('Server', { exact: true }).fill(NFS_SERVER);
    await page.getByLabel('Export', { exact: true }).fill('pureboot');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('must be an absolute path').waitFor();
    await check(page, '03-storage-field-error');
    await page.getByLabel('Export', { exact: true }).fill(NFS_EXPORT);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: backendName }).waitFor();
  });

  await step('its connectivity test succeeds and its space is measured', async () => {
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: backendName }) });
    await card.getByRole('button', { name: 'Test connectivity' }).click();
    await card.getByText('Connectivity OK').waitFor({ timeout: 30_000 });
    await card.getByRole('button', { name: 'Measure space' }).click();
    await card.getByText(/Free for staging now|Free for staging/).waitFor({ timeout: 30_000 });
    await check(page, '04-storage');
  });

  await step('register nodes in the console; each boots its agent into inventory; their loop disks drawn to scale', async () => {
    const created = execFileSync('bash', [loopDisks, 'create', work, String(SOURCE_MIB)], { encoding: 'utf8', timeout: 240_000 });
    console.log(`     loop disks: ${created.trim()}`);
    await page.getByRole('link', { name: 'Nodes' }).click();
    const hex = () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
    for (const name of ['source', 'target-a', 'target-b']) {
      macs[name] = `52:54:00:${hex()}:${hex()}:${hex()}`;
      await page.locator('details', { hasText: 'Register a node' }).evaluate((details) => { details.open = true; });
      await page.getByLabel('MAC address', { exact: true }).fill(macs[name]);
      await page.getByLabel('Name', { exact: true }).fill(`e2e ${name} ${run}`);
      await page.getByRole('button', { name: 'Register' }).click();
      const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `e2e ${name} ${run}` }) });
      await card.waitFor();
      nodes[name] = (await api('GET', '/api/v1/nodes')).find((node) => node.name === `e2e ${name} ${run}`).id;
      await card.getByRole('button', { name: 'Take inventory at next boot' }).click();
    }
    // Each node boots (its script says inventory once the request is stored) and its agent reports its real disk.
    const image = { source: 'source', 'target-a': 'small', 'target-b': 'large' };
    for (const name of Object.keys(macs)) {
      await until(`the inventory request of ${name}`, async () => (await fetch(`${PLAIN}/api/v1/boot/ipxe?mac=${macs[name]}`)
        .then((r) => r.text())).includes('pureboot.mode=inventory'), 20_000);
      const pid = await bootAgent(`${name}-inventory`, macs[name], ['--disk', `loop:${join(work, `${image[name]}.img`)}`]);
      await agentSucceeds(pid, 180_000);
    }
    // The planner learns inventories from Kafka: wait until it has all three, then reload until the page shows them.
    for (const id of Object.values(nodes)) {
      await until(`the planner's inventory of ${id}`, () => api('GET', `/api/v1/inventories/${id}`), 60_000);
    }
    const picture = page.getByRole('img', { name: new RegExp(`Partitions of ${escape(`loop:${join(work, 'source.img')}`)}`) });
    await until('the source disk drawn on the Nodes screen', async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Nodes' }).waitFor();
      await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
      return (await picture.count()) > 0;
    }, 60_000, 1000);
    await check(page, '05-nodes');
  });

  await step('a node is renamed (the server 400 reason at its field first) and retired after confirmation', async () => {
    await page.locator('details', { hasText: 'Register a node' }).evaluate((details) => { details.open = true; });
    const hex = () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
    await page.getByLabel('MAC address', { exact: true }).fill(`52:54:00:${hex()}:${hex()}:${hex()}`);
    await page.getByLabel('Name', { exact: true }).fill(`e2e spare ${run}`);
    await page.getByRole('button', { name: 'Register' }).click();
    const card = () => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`^e2e spare.* ${run}$`) }) });
    await card().waitFor();
    await card().getByRole('button', { name: 'Rename' }).click();
    // Only blanks: the server's 400 names the field and its reason is shown there.
    await card().getByLabel('New name').fill('   ');
    await card().getByRole('button', { name: 'Save name' }).click();
    await card().getByText('is required').waitFor();
    if (await card().getByLabel('New name').getAttribute('aria-invalid') !== 'true') throw new Error('the name field is not marked invalid');
    await check(page, '05b-node-rename-error');
    await card().getByLabel('New name').fill(`e2e spare renamed ${run}`);
    await card().getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('heading', { name: `e2e spare renamed ${run}`, exact: true }).waitFor();
    const spare = (await api('GET', '/api/v1/nodes')).find((node) => node.name === `e2e spare renamed ${run}`);
    if (!spare) throw new Error('the server does not hold the new name');
    nodes.spare = spare.id;
    await card().getByRole('button', { name: 'Retire' }).click();
    await page.getByRole('alertdialog').waitFor();
    await check(page, '05c-node-retire-confirmation');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Retire node' }).click();
    await page.getByRole('heading', { name: `e2e spare renamed ${run}`, exact: true }).waitFor({ state: 'detached' });
    const retired = await api('GET', `/api/v1/nodes/${spare.id}`);
    if (!retired.retired_at) throw new Error('the server did not retire the node');
  });

  await step('the wizard defines a staged swarm session with two targets on the loop disks', async () => {
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: 'New clone' }).click();
    await page.getByLabel('Session name', { exact: true }).fill(`e2e session ${run}`);
    await check(page, '06-wizard-mode');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: new RegExp(`e2e source ${run}`) }).check({ force: true });
    await page.getByRole('radio', { name: new RegExp(escape(join(work, 'source.img'))) }).check({ force: true });
    await check(page, '07-wizard-source');
    await page.getByRole('button', { name: 'Next' }).click();
    for (const [name, file] of [['target-a', 'small.img'], ['target-b', 'large.img']]) {
      await page.getByRole('radio', { name: new RegExp(`e2e ${name} ${run}`) }).check({ force: true });
      await page.getByRole('radio', { name: new RegExp(escape(join(work, file))) }).check({ force: true });
      await page.getByRole('button', { name: 'Add this target' }).click();
    }
    // The targets serve each other what they restored: staging sends each chunk about once.
    await page.getByRole('checkbox', { name: /^Swarm/ }).check({ force: true });
    await check(page, '08-wizard-targets');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: new RegExp(backendName) }).check({ force: true });
    await page.getByText(/Free for staging now/).waitFor({ timeout: 30_000 });
    await check(page, '09-wizard-staging');
    await page.getByRole('button', { name: 'Next' }).click();
    await check(page, '10-wizard-resize');
    await page.getByRole('button', { name: 'Create session and plan targets' }).click();
    await page.getByRole('heading', { name: 'Plans' }).waitFor();
  });

  const largeDisk = () => `loop:${join(work, 'large.img')}`;
  await step('each target gets a plan from the real inventories; an edit is saved; a stale edit (409) reloads', async () => {
    const defined = (await api('GET', '/api/v1/clone-sessions')).find((session) => session.name === `e2e session ${run}`);
    sessionId = defined.id;
    if (defined.swarm !== true) throw new Error('the wizard\'s swarm option did not reach the session');
    // The planner analyses once it knows the session and every inventory (Kafka): reload until both plans exist.
    await until('both plans in the editor', async () => {
      if (await page.getByRole('list', { name: 'Partitions' }).count() >= 2) return true;
      await page.getByRole('button', { name: 'Reload plans' }).click();
      return false;
    }, 60_000, 1000);
    await check(page, '11-wizard-plans');
    const plans = await api('GET', `/api/v1/clone-sessions/${sessionId}/plans`);
    const large = plans.targets.find((target) => target.disk_id === largeDisk());
    const root = large.plan.partitions.find((partition) => partition.filesystem === 'ext4');
    const wanted = Math.round((root.new_size_bytes - 64 * MiB) / MiB) * MiB;
    const editor = page.locator('.plan-editor').nth(plans.targets.indexOf(large));
    await editor.getByRole('radio', { name: 'MiB' }).check({ force: true });
    const sizeMiB = editor.getByRole('textbox', { name: new RegExp(`Partition ${root.partition} \\(ext4\\) size in MiB`) });
    await sizeMiB.fill(String(wanted / MiB));
    await sizeMiB.press('Enter');
    await editor.getByText(/Saved as version \d+/).waitFor({ timeout: 30_000 });
    const saved = (await api('GET', `/api/v1/clone-sessions/${sessionId}/plans`)).targets.find((t) => t.disk_id === largeDisk()).plan;
    const savedRoot = saved.partitions.find((partition) => partition.partition === root.partition);
    if (saved.origin !== 'edited' || savedRoot.new_size_bytes !== wanted) {
      throw new Error(`the server holds ${savedRoot.new_size_bytes} (${saved.origin}), not the ${wanted} edit`);
    }
    await check(page, '11a-wizard-plan-saved');
    // Someone else changes the plan meanwhile: the console's next edit gets 409 and reloads, never overwrites.
    const other = wanted - 32 * MiB;
    await api('PUT', `/api/v1/clone-sessions/${sessionId}/plan?target=${large.node_id}`, {
      version: saved.version, partitions: saved.partitions.map((p) => (p.partition === root.partition
        ? { partition: p.partition, new_size_bytes: other } : { partition: p.partition, action: p.action, new_size_bytes: p.new_size_bytes })),
    });
    await sizeMiB.fill(String(wanted / MiB - 16));
    await sizeMiB.press('Enter');
    await editor.getByText(/current plan was reloaded/).waitFor({ timeout: 30_000 });
    await until('the reloaded plan in the editor', async () => (await sizeMiB.inputValue()).replace(/\D/g, '') === String(other / MiB), 20_000);
    const after = (await api('GET', `/api/v1/clone-sessions/${sessionId}/plans`)).targets.find((t) => t.disk_id === largeDisk()).plan;
    if (after.partitions.find((p) => p.partition === root.partition).new_size_bytes !== other) throw new Error('the stale edit overwrote the plan');
    await check(page, '11b-wizard-plan-reloaded');
  });

  await step('review, then start', async () => {
    await page.getByRole('button', { name: 'Review' }).click();
    const start = page.getByRole('button', { name: 'Start the clone' });
    // Empty targets need no serial typed; a target holding partitions would.
    const serialFields = page.getByLabel(/Type the last 4 characters of the serial/);
    if (await serialFields.count() > 0) throw new Error('an empty loop target asked for its serial');
    await check(page, '12-wizard-review');
    // The plans reach clone-service through Kafka: a start before that is refused (422), and is tried again.
    await until('the start accepted', async () => {
      if (page.url().endsWith(`/sessions/${sessionId}`)) return true;
      await start.click({ timeout: 5000 });
      await page.waitForURL(`${BASE}/sessions/${sessionId}`, { timeout: 3000 });
      return true;
    }, 60_000, 1000);
  });

  await step('the session detail is live (SSE) and the source is armed once staging is provisioned', async () => {
    await page.getByText('● live').waitFor();
    await page.getByRole('heading', { name: 'Audit timeline' }).waitFor();
    await page.getByText('clone-session.defined').first().waitFor({ timeout: 30_000 });
    await until('the source armed', async () => (await api('GET', `/api/v1/clone-sessions/${sessionId}`)).state === 'source_armed', 120_000);
    await page.getByText('source_armed', { exact: true }).first().waitFor({ timeout: 20_000 });
    await check(page, '13-session-source-armed');
    await page.getByRole('button', { name: 'Cancel session' }).click();
    await check(page, '14-cancel-confirmation');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Keep' }).click();
  });

  await step('retiring the source and deleting the backend while the session runs are refused, with the server reasons', async () => {
    await page.getByRole('link', { name: 'Nodes' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `e2e source ${run}` }) });
    await card.getByRole('button', { name: 'Retire' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Retire node' }).click();
    await card.getByText(new RegExp(`Not retired.*is the source of clone session e2e session ${run}.*source_armed`)).waitFor();
    await check(page, '14b-node-retire-refused');
    await page.getByRole('link', { name: 'Storage' }).click();
    const backend = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: backendName }) });
    await backend.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete backend' }).click();
    await backend.getByText(/Not deleted/).waitFor();
    await check(page, '14c-storage-delete-refused');
    await page.goto(`${BASE}/sessions/${sessionId}`);
    await page.getByRole('heading', { name: `e2e session ${run}` }).waitFor();
  });

  const seen = { upload: [], small: [], large: [] };
  await step('the real clone: the upload bar and both download bars reach completion', async () => {
    await page.getByText('● live').waitFor();
    const bars = {
      upload: page.getByRole('progressbar', { name: /^Upload from/ }),
      small: page.getByRole('progressbar', { name: new RegExp(`^Download to .*${escape(join(work, 'small.img'))}`) }),
      large: page.getByRole('progressbar', { name: new RegExp(`^Download to .*${escape(join(work, 'large.img'))}`) }),
    };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const [name, bar] of Object.entries(bars)) {
          const value = Number(await bar.getAttribute('aria-valuenow', { timeout: 2000 }).catch(() => NaN));
          if (Number.isFinite(value) && seen[name].at(-1) !== value) seen[name].push(value);
        }
        await page.waitForTimeout(250);
      }
    })();
    let uploadShot = false;
    try {
      // A slower zstd level than the default makes the upload last several progress reports.
      const source = await bootAgent('source', macs.source, ['--staging-dir', EXPORT_DIR, '--state-dir', join(work, 'source-state'), '--workers', '2', '--zstd-level', '12']);
      await until('the upload bar moving', async () => {
        if (!uploadShot && seen.upload.some((v) => v > 0 && v < 100)) { uploadShot = true; await check(page, '15-session-uploading'); }
        return uploadShot || agents.get(source).done || undefined;
      }, AGENT_TIMEOUT, 300).catch(() => undefined);
      await agentSucceeds(source);
      await until('both targets armed', async () => (await api('GET', `/api/v1/clone-sessions/${sessionId}`)).targets.every((t) => t.state === 'armed'), 60_000);
      // Both targets on this host: each swarm chunk server on a free port.
      const small = await bootAgent('target-a', macs['target-a'], ['--staging-dir', EXPORT_DIR, '--state-dir', join(work, 'small-state'), '--workers', '2', '--swarm-port', '0']);
      // The large target also zeroes what the source left free: a longer download to watch.
      const large = await bootAgent('target-b', macs['target-b'], ['--staging-dir', EXPORT_DIR, '--state-dir', join(work, 'large-state'), '--workers', '2', '--zero-unused', '--swarm-port', '0']);
      await until('a download bar moving', async () => seen.large.some((v) => v > 0 && v < 100) || seen.small.some((v) => v > 0 && v < 100) || (agents.get(large).done && agents.get(small).done) || undefined, AGENT_TIMEOUT, 300)
        .then(() => check(page, '16-session-downloading')).catch(() => undefined);
      await agentSucceeds(small);
      await agentSucceeds(large);
      await until('the session completed', async () => (await api('GET', `/api/v1/clone-sessions/${sessionId}`)).state === 'completed', 120_000);
      for (const [name, bar] of Object.entries(bars)) {
        await until(`the ${name} bar at 100 %`, async () => (await bar.getAttribute('aria-valuenow')) === '100', 30_000, 300);
      }
    } finally {
      sampling = false;
      await sampler;
    }
    console.log(`     bar values seen: upload ${seen.upload.join(' ')}; small ${seen.small.join(' ')}; large ${seen.large.join(' ')}`);
    // A bar never goes back: not when the source moves from shrinking to uploading, nor when a target moves from
    // downloading to resizing, nor when the session ends (each bar shows its own step only: transfers.ts).
    for (const [name, values] of Object.entries(seen)) {
      if (values.some((value, i) => i > 0 && value < values[i - 1])) throw new Error(`the ${name} bar went back: ${values.join(' ')}`);
    }
    if (!seen.upload.some((v) => v > 0 && v < 100)) throw new Error(`the upload bar was never seen part way: ${seen.upload.join(' ')}`);
    await page.getByText('target completed').nth(1).waitFor();
  });

  await step('staging is cleaned up and the audit timeline shows the whole session', async () => {
    await until('the session done (staging deleted)', async () => (await api('GET', `/api/v1/clone-sessions/${sessionId}`)).phase === 'done', 120_000);
    if (existsSync(join(EXPORT_DIR, 'pureboot-staging', sessionId))) throw new Error('the staging directory is still on the export');
    await page.reload();
    await page.getByRole('heading', { name: `e2e session ${run}` }).waitFor();
    await page.locator('[aria-current="step"]').filter({ hasText: 'Done' }).or(page.getByText('completed', { exact: true }).first()).first().waitFor();
    for (const text of ['clone-session.completed', 'clone-session.source-completed', 'resize.plan-published']) {
      await page.getByText(text).first().waitFor({ timeout: 30_000 });
    }
    await page.locator('li', { hasText: 'staging-status-changed' }).filter({ hasText: 'deleted' }).first().waitFor({ timeout: 30_000 });
    await check(page, '17-session-completed');
  });

  await step('a deep link works on reload', async () => {
    await page.goto(`${BASE}/sessions/${sessionId}`);
    await page.reload();
    await page.getByRole('heading', { name: `e2e session ${run}` }).waitFor();
  });

  await step('resize plans screen', async () => {
    await page.goto(`${BASE}/sessions/${sessionId}/plans`);
    await page.getByRole('tab').first().waitFor();
    await check(page, '18-plans');
  });

  await step('an admin creates a viewer key; it is shown once', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name', { exact: true }).fill(`e2e-viewer-${run}`);
    await page.getByRole('button', { name: 'Create key' }).click();
    viewerKey = (await page.locator('code.secret').textContent()).trim();
    await check(page, '19-api-keys');
  });

  await step('narrow window', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${BASE}/sessions/${sessionId}`);
    await page.getByRole('heading', { name: `e2e session ${run}` }).waitFor();
    await check(page, '20-session-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await step('a viewer finds no control that changes anything', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(viewerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in: viewer').waitFor();
    if (await page.getByRole('link', { name: 'API keys' }).count()) throw new Error('a viewer sees API keys');
    // Looking and measuring change nothing; every other button would.
    const harmless = new Set(['Sign out', 'Test connectivity', 'Measure space', 'Testing…', 'Measuring…', 'Show', 'All sessions']);
    for (const [path, heading] of [['/sessions', 'Clone sessions'], [`/sessions/${sessionId}`, `e2e session ${run}`], ['/storage', 'Storage backends'], ['/nodes', 'Nodes'], [`/sessions/${sessionId}/plans`, 'Resize plans']]) {
      await page.goto(`${BASE}${path}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
      const names = await page.getByRole('button').evaluateAll((buttons) => buttons.filter((b) => !b.disabled).map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim()));
      const changing = names.filter((name) => !harmless.has(name) && !/^All sessions|^Show/.test(name));
      if (changing.length > 0) throw new Error(`a viewer sees ${changing.join(', ')} on ${path}`);
      // The units radio (MiB or GiB) only changes how sizes are shown.
      const enabledFields = await page.locator('main input:not([disabled]):not([type=search]):not([type=radio])').count();
      if (path.endsWith('/plans') && enabledFields > 0) throw new Error(`a viewer may type into ${enabledFields} fields on ${path}`);
      if (await page.getByRole('link', { name: 'New clone' }).count()) throw new Error(`a viewer sees New clone on ${path}`);
    }
    await check(page, '21-viewer-storage');
    const refused = await fetch(`${BASE}/api/v1/clone-sessions/${sessionId}/start`, { method: 'POST', headers: { Authorization: `Bearer ${viewerKey}` } });
    if (refused.status !== 403) throw new Error(`the server let a viewer start a session: ${refused.status}`);
  });

  await step('no credential ever appeared in a URL', async () => {
    const leaked = urlsSeen.filter((url) => url.includes(ADMIN_KEY) || (viewerKey && url.includes(viewerKey)));
    if (leaked.length > 0) throw new Error(`a key was in ${leaked[0]}`);
  });
} catch {
  exitCode = 1;
} finally {
  await context.close().catch(() => undefined);
  rmSync(userDataDir, { recursive: true, force: true });
  // The agents this test started, by pid; then the loop devices it attached (loop-disks.sh knows which).
  for (const [pid, agent] of agents) {
    console.log(`     killing agent ${agent.name} (pid ${pid})`);
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    await Promise.race([agent.exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  // Leave the shared database as it was found, as far as the API allows.
  if (viewerKey) await api('DELETE', `/api/v1/api-keys/${encodeURIComponent(`e2e-viewer-${run}`)}`).catch(() => undefined);
  if (sessionId) {
    // An unfinished session is cancelled first (which removes its staging), then deleted.
    const state = await api('GET', `/api/v1/clone-sessions/${sessionId}`).then((session) => session.state, () => 'gone');
    if (!['completed', 'cancelled', 'failed', 'created', 'gone'].includes(state)) {
      await api('POST', `/api/v1/clone-sessions/${sessionId}/cancel`, { reason: 'console e2e ended' }).catch(() => undefined);
      await until('the cancelled session done', async () => (await api('GET', `/api/v1/clone-sessions/${sessionId}`)).phase === 'done', 60_000).catch(() => undefined);
    }
    await api('DELETE', `/api/v1/clone-sessions/${sessionId}`).catch((error) => console.log(`session not deleted: ${error.message}`));
  }
  for (const id of Object.values(nodes)) {
    await api('DELETE', `/api/v1/nodes/${id}`).catch((error) => console.log(`node not retired: ${error.message}`));
  }
  try {
    execFileSync('bash', [loopDisks, 'remove', work], { timeout: 60_000, stdio: 'inherit' });
    if (exitCode === 0) rmSync(work, { recursive: true, force: true });
    else console.log(`agent logs kept in ${work}`);
  } catch (error) {
    console.log(`loop disks not removed: ${error.message}`);
  }
  const backends = await api('GET', '/api/v1/storage-backends').catch(() => []);
  for (const backend of backends.filter((b) => b.name === `e2e nfs ${run}`)) {
    await api('DELETE', `/api/v1/storage-backends/${backend.id}`).catch((error) => console.log(`backend not deleted: ${error.message}`));
  }
  const minor = axeFindings.flatMap(({ name, violations }) => violations.map((v) => `${name}: ${v.impact} ${v.id}`));
  console.log(`axe: ${axeFindings.length} pages checked; ${minor.length} minor or moderate findings${minor.length ? `: ${minor.join('; ')}` : ''}`);
  console.log(`${results.filter((r) => r.ok).length}/${results.length} steps passed; screenshots in ${shots}`);
}
process.exit(exitCode);
