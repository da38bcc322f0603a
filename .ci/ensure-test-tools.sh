#!/usr/bin/env bash
# The tests run a real Alertmanager (Debian's prometheus-alertmanager): make sure it is there.
# Runs before `npm test` (the pretest script) and from .ci/run, so a fresh machine needs nothing by hand.
set -euo pipefail
bin="${ALERTMANAGER_BIN:-/usr/bin/prometheus-alertmanager}"
if [ -x "$bin" ]; then exit 0; fi
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "== installing prometheus-alertmanager for the intake tests (apt-get)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-alertmanager; } >/dev/null
  # The package may start a system service on :9093/:9094; the tests start their own, so stop it.
  if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus-alertmanager 2>/dev/null; then
    systemctl stop prometheus-alertmanager
  elif command -v service >/dev/null && service prometheus-alertmanager status >/dev/null 2>&1; then
    service prometheus-alertmanager stop || true
  fi
  exit 0
fi
cat >&2 <<MSG
The intake tests need a real Alertmanager and $bin is not there.
Install it with:  sudo apt-get install -y prometheus-alertmanager
or point ALERTMANAGER_BIN at an alertmanager binary you already have, then run npm test again.
MSG
exit 1
