#!/usr/bin/env bash
# The tests run a real Alertmanager (Debian's prometheus-alertmanager) and promtool (Debian's prometheus,
# for the rules in deploy/prometheus), and open the playground in Debian's Chromium (with a colour emoji font,
# so the screenshot shows what Slack shows): make sure all are there.
# Runs before `npm test` (the pretest script) and from .ci/run, so a fresh machine needs nothing by hand.
set -euo pipefail

# ensure BINARY PACKAGE SERVICE WHAT: installs PACKAGE with apt-get when BINARY is missing (as root), then
# stops the system SERVICE the package starts: the tests start their own servers on free ports.
ensure() {
  local bin="$1" package="$2" service="$3" what="$4"
  [ -e "$bin" ] && return 0
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "== installing $package for $what (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"; } >/dev/null
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
      systemctl stop "$service"
    elif command -v service >/dev/null && service "$service" status >/dev/null 2>&1; then
      service "$service" stop || true
    fi
    return 0
  fi
  cat >&2 <<MSG
The $what need $package and $bin is not there.
Install it with:  sudo apt-get install -y $package
or point the matching *_BIN variable (ALERTMANAGER_BIN, PROMTOOL_BIN, PROMETHEUS_BIN, CHROMIUM_BIN) at a binary you already have, then run
npm test again.
MSG
  exit 1
}

ensure "${PROMTOOL_BIN:-/usr/bin/promtool}" prometheus prometheus "the alert-rule tests"
ensure "${PROMETHEUS_BIN:-/usr/bin/prometheus}" prometheus prometheus "the metric-history tests (replay, windows)"
ensure "${ALERTMANAGER_BIN:-/usr/bin/prometheus-alertmanager}" prometheus-alertmanager prometheus-alertmanager \
  "the intake tests"
ensure "${CHROMIUM_BIN:-/usr/bin/chromium}" chromium chromium "the playground's browser test"
ensure /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf fonts-noto-color-emoji none "the playground's screenshot"
