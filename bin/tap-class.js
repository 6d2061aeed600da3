// Whether tap's built Test class has the plugins .taprc asks for (bin/suite.js builds it first
// when not). tap computes its test processes' loader arguments (--import of each plugin's
// loader) from the class it was started with; it rebuilds a stale class before the files run,
// but their arguments stay the old class's. A fresh install's class has tap's defaults: a fresh
// clone's first run then loaded into every test process the plugins .taprc leaves out, ts-node's
// TypeScript loader among them (about a second of CPU each), whose compile cache, written
// unlocked by eight processes at once, once crashed a test file with SIGILL in CI.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The items of a YAML list under `key:` (block style, `- item`, or flow style, `[a, b]`). */
function yamlList(text, key) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const at = lines.findIndex((l) => new RegExp(`^${key}:`).test(l));
  if (at < 0) return [];
  const unquote = (v) => v.trim().replace(/^(["'])(.*)\1$/, '$2');
  const flow = /^[^:]+:\s*\[(.*)\]\s*(#.*)?$/.exec(lines[at]);
  if (flow) return flow[1].split(',').map(unquote).filter(Boolean);
  const items = [];
  for (const line of lines.slice(at + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const item = /^\s*-\s*(.*?)\s*(#.*)?$/.exec(line);
    if (!item) break; // the next key
    items.push(unquote(item[1]));
  }
  return items;
}

/** The plugins a .taprc asks for: tap's defaults, less each `!name`, plus each other name. */
function wantedPlugins(taprc, defaults) {
  const wanted = new Set(defaults);
  for (const p of yamlList(taprc, 'plugin')) {
    if (p.startsWith('!')) wanted.delete(p.slice(1));
    else wanted.add(p);
  }
  return wanted;
}

/** Whether the built class's plugin signature (one name a line) is other than what .taprc asks for. */
function classIsStale(signature, taprc, defaults) {
  const built = new Set(signature.split('\n').map((p) => p.trim()).filter(Boolean));
  const wanted = wantedPlugins(taprc, defaults);
  return built.size !== wanted.size || [...wanted].some((p) => !built.has(p));
}

/** The installed tap's answer for the project at `root`; false when tap or .taprc cannot be read. */
function installedClassIsStale(root) {
  try {
    const test = path.dirname(require.resolve('@tapjs/test/package.json', { paths: [root] }));
    const signature = /^export const signature = `([^`]*)`/m.exec(fs.readFileSync(path.join(test, 'test-built', 'dist', 'esm', 'index.js'), 'utf8'));
    const defaults = /defaultPlugins = \[([^\]]*)\]/.exec(fs.readFileSync(path.join(test, 'dist', 'esm', 'default-plugins.js'), 'utf8'));
    const taprc = fs.readFileSync(path.join(root, '.taprc'), 'utf8');
    if (!signature || !defaults) return false;
    return classIsStale(signature[1], taprc, [...defaults[1].matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]));
  } catch {
    return false; // not installed (tap says so when it starts) or no .taprc: nothing to build
  }
}

module.exports = { yamlList, classIsStale, installedClassIsStale };
