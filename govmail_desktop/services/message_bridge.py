"""The one place where typed errors become sentences for the user.

Deep code raises :class:`~govmail_desktop.core.errors.GovMailError` subclasses;
services catch them and hand them to :meth:`MessageBridge.report_error`. The
bridge words them in the current UI language and emits :attr:`message`; the main
window shows that non-modally in its status bar. No dialog is ever opened from
here (no QMessageBox from deep code or worker threads).

Environment problems (server down, disk full, wrong password) are worded as
what to do; bugs get a short "please report" and their traceback goes to the log.

A notice may name the state it is about with a ``key`` (e.g. an account's
connection, or its last action): when that state ends, :meth:`MessageBridge.clear`
takes the notice away if it is still the one shown (``message("", "")``), so a
red "password needed" does not outlive the connection it was about.
The ``report_*`` methods may be called from any thread: a Qt signal emitted in a
worker thread reaches the GUI thread's slots as a queued call.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from govmail_desktop.core.errors import BugError, Cancelled, GovMailError
from govmail_desktop.i18n.catalog import Msg, current_language

log = logging.getLogger(__name__)

INFO = "info"
WARNING = "warning"
ERROR = "error"
LEVELS = (INFO, WARNING, ERROR)
#: ``message(CLEARED, "")``: the notice shown has ended (see :meth:`MessageBridge.clear`).
CLEARED = ""


class MessageBridge(QObject):
    """Turns typed errors and notices into user text in the current language.

    Signals:
        message(level, text): ``level`` is ``"info"``, ``"warning"`` or ``"error"``;
            ``text`` is ready to show (already translated). ``("", "")``
            (:data:`CLEARED`): the notice shown ended; show none.
    """

    message = Signal(str, str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        language: Callable[[], str] = current_language,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self._shown_key: str | None = None  # what the notice shown now is about

    # -- notices --------------------------------------------------------------
    def info(self, text: Msg | str, *, key: str | None = None) -> None:
        self._emit(INFO, text, key)

    def warning(self, text: Msg | str, *, key: str | None = None) -> None:
        self._emit(WARNING, text, key)

    def clear(self, key: str) -> None:
        """The state ``key`` names has ended: take its notice away if it is still shown."""
        if key and self._shown_key == key:
            self._shown_key = None
            self.message.emit(CLEARED, "")

    # -- errors ---------------------------------------------------------------
    def report_error(self, err: GovMailError, *, key: str | None = None) -> None:
        """Show a typed error; log it (with a traceback if it is a bug)."""
        if isinstance(err, Cancelled):
            log.info("Cancelled [%s] %s", err.code, err.detail)
            self._emit(INFO, err.user_text(self._language()), key)
            return
        if err.is_environment:
            log.warning("%s [%s]: %s", type(err).__name__, err.code, err.detail or err)
        else:
            cause = err.__cause__ or err
            log.error(
                "Bug [%s]: %s\n%s",
                err.code,
                err.detail or err,
                "".join(traceback.format_exception(type(cause), cause, cause.__traceback__)),
            )
        self._emit(ERROR, err.user_text(self._language()), key)

    def report_exception(
        self,
        exc: BaseException,
        tb: TracebackType | None = None,
        *,
        where: str = "",
    ) -> None:
        """Show any exception: typed ones as such, anything else as a bug.

        Used by the composition root's ``sys.excepthook`` (an exception escaping
        a slot) and by services around code that should never fail.
        """
        if isinstance(exc, GovMailError):
            self.report_error(exc)
            return
        if tb is not None and exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        bug = BugError(detail=f"{where + ': ' if where else ''}{type(exc).__name__}: {exc}")
        bug.__cause__ = exc
        self.report_error(bug)

    def _emit(self, level: str, text: Msg | str, key: str | None = None) -> None:
        if isinstance(text, Msg):
            text = text.text(self._language())
        self._shown_key = key
        self.message.emit(level, text)
