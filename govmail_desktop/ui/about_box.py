"""Help → About: the version, the domestic-server rule, where the machine policy came from
(the words ``govmail-admin policy show`` uses: :func:`policy.sources.source_text`), and that
updates come through the agency's IT staff (no updater, no telemetry)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from govmail_desktop import APP_NAME, __version__
from govmail_desktop.policy.sources import source_text
from govmail_desktop.ui import icons

# The texts keep the main window's translation context (where they were first translated);
# lupdate reads the literal context of each QCoreApplication.translate call.


def about_html(policy_origins: Sequence[str], policy_ok: bool) -> str:
    """The box's text in the current language; ``policy_origins`` from EffectivePolicy.origins
    (empty: the policy paragraph is left out)."""
    paragraphs = [
        html.escape(QCoreApplication.translate("MainWindow", "Version {version}").format(version=__version__)),
        html.escape(QCoreApplication.translate(
            "MainWindow",
            "This program connects only to mail servers in Thailand that your agency "
            "allows, following the Cabinet resolution of 18 December 2007 on the use "
            "of domestic government e-mail servers (domestic-server policy).",
        )),
    ]
    if policy_origins:
        sources = ", ".join(source_text(label) for label in policy_origins)
        policy = html.escape(QCoreApplication.translate("MainWindow", "Policy source: {sources}").format(
            sources=sources))
        if not policy_ok:
            policy += "<br>" + html.escape(QCoreApplication.translate(
                "MainWindow",
                "The policy is invalid: the program connects to no mail server until your IT staff fix it.",
            ))
        paragraphs.append(policy)
    paragraphs.append(html.escape(QCoreApplication.translate(
        "MainWindow",
        "Updates come from your agency's IT staff. The program does not update itself and sends no usage data.",
    )))
    paragraphs.append(html.escape(QCoreApplication.translate(
        "MainWindow", "Thai font: Sarabun (SIL Open Font License).")))
    return f"<h3>{html.escape(APP_NAME)}</h3>" + "".join(f"<p>{p}</p>" for p in paragraphs)


def open_about_box(parent: QWidget, policy_origins: Sequence[str], policy_ok: bool) -> QMessageBox:
    """Open the About box window-modal over ``parent`` (does not block; deleted when closed)."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "About GovMail Desktop"))
    box.setIconPixmap(icons.icon(icons.APP_ICON).pixmap(QSize(64, 64)))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(policy_origins, policy_ok))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
