"""Build the Debian package of GovMail Desktop over the PyInstaller bundle (``make deb``), stdlib only.

The tree (``build/deb/root``)::

    /opt/govmail-desktop/                    the bundle (govmail, govmail-admin, _internal/)
    /usr/bin/govmail, /usr/bin/govmail-admin symlinks into it
    /usr/share/applications/govmail-desktop.desktop            (mailto: handler)
    /usr/share/metainfo/th.go.mail.GovMailDesktop.metainfo.xml (AppStream)
    /usr/share/icons/hicolor/scalable/apps/govmail-desktop.svg
    /usr/share/man/man1/govmail.1.gz, govmail-admin.1.gz       (from their --help)
    /usr/share/doc/govmail-desktop/{copyright,changelog.gz,examples/}
    /usr/share/lintian/overrides/govmail-desktop
    /etc/govmail/policy.json                 conffile: an example that sets nothing

No maintainer scripts: dpkg's triggers (desktop-file-utils, hicolor-icon-theme, man-db)
refresh the desktop, icon and manual databases. ``Depends`` lists the Debian packages of the
libraries the bundle loads but does not carry (libc, GL/EGL, xcb, Wayland), found with
readelf and dpkg, versioned by their shlibs files; the libraries PyInstaller copied from this
Debian system are taken out of the bundle and depended on instead (security updates through
apt). Shared objects are stripped. Then ``dpkg-deb --root-owner-group
--build`` and lintian (errors fail the build; tags overridden only with a reason in
packaging/linux/lintian-overrides).

Usage: python tools/build_deb.py --bundle build/bundle/govmail-desktop --out build/deb [--no-lintian]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
PACKAGE = "govmail-desktop"
ARCH = "amd64"
OPT = Path("opt") / PACKAGE
DOC = Path("usr/share/doc") / PACKAGE
CONFFILE = "/etc/govmail/policy.json"
EXECUTABLES = ("govmail", "govmail-admin")
METAINFO = "th.go.mail.GovMailDesktop.metainfo.xml"
DESKTOP = "govmail-desktop.desktop"
APP_ICON = "govmail-desktop.svg"
#: dpkg-deb's compression: xz at a moderate level (Debian 12's dpkg and lintian read it;
#: level 6 halves the time of 9 for 1-2 % more bytes).
COMPRESSION = ("-Zxz", "-z6")
ELF_MAGIC = b"\x7fELF"


class BuildError(RuntimeError):
    """The package cannot be built (the text says why)."""


def version() -> str:
    text = (ROOT / "govmail_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise BuildError("no __version__ in govmail_desktop/__init__.py")
    return match.group(1)


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == ELF_MAGIC


def needed_libraries(path: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=False).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def external_libraries(bundle: Path) -> set[str]:
    """Sonames some ELF file of the bundle needs that the bundle does not carry."""
    carried: set[str] = set()
    elves: list[Path] = []
    for path in bundle.rglob("*"):
        if is_elf(path):
            elves.append(path)
        if path.is_file():
            carried.add(path.name)
    needed = {name for elf in elves for name in needed_libraries(elf)}
    return {name for name in needed if name not in carried}


def _ldconfig_paths() -> dict[str, str]:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths: dict[str, str] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) \(libc6,x86-64[^)]*\) => (\S+)", line)
        if match:
            paths.setdefault(match.group(1), match.group(2))
    return paths


def _owning_package(path: str) -> str:
    for candidate in (path, os.path.realpath(path), re.sub(r"^/lib/", "/usr/lib/", path),
                      re.sub(r"^/usr/lib/", "/lib/", path)):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    raise BuildError(f"no Debian package owns {path}")


def _shlibs_dependency(package: str, soname: str) -> str:
    """``libxcb1 (>= 1.11.1)`` from the package's shlibs file, else the package's name."""
    match = re.match(r"(.+)\.so\.(\d+)$", soname) or re.match(r"(.+)-(\d[\d.]*)\.so$", soname)
    shlibs = Path("/var/lib/dpkg/info") / f"{package}.shlibs"
    if not shlibs.is_file():
        shlibs = Path("/var/lib/dpkg/info") / f"{package}:{ARCH}.shlibs"
    if match and shlibs.is_file():
        for line in shlibs.read_text(encoding="utf-8").splitlines():
            words = line.split(None, 2)  # "libxcb 1 libxcb1 (>= 1.12)"; "udeb: …" lines never match
            if len(words) == 3 and words[0] == match.group(1) and words[1] == match.group(2):
                return words[2].strip()
    return package


def depends(bundle: Path) -> str:
    """The Depends field: one entry per Debian package of the libraries the bundle needs."""
    locations = _ldconfig_paths()
    entries: dict[str, str] = {}
    for soname in sorted(external_libraries(bundle)):
        path = locations.get(soname)
        if path is None:
            raise BuildError(f"the bundle needs {soname}, which is not installed on this machine")
        package = _owning_package(path).split(":")[0]
        dep = _shlibs_dependency(package, soname)
        key = dep.split()[0]
        # The strictest version wins when two libraries of one package ask differently.
        if key not in entries or len(dep) > len(entries[key]):
            entries[key] = dep
    return ", ".join(entries[key] for key in sorted(entries))


def unbundle_system_libraries(opt: Path) -> list[str]:
    """Remove the shared libraries PyInstaller copied from this Debian system into the bundle.

    A library in ``_internal/`` byte-identical to the one ldconfig finds here came from a
    Debian package (zlib, libpng, freetype, expat, OpenSSL, …): the package depends on it
    instead (:func:`depends`), so the desk gets Debian's security updates of it, and lintian's
    embedded-library checks hold. Libraries of the wheels (Qt, ICU, Python's) stay.
    """
    locations = _ldconfig_paths()
    removed = []
    for path in sorted((opt / "_internal").iterdir()):
        system = locations.get(path.name)
        # libpython stays: the bootloader loads it from _internal/ by its path.
        if system is None or path.name.startswith("libpython") or not is_elf(path):
            continue
        if Path(system).resolve().read_bytes() == path.read_bytes():
            path.unlink()
            removed.append(path.name)
    return removed


def strip_binaries(opt: Path) -> None:
    """Strip debugging symbols from the shared objects (not the two executables: PyInstaller
    appends the application's archive to them, which strip would cut off)."""
    objects = [str(p) for p in opt.rglob("*") if is_elf(p) and p.parent != opt]
    for start in range(0, len(objects), 100):
        subprocess.run(["strip", "--strip-unneeded", "--remove-section=.comment", "--remove-section=.note",
                        *objects[start:start + 100]], check=True)


def _gzip(data: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0,
                                                 filename="") as out:
        out.write(data)


def _install(source: Path, target: Path, mode: int = 0o644) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def man_page(bundle: Path, program: str, summary: str, date: str, ver: str) -> bytes:
    """A manual page from the program's own ``--help`` (English)."""
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", GOVMAIL_LANG="en")
    env.pop("LANGUAGE", None)
    result = subprocess.run(
        [str(bundle / program), "--lang", "en", "--help"], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )
    if result.returncode != 0 or not result.stdout.strip():
        result = subprocess.run([str(bundle / program), "--help"], capture_output=True, text=True, env=env,
                                timeout=120, check=False)
    if result.returncode != 0:
        raise BuildError(f"{program} --help failed: {result.stderr.strip()}")
    body = result.stdout.replace("\\", "\\e").splitlines()
    escaped = "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in body)
    return (
        f'.TH {program.upper()} 1 "{date}" "GovMail Desktop {ver}" "User Commands"\n'
        f".SH NAME\n{program} \\- {summary}\n"
        f".SH SYNOPSIS\n.B {program}\n[\\fIOPTION\\fR...]\n"
        f".SH DESCRIPTION\n.nf\n{escaped}\n.fi\n"
        ".SH FILES\n.TP\n.I /etc/govmail/policy.json\nThe machine policy (read only when owned by root and "
        "writable by root alone).\n"
        ".SH SEE ALSO\n"
        + (".BR govmail-admin (1)\n" if program == "govmail" else ".BR govmail (1)\n")
    ).encode("utf-8")


def assemble(bundle: Path, tree: Path, ver: str) -> None:
    """The package's file tree under ``tree`` (DEBIAN/ included)."""
    if not (bundle / "_internal").is_dir() or not all((bundle / exe).is_file() for exe in EXECUTABLES):
        raise BuildError(f"{bundle} is not the bundle (run make bundle)")
    if tree.exists():
        shutil.rmtree(tree)
    opt = tree / OPT
    shutil.copytree(bundle, opt, symlinks=True)
    # Owners come from dpkg-deb (--root-owner-group); modes are set here: programs 0755,
    # everything else 0644 (shared libraries need no execute bit), folders 0755.
    for dirpath, _dirnames, filenames in os.walk(opt):
        Path(dirpath).chmod(0o755)
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                path.chmod(0o644)
    removed = unbundle_system_libraries(opt)
    print(f"Left to Debian's packages (Depends): {', '.join(removed) or 'nothing'}")
    strip_binaries(opt)
    for exe in EXECUTABLES:
        (opt / exe).chmod(0o755)
        link = tree / "usr/bin" / exe
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(f"/{OPT}/{exe}")
    _install(LINUX / DESKTOP, tree / "usr/share/applications" / DESKTOP)
    _install(LINUX / METAINFO, tree / "usr/share/metainfo" / METAINFO)
    icons = sorted(opt.rglob(APP_ICON))
    if not icons:
        raise BuildError(f"the bundle has no {APP_ICON}")
    _install(icons[0], tree / "usr/share/icons/hicolor/scalable/apps" / APP_ICON)
    _install(LINUX / "policy.json", tree / CONFFILE.lstrip("/"))
    _install(LINUX / "copyright", tree / DOC / "copyright")
    _gzip((LINUX / "changelog").read_bytes(), tree / DOC / "changelog.gz")
    for example in (ROOT / "docs" / "sample-policy.json", ROOT / "packaging" / "policy" / "govmail.schema.json"):
        if example.is_file():
            _install(example, tree / DOC / "examples" / example.name)
    _install(LINUX / "lintian-overrides", tree / "usr/share/lintian/overrides" / PACKAGE)
    date = time.strftime("%B %Y", time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))))
    for program, summary in (("govmail", "e-mail for Thai government officials (desktop application)"),
                             ("govmail-admin", "check and explain a GovMail Desktop installation")):
        _gzip(man_page(opt, program, summary, date, ver), tree / "usr/share/man/man1" / f"{program}.1.gz")
    for dirpath, _dirnames, _filenames in os.walk(tree):
        Path(dirpath).chmod(0o755)

    debian = tree / "DEBIAN"
    debian.mkdir(mode=0o755)
    size_kib = sum(
        (p.lstat().st_size + 1023) // 1024 for p in tree.rglob("*") if not p.is_dir() and debian not in p.parents
    )
    control = (LINUX / "control.in").read_text(encoding="utf-8")
    control = control.replace("@VERSION@", ver).replace("@INSTALLED_SIZE@", str(size_kib))
    control = control.replace("@DEPENDS@", depends(opt))
    (debian / "control").write_text(control, encoding="utf-8")
    (debian / "conffiles").write_text(CONFFILE + "\n", encoding="utf-8")
    sums = []
    for path in sorted(tree.rglob("*")):
        if debian in path.parents or path.is_symlink() or not path.is_file():
            continue
        digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        sums.append(f"{digest}  {path.relative_to(tree)}\n")
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    for name in ("control", "conffiles", "md5sums"):
        (debian / name).chmod(0o644)


