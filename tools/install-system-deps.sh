#!/bin/sh
# Installs the Debian packages a make target needs, when they are missing.
# Usage: tools/install-system-deps.sh run|test|demo
# As root on Debian/Ubuntu it installs them with apt-get; otherwise it lists
# what is missing (and fails for "test", which cannot run without them).
set -eu
target=${1:-run}

# Python with venv; the shared libraries PySide6's wheels expect; a Thai font is
# bundled with the app, so none is needed here for the UI itself.
base="python3 python3-venv python3-pip make libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0
 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4
 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0
 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1"
# Real servers for the tests and the demo: Dovecot (IMAP + LMTP), a Secret
# Service (gnome-keyring in a D-Bus session), an X screen for screenshots.
servers="dovecot-imapd dovecot-lmtpd gnome-keyring dbus dbus-x11 xvfb xauth"

case "$target" in
  run) want="$base" ;;
  demo|test) want="$base $servers" ;;
  *) echo "usage: $0 run|test|demo" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian-based system: install the equivalents of: $want" >&2
  exit 0
fi

missing=""
for p in $want; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing  # with recommends, as tested (e.g. Xvfb's base fonts)
  # The distribution's Dovecot service is not used: tests run private instances.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now dovecot >/dev/null 2>&1 || true; fi
else
  echo "Missing Debian packages:$missing" >&2
  echo "Install them with: sudo apt-get install$missing" >&2
  [ "$target" = run ] || exit 1
fi
