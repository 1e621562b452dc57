"""Every file replacement in the package goes through ``core.fileops.replace_with_retry``
(issue 15 item 3: Windows refuses ``os.replace`` while a virus scanner, a backup program or
another copy of GovMail holds the file; fileops waits that out and then says "in use by
another program" instead of "no write access").

Two parts: the outbox (its state, its message pack, queuing and removing an entry, setting
a damaged entry aside) survives a brief hold, shown with a fake ``os.replace`` that refuses
like Windows; and a guard over the source: no module calls ``os.replace``, ``os.rename``,
``os.renames``, ``shutil.move``, ``Path.replace`` or ``Path.rename`` itself except
``core/fileops.py`` (and the ``ALLOWED`` table, with the reason). The guard proves itself on
planted samples.
"""

from __future__ import annotations

import ast
import errno
import os
from pathlib import Path

import pytest

import govmail_desktop
from govmail_desktop.core import fileops
from govmail_desktop.core.compose import Draft, DraftAttachment

PACKAGE = Path(govmail_desktop.__file__).parent

#: Module (relative to the package, POSIX form) -> why it may replace/rename directly.
ALLOWED: dict[str, str] = {
    "core/fileops.py": "the one implementation: replace_with_retry and move_without_replacing",
    "core/logging_setup.py": "the log file handler itself: fileops logs a failed replacement, which "
    "would re-enter this handler in the middle of its rollover; a failed shift is noted in the "
    "log and the rollover tried again later",
}

#: ``receiver.method`` calls that look like ``Path.replace(target)`` but are not files -> what they are.
NOT_FILES: dict[str, str] = {
    "self.live.replace": "policy/live.py: LivePolicy.replace swaps the policy in force, no file",
}

_OS_FUNCTIONS = frozenset({"replace", "rename", "renames"})


