// Where the team's shared material lives (the ARI lab, corpora, RFC 4475 torture messages, ASR
// prompt lists): HOTLINE_SHARED_DIR if set, else `../shared` beside the repository, else
// /work/shared (where the project's machines keep it). Never copied into the repository.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function sharedDir(...parts) {
  const candidates = [process.env.HOTLINE_SHARED_DIR, path.join(root, '..', 'shared'), '/work/shared'].filter(
    Boolean,
  );
  const base = candidates.find((dir) => existsSync(dir)) ?? candidates[0];
  return path.join(base, ...parts);
}
