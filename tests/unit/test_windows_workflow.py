"""The Windows CI workflow (.github/workflows/windows.yml) is checked here, since it cannot run here.

- GitHub's workflow schema, as check-jsonschema vendors it (offline);
- what it runs exists and agrees with the rest of the project: every script and tool path, the
  pytest markers (registered in pyproject.toml; the Linux-only ones deselected), the Makefile's
  translations and bundle commands run the same way, the spec, the Python version of
  requires-python, actions pinned to a major version, a timeout on every job, read-only
  permissions, every artifact downloaded is uploaded by a job it needs;
- the smoke script's reading of the self-test (tools/windows_smoke.py) matches what
  ``govmail --self-test`` prints: over a real run here, and over each message's English source.

The check proves itself on modified copies of the workflow (a planted mistake of each kind).
"""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from govmail_desktop import __version__
from govmail_desktop.wiring import self_test
from tools import windows_smoke

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")

#: The actions the workflow may use, each at the major version it is pinned to.
PINNED = {
    "actions/checkout": "v4",
    "actions/setup-python": "v5",
    "actions/upload-artifact": "v4",
    "actions/download-artifact": "v4",
}
#: What cannot run on a Windows runner: deselected by the Windows test run.
NOT_ON_WINDOWS = ("servers", "keyring_daemon", "xvfb", "linux_only", "packaging", "interop_full")
PATH_IN_REPO = re.compile(r"(?<![\w./\\-])((?:tools|tests|packaging|govmail_desktop)/[\w./-]*\w)")
MARKER_WORDS = {"not", "and", "or"}


# -- the checks ---------------------------------------------------------------------------
def schema_problems(path: Path) -> list[str]:
    """GitHub's workflow schema (check-jsonschema's vendored copy: no network)."""
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    return [] if proc.returncode == 0 else [f"schema: {proc.stdout}{proc.stderr}".strip()]


def load(text: str) -> dict[str, Any]:
    data = YAML(typ="safe", pure=True).load(io.StringIO(text))
    assert isinstance(data, dict)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def commands(job: dict[str, Any]) -> list[str]:
    """Each ``run:`` line of a job (continuations joined)."""
    out: list[str] = []
    for step in steps(job):
        for line in str(step.get("run", "")).replace("\\\n", " ").splitlines():
            if line.strip():
                out.append(line.strip())
    return out


def registered_markers() -> set[str]:
    return {m.split(":", 1)[0].strip() for m in PYPROJECT["tool"]["pytest"]["ini_options"]["markers"]}


def marker_expressions(command: str) -> list[str]:
    """The ``-m`` expressions of a pytest command (not Python's ``-m pytest``)."""
    words = shlex.split(command, posix=True)
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w == "-m" and words[i + 1] != "pytest"]


def make_recipe(target: str) -> str:
    """A Makefile rule's commands with ``$(PY)`` as ``python`` (continuations joined)."""
    match = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", MAKEFILE, re.MULTILINE)
    assert match is not None, target
    lines = match.group(1).replace("\\\n", " ").splitlines()
    recipe = [ln.strip() for ln in lines if not ln.strip().startswith("@")]
    return " ".join(" ".join(r.replace("$(PY)", "python").split()) for r in recipe)


def python_version_problems(data: dict[str, Any]) -> list[str]:
    minimum = re.fullmatch(r">=\s*(\d+\.\d+)", PYPROJECT["project"]["requires-python"])
    assert minimum is not None
    found = []
    for name, job in data["jobs"].items():
        for step in steps(job):
            if str(step.get("uses", "")).startswith("actions/setup-python@"):
                version = str((step.get("with") or {}).get("python-version"))
                if version != minimum.group(1):
                    found.append(f"{name}: python-version {version}, requires-python says {minimum.group(1)}")
    return found


