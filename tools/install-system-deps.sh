#!/bin/sh
# Installs the Debian packages a make target needs, when they are missing.
# Usage: tools/install-system-deps.sh run|test|demo|interop|package
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
# Checkers the tests run: desktop-file-validate on packaging/linux/govmail-desktop.desktop;
# pdftotext (poppler-utils) reads back the Thai text of a message exported to PDF;
# wixl builds the Windows MSI from packaging/windows/ and msitools (msibuild, msiinfo)
# completes and reads it back (tests/packaging/test_msi.py, `make msi`); appstreamcli
# validates the AppStream metadata of the .deb (tests/packaging/test_linux_files.py).
checks="desktop-file-utils poppler-utils wixl msitools appstream"
# Cyrus and Courier for the interoperability tests. Their server packages conflict
# with dovecot-imapd: they are only downloaded (.interop/debs, see below) and run
# from their unpacked files by tests/servers/{cyrus,courier}.py. Installed here are
# the libraries those files load (none conflicts): sasl2-bin (saslpasswd2) and the
# SASL plugins for Cyrus's private user database; courier-authlib (its library, and
# the "courier" user that Courier's STARTTLS runs as) and gamin (its Maildir watches)
# for Courier.
interop="libpcre3 libxapian30 libical3 libicu72 libjansson4 libpq5 libsqlite3-0 libxml2 libwrap0
 libkrb5-3 libsasl2-2 libsasl2-modules libsasl2-modules-db sasl2-bin libssl3 libcom-err2 zlib1g
 courier-authlib libcourier-unicode4 libgamin0 gamin libgdbm6 libgnutls30 libidn12 util-linux mount"
# Building and testing the packages (`make deb`, `make test-deb`): dpkg-deb, lintian, a
# clean Debian 12 root made with debootstrap, the AppStream and desktop-file checkers.
package="dpkg-dev fakeroot lintian debootstrap appstream desktop-file-utils"
interop_debs="cyrus-common cyrus-imapd courier-base courier-imap"

case "$target" in
  run) want="$base" ;;
  demo) want="$base $servers" ;;
  test) want="$base $servers $checks" ;;
  interop) want="$interop" ;;
  package) want="$package" ;;
  *) echo "usage: $0 run|test|demo|interop|package" >&2; exit 2 ;;
esac

# The Cyrus and Courier packages for the tests: downloaded once into .interop/debs
# (not installed). Idempotent: only missing ones are fetched.
fetch_interop_debs() {
  dir=${GOVMAIL_INTEROP_DEBS:-.interop/debs}
  mkdir -p "$dir"
  need=""
  for p in $interop_debs; do
    ls "$dir/${p}_"*.deb >/dev/null 2>&1 || need="$need $p"
  done
  [ -z "$need" ] && return 0
  echo "Downloading Debian packages for the interoperability tests into $dir:$need"
  # shellcheck disable=SC2086
  (cd "$dir" && apt-get download -q $need) 2>&1 | grep -v 'unsandboxed as root' || true
  for p in $need; do
    if ! ls "$dir/${p}_"*.deb >/dev/null 2>&1; then
      if [ "$(id -u)" -eq 0 ] && [ -z "${interop_updated:-}" ]; then
        interop_updated=1
        apt-get update -qq
        fetch_interop_debs
        return
      fi
      echo "Could not download $p (apt-get download $p)" >&2
      exit 1
    fi
  done
}

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
if [ -z "$missing" ]; then
  if [ "$target" = interop ]; then fetch_interop_debs; fi
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing  # with recommends, as tested (e.g. Xvfb's base fonts)
  # The distribution's Dovecot service is not used: tests run private instances.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now dovecot >/dev/null 2>&1 || true; fi
  if [ "$target" = interop ]; then fetch_interop_debs; fi
else
  echo "Missing Debian packages:$missing" >&2
  echo "Install them with: sudo apt-get install$missing" >&2
  [ "$target" = run ] || exit 1
fi