def build(tree: Path, out: Path, ver: str) -> Path:
    deb = out / f"{PACKAGE}_{ver}_{ARCH}.deb"
    if deb.exists():
        deb.unlink()
    subprocess.run(["dpkg-deb", "--root-owner-group", *COMPRESSION, "--build", str(tree), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    return deb


def lintian(deb: Path) -> int:
    """lintian over the package: its report printed, non-zero when it finds an error."""
    if shutil.which("lintian") is None:
        raise BuildError("lintian is not installed: sh tools/install-system-deps.sh package")
    result = subprocess.run(["lintian", "--fail-on", "error", "--display-info", str(deb)], check=False)
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "build/bundle" / PACKAGE)
    parser.add_argument("--out", type=Path, default=ROOT / "build/deb")
    parser.add_argument("--no-lintian", action="store_true", help="skip lintian (for quick local builds)")
    args = parser.parse_args(argv)
    ver = version()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        assemble(args.bundle, args.out / "root", ver)
        deb = build(args.out / "root", args.out, ver)
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"build_deb: {exc}", file=sys.stderr)
        return 1
    built = time.monotonic()
    print(f"{deb} ({deb.stat().st_size / 2**20:.1f} MiB, built in {built - started:.0f} s)")
    if args.no_lintian:
        return 0
    code = lintian(deb)
    print(f"lintian: {'errors found' if code else 'no errors'} ({time.monotonic() - built:.0f} s)")
    return 1 if code else 0


if __name__ == "__main__":
    sys.exit(main())
