// Drops, from package-lock.json, optional dependencies that the lock has no entry for: the
// other platforms' native binaries (@node-rs/jieba-win32-*, ...) that the npm registry mirror
// this project is built against does not carry. Without this `npm ci` refuses the lock as
// "missing" them. Run after every `npm install` that changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const names = Object.keys(lock.packages);
let pruned = 0;
for (const entry of Object.values(lock.packages)) {
  const optional = entry.optionalDependencies;
  if (!optional) continue;
  for (const dep of Object.keys(optional)) {
    if (names.some((n) => n === `node_modules/${dep}` || n.endsWith(`/node_modules/${dep}`))) continue;
    delete optional[dep];
    pruned++;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: pruned ${pruned} optional dependencies absent from the registry`);
