"""Qt's own texts (standard buttons, context menus, wizard, file dialog) in Thai.

Qt ships no Thai catalogue; translations/qtbase_th.ts supplies one. These tests
show the Thai on real widgets, and check the catalogue against the lookups Qt
actually makes (a translator that records every ``translate()`` call), so a Qt
upgrade that renames a context or a source text fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QTextEdit,
    QWidget,
    QWizard,
    QWizardPage,
)

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

SB = QDialogButtonBox.StandardButton
MB = QMessageBox.StandardButton
THAI = re.compile("[\u0e00-\u0e7f]")

#: Lookups Qt makes that must stay as they are: key names in shortcuts, the
#: layout-direction switch (untranslated means left-to-right), a percent format.
NOT_TRANSLATED = {
    ("QFileDialog", "Alt+Left"),
    ("QFileDialog", "Alt+Right"),
    ("QFileDialog", "Alt+Up"),
    ("QGuiApplication", "QT_LAYOUT_DIRECTION"),
    ("QProgressBar", "%p%"),
}


def texts(buttons: QDialogButtonBox) -> dict[SB, str]:
    return {buttons.standardButton(b): b.text() for b in buttons.buttons()}


def test_dialog_button_box_ok_cancel_in_thai(language_controller):
    language_controller.apply("th")
    box = QDialogButtonBox(SB.Ok | SB.Cancel)
    assert texts(box) == {SB.Ok: "ตกลง", SB.Cancel: "ยกเลิก"}
    every = QDialogButtonBox(SB.Yes | SB.No | SB.Close | SB.Apply | SB.Help | SB.Save)
    assert texts(every) == {
        SB.Yes: "ใช่(&Y)", SB.No: "ไม่ใช่(&N)", SB.Close: "ปิด", SB.Apply: "นำไปใช้",
        SB.Help: "วิธีใช้", SB.Save: "บันทึก",
    }


def test_message_box_buttons_and_details_in_thai(language_controller, qtbot):
    language_controller.apply("th")
    box = QMessageBox(QMessageBox.Icon.Warning, "t", "x", MB.Ok | MB.Cancel | MB.Yes | MB.No)
    box.setDetailedText("technical detail")
    qtbot.addWidget(box)
    box.open()
    qtbot.waitExposed(box)
    assert box.button(MB.Ok).text() == "ตกลง"
    assert box.button(MB.Cancel).text() == "ยกเลิก"
    assert box.button(MB.Yes).text() == "ใช่(&Y)"
    assert box.button(MB.No).text() == "ไม่ใช่(&N)"
    details = [b.text() for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole]
    assert details == ["แสดงรายละเอียด..."]
    box.close()


def test_line_edit_and_text_edit_context_menus_in_thai(language_controller, qtbot):
    language_controller.apply("th")
    edit = QLineEdit("ข้อความ")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    items = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert items == ["เลิกทำ(&U)", "ทำซ้ำ(&R)", "ตัด(&T)", "คัดลอก(&C)", "วาง(&P)", "ลบ", "เลือกทั้งหมด"]
    menu.deleteLater()

    text = QTextEdit()
    qtbot.addWidget(text)
    text_menu = text.createStandardContextMenu()
    text_items = [a.text().split("\t")[0] for a in text_menu.actions() if not a.isSeparator()]
    assert "คัดลอก(&C)" in text_items and "เลือกทั้งหมด" in text_items
    text_menu.deleteLater()


def test_wizard_buttons_in_thai(language_controller, qtbot):
    language_controller.apply("th")
    wizard = QWizard()
    wizard.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    W = QWizard.WizardButton
    assert wizard.buttonText(W.BackButton) == "< ย้อนกลับ(&B)"
    assert wizard.buttonText(W.NextButton) == "ถัดไป(&N) >"
    assert wizard.buttonText(W.FinishButton) == "เสร็จสิ้น(&F)"
    assert wizard.buttonText(W.CancelButton) == "ยกเลิก"


def test_switching_to_english_retranslates_standard_buttons(language_controller, qtbot):
    language_controller.apply("th")
    box = QDialogButtonBox(SB.Ok | SB.Cancel)
    qtbot.addWidget(box)
    language_controller.apply("en")
    qtbot.waitUntil(lambda: texts(box) == {SB.Ok: "OK", SB.Cancel: "Cancel"})
    language_controller.apply("th")
    qtbot.waitUntil(lambda: texts(box) == {SB.Ok: "ตกลง", SB.Cancel: "ยกเลิก"})


class RecordingTranslator(QTranslator):
    """Remembers every lookup Qt makes and lets the other translators answer."""

    def __init__(self) -> None:
        super().__init__()
        self.lookups: set[tuple[str, str, str | None]] = set()

    def translate(self, context, source, disambiguation=None, n=-1):
        self.lookups.add((context, source, disambiguation))
        return None  # a null string: Qt goes on to the next translator

    def isEmpty(self) -> bool:
        return False


def exercise_standard_widgets(qtbot, empty_dir) -> None:
    """Create the Qt widgets officials meet, so Qt looks up their texts."""
    all_buttons = SB.NoButton
    for button in (SB.Ok, SB.Save, SB.SaveAll, SB.Open, SB.Yes, SB.YesToAll, SB.No, SB.NoToAll,
                   SB.Abort, SB.Retry, SB.Ignore, SB.Close, SB.Cancel, SB.Discard, SB.Help,
                   SB.Apply, SB.Reset, SB.RestoreDefaults):
        all_buttons |= button
    widgets: list[QWidget] = [QDialogButtonBox(all_buttons)]
    box = QMessageBox(QMessageBox.Icon.Information, "t", "x", MB.Ok)
    box.setDetailedText("d")
    widgets.append(box)
    edit, text, spin = QLineEdit("x"), QTextEdit("x"), QSpinBox()
    widgets += [edit, text, spin]
    edit.createStandardContextMenu().deleteLater()
    text.createStandardContextMenu().deleteLater()
    wizard = QWizard()
    wizard.setOption(QWizard.WizardOption.HaveHelpButton)
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    widgets.append(wizard)
    for style in (QWizard.WizardStyle.ClassicStyle, QWizard.WizardStyle.ModernStyle):
        wizard.setWizardStyle(style)
    widgets.append(QProgressDialog())
    widgets.append(QInputDialog())
    file_dialog = QFileDialog(None, "", str(empty_dir))  # no files: no MIME type names
    file_dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    widgets.append(file_dialog)
    for widget in widgets:
        qtbot.addWidget(widget)
        widget.show()
    box.open()
    qtbot.wait(50)


def test_every_text_qt_looks_up_for_standard_widgets_has_thai(language_controller, qapp, qtbot, tmp_path):
    language_controller.apply("th")  # the real catalogue is installed under the recorder
    recorder = RecordingTranslator()
    qapp.installTranslator(recorder)
    try:
        exercise_standard_widgets(qtbot, tmp_path)
    finally:
        qapp.removeTranslator(recorder)

    # Key names stay as printed on keyboards; file-type names come from the
    # freedesktop MIME database, which carries its own Thai.
    asked = {(c, s, d) for c, s, d in recorder.lookups if c not in ("QShortcut", "QMimeType")}
    assert len(asked) > 60, "the recorder saw too little: the test would prove nothing"
    untranslated = sorted(
        (c, s) for c, s, d in asked
        if (c, s) not in NOT_TRANSLATED
        and not THAI.search(QCoreApplication.translate(c, s, d))
    )
    assert untranslated == [], "Qt texts without Thai in translations/qtbase_th.ts"


def test_missing_catalogues_fall_back_to_english_with_a_warning(qapp, tmp_path, caplog):
    from govmail_desktop.ui.qt_i18n import LanguageController

    controller = LanguageController(qapp, tmp_path)  # an empty directory: no .qm at all
    try:
        controller.apply("th")
        assert controller.missing == ["qtbase_th.qm", "govmail_th.qm"]
        assert "make translations" in caplog.text
        assert texts(QDialogButtonBox(SB.Ok)) == {SB.Ok: "OK"}
    finally:
        controller.uninstall()


_GNOME_PROBE = """
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from govmail_desktop.ui.qt_i18n import LanguageController
app = QApplication([])
language = LanguageController(app)  # keep it: it owns the translators
language.apply("th")
SB = QDialogButtonBox.StandardButton
box = QDialogButtonBox(SB.Ok | SB.Cancel | SB.Save | SB.Close | SB.Discard)
print(app.style().name(), "|".join(sorted(b.text() for b in box.buttons())))
"""


@pytest.mark.xvfb
@pytest.mark.usefixtures("xvfb_binary")
def test_gnome_desktop_button_texts_are_thai_too(compiled_translations, tmp_path):
    """On a GNOME desktop Qt asks its GNOME theme (context QGnomeTheme) instead."""
    sys.path.insert(0, str(ROOT / "tools"))
    import screenshot

    with screenshot.xvfb() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_CURRENT_DESKTOP="GNOME",
                   DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-bus'}")
        proc = subprocess.run([sys.executable, "-c", _GNOME_PROBE], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    texts_seen = proc.stdout.strip().split(" ", 1)[1].split("|")
    assert sorted(texts_seen) == sorted(["ตกลง(&O)", "ยกเลิก(&C)", "บันทึก(&S)", "ปิด(&C)", "ปิดโดยไม่บันทึก"])
