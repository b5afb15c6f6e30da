// End-to-end test of the console in Debian's Chromium (playwright-core, no browser download),
// against the real stack that stack.sh starts: services, nginx serving frontend/dist, PostgreSQL,
// Kafka and the local nfs-ganesha. Every screen is screenshotted to build-e2e/screenshots and checked
// with axe-core (no serious or critical violation). Exit code 0 when every step passed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const BASE = process.env.PUREBOOT_E2E_URL ?? 'https://127.0.0.1:18443';
const ADMIN_KEY = process.env.PUREBOOT_E2E_ADMIN_KEY;
const NFS_SERVER = process.env.PUREBOOT_E2E_NFS_SERVER ?? '127.0.0.1';
const NFS_EXPORT = process.env.PUREBOOT_E2E_NFS_EXPORT ?? '/pureboot';
const shots = join(here, '..', 'build-e2e', 'screenshots');
const axePath = join(here, '..', 'node_modules', 'axe-core', 'axe.min.js');
const axeSource = readFileSync(axePath, 'utf8');
const run = Date.now().toString(36);
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

if (!ADMIN_KEY) throw new Error('PUREBOOT_E2E_ADMIN_KEY is required');
mkdirSync(shots, { recursive: true });

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

function disk(stableId, serial, sizeBytes, partitions) {
  return {
    stable_id: stableId, device_path: '/dev/vda', serial, wwn: null, model: 'QEMU HARDDISK', size_bytes: sizeBytes,
    logical_sector_size: 512, physical_sector_size: 512, table_type: partitions.length ? 'gpt' : 'none', partitions,
  };
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

  const nodes = {};
  await step('register nodes in the console; their disks (imported inventories) drawn to scale', async () => {
    await page.getByRole('link', { name: 'Nodes' }).click();
    const hex = () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
    for (const name of ['source', 'target-a', 'target-b']) {
      const mac = `52:54:00:${hex()}:${hex()}:${hex()}`;
      await page.locator('details', { hasText: 'Register a node' }).evaluate((details) => { details.open = true; });
      await page.getByLabel('MAC address', { exact: true }).fill(mac);
      await page.getByLabel('Name', { exact: true }).fill(`e2e ${name} ${run}`);
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('heading', { name: `e2e ${name} ${run}` }).waitFor();
      const list = await api('GET', '/api/v1/nodes');
      nodes[name] = list.find((node) => node.name === `e2e ${name} ${run}`).id;
    }
    await api('PUT', `/api/v1/nodes/${nodes.source}/inventory`, { hostname: 'source', disks: [disk(`e2e-src-${run}`, `SRC${run}`, 8 * GiB, [
      { number: 1, start_bytes: MiB, size_bytes: 512 * MiB, type_id: 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b', filesystem: 'vfat', used_bytes: 40 * MiB, can_shrink: false, can_grow: false, logical: false },
      { number: 2, start_bytes: 513 * MiB, size_bytes: 8 * GiB - 514 * MiB - 64 * 1024, type_id: '0fc63daf-8483-4772-8e79-3d69d8477de4', filesystem: 'ext4', used_bytes: 2 * GiB, minimum_size_bytes: 1536 * MiB, can_shrink: true, can_grow: true, logical: false },
    ])] });
    await api('PUT', `/api/v1/nodes/${nodes['target-a']}/inventory`, { hostname: 'a', disks: [disk(`e2e-a-${run}`, `TGTA${run}`, 6 * GiB, [
      { number: 1, start_bytes: MiB, size_bytes: 5 * GiB, type_id: '0fc63daf-8483-4772-8e79-3d69d8477de4', filesystem: 'xfs', used_bytes: GiB, can_shrink: false, can_grow: true, logical: false },
    ])] });
    await api('PUT', `/api/v1/nodes/${nodes['target-b']}/inventory`, { hostname: 'b', disks: [disk(`e2e-b-${run}`, `TGTB${run}`, 16 * GiB, [])] });
    // The planner learns inventories from Kafka: wait until it has all three (the wizard reads the targets' too),
    // then reload until the page shows them.
    for (const id of Object.values(nodes)) {
      for (let attempt = 0; attempt < 60; attempt++) {
        if (await api('GET', `/api/v1/inventories/${id}`).then(() => true, () => false)) break;
        await page.waitForTimeout(500);
      }
    }
    const picture = page.getByRole('img', { name: new RegExp(`Partitions of e2e-src-${run}`) });
    for (let attempt = 0; attempt < 30 && (await picture.count()) === 0; attempt++) {
      await page.waitForTimeout(1000);
      await page.reload();
      await page.getByRole('heading', { name: 'Nodes' }).waitFor();
      await page.waitForLoadState('networkidle');
    }
    await picture.waitFor();
    await check(page, '05-nodes');
  });

  await step('the wizard defines a staged session with two targets', async () => {
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: 'New clone' }).click();
    await page.getByLabel('Session name', { exact: true }).fill(`e2e session ${run}`);
    await check(page, '06-wizard-mode');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: new RegExp(`e2e source ${run}`) }).check({ force: true });
    await page.getByRole('radio', { name: new RegExp(`e2e-src-${run}`) }).check({ force: true });
    await check(page, '07-wizard-source');
    await page.getByRole('button', { name: 'Next' }).click();
    for (const [name, id] of [['target-a', `e2e-a-${run}`], ['target-b', `e2e-b-${run}`]]) {
      await page.getByRole('radio', { name: new RegExp(`e2e ${name} ${run}`) }).check({ force: true });
      await page.getByRole('radio', { name: new RegExp(id) }).check({ force: true });
      await page.getByRole('button', { name: 'Add this target' }).click();
    }
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

  await step('each target gets a plan; an edit is saved by the server; a stale edit (409) reloads', async () => {
    // The planner learns the session and the inventories from Kafka: ask again until both plans exist.
    for (let attempt = 0; attempt < 30; attempt++) {
      if (await page.getByRole('list', { name: 'Partitions' }).count() >= 2) break;
      await page.waitForTimeout(1000);
      const sessions = await api('GET', '/api/v1/clone-sessions');
      sessionId = sessions.find((session) => session.name === `e2e session ${run}`).id;
      await fetch(`${BASE}/api/v1/clone-sessions/${sessionId}/analyze`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: '{}' });
      await page.getByRole('button', { name: 'Reload plans' }).click();
    }
    await page.getByRole('list', { name: 'Partitions' }).nth(1).waitFor();
    await check(page, '11-wizard-plans');
    const size = page.getByRole('textbox', { name: /Partition 2 \(ext4\) size in GiB/ }).first();
    await size.fill('3');
    await size.press('Enter');
    await page.getByText(/Saved as version \d+/).first().waitFor({ timeout: 20_000 });
    const plans = await api('GET', `/api/v1/clone-sessions/${sessionId}/plans`);
    const saved = plans.targets.find((target) => target.disk_id === `e2e-a-${run}`).plan;
    if (saved.origin !== 'edited' || saved.partitions[1].new_size_bytes !== 3 * GiB) {
      throw new Error(`the server holds ${saved.partitions[1].new_size_bytes} (${saved.origin}), not the 3 GiB edit`);
    }
    // Someone else changes the plan meanwhile: the console's next edit gets 409 and reloads, never overwrites.
    const target = plans.targets.find((t) => t.disk_id === `e2e-a-${run}`);
    await api('PUT', `/api/v1/clone-sessions/${sessionId}/plan?target=${target.node_id}`, {
      version: saved.version, partitions: [{ partition: 1, action: 'keep' }, { partition: 2, new_size_bytes: 3.5 * GiB }],
    });
    await size.fill('4');
    await size.press('Enter');
    await page.getByText(/current plan was reloaded/).first().waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('input')].some((input) => input.value === '3.5'));
    const after = (await api('GET', `/api/v1/clone-sessions/${sessionId}/plans`)).targets.find((t) => t.disk_id === `e2e-a-${run}`).plan;
    if (after.partitions[1].new_size_bytes !== 3.5 * GiB) throw new Error(`the stale edit overwrote the plan: ${after.partitions[1].new_size_bytes}`);
    await check(page, '11b-wizard-plan-reloaded');
  });

  await step('review asks for the end of the serial of a disk with partitions, then starts', async () => {
    await page.getByRole('button', { name: 'Review' }).click();
    const start = page.getByRole('button', { name: 'Start the clone' });
    if (!(await start.isDisabled())) throw new Error('start was possible before the serial was typed');
    await page.getByLabel(/Type the last 4 characters of the serial of e2e-a-/).fill(`TGTA${run}`.slice(-4));
    await check(page, '12-wizard-review');
    await start.click();
    await page.waitForURL(`${BASE}/sessions/${sessionId}`);
  });

  await step('the session detail is live (SSE): phase stepper, bars, audit timeline', async () => {
    await page.getByText('● live').waitFor();
    await page.locator('[aria-current="step"]').first().waitFor();
    await page.getByRole('progressbar').nth(2).waitFor();
    await page.getByRole('heading', { name: 'Audit timeline' }).waitFor();
    await page.getByText('clone-session.defined').first().waitFor({ timeout: 30_000 });
    await check(page, '13-session-detail');
  });

  await step('deleting the backend while the session stages on it is refused, with the server reason', async () => {
    // storage-service provisions the session's staging area from a Kafka event: wait until it exists.
    const backend = (await api('GET', '/api/v1/storage-backends')).find((candidate) => candidate.name === backendName);
    for (let attempt = 0; attempt < 60; attempt++) {
      if ((await api('GET', `/api/v1/storage-backends/${backend.id}/staging-areas`)).length > 0) break;
      await page.waitForTimeout(500);
    }
    await page.getByRole('link', { name: 'Storage' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: backendName }) });
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete backend' }).click();
    await card.getByText(/Not deleted/).waitFor();
    await check(page, '13b-storage-delete-refused');
    await page.goto(`${BASE}/sessions/${sessionId}`);
  });

  await step('a deep link works on reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: `e2e session ${run}` }).waitFor();
  });

  await step('cancel asks for confirmation, then the session ends cancelled and staging is cleaned up', async () => {
    await page.getByRole('button', { name: 'Cancel session' }).click();
    await check(page, '14-cancel-confirmation');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel the session' }).click();
    await page.getByText('cancelled', { exact: true }).first().waitFor({ timeout: 30_000 });
    for (let attempt = 0; attempt < 40; attempt++) {
      const session = await api('GET', `/api/v1/clone-sessions/${sessionId}`);
      if (session.phase === 'done') break;
      await page.waitForTimeout(1000);
    }
    await page.getByText('clone-session.cancelled').first().waitFor({ timeout: 30_000 });
    await check(page, '15-session-cancelled');
  });

  await step('resize plans screen', async () => {
    await page.goto(`${BASE}/sessions/${sessionId}/plans`);
    await page.getByRole('tab').first().waitFor();
    await check(page, '16-plans');
  });

  await step('an admin creates a viewer key; it is shown once', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name', { exact: true }).fill(`e2e-viewer-${run}`);
    await page.getByRole('button', { name: 'Create key' }).click();
    viewerKey = (await page.locator('code.secret').textContent()).trim();
    await check(page, '17-api-keys');
  });

  await step('narrow window', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${BASE}/sessions/${sessionId}`);
    await page.getByRole('heading', { name: `e2e session ${run}` }).waitFor();
    await check(page, '18-session-narrow');
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
    await check(page, '19-viewer-storage');
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
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  // Leave the shared database as it was found, as far as the API allows.
  if (viewerKey) await api('DELETE', `/api/v1/api-keys/${encodeURIComponent(`e2e-viewer-${run}`)}`).catch(() => undefined);
  if (sessionId) await api('DELETE', `/api/v1/clone-sessions/${sessionId}`).catch(() => undefined);
  const backends = await api('GET', '/api/v1/storage-backends').catch(() => []);
  for (const backend of backends.filter((b) => b.name === `e2e nfs ${run}`)) {
    await api('DELETE', `/api/v1/storage-backends/${backend.id}`).catch((error) => console.log(`backend not deleted: ${error.message}`));
  }
  const minor = axeFindings.flatMap(({ name, violations }) => violations.map((v) => `${name}: ${v.impact} ${v.id}`));
  console.log(`axe: ${axeFindings.length} pages checked; ${minor.length} minor or moderate findings${minor.length ? `: ${minor.join('; ')}` : ''}`);
  console.log(`${results.filter((r) => r.ok).length}/${results.length} steps passed; screenshots in ${shots}`);
}
process.exit(exitCode);
