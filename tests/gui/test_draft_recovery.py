"""The start-up offer of unsent drafts: listed in Thai, Open hands them on, Later keeps them,
Discard (after asking) removes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from govmail_desktop.core.compose import Draft
from govmail_desktop.services.drafts_service import DraftsService
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.ui.draft_recovery import offer_unsent_drafts


@pytest.fixture
def setup(qtbot, tmp_path: Path, language_controller):
    language_controller.apply("th")
    store = DraftStore(tmp_path / "drafts")
    drafts = [
        Draft.new("acct-1", subject="ขอเชิญประชุม", to="saraban@dopa.go.th"),
        Draft.new("acct-1", text="ร่างที่ยังไม่มีเรื่อง"),
    ]
    for d in drafts:
        store.save(d)
    service = DraftsService(store)
    parent = QWidget()
    qtbot.addWidget(parent)
    yield store, service, parent, drafts
    service.shutdown()


def test_nothing_is_offered_when_no_draft_was_left(qtbot, tmp_path) -> None:
    service = DraftsService(DraftStore(tmp_path / "none"))
    parent = QWidget()
    qtbot.addWidget(parent)
    try:
        assert offer_unsent_drafts(parent, service, lambda d: None) is None
    finally:
        service.shutdown()


def test_open_hands_the_ticked_drafts_to_the_composer(setup, qtbot) -> None:
    store, service, parent, drafts = setup
    opened: list[Draft] = []
    dialog = offer_unsent_drafts(parent, service, opened.append)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "ร่างจดหมายที่ยังไม่ได้ส่ง"
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("ขอเชิญประชุม" in t and "saraban@dopa.go.th" in t for t in texts)
    assert any("(ไม่มีเรื่อง)" in t for t in texts)
    assert any("พ.ศ." in t for t in texts)  # Buddhist-era date
    dialog.open_button.click()
    assert sorted(d.draft_id for d in opened) == sorted(d.draft_id for d in drafts)
    assert len(store.unsent()) == 2  # still kept until sent or discarded


def test_later_keeps_every_draft(setup, qtbot) -> None:
    store, service, parent, _ = setup
    opened: list[Draft] = []
    dialog = offer_unsent_drafts(parent, service, opened.append)
    assert dialog is not None
    dialog.later_button.click()
    assert opened == []
    assert len(store.unsent()) == 2


def test_discard_asks_then_removes_the_ticked_drafts(setup, qtbot) -> None:
    store, service, parent, drafts = setup
    dialog = offer_unsent_drafts(parent, service, lambda d: None)
    assert dialog is not None
    from PySide6.QtCore import Qt

    keep_id = drafts[0].draft_id
    for i in range(dialog.list.count()):
        item = dialog.list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == keep_id:
            item.setCheckState(Qt.CheckState.Unchecked)
    dialog.discard_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox)
                    or dialog.findChild(QMessageBox, "draftDiscardQuestion") is not None)
    box = dialog.findChild(QMessageBox, "draftDiscardQuestion")
    assert box.button(QMessageBox.StandardButton.Yes).text() == "ทิ้ง"
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: service.pending == 0 and len(store.unsent()) == 1)
    assert [d.draft_id for d in store.unsent()] == [keep_id]


# -- the real thing: an app killed while autosaving, then the next start -----------------------
_STARTUP_PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides

def shown(ctx):
    def report():
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if w.objectName() == "draftRecoveryDialog" and w.isVisible()]
        print(json.dumps({"offers": [[d.list.item(i).text() for i in range(d.list.count())] for d in dialogs]},
                         ensure_ascii=False))
        ctx.app.quit()
    QTimer.singleShot(0, report)

sys.exit(main([], AppOverrides(on_window_shown=shown)))
"""


@pytest.mark.usefixtures("compiled_translations")
def test_after_a_killed_run_the_next_start_offers_the_draft_back(tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys

    from tests.unit.store.test_drafts_durability import CHILD_SERVICE, REPO, _run_and_kill

    home = tmp_path / "home"
    _run_and_kill(CHILD_SERVICE, home / "data" / "drafts", "2d" * 16, 3)

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home))
    proc = subprocess.run([sys.executable, "-c", _STARTUP_PROBE], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    offers = json.loads(proc.stdout.strip().splitlines()[-1])["offers"]
    assert len(offers) == 1 and len(offers[0]) == 1
    assert "ร่างหนังสือ" in offers[0][0]  # the subject the killed run was writing
