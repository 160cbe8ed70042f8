#!/usr/bin/env bash
# Quick start on a fresh Debian/Ubuntu machine with Node 20: installs what is missing (Debian
# packages, npm packages), starts Redis and PostgreSQL, migrates the database and starts the
# hotline with its demo flow on the embedded media server. Arguments go to `hotline start`.
set -euo pipefail
cd "$(dirname "$0")/.."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<12)) { console.error("Hotline needs Node.js 20.12 or newer; this is " + process.version); process.exit(1) }'
bash scripts/install-system-packages.sh all
[[ -d node_modules ]] || npm ci --no-audit --no-fund
bash scripts/start-services.sh
node bin/hotline.mjs db migrate
exec node bin/hotline.mjs start "$@"
