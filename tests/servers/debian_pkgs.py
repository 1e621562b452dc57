"""Other IMAP servers from their Debian packages' files, without installing them.

Cyrus and Courier conflict with ``dovecot-imapd`` as installed packages (each
provides and conflicts with ``imap-server``). ``tools/install-system-deps.sh interop`` (run by ``make test``)
installs their non-conflicting libraries with apt and keeps the servers' own packages
as ``.deb`` files in ``.interop/debs/`` (``apt-get download``). Here those files are
unpacked (``dpkg-deb -x``) into a private folder under /tmp, once per test process:
about 0.2 s per server, and the folder is traversable by the unprivileged users the
servers run as (a clone under /root would not be).

Anything missing raises :class:`MissingPrerequisite` naming what is missing and how to
get it: a test that needs the server fails with that text, it is never skipped.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pwd

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Where ``tools/install-system-deps.sh interop`` keeps the downloaded packages.
DEBS_DIR = Path(os.environ.get("GOVMAIL_INTEROP_DEBS", REPO_ROOT / ".interop" / "debs"))
FETCH_HINT = "run `make test` (or, as root, `sh tools/install-system-deps.sh interop`) first"

#: Library directories inside an unpacked package tree (LD_LIBRARY_PATH).
LIBRARY_DIRS = ("usr/lib/x86_64-linux-gnu", "usr/lib")


class MissingPrerequisite(RuntimeError):
    """Something a private server needs is not on this machine (the text says what)."""


def package_file(name: str, debs_dir: Path = DEBS_DIR) -> Path:
    """The downloaded ``.deb`` of package ``name`` (newest if several)."""
    found = sorted(debs_dir.glob(f"{name}_*.deb"))
    if not found:
        raise MissingPrerequisite(f"the Debian package {name} is not in {debs_dir}: {FETCH_HINT}")
    return found[-1]


_lock = threading.Lock()
_unpacked: dict[tuple[Path, tuple[str, ...]], Path] = {}


def unpacked(packages: Iterable[str], debs_dir: Path = DEBS_DIR) -> Path:
    """A folder holding the files of ``packages`` (unpacked once per process, removed at exit)."""
    names = tuple(sorted(packages))
    key = (debs_dir, names)
    with _lock:
        root = _unpacked.get(key)
        if root is not None and root.is_dir():
            return root
        files = [package_file(name, debs_dir) for name in names]
        if shutil.which("dpkg-deb") is None:
            raise MissingPrerequisite("dpkg-deb is missing (package dpkg): cannot unpack the test servers")
        top = Path(tempfile.mkdtemp(prefix="govmail-pkgs-"))
        os.chmod(top, 0o755)
        atexit.register(shutil.rmtree, top, True)
        root = top / "root"
        root.mkdir()
        for deb in files:
            proc = subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], capture_output=True, check=False)
            if proc.returncode != 0:
                raise MissingPrerequisite(
                    f"dpkg-deb -x {deb.name} failed: {proc.stderr.decode(errors='replace').strip()} "
                    f"(delete {deb} and {FETCH_HINT})"
                )
        _unpacked[key] = root
        return root


def library_path(root: Path) -> str:
    """LD_LIBRARY_PATH for binaries of the unpacked tree ``root``."""
    return ":".join(str(root / d) for d in LIBRARY_DIRS)


def missing_libraries(binaries: Iterable[Path], root: Path) -> list[str]:
    """Shared libraries the ``binaries`` need that neither ``root`` nor the system has (ldd)."""
    env = dict(os.environ, LD_LIBRARY_PATH=library_path(root))
    missing: set[str] = set()
    for binary in binaries:
        if not binary.exists():
            missing.add(f"{binary.relative_to(root)} (not in the package)")
            continue
        proc = subprocess.run(["ldd", str(binary)], capture_output=True, env=env, check=False, text=True)
        for line in proc.stdout.splitlines():
            if "=> not found" in line:
                missing.add(line.split("=>")[0].strip())
    return sorted(missing)


def require_libraries(server: str, binaries: Iterable[Path], root: Path, packages: str) -> None:
    """Raise MissingPrerequisite when a binary of ``server`` cannot be loaded."""
    missing = missing_libraries(binaries, root)
    if missing:
        raise MissingPrerequisite(
            f"{server} cannot start: missing shared libraries {', '.join(missing)} "
            f"(Debian packages: {packages}); {FETCH_HINT}"
        )


def require_programs(server: str, programs: dict[str, str]) -> dict[str, str]:
    """Paths of the host programs ``{name: debian package}``; MissingPrerequisite names the absent ones."""
    found: dict[str, str] = {}
    absent = []
    for name, package in programs.items():
        path = shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
        if path is None:
            absent.append(f"{name} (package {package})")
        else:
            found[name] = path
    if absent:
        raise MissingPrerequisite(f"{server} cannot start: missing {', '.join(absent)}; {FETCH_HINT}")
    return found


def require_user(server: str, name: str, package: str) -> pwd.struct_passwd:
    """The system account ``name`` (created by ``package``'s installation)."""
    import pwd  # POSIX only: imported where used, so this module loads on Windows too

    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise MissingPrerequisite(
            f"{server} cannot start: there is no system user {name!r} (installing {package} creates it); {FETCH_HINT}"
        ) from None


def require_root(server: str, why: str) -> None:
    if os.geteuid() != 0:
        raise MissingPrerequisite(f"{server} can only be started as root here: {why}")


__all__ = [
    "DEBS_DIR",
    "FETCH_HINT",
    "MissingPrerequisite",
    "library_path",
    "missing_libraries",
    "package_file",
    "require_libraries",
    "require_programs",
    "require_root",
    "require_user",
    "unpacked",
]
