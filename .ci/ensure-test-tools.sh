#!/usr/bin/env bash
# The tests run a real Alertmanager (Debian's prometheus-alertmanager) and promtool (Debian's prometheus,
# for the rules in deploy/prometheus): make sure both are there.
# Runs before `npm test` (the pretest script) and from .ci/run, so a fresh machine needs nothing by hand.
set -euo pipefail
promtool="${PROMTOOL_BIN:-/usr/bin/promtool}"
if [ ! -x "$promtool" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "== installing prometheus (for promtool) for the alert-rule tests (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus; } >/dev/null
    # The package starts a Prometheus server on :9090; the tests only need promtool, so stop it.
    if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
      systemctl stop prometheus
    elif command -v service >/dev/null && service prometheus status >/dev/null 2>&1; then
      service prometheus stop || true
    fi
  else
    cat >&2 <<MSG
The alert-rule tests need promtool and $promtool is not there.
Install it with:  sudo apt-get install -y prometheus
or point PROMTOOL_BIN at a promtool binary you already have, then run npm test again.
MSG
    exit 1
  fi
fi
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
