#!/usr/bin/env node
// The first step of `npm start` and `npm test`, before anything the project depends on can be loaded:
// checks Node.js and runs `npm ci` when node_modules is missing or does not match package-lock.json.
// Plain CommonJS with Node's own modules only, because it runs before the dependencies exist.
'use strict';

const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const say = (msg) => process.stderr.write(`[fuusio] ${msg}\n`);

function checkNode() {
  const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node; // ">=20.3.0"
  const [major, minor] = process.versions.node.split('.').map(Number);
  const [, wantMajor, wantMinor] = /(\d+)\.(\d+)/.exec(wanted).map(Number);
  if (major < wantMajor || (major === wantMajor && minor < wantMinor)) {
    say(`Node.js ${wanted} is needed; this is ${process.version}. Install Node.js 20 (e.g. apt-get install nodejs) and try again.`);
    process.exit(1);
  }
}

/** Why node_modules does not match the lock, or undefined when it does. */
function staleReason() {
  const installedLock = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installedLock)) return 'node_modules is missing';
  const wanted = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
  const installed = JSON.parse(readFileSync(installedLock, 'utf8')).packages;
  for (const [where, pkg] of Object.entries(wanted)) {
    if (where === '' || pkg.link) continue;
    const have = installed[where];
    // Optional packages for other platforms are never installed; everything else must be there, same version.
    if (!have) {
      if (pkg.optional) continue;
      return `${where.replace(/^node_modules\//, '')} is not installed`;
    }
    if (have.version !== pkg.version) return `${where.replace(/^node_modules\//, '')} is ${have.version}, the lock wants ${pkg.version}`;
  }
  for (const where of Object.keys(installed)) {
    if (!(where in wanted)) return `${where.replace(/^node_modules\//, '')} is installed but not in the lock`;
  }
  return undefined;
}

checkNode();
const reason = staleReason();
if (reason !== undefined) {
  say(`${reason}: running npm ci`);
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    say('npm ci failed (see above). It needs the npm registry; nothing else is installed globally.');
    process.exit(1);
  }
}
