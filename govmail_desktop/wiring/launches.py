"""One app per profile: a later launch hands its request to the running app
(:func:`hand_over_launch`), which takes it (:func:`listen_for_launches`, :func:`handle_launch`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.wiring.startup_notice import tell

if TYPE_CHECKING:  # Qt and the services load after the command line is parsed (--help stays fast)
    from PySide6.QtWidgets import QWidget

    from govmail_desktop.services.launch import LaunchRequest
    from govmail_desktop.services.single_instance import InstanceGuard, InstanceServer
    from govmail_desktop.wiring.context import AppContext, ComposerOpener

log = logging.getLogger(__name__)


# -- launches: one app per profile, the composer from a link or files ----------------------------
ALREADY_RUNNING_UNREACHABLE = QT_TRANSLATE_NOOP(
    "App",
    "GovMail Desktop is already running, but this start could not pass the request to it safely. "
    "Please switch to its window.",
)
ALREADY_RUNNING_NO_ANSWER = QT_TRANSLATE_NOOP(
    "App",
    "GovMail Desktop is already running but does not answer. Please switch to its window, or close it "
    "and try again.",
)
ALREADY_RUNNING_REFUSED = QT_TRANSLATE_NOOP(
    "App",
    "GovMail Desktop is already running but did not accept the request (it may be another version). "
    "Please close it and try again.",
)


def _working_dir() -> Path:
    """Where relative ``--attach`` names are looked for (a deleted folder: the root, and the
    file check then says the file was not found)."""
    try:
        return Path.cwd()
    except OSError:
        return Path(os.sep)


def hand_over_launch(name: str | None, launch: LaunchRequest) -> int:
    """This launch is the second on its profile: say what is wrong with its request on
    stderr (the running app shows it too), hand the request over, end. 0 when it was
    handed over without problems, 2 with problems, 1 when it could not be handed over."""
    from govmail_desktop.services.launch import evaluate
    from govmail_desktop.services.single_instance import HandOver, hand_over

    order = evaluate(launch)
    problems = list(order.problems) if order is not None else []
    for err in problems:
        tell(err.user_text(), box=False)  # the running app shows them too
    notice = order.request.ignored_notice() if order is not None and order.request is not None else None
    if notice is not None:
        tell(notice.text(), box=False)
    result = hand_over(name, launch) if name is not None else HandOver.UNSAFE
    log.info("Second launch: request %s the running instance (%s)",
             "handed to" if result is HandOver.DELIVERED else "not handed to", result.value)
    if result is HandOver.DELIVERED:
        return 2 if problems else 0
    failure = {
        HandOver.REFUSED: ALREADY_RUNNING_REFUSED,
        HandOver.NO_ANSWER: ALREADY_RUNNING_NO_ANSWER,
    }.get(result, ALREADY_RUNNING_UNREACHABLE)
    tell(failure.text())  # nothing else says it: a box where there is no console
    return 1


def listen_for_launches(guard: InstanceGuard) -> InstanceServer | None:
    """Step 3b: take later launches' requests (they wait until the window is shown)."""
    from govmail_desktop.services.single_instance import InstanceServer

    if guard.name is None:
        log.warning("No private place for the instance socket: later launches cannot reach this one")
        return None
    server = InstanceServer(guard.name)
    if not server.listen():
        return None
    return server


def raise_window(window: QWidget) -> None:
    """Bring the main window to the front (from the tray or minimised too)."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()


def handle_launch(ctx: AppContext, opener: ComposerOpener, launch: LaunchRequest) -> None:
    """A launch's request in the running app: the window comes forward; for compose, the
    link's and files' problems are shown, and the composer opens (unless the link was
    broken) through ``opener``."""
    from govmail_desktop.services.launch import evaluate

    if ctx.window is not None:
        raise_window(ctx.window)
    order = evaluate(launch)
    if order is None:
        return
    for err in order.problems:
        ctx.bridge.report_error(err)
    if order.request is None:
        return
    notice = order.request.ignored_notice()
    if notice is not None:
        ctx.bridge.warning(notice)
    opener(ctx, order.request, list(order.attachments))
