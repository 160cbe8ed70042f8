#!/usr/bin/env bash
# Installs the Debian packages from scripts/system-packages.txt that this machine lacks.
# Usage: scripts/install-system-packages.sh [start|tests|all]   (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
want=${1:-all}
missing=()
while read -r pkg probe needed; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  [[ "$want" != all && "$needed" != "$want" ]] && continue
  if [[ "$probe" == /* ]]; then [[ -e "$probe" ]] && continue
  else command -v "$probe" >/dev/null 2>&1 && continue; fi
  missing+=("$pkg")
done < "$here/system-packages.txt"
[[ ${#missing[@]} -eq 0 ]] && exit 0
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"
  else echo "Missing Debian packages: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2; exit 1; fi
fi
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