def direct_replacements(source: str, filename: str = "<sample>") -> list[str]:
    """``file:line call`` for every direct replace/rename in ``source``.

    Found: ``os.replace/rename/renames`` (also through ``import os as x`` or
    ``from os import replace``), ``shutil.move``, and a ``.replace(target)`` /
    ``.rename(target)`` method call with one positional argument and no keywords —
    ``Path.replace``/``Path.rename``; ``str.replace`` takes two, ``datetime.replace`` keywords.
    """
    tree = ast.parse(source, filename)
    os_names = {"os"}
    shutil_names = {"shutil"}
    bare: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "os":
                    os_names.add(alias.asname or "os")
                elif alias.name == "shutil":
                    shutil_names.add(alias.asname or "shutil")
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "shutil"):
            for alias in node.names:
                if (node.module == "os" and alias.name in _OS_FUNCTIONS) or (
                    node.module == "shutil" and alias.name == "move"
                ):
                    bare[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        what = None
        if isinstance(func, ast.Name) and func.id in bare:
            what = bare[func.id]
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if owner in os_names and func.attr in _OS_FUNCTIONS:
                what = f"os.{func.attr}"
            elif owner in shutil_names and func.attr == "move":
                what = "shutil.move"
            elif (
                func.attr in ("replace", "rename")
                and len(node.args) == 1
                and not node.keywords
                and ast.unparse(func) not in NOT_FILES
            ):
                what = f"Path.{func.attr}"
        if what:
            found.append(f"{filename}:{node.lineno} {what}")
    return found


def test_no_module_replaces_or_renames_files_itself():
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in ALLOWED:
            continue
        found += direct_replacements(path.read_text(encoding="utf-8"), relative)
    assert found == [], "use core.fileops.replace_with_retry (or add to ALLOWED with a reason)"


def test_the_allowed_modules_exist_and_do_replace():
    for relative, reason in ALLOWED.items():
        assert reason
        assert direct_replacements((PACKAGE / relative).read_text(encoding="utf-8"), relative)


@pytest.mark.parametrize(
    "sample",
    [
        "import os\nos.replace(a, b)\n",
        "import os\nos.rename(a, b)\n",
        "import os as _os\n_os.renames(a, b)\n",
        "from os import replace\nreplace(a, b)\n",
        "from os import rename as mv\nmv(a, b)\n",
        "import shutil\nshutil.move(a, b)\n",
        "from pathlib import Path\nPath(tmp).replace(path)\n",
        "tmp.rename(final)\n",
        "self.root.joinpath(name).replace(aside)\n",
    ],
)
def test_the_guard_catches_a_planted_replacement(sample):
    assert len(direct_replacements(sample)) == 1


@pytest.mark.parametrize(
    "sample",
    [
        "text.replace('a', 'b')\n",
        "data.replace(b'\\r\\n', b'\\n')\n",
        "moment.replace(tzinfo=zone)\n",
        "draft = replace(draft, subject='x')\n",  # dataclasses.replace
        "saved.rename(search_id, name)\n",
        "from govmail_desktop.core.fileops import replace_with_retry\nreplace_with_retry(a, b)\n",
        "change = self.live.replace(new)\n",  # NOT_FILES
    ],
)
def test_the_guard_leaves_other_replaces_alone(sample):
    assert direct_replacements(sample) == []


# --- the outbox under a Windows hold ----------------------------------------------------------


def _held(winerror: int, path: str) -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file", path)
    # Python sets winerror on Windows only.
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


class BriefHold:
    """``os.replace`` refusing the first ``failures`` calls whose source or target ends with
    ``suffix`` (winerror 32, as a virus scanner looking at the file causes)."""

    def __init__(self, suffix: str, failures: int) -> None:
        self.suffix, self.failures, self.refused = suffix, failures, 0
        self.real = os.replace

    def __call__(self, src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        if self.refused < self.failures and (str(src).endswith(self.suffix) or str(dst).endswith(self.suffix)):
            self.refused += 1
            raise _held(32, str(dst))
        self.real(src, dst)


@pytest.fixture
def hold(monkeypatch):
    monkeypatch.setattr(fileops, "_sleep", lambda _seconds: None)

    def install(suffix: str, failures: int = 2) -> BriefHold:
        fake = BriefHold(suffix, failures)
        monkeypatch.setattr(os, "replace", fake)
        return fake

    return install


def _outbox(tmp_path: Path):
    from govmail_desktop.store.outbox import OutboxStore

    return OutboxStore(tmp_path / "outbox")


def _add(store):
    att = DraftAttachment("รายงาน ๑.pdf", "application/pdf", 5, "att-1")
    draft = Draft.new("acct", sender="a@x.go.th", to="b@y.go.th", subject="ทดสอบ", attachments=(att,))
    return store.add(
        draft, lambda _att: b"%PDF-", wire=b"wire", sent_copy=b"sent", message_id="<m@x.go.th>",
        envelope_from="a@x.go.th", envelope_recipients=["b@y.go.th"], subject="ทดสอบ",
    )


@pytest.mark.parametrize("suffix", ["message.pack", "state.json", ".new"])
def test_outbox_queues_a_message_while_a_scanner_holds_a_file(tmp_path, hold, suffix):
    store = _outbox(tmp_path)
    fake = hold(suffix)
    entry = _add(store)
    assert fake.refused == 2
    assert store.wire(entry.entry_id) == b"wire"


def test_outbox_state_update_waits_out_a_hold(tmp_path, hold, monkeypatch):
    """The state log held by another program refuses the append (Windows): the state is
    written whole instead, its replacement waiting out the hold."""
    from govmail_desktop.store import outbox_files
    from govmail_desktop.store.outbox import OutboxState

    store = _outbox(tmp_path)
    entry = _add(store)
    fake = hold("state.json")

    def held_append(path, mode="r", *args, **kwargs):
        if str(path).endswith("state.json") and any(c in mode for c in "aw+"):  # written in place
            raise _held(32, str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(outbox_files, "open", held_append, raising=False)
    store.update(entry.entry_id, state=OutboxState.SENDING)
    assert fake.refused == 2
    assert store.get(entry.entry_id).state is OutboxState.SENDING


def test_outbox_remove_waits_out_a_hold(tmp_path, hold):
    store = _outbox(tmp_path)
    entry = _add(store)
    fake = hold(entry.entry_id)
    store.remove(entry.entry_id)
    assert fake.refused == 2
    assert list(store.entries()) == []


def test_outbox_server_offers_kept_through_a_hold(tmp_path, hold):
    from govmail_desktop.store.outbox import ServerOffers

    store = _outbox(tmp_path)
    fake = hold("server.json")
    store.remember_server_offers(ServerOffers(True, True))
    assert fake.refused == 2
    assert store.server_offers() == ServerOffers(True, True)


def test_a_draft_discarded_while_a_scanner_holds_it(tmp_path, hold):
    from govmail_desktop.store.drafts import DraftStore

    store = DraftStore(tmp_path / "drafts")
    draft = Draft.new("acct-1", sender="somchai@moi.go.th", subject="ขอเชิญประชุม")
    store.save(draft)
    fake = hold(draft.draft_id)
    store.discard(draft.draft_id)
    assert fake.refused == 2
    assert not store.draft_dir(draft.draft_id).exists()
