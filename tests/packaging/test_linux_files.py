"""The Debian package's own files (packaging/linux/), checked without building it: the example
machine policy loosens nothing, the AppStream metadata is valid and agrees with the app, every
lintian override says why, the changelog names this version. ``make test-deb`` builds and
installs the package itself (tests/packaging/test_deb.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from govmail_desktop import APP_ID, __version__
from govmail_desktop.policy import sources
from tools import build_deb

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"

#: What the example may set without changing a rule: its own identification.
NOT_RULES = {"schema_version", "description"}


def changed_rules(candidate: Mapping[str, Any], default: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Every rule whose effective value differs from the built-in default: (default, candidate)."""
    keys = (set(candidate) | set(default)) - NOT_RULES
    return {k: (default.get(k), candidate.get(k)) for k in sorted(keys) if candidate.get(k) != default.get(k)}


def test_the_conffile_is_where_the_app_reads_the_machine_policy():
    assert build_deb.CONFFILE == sources.LINUX_POLICY_PATH.as_posix()


def test_the_example_policy_loads_cleanly_and_every_rule_is_the_built_in_default():
    example = sources.load_policy_file(LINUX / "policy.json")
    assert example.error is None and example.problems == ()
    default = sources.default_effective_policy()
    assert changed_rules(example.values, default.values) == {}
    set_by_file = {key for key, source in example.sources.items() if source != sources.DEFAULT_SOURCE}
    assert set_by_file <= NOT_RULES


@pytest.mark.parametrize(
    ("planted", "key"),
    [
        ({"servers": {"allow": ["mail.go.th", ".mail.go.th", "imap.gmail.com"]}}, "servers.allow"),
        ({"tls": {"min_version": "1.3"}}, "tls.min_version"),  # stricter is reported too: a change
        ({"content": {"remote_http": True}}, "content.remote_http"),
    ],
)
def test_the_comparison_catches_a_planted_change(tmp_path, planted, key):
    path = tmp_path / "policy.json"
    path.write_text((LINUX / "policy.json").read_text(encoding="utf-8"), encoding="utf-8")
    candidate = sources.load_policy_file(path, overrides=planted)
    assert candidate.error is None
    assert list(changed_rules(candidate.values, sources.default_effective_policy().values)) == [key]


def _metainfo() -> ET.Element:
    return ET.parse(LINUX / build_deb.METAINFO).getroot()


def test_metainfo_names_the_desktop_file_icon_binaries_and_this_version():
    root = _metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("launchable[@type='desktop-id']") == f"{APP_ID}.desktop" == build_deb.DESKTOP
    assert (LINUX / build_deb.DESKTOP).is_file()
    assert root.findtext("icon[@type='stock']") == APP_ID == Path(build_deb.APP_ICON).stem
    assert sorted(b.text or "" for b in root.iterfind("provides/binary")) == sorted(build_deb.EXECUTABLES)
    assert "x-scheme-handler/mailto" in [m.text for m in root.iterfind("provides/mediatype")]
    assert [r.get("version") for r in root.iterfind("releases/release")][0] == __version__
    thai = [e for e in root.iter() if e.get("{http://www.w3.org/XML/1998/namespace}lang") == "th"]
    assert {e.tag for e in thai} >= {"name", "summary", "p"}


@pytest.mark.linux_only  # appstreamcli, ldconfig
def test_metainfo_passes_appstreamcli():
    validator = shutil.which("appstreamcli")
    assert validator, "appstreamcli is not installed (Debian package appstream): make test installs it"
    result = subprocess.run([validator, "validate", "--no-net", str(LINUX / build_deb.METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_changelog_and_version_agree():
    first = (LINUX / "changelog").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"govmail-desktop ({__version__}) ")
    assert build_deb.version() == __version__


def unjustified_overrides(text: str) -> list[str]:
    """Override lines with no comment (their reason) in the block of lines above them."""
    missing, reason = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            reason = False
        elif stripped.startswith("#"):
            reason = True
        elif not reason:
            missing.append(stripped)
    return missing


def test_every_lintian_override_says_why():
    text = (LINUX / "lintian-overrides").read_text(encoding="utf-8")
    overrides = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert overrides and all(re.match(r"govmail-desktop: [a-z0-9-]+( .+)?$", o) for o in overrides)
    assert unjustified_overrides(text) == []


def test_an_override_without_a_reason_is_reported():
    planted = "# a reason\ngovmail-desktop: a-tag\n\ngovmail-desktop: hidden-tag [x]\n"
    assert unjustified_overrides(planted) == ["govmail-desktop: hidden-tag [x]"]


def test_shlibs_lines_give_the_versioned_dependency(tmp_path, monkeypatch):
    info = tmp_path / "info"
    info.mkdir()
    (info / "libxcb1:amd64.shlibs").write_text(
        "libxcb 1 libxcb1 (>= 1.12)\nudeb: libxcb 1 libxcb1-udeb (>= 1.12)\n", encoding="utf-8"
    )
    real_path = Path

    def fake_path(*parts: str) -> Path:
        if parts and parts[0] == "/var/lib/dpkg/info":
            return real_path(info, *parts[1:])
        return real_path(*parts)

    monkeypatch.setattr(build_deb, "Path", fake_path)
    assert build_deb._shlibs_dependency("libxcb1", "libxcb.so.1") == "libxcb1 (>= 1.12)"
    assert build_deb._shlibs_dependency("libother1", "libother.so.1") == "libother1"


@pytest.mark.linux_only  # appstreamcli, ldconfig
def test_only_libraries_copied_from_this_debian_system_leave_the_bundle(tmp_path):
    """A library byte-identical to the system's goes (the package depends on it); a library of
    the same name that differs (a wheel's own build) and libpython stay."""
    system = build_deb._ldconfig_paths()
    zlib = Path(system["libz.so.1"]).resolve()
    internal = tmp_path / "opt" / "_internal"
    internal.mkdir(parents=True)
    (internal / "libz.so.1").write_bytes(zlib.read_bytes())
    expat = Path(system["libexpat.so.1"]).resolve().read_bytes()
    (internal / "libexpat.so.1").write_bytes(expat + b"\0")  # planted: not Debian's file
    python_lib = "libpython3.11.so.1.0"  # the bootloader loads it from _internal/: always kept
    (internal / python_lib).write_bytes(Path(system.get(python_lib, zlib)).resolve().read_bytes())
    assert build_deb.unbundle_system_libraries(tmp_path / "opt") == ["libz.so.1"]
    assert sorted(p.name for p in internal.iterdir()) == sorted(["libexpat.so.1", python_lib])
