"""The test suite holds on any machine: the corpora are found relative to the repository,
and no test file points at a path of one machine or a document kept outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import corpora

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Folders whose Python files are the test suite and its tools.
SCANNED = ("tests", "benchmarks")

#: An absolute path of one machine (the home of a clone, a user's home, root's home).
_MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|home|root|Users)/[\w.-]+")
#: The folder beside the repository: only tests/corpora.py may name it.
_SHARED_FOLDER = re.compile(r"(?:\.\./|\b)shared/[\w.-]+")
#: A document name ("SECURITY.md", "docs/admin.md").
_DOCUMENT = re.compile(r"(?<![\w/.-])((?:[\w-]+/)*[\w-]+\.md)\b")


def _repo_documents() -> set[str]:
    found: set[str] = set()
    for path in REPO_ROOT.rglob("*.md"):
        relative = path.relative_to(REPO_ROOT)
        if relative.parts[0] in {".venv", ".git", ".interop"} or "egg-info" in relative.parts[0]:
            continue
        found.add(relative.as_posix())
        found.add(path.name)
    return found


def outside_references(text: str, path: Path, documents: set[str]) -> list[str]:
    """What ``text`` (the source of ``path``) points at outside the repository."""
    problems = [f"machine path {m.group(0)}" for m in _MACHINE_PATH.finditer(text)]
    if path.name != "corpora.py":
        problems += [f"folder outside the repository {m.group(0)}" for m in _SHARED_FOLDER.finditer(text)]
        problems += [
            f"document not in the repository {m.group(1)}"
            for m in _DOCUMENT.finditer(text)
            if m.group(1) not in documents and Path(m.group(1)).name not in documents
        ]
    return problems


def _suite_files() -> list[Path]:
    """The suite's Python files but this one (its planted samples are outside references)."""
    here = Path(__file__).resolve()
    return sorted(p for folder in SCANNED for p in (REPO_ROOT / folder).rglob("*.py") if p != here)


# -- the corpora ---------------------------------------------------------------------

def test_the_corpora_are_found_beside_the_repository():
    assert (corpora.REPO_ROOT / "pyproject.toml").is_file()
    assert corpora.CORPORA == corpora.REPO_ROOT.parent / "shared" / "corpora"
    assert "../shared/corpora" in corpora.MISSING_REASON


def test_without_the_corpora_a_test_skips_naming_the_folder(tmp_path):
    absent = tmp_path / "shared" / "corpora"
    with pytest.raises(pytest.skip.Exception, match="public corpora are not at"):
        corpora.require_corpora(absent)
    assert corpora.corpus_messages(absent) == []
    (case,) = corpora.corpus_params([], argcount=3, root=absent)
    assert case.values == (None, None, None)
    assert [m.kwargs["reason"] for m in case.marks] == [corpora.MISSING_REASON]


def test_with_the_corpora_present_nothing_is_skipped(tmp_path):
    root = tmp_path / "corpora"
    (root / "project").mkdir(parents=True)
    (root / "project" / "one.eml").write_bytes(b"Subject: x\n\nbody\n")
    (root / "project" / "one.json").write_text("{}")  # an expected output, not a message
    assert corpora.require_corpora(root) == root
    assert corpora.corpus_messages(root) == [root / "project" / "one.eml"]
    assert corpora.corpus_params(["a", "b"], root=root) == ["a", "b"]


def test_every_test_reading_the_corpora_uses_the_one_helper():
    users = [p for p in _suite_files() if "CORPORA" in p.read_text(encoding="utf-8") and p.name != "corpora.py"]
    assert users, "no test reads the corpora: this guard would prove nothing"
    for path in users:
        text = path.read_text(encoding="utf-8")
        assert "from tests.corpora import" in text, path
        assert not re.search(r"^CORPORA\s*=", text, re.MULTILINE), f"{path} defines its own corpora path"


# -- nothing points outside the repository ------------------------------------------------

@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        # Built from parts so that this file itself names no machine path.
        ('CORPORA = Path("' + "/work" + '/shared/corpora")', "machine path " + "/work" + "/shared"),
        ("# See /home/lead/notes/servers-api.md for the attributes", "machine path /home/lead"),
        ('ROOT = "../shared/corpora"', "folder outside the repository ../shared/corpora"),
        ("# the fast way TESTING.md describes", "document not in the repository TESTING.md"),
        ('"""Guard (SECURITY.md item 8)."""', "document not in the repository SECURITY.md"),
    ],
)
def test_the_reference_guard_catches_a_planted_outside_reference(planted, expected):
    problems = outside_references(planted, REPO_ROOT / "tests" / "planted.py", _repo_documents())
    assert expected in problems


def test_the_reference_guard_accepts_documents_of_the_repository():
    text = "# see docs/admin.md and tests/servers/README.md; README.md at the root"
    assert outside_references(text, REPO_ROOT / "tests" / "planted.py", _repo_documents()) == []


def test_no_test_file_points_outside_the_repository():
    documents = _repo_documents()
    found = {
        str(path.relative_to(REPO_ROOT)): problems
        for path in _suite_files()
        if (problems := outside_references(path.read_text(encoding="utf-8"), path, documents))
    }
    assert found == {}


# -- a missing program fails loudly: `make test` installs it ------------------------------

_SKIPS_ON_XVFB = re.compile(r"skip[^\n]*Xvfb")
_XVFB_TEST = re.compile(r"@pytest\.mark\.xvfb\n(.*?)\ndef \w+\((.*?)\):", re.DOTALL)


def xvfb_problems(text: str) -> list[str]:
    """Tests that skip without Xvfb, or need it without asking for ``xvfb_binary``."""
    problems = [f"skips: {m.group(0)}" for m in _SKIPS_ON_XVFB.finditer(text)]
    problems += [
        f"marked xvfb without the xvfb_binary fixture: {m.group(0).splitlines()[-1]}"
        for m in _XVFB_TEST.finditer(text)
        if "xvfb_binary" not in m.group(1) + m.group(2)
    ]
    return problems


def test_a_missing_xvfb_fails_the_test_instead_of_skipping():
    from tests.gui.conftest import require_xvfb

    with pytest.raises(pytest.fail.Exception, match="Xvfb is not installed.*make test"):
        require_xvfb(lambda name: None)
    assert require_xvfb(lambda name: f"/usr/bin/{name}") == "/usr/bin/Xvfb"


@pytest.mark.parametrize(
    "planted",
    [
        (
            '@pytest.mark.xvfb\n@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")\n'
            '@pytest.mark.usefixtures("xvfb_binary")\ndef test_x(tmp_path):'
        ),
        '@pytest.mark.xvfb\n@pytest.mark.usefixtures("compiled_translations")\ndef test_x(tmp_path, qapp):',
        '    if shutil.which("Xvfb") is None:\n        pytest.skip("no Xvfb")',
    ],
)
def test_the_xvfb_guard_catches_a_planted_skip(planted):
    assert len(xvfb_problems(planted)) == 1


def test_no_test_skips_for_want_of_xvfb():
    texts = {str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8") for p in _suite_files()}
    assert sum(t.count("@pytest.mark.xvfb") for t in texts.values()) >= 2  # the guard has something to check
    assert {name: found for name, text in texts.items() if (found := xvfb_problems(text))} == {}


def test_the_readme_brings_make_before_the_first_make_command():
    """A minimal Debian 12 root (debootstrap) has no make: the set-up says how to get it first."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    setup = text[text.index("## Set-up"):]
    assert "apt-get install -y make git" in setup
    assert setup.index("apt-get install -y make git") < setup.index("make run") < setup.index("make test")
