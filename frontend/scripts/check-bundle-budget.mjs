#!/usr/bin/env node
// The first page's JavaScript budget: what a browser loads to show the first screen (the entry,
// its static imports, and the landing screen /sessions with its imports), gzip-compressed, at most
// BUDGET bytes. Read from Vite's manifest (the chunk graph); other screens load when opened.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET = 300 * 1024;
const LANDING = 'src/features/sessions/SessionListPage.tsx';
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${dist}.vite/manifest.json`, 'utf8'));

const files = new Set();
function visit(key) {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the build manifest`);
  if (files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
}
visit('index.html');
visit(LANDING);

let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(`${dist}${file}`), { level: 9 }).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} KiB gzip`);
}
console.log(`first page JavaScript: ${(total / 1024).toFixed(1)} KiB gzip (budget ${BUDGET / 1024} KiB)`);
if (total > BUDGET) {
  console.error('over the first-page JavaScript budget');
  process.exit(1);
}