def consistency_problems(text: str) -> list[str]:
    """What in the workflow disagrees with the project (empty: nothing)."""
    data = load(text)
    found: list[str] = []
    if data.get("permissions") != {"contents": "read"}:
        found.append(f"permissions: {data.get('permissions')!r}, not contents: read")
    if not (data.get("concurrency") or {}).get("group"):
        found.append("no concurrency group")
    jobs: dict[str, dict[str, Any]] = data["jobs"]
    uploaded = {name: {str((s.get("with") or {}).get("name")) for s in steps(job)
                       if str(s.get("uses", "")).startswith("actions/upload-artifact@")} for name, job in jobs.items()}
    for name, job in jobs.items():
        if not isinstance(job.get("timeout-minutes"), int):
            found.append(f"{name}: no timeout-minutes")
        needs = job.get("needs") or []
        needs = [needs] if isinstance(needs, str) else list(needs)
        for step in steps(job):
            uses = str(step.get("uses", ""))
            if uses:
                action, _, ref = uses.partition("@")
                if PINNED.get(action) != ref:
                    found.append(f"{name}: {uses} is not one of the pinned actions {PINNED}")
            if uses.startswith("actions/download-artifact@"):
                artifact = str((step.get("with") or {}).get("name"))
                if not any(artifact in uploaded[n] for n in needs):
                    found.append(f"{name}: downloads {artifact}, which no job it needs uploads")
        for command in commands(job):
            for rel in PATH_IN_REPO.findall(command):
                if not (ROOT / rel).exists():
                    found.append(f"{name}: {rel} does not exist ({command})")
            if "pytest" in command:
                for expression in marker_expressions(command):
                    for word in re.findall(r"[A-Za-z_]\w*", expression):
                        if word not in MARKER_WORDS and word not in registered_markers():
                            found.append(f"{name}: marker {word!r} is not registered in pyproject.toml")
            if "windows_smoke.py" in command:
                args = shlex.split(command.split("windows_smoke.py", 1)[1], posix=True)
                try:
                    windows_smoke.build_parser().parse_args(args)
                except SystemExit:
                    found.append(f"{name}: windows_smoke.py does not take: {args}")
    found += python_version_problems(data)
    found += _test_job_problems(jobs.get("test", {}))
    found += _msi_and_install_problems(jobs)
    return found


def _test_job_problems(job: dict[str, Any]) -> list[str]:
    found: list[str] = []
    runs = commands(job)
    translations = make_recipe("govmail_desktop/_generated/%.qm")
    bundle = make_recipe("bundle")
    for what, recipe in (("translations", translations), ("bundle", bundle)):
        if recipe not in runs:
            found.append(f"test: the {what} are not built as the Makefile does ({recipe})")
    spec = re.search(r"\S+\.spec", bundle)
    if spec is None or not (ROOT / spec.group(0)).is_file():
        found.append(f"test: no spec file in {bundle}")
    pytest_runs = [i for i, c in enumerate(runs) if "-m pytest" in c]
    if translations in runs and any(i < runs.index(translations) for i in pytest_runs):
        found.append("test: pytest runs before the translations are built")
    expressions = [e for c in runs if "-m pytest" in c for e in marker_expressions(c)]
    general = [e for e in expressions if e != "windows"]
    for marker in NOT_ON_WINDOWS:
        if not general or not all(f"not {marker}" in e for e in general):
            found.append(f"test: the Windows run does not deselect {marker}")
    if "windows" not in expressions:
        found.append("test: the windows-marked tests are not run (-m windows)")
    env = job.get("env") or {}
    if env.get("QT_QPA_PLATFORM") != "offscreen" or env.get("QT_QPA_FONTDIR") != "C:\\Windows\\Fonts":
        found.append(f"test: Qt environment {env}")
    if job.get("runs-on") != "windows-latest":
        found.append("test: not on windows-latest")
    return found


