"""Where the public test corpora are, for every test that reads them.

The corpora (hostile and odd messages collected from other mail projects'
test suites) are never copied into the repository: they sit in
``../shared/corpora`` beside the repository's root, on every machine. A test
that needs them skips, naming that folder, only when the folder is absent; a
folder that is there but incomplete makes the tests that count on it fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: ``../shared/corpora`` relative to the repository's root.
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
MISSING_REASON = (
    f"the public corpora are not here: expected the folder ../shared/corpora beside the repository ({CORPORA})"
)

#: Files in the corpora that are not messages (expected outputs, licences, attachments).
_NOT_MESSAGES = {
    ".xml", ".json", ".out", ".bin", ".tnef", ".list", ".rtf", ".png", ".jpg", ".html", ".htm", ".doc",
    ".dat", ".pdf", ".mp3", ".md", ".ini", ".cfg", ".SYS", ".BAT", ".src", ".1", ".2", ".3", ".4",
}
_NOT_MESSAGE_NAMES = {"COPYING", "SOURCES.md", "README.txt", "ARTISTIC-LICENSE.txt"}


def corpora_present(root: Path = CORPORA) -> bool:
    return root.is_dir()


def require_corpora(root: Path = CORPORA) -> Path:
    """The corpora folder; skips the calling test (with the reason) when it is absent."""
    if not corpora_present(root):
        pytest.skip(MISSING_REASON if root == CORPORA else f"the public corpora are not at {root}")
    return root


def corpus_messages(root: Path = CORPORA) -> list[Path]:
    """Every message file of the corpora (not the expected outputs that sit next to them)."""
    if not corpora_present(root):
        return []
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix not in _NOT_MESSAGES and p.name not in _NOT_MESSAGE_NAMES
        and "_decoded_" not in p.name and "/tnef/" not in str(p)
    )


def corpus_params(values: list, argcount: int = 1, root: Path = CORPORA) -> list:
    """``values`` for ``pytest.mark.parametrize`` over ``argcount`` names; without the corpora,
    one case that skips with :data:`MISSING_REASON` (not pytest's anonymous "empty parameter set")."""
    if corpora_present(root):
        return list(values)
    return [pytest.param(*([None] * argcount), marks=pytest.mark.skip(reason=MISSING_REASON), id="corpora-missing")]


def corpus_id(path: object) -> str | None:
    """A readable test id: the file's path inside the corpora."""
    if isinstance(path, Path):
        try:
            return str(path.relative_to(CORPORA))
        except ValueError:
            return str(path)
    return None
