#!/usr/bin/env bash
# Debian's Chromium for Playwright. Playwright's own browser download is not used: Kvarter's
# CI machines reach Debian's package archive but not the browser vendors' download hosts.
set -euo pipefail
# pdftoppm (poppler-utils) renders the follow-up report's PDF to PNG in the end-to-end tests.
if command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium and poppler-utils for the end-to-end tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
  exit 0
fi
echo "Chromium is missing and cannot be installed here (needs root and apt-get)." >&2
echo "Install it (e.g. 'sudo apt-get install chromium') or set KVARTER_E2E=skip." >&2
[ "${KVARTER_E2E:-}" = "skip" ] || exit 1
