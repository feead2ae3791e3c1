// Prints the browser wasm's sizes after code splitting (GNU gzip -9, as the rest of the
// build reports sizes): the main module every page loads, what a first visit to each page
// group loads (the main module, the group's own module and the shared chunks it needs, as
// listed in wasm-split's loader), and all modules together.
// Usage: node scripts/wasm-sizes.mjs <pkg dir> <output name>
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name] = process.argv.slice(2);
// Node's zlib compresses wasm about 1 % worse than GNU gzip at the same level.
const gz = (f) => execFileSync('gzip', ['-9', '-c', join(dir, f)], { maxBuffer: 64 << 20 }).length;
const raw = (f) => readFileSync(join(dir, f)).length;
const files = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
const main = `${name}_bg.wasm`;

// The loader names, above each chunk, the split points (pages) that need it.
const loader = readFileSync(join(dir, '__wasm_split.js'), 'utf8');
const needs = new Map();
for (const m of loader.matchAll(/\/\* ([^*]+) \*\/\s*const __chunk_(\d+)/g)) {
  for (const point of m[1].split(', ')) {
    const page = point.replace(/_\d+$/, '');
    if (!needs.has(page)) needs.set(page, []);
    needs.get(page).push(`chunk_${m[2]}.wasm`);
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
const mainGz = gz(main);
console.log(`  browser wasm (gzip -9), ${files.length} modules:`);
console.log(`    main module ${main}: ${raw(main)} bytes raw, ${mainGz} gzipped`);
for (const split of files.filter((f) => f.startsWith('split_')).sort()) {
  const page = split.slice('split_'.length, -'.wasm'.length).replace(/_\d+$/, '');
  const chunks = needs.get(page) ?? [];
  const own = gz(split);
  const shared = chunks.reduce((n, c) => n + gz(c), 0);
  const first = mainGz + own + shared;
  console.log(`    ${page.padEnd(20)} first visit ${kb(first)} (${first} B: main + page ${own} + ${chunks.length} shared chunks ${shared})`);
}
const all = files.reduce((n, f) => n + gz(f), 0);
console.log(`    all modules together: ${all} bytes gzipped`);
