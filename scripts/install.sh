#!/usr/bin/env bash
# Installs vitals-gateway as a systemd service from a built checkout (`npm ci` ran, dist/ exists)
# on Debian 12 or Raspberry Pi OS bookworm, arm64 or x86_64, with Node.js >= 20.
#
#   sudo scripts/install.sh                  # install, enable and start the service
#   sudo scripts/install.sh --no-start       # install and enable; start it yourself later
#   DESTDIR=/tmp/root scripts/install.sh     # stage everything under a throwaway root (tests,
#                                            # packaging): no systemctl; the service user is
#                                            # added to $DESTDIR/etc/passwd if that file exists
#
# What it puts where:
#   /opt/vitals-gateway/                     the app (dist, bin, config, models, data, production node_modules)
#   /usr/local/bin/vitals-gateway            -> /opt/vitals-gateway/bin/vitals-gateway.js
#   /etc/vitals-gateway/gateway.yaml         starter config (0640 root:vitals; an existing one is kept)
#   /etc/vitals-gateway/credentials/         secrets for LoadCredential= (0700 root)
#   /etc/systemd/system/vitals-gateway.service
#   /var/lib/vitals-gateway/                 data (0700 vitals:vitals)
# Re-running it upgrades the app and the unit and keeps the config, credentials and data.
set -euo pipefail

SOURCE="$(cd "$(dirname "$0")/.." && pwd)"
DESTDIR="${DESTDIR:-}"
SERVICE_USER="vitals"
APP="/opt/vitals-gateway"
START=1
for arg in "$@"; do
  case "$arg" in
    --no-start) START=0 ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "install.sh: $*" >&2; exit 1; }

# --- preconditions: say what is missing and how to get it, before touching anything
command -v node >/dev/null || fail "node not found; install Node.js 20 or later (Debian: apt-get install -y nodejs npm)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  fail "Node.js $(node --version) is too old; vitals-gateway needs 20 or later"
[ -f "$SOURCE/dist/src/cli/entry.js" ] || fail "$SOURCE/dist is missing; run 'npm ci' (or 'npm run build') in $SOURCE first"
[ -d "$SOURCE/node_modules" ] || fail "$SOURCE/node_modules is missing; run 'npm ci' in $SOURCE first"
case "$(uname -m)" in
  aarch64 | x86_64) ;;
  *) echo "install.sh: $(uname -m) is untested (tested: aarch64 Raspberry Pi OS, x86_64 Debian); continuing" >&2 ;;
esac
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then fail "run as root (sudo), or set DESTDIR to stage into a folder"; fi
ROOT="${DESTDIR%/}"

# --- the service user (system account, no login, no home of its own beyond the data dir)
if [ -z "$ROOT" ]; then
  getent group bluetooth >/dev/null || groupadd --system bluetooth # the unit's SupplementaryGroups= needs it
  id "$SERVICE_USER" >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir /var/lib/vitals-gateway --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
elif [ -f "$ROOT/etc/passwd" ] && [ "$(id -u)" -eq 0 ]; then
  grep -q '^bluetooth:' "$ROOT/etc/group" || groupadd --root "$ROOT" --system bluetooth
  grep -q "^$SERVICE_USER:" "$ROOT/etc/passwd" ||
    useradd --root "$ROOT" --system --user-group --home-dir /var/lib/vitals-gateway --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
else
  echo "install.sh: $ROOT/etc/passwd absent: not creating the '$SERVICE_USER' user in the staged root" >&2
fi
# Numeric ids from the target's own passwd (inside DESTDIR they need not exist on this host).
uid_gid() {
  local line
  line="$(grep "^$SERVICE_USER:" "$ROOT/etc/passwd" 2>/dev/null || true)"
  [ -n "$line" ] && echo "$line" | awk -F: '{print $3 ":" $4}'
}
OWNER="$(uid_gid || true)"
own() { if [ -n "$OWNER" ] && [ "$(id -u)" -eq 0 ]; then chown "$@"; fi; }

# --- the app: a copy of the built checkout with production dependencies only
install -d -m 0755 "$ROOT$APP" "$ROOT/usr/local/bin"
rm -rf "$ROOT$APP.new"
install -d -m 0755 "$ROOT$APP.new"
for part in bin dist config data models systemd package.json package-lock.json README.md; do
  cp -a "$SOURCE/$part" "$ROOT$APP.new/"
done
install -d "$ROOT$APP.new/src/adapters/http" "$ROOT$APP.new/devices"
cp -a "$SOURCE/src/adapters/http/console" "$ROOT$APP.new/src/adapters/http/"
cp -a "$SOURCE/devices/README.md" "$ROOT$APP.new/devices/"
cp -a "$(readlink -f "$SOURCE/node_modules")" "$ROOT$APP.new/node_modules" # a checkout may link it elsewhere
(cd "$ROOT$APP.new" && npm prune --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null)
rm -rf "$ROOT$APP.old"
[ -d "$ROOT$APP" ] && mv "$ROOT$APP" "$ROOT$APP.old"
mv "$ROOT$APP.new" "$ROOT$APP"
rm -rf "$ROOT$APP.old"
ln -sfn "$APP/bin/vitals-gateway.js" "$ROOT/usr/local/bin/vitals-gateway"

# --- config and secrets: never overwrite what the owner edited
install -d -m 0750 "$ROOT/etc/vitals-gateway"
own "root:${OWNER#*:}" "$ROOT/etc/vitals-gateway"
install -d -m 0700 "$ROOT/etc/vitals-gateway/credentials"
if [ -f "$ROOT/etc/vitals-gateway/gateway.yaml" ]; then
  install -m 0640 "$SOURCE/config/gateway.example.yaml" "$ROOT/etc/vitals-gateway/gateway.yaml.new"
  echo "kept /etc/vitals-gateway/gateway.yaml; the new example is gateway.yaml.new"
else
  install -m 0640 "$SOURCE/config/gateway.example.yaml" "$ROOT/etc/vitals-gateway/gateway.yaml"
fi
own "root:${OWNER#*:}" "$ROOT/etc/vitals-gateway/gateway.yaml"*

# --- data dir and unit
install -d -m 0700 "$ROOT/var/lib/vitals-gateway"
own "$OWNER" "$ROOT/var/lib/vitals-gateway"
install -D -m 0644 "$SOURCE/systemd/vitals-gateway.service" "$ROOT/etc/systemd/system/vitals-gateway.service"

"$ROOT$APP/bin/vitals-gateway.js" check-config "$ROOT/etc/vitals-gateway/gateway.yaml" >/dev/null ||
  fail "the installed config does not validate; fix $ROOT/etc/vitals-gateway/gateway.yaml"

if [ -n "$ROOT" ]; then
  echo "staged into $ROOT"
  exit 0
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable vitals-gateway.service >/dev/null
  if [ "$START" -eq 1 ]; then systemctl restart vitals-gateway.service; fi
else
  echo "install.sh: systemd is not running here; start it with: sudo -u $SERVICE_USER vitals-gateway run --config /etc/vitals-gateway/gateway.yaml" >&2
fi
cat <<EOF
vitals-gateway $(node -p "require('$APP/package.json').version") installed.
  config:   /etc/vitals-gateway/gateway.yaml (then: systemctl reload vitals-gateway)
  a token:  sudo -u $SERVICE_USER vitals-gateway token create --role nurse --name "ward 3" --data-dir /var/lib/vitals-gateway
  status:   systemctl status vitals-gateway; journalctl -u vitals-gateway
EOF