def _msi_and_install_problems(jobs: dict[str, dict[str, Any]]) -> list[str]:
    found: list[str] = []
    msi_job = jobs.get("msi", {})
    msi_runs = " ".join(commands(msi_job))
    if not re.search(r"tools/build_msi\.py --windows build/bundle/govmail-desktop\b", msi_runs):
        found.append("msi: build_msi.py --windows over the downloaded bundle is not run")
    # make msi and make test-msi: every word of their commands (but the interpreter) in one command.
    for target in ("msi", "test-msi"):
        words = set(make_recipe(target).split()) - {"python", "$(PYTEST_ARGS)"}
        if not any(words <= set(c.split()) for c in commands(msi_job)):
            found.append(f"msi: no command does what make {target} does ({make_recipe(target)})")
    downloads = [s for s in steps(msi_job) if str(s.get("uses", "")).startswith("actions/download-artifact@")]
    if [(s.get("with") or {}).get("path") for s in downloads] != ["build/bundle/govmail-desktop"]:
        found.append("msi: the Windows bundle is not downloaded where make test-msi reads it")
    if "apt-get install -y -qq wixl msitools" not in msi_runs:
        found.append("msi: wixl and msitools are not installed")
    install = jobs.get("install", {})
    runs = " ".join(commands(install))
    for needed in ("'/i'", "'/x'", "'/qn'", "windows_smoke.py admin", "windows_smoke.py self-test"):
        if needed not in runs:
            found.append(f"install: {needed} is not run")
    if runs.find("'/i'") > runs.find("windows_smoke.py self-test") or runs.find("'/x'") < runs.find("self-test"):
        found.append("install: not install, then checks, then uninstall")
    logs = [s for s in steps(install) if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    if not any(s.get("if") == "failure()" and (s.get("with") or {}).get("path") == "install.log" for s in logs):
        found.append("install: install.log is not uploaded on failure")
    if sorted(install.get("needs") or []) != ["msi", "test"]:
        found.append("install: does not need both test and msi")
    return found


def workflow_problems(path: Path) -> list[str]:
    return schema_problems(path) + consistency_problems(path.read_text(encoding="utf-8"))


# -- the workflow as committed ----------------------------------------------------------------
def test_the_windows_workflow_is_valid_and_agrees_with_the_project():
    assert workflow_problems(WORKFLOW) == []


def test_the_makefile_recipes_are_read():
    assert make_recipe("govmail_desktop/_generated/%.qm") == "python tools/build_translations.py"
    assert make_recipe("bundle").endswith("packaging/pyinstaller/govmail.spec")
    assert make_recipe("msi") == "python tools/build_msi.py build/bundle/govmail-desktop"
    assert make_recipe("test-msi").startswith("python -m pytest -m packaging tests/packaging/test_msi.py")


PLANTED = [
    # (what, replace this, with this, a problem that must be reported)
    ("unknown marker", "not xvfb and", "not xvfbb and", "marker 'xvfbb' is not registered"),
    ("missing script", "tools/windows_smoke.py admin", "tools/windows_smok.py admin", "windows_smok.py does not exist"),
    ("schema-invalid key", "    runs-on: windows-latest\n    timeout-minutes: 60",
     "    runs-on: windows-latest\n    timeout-minute: 60", "schema:"),
    ("unpinned action", "actions/checkout@v4", "actions/checkout@main", "actions/checkout@main is not one"),
    ("python version", "python-version: '3.11'", "python-version: '3.12'", "python-version 3.12"),
    ("translations", "python tools/build_translations.py", "python tools/build_translations.py --all",
     "translations are not built as the Makefile does"),
    ("spec", "packaging/pyinstaller/govmail.spec", "packaging/govmail.spec", "packaging/govmail.spec does not exist"),
    ("servers run", "not servers and ", "", "does not deselect servers"),
    ("smoke option", "--allows $env:CI_SERVERS_ALLOW", "--allow-host $env:CI_SERVERS_ALLOW", "does not take"),
    ("artifact", "name: windows-msi\n          path: msi", "name: windows-installer\n          path: msi",
     "downloads windows-installer"),
    ("permissions", "contents: read", "contents: write", "permissions"),
    ("test-msi", "-m packaging tests/packaging/test_msi.py", "-m packaging tests/packaging/test_deb.py",
     "no command does what make test-msi does"),
    ("bundle path", "name: windows-bundle\n          path: build/bundle/govmail-desktop\n\n      - name: MSI",
     "name: windows-bundle\n          path: bundle\n\n      - name: MSI",
     "not downloaded where make test-msi reads it"),
]


@pytest.mark.parametrize(("what", "old", "new", "expected"), PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_mistake_is_caught(tmp_path, what, old, new, expected):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text, what
    planted = tmp_path / "windows.yml"
    planted.write_text(text.replace(old, new, 1), encoding="utf-8")
    # The schema (a subprocess, seconds) for the schema case; the rest is the consistency check's.
    problems = workflow_problems(planted) if expected == "schema:" else consistency_problems(planted.read_text())
    assert any(expected in p for p in problems), problems


# -- the smoke script against the self-test ---------------------------------------------------
def test_every_self_test_line_is_read_by_the_smoke_script():
    """Each report line's English source, formatted, is read back (no Qt needed)."""
    text = "\n".join([
        self_test.WINDOW_SHOWN.format(width=800, height=600, platform="windows").text("en"),
        self_test.FONT_LINE.format(family="Sarabun").text("en"),
        self_test.THAI_LINE.format(families="Sarabun", missing=0).text("en"),
        self_test.ICONS_LINE.format(found=40, total=40).text("en"),
        self_test.KEYRING_LINE.format(backend=windows_smoke.WINDOWS_KEYRING).text("en"),
        self_test.COUNTRY_LINE.format(address=self_test.THAI_ADDRESS, country="TH").text("en"),
        self_test.PASSED.text("en"),
    ])
    assert windows_smoke.problems(windows_smoke.parse(text)) == []
    assert windows_smoke.LOG_PREFIX == self_test.LOG_PREFIX
    assert windows_smoke.EXPECTED_COUNTRY == self_test.EXPECTED_COUNTRY
    failed = text.replace(self_test.PASSED.text("en"), self_test.FAILED.format(reasons="x").text("en"))
    assert windows_smoke.problems(windows_smoke.parse(failed)) == ["the self-test failed: x"]


@pytest.mark.keyring_daemon
@pytest.mark.usefixtures("secret_service")
def test_the_smoke_script_reads_a_real_self_test_and_its_log(tmp_path):
    home = tmp_path / "home"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    proc = subprocess.run([sys.executable, "-m", "govmail_desktop", "--self-test", "--lang", "en"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=90, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    secret_service = "keyring.backends.SecretService.Keyring"
    report = windows_smoke.parse(proc.stdout)
    assert report.platform == "offscreen" and report.keyring == secret_service and report.country == "TH"
    assert windows_smoke.problems(report, keyring=secret_service) == []
    # The Windows expectation is not met by the Secret Service (the check is not vacuous).
    windows = windows_smoke.WINDOWS_KEYRING
    assert windows_smoke.problems(report) == [f"keyring backend is {secret_service!r}, not {windows}"]
    # A windowed executable without stdout: the same report from the log.
    logged = windows_smoke.log_report(home / "log" / "govmail.log")
    assert windows_smoke.parse(logged) == report
    saved = tmp_path / "out.txt"
    saved.write_text(proc.stdout, encoding="utf-8")
    assert windows_smoke.main(["self-test", "--report", str(saved), "--keyring", secret_service]) == 0
    # Planted: the keyring line says no store, the country line another country.
    broken = proc.stdout.replace(secret_service, "-").replace("lookup): TH", "lookup): US")
    saved.write_text(broken, encoding="utf-8")
    assert windows_smoke.main(["self-test", "--report", str(saved), "--keyring", secret_service]) == 1
    assert windows_smoke.problems(windows_smoke.parse(broken), keyring=secret_service) == [
        f"keyring backend is '-', not {secret_service}",
        f"country of {self_test.THAI_ADDRESS} is 'US', not TH",
    ]


def _admin_tool() -> Path:
    folder = Path(sysconfig.get_path("scripts"))
    here = Path(sys.executable).with_name("govmail-admin")
    for candidate in (folder / "govmail-admin", folder / "govmail-admin.exe", here):
        if candidate.is_file():
            return candidate
    pytest.fail(f"govmail-admin is not installed in {folder} (pip install -e .)")


def test_the_smoke_script_checks_the_real_admin_tool():
    admin = _admin_tool()
    assert windows_smoke.source_version() == __version__
    assert windows_smoke.admin_problems(admin, version=__version__, allows=".mail.go.th", source="built-in") == []
    # Planted: another version, a host the policy does not allow, another source.
    found = windows_smoke.admin_problems(admin, version="9.9.9", allows=".ci.agency.go.th",
                                         source="HKLM\\SOFTWARE\\Policies\\GovMail")
    assert [p.split(" ", 1)[0] for p in found] == ["--version", "servers.allow", "servers.allow"], found
