"""A clean Debian 12 root for installing the .deb (``make test-deb``), stdlib only.

The root is made once with debootstrap (variant minbase, the host's Debian mirror) and kept
as a pristine tarball, ``build/deb12-root.tar``; every test run unpacks it afresh into
``build/deb12-root`` so that a run never sees what an earlier one left. The packages apt
downloads inside the root are kept in ``build/deb12-apt-cache`` (bind-mounted on the root's
``/var/cache/apt/archives``), so reruns do not download them again.

:class:`ChrootSession` mounts /proc, /sys and /dev (and the apt cache) and unmounts them
all on leaving, even on failure; :meth:`ChrootSession.run` runs a command inside.
Needs root (debootstrap, mount, chroot): :func:`require_root` says so clearly.

Command line: ``python tools/deb_chroot.py prepare`` builds the pristine tarball if missing.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
PRISTINE = BUILD / "deb12-root.tar"
CHROOT = BUILD / "deb12-root"
APT_CACHE = BUILD / "deb12-apt-cache"
SUITE = "bookworm"
FALLBACK_MIRROR = "http://deb.debian.org/debian"
#: What a run leaves that says nothing about the package: apt's and dpkg's books, logs,
#: caches, temporary files and the mount points' contents.
VOLATILE = re.compile(
    r"^/(proc|sys|dev|tmp|run|root|var/(cache|lib/apt|lib/dpkg|log|tmp|lib/systemd|lib/ucf|backups))(/|$)"
)


class NotRoot(RuntimeError):
    """The test needs root (debootstrap, mount, chroot)."""


def require_root() -> None:
    if os.geteuid() != 0:
        raise NotRoot(
            "make test-deb needs root: it builds a Debian 12 root with debootstrap, mounts /proc, "
            "/sys and /dev in it and installs the package with apt inside (run it as root, e.g. in CI)."
        )


def host_mirror(sources_dir: Path = Path("/etc/apt")) -> str:
    """The Debian mirror the host's apt uses (deb822 ``URIs:`` or a one-line ``deb`` entry)."""
    files = sorted((sources_dir / "sources.list.d").glob("*.sources")) + [sources_dir / "sources.list"]
    files += sorted((sources_dir / "sources.list.d").glob("*.list"))
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"^URIs:\s*(\S+)", text, re.MULTILINE):
            uri = match.group(1)
            if not uri.rstrip("/").endswith("-security"):
                return uri
        for match in re.finditer(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", text, re.MULTILINE):
            if not match.group(2).endswith("-security"):
                return match.group(1)
    return FALLBACK_MIRROR


def prepare_pristine(log: TextIO = sys.stderr) -> Path:
    """The pristine tarball, made with debootstrap when it does not exist yet."""
    require_root()
    if PRISTINE.is_file():
        return PRISTINE
    if shutil.which("debootstrap") is None:
        raise RuntimeError("debootstrap is not installed: sh tools/install-system-deps.sh package")
    work = BUILD / "deb12-bootstrap"
    if work.exists():
        shutil.rmtree(work)
    work.parent.mkdir(parents=True, exist_ok=True)
    mirror = host_mirror()
    print(f"debootstrap {SUITE} from {mirror} into {work} (once; kept as {PRISTINE})", file=log)
    subprocess.run(
        ["debootstrap", "--variant=minbase", SUITE, str(work), mirror], check=True,
        stdout=subprocess.DEVNULL,
    )
    # The root's apt: the host's mirror, with security updates and bookworm-updates.
    (work / "etc/apt/sources.list").write_text(
        f"deb {mirror} {SUITE} main\ndeb {mirror} {SUITE}-updates main\n"
        f"deb {mirror.replace('/debian', '/debian-security')} {SUITE}-security main\n",
        encoding="utf-8",
    )
    # Keep downloaded packages (the cache is shared between runs); no recommends pulled in
    # silently: the package must declare what it needs.
    (work / "etc/apt/apt.conf.d/90govmail-test").write_text(
        'APT::Install-Recommends "false";\nBinary::apt::APT::Keep-Downloaded-Packages "true";\n',
        encoding="utf-8",
    )
    for leftover in (work / "var/cache/apt/archives").glob("*.deb"):
        leftover.unlink()
    tmp = PRISTINE.with_suffix(".tar.part")
    with tarfile.open(tmp, "w") as tar:
        tar.add(work, arcname=".")
    tmp.replace(PRISTINE)
    shutil.rmtree(work)
    return PRISTINE


def unpack_fresh() -> Path:
    """``build/deb12-root`` unpacked afresh from the pristine tarball."""
    prepare_pristine()
    if CHROOT.exists():
        _unmount_below(CHROOT)
        shutil.rmtree(CHROOT)
    CHROOT.mkdir(parents=True)
    # tar keeps owners, modes, device nodes and hard links as debootstrap made them.
    subprocess.run(["tar", "-xpf", str(PRISTINE), "-C", str(CHROOT)], check=True)
    return CHROOT


def _mounts_below(root: Path) -> list[str]:
    prefix = str(root.resolve())
    points = []
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            point = line.split()[1].replace("\\040", " ")
            if point == prefix or point.startswith(prefix + "/"):
                points.append(point)
    return points


def _unmount_below(root: Path) -> None:
    for point in sorted(_mounts_below(root), key=len, reverse=True):
        subprocess.run(["umount", "-l", point], check=False)


def file_list(root: Path) -> set[str]:
    """Every path under ``root`` (as the root sees it), apart from the VOLATILE ones."""
    found: set[str] = set()
    base = str(root)
    for dirpath, dirnames, filenames in os.walk(root):
        rel = "/" + os.path.relpath(dirpath, base) if dirpath != base else "/"
        rel = "/" if rel == "/." else rel
        if VOLATILE.match(rel):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = (rel.rstrip("/") + "/" + name)
            if not VOLATILE.match(path):
                found.add(path)
    return found


class ChrootSession(contextlib.AbstractContextManager["ChrootSession"]):
    """The root with /proc, /sys, /dev and the apt cache mounted; all unmounted on exit."""

    def __init__(self, root: Path = CHROOT) -> None:
        self.root = root

    def __enter__(self) -> ChrootSession:
        require_root()
        APT_CACHE.mkdir(parents=True, exist_ok=True)
        (APT_CACHE / "partial").mkdir(exist_ok=True)
        try:
            for source, target, options in (
                ("proc", "proc", ["-t", "proc"]),
                ("sysfs", "sys", ["-t", "sysfs"]),
                ("/dev", "dev", ["--bind"]),
                ("/dev/pts", "dev/pts", ["--bind"]),
                (str(APT_CACHE), "var/cache/apt/archives", ["--bind"]),
            ):
                point = self.root / target
                point.mkdir(parents=True, exist_ok=True)
                subprocess.run(["mount", *options, source, str(point)], check=True)
            shutil.copy2("/etc/resolv.conf", self.root / "etc/resolv.conf")
        except BaseException:
            _unmount_below(self.root)
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        _unmount_below(self.root)
        left = _mounts_below(self.root)
        if left:
            raise RuntimeError(f"still mounted under {self.root}: {left}")

    def run(
        self, command: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 600,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """``command`` inside the root (as root, PATH of a Debian system, a C.UTF-8 locale)."""
        environ = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": "/root", "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive",
        }
        environ.update(env or {})
        result = subprocess.run(
            ["chroot", str(self.root), *command], env=environ, capture_output=True, text=True,
            timeout=timeout, check=False,
        )
        if check and result.returncode != 0:
            raise subprocess.CalledProcessError(result.returncode, command, result.stdout, result.stderr)
        return result

    def copy_in(self, source: Path, target: str) -> str:
        dest = self.root / target.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)
        return target


@contextlib.contextmanager
def fresh_root() -> Iterator[ChrootSession]:
    """A freshly unpacked root, mounted for the duration of the block."""
    root = unpack_fresh()
    with ChrootSession(root) as session:
        yield session


if __name__ == "__main__":
    if sys.argv[1:] != ["prepare"]:
        print("usage: python tools/deb_chroot.py prepare", file=sys.stderr)
        sys.exit(2)
    try:
        print(prepare_pristine())
    except NotRoot as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
