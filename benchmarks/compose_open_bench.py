#!/usr/bin/env python3
"""How long the composer takes to open: Ctrl+N, and Reply on a 2 MB HTML message.

    python benchmarks/compose_open_bench.py [--runs 7] [--messages 2000] [--keep] [--profile FILE]

The real application (``app.main``) starts in this process on the offscreen platform
(``QT_QPA_PLATFORM=offscreen``) with a temporary profile (``GOVMAIL_HOME``): one
account whose cache holds ``--messages`` Inbox summaries and, newest, a 2 MB
HTML-only official message whose body is already in the cache (as after it was
read once); a default signature for the account; no sync service (offline: the
figures are the composer's own, no network). The composition root builds the main
window, the mailbox, the drafts service, the address book and the composer launcher
as it does for a user; nothing below calls the composer directly.

* ``compose_open_ms`` — Ctrl+N pressed on the main window (``QTest.keyClick``: the
  key goes through Qt's shortcut map to the Write action, the launcher builds the
  session (identities, default signature) and the :class:`ComposerWindow`, shows it)
  to the end of the first paint of the composer's body (a paint event of the body's
  viewport; the event loop quits right after that paint has been delivered, so the
  figure includes laying out and painting the whole window once);
* ``reply_open_ms`` — the 2 MB message selected in the list (its preview shown
  first, not timed), Ctrl+R pressed, to the end of the first paint of the composer
  whose body holds the quote: includes reading the message from the cache, parsing
  it and turning its HTML into quoted text (on the mailbox's worker thread), the
  session and the window built on the GUI thread, and that paint.

Each run closes its composer (draft discarded) before the next; the first run of each
is a warm-up (reported as ``*_first_ms``, not in the median); the figures are medians
of ``--runs``. Prints one line per figure and, last, one ``key=value`` line.
``--profile FILE`` writes a cProfile of the GUI thread over the measured runs.
No thresholds.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYS = ("compose_open_ms", "reply_open_ms")
#: The big message's size on the wire (what the list shows).
BIG_MESSAGE_BYTES = 2 * 1024 * 1024

_PARAGRAPH = (
    "ตามที่กรมทรัพยากรน้ำได้ดำเนินโครงการพัฒนาแหล่งน้ำขนาดเล็กเพื่อการเกษตรในพื้นที่ภาคตะวันออกเฉียงเหนือ "
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ นั้น บัดนี้ สำนักงานทรัพยากรน้ำภาคได้รายงานผลการดำเนินงานไตรมาสที่ {n} "
    "ซึ่งมีความก้าวหน้าร้อยละ {pct} ของแผนงาน โดยมีรายละเอียดดังต่อไปนี้ จึงเรียนมาเพื่อโปรดทราบและพิจารณา "
    "ดำเนินการในส่วนที่เกี่ยวข้องต่อไป ทั้งนี้ ขอให้หน่วยงานในสังกัดรายงานผลการเบิกจ่ายงบประมาณภายในวันที่ "
    "๑๕ ของเดือนถัดไป ตามแบบรายงานที่แนบมาพร้อมนี้"
)
_STYLE = "margin:0cm;font-size:16.0pt;font-family:&quot;TH SarabunPSK&quot;,sans-serif;color:#1f1f1f"


def big_html_message(size: int = BIG_MESSAGE_BYTES) -> bytes:
    """A Word/Outlook-like HTML-only circular (Thai paragraphs in styled spans, a budget
    table), base64 UTF-8, about ``size`` bytes on the wire."""
    head = (
        '<html lang="th"><head><meta charset="utf-8"><style>p.MsoNormal{margin:0cm;'
        'font-family:"TH SarabunPSK"}</style></head><body lang="TH" style="word-wrap:break-word">\n'
        "<h2>รายงานผลการดำเนินงานโครงการพัฒนาแหล่งน้ำ ประจำปีงบประมาณ พ.ศ. ๒๕๖๙</h2>\n"
    )
    parts = [head]
    total = len(head.encode())
    budget = size * 3 // 4 - 2000  # base64 grows by a third
    n = 0
    while total < budget:
        n += 1
        if n % 25 == 0:
            rows = "".join(
                f"<tr><td>{n}.{r}</td><td>อ่างเก็บน้ำบ้านหนองบัว หมู่ที่ {r}</td>"
                f"<td style='text-align:right'>{(n * 7919 + r) % 900000 + 100000:,}</td></tr>"
                for r in range(1, 9)
            )
            chunk = (f"<table border=1 cellpadding=4><tr><th>ลำดับ</th><th>รายการ</th><th>งบประมาณ (บาท)</th></tr>"
                     f"{rows}</table>\n")
        else:
            chunk = (f'<p class=MsoNormal style="{_STYLE}"><span lang=TH style="{_STYLE}">'
                     f"{_PARAGRAPH.format(n=n % 4 + 1, pct=n % 100)}</span></p>\n")
        parts.append(chunk)
        total += len(chunk.encode())
    parts.append("<p>จึงเรียนมาเพื่อโปรดทราบ</p></body></html>\n")
    body = base64.encodebytes("".join(parts).encode()).decode("ascii")
    def word(text: str) -> str:
        return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="

    header = (
        f"From: {word('สำนักงานเลขานุการกรม')} <saraban@dwr.mail.go.th>\r\n"
        "To: alice@agency.go.th\r\n"
        f"Subject: {word('รายงานผลการดำเนินงานโครงการ ประจำปี ๒๕๖๙')}\r\n"
        "Date: Tue, 03 Nov 2026 14:30:00 +0700\r\n"
        "Message-ID: <report-2569@dwr.mail.go.th>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return (header + body.replace("\n", "\r\n")).encode("ascii")


def prepare_profile(home: Path, messages: int) -> tuple[Path, int, bytes]:
    """Settings with one account and its signature, the cache filled; (settings file, big uid, raw)."""
    from govmail_desktop.core.accounts import Account, AccountStore, ServerSettings
    from govmail_desktop.core.identities import ComposerProfiles, Signature
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.services.mailbox_types import BODY_PART
    from govmail_desktop.store.cache import MailCache
    from tests.unit.store.factories import SENDERS, fill, summary

    os.environ["GOVMAIL_HOME"] = str(home)
    settings_path = home / "bench-settings.json"
    settings = Settings(settings_path)
    account = Account(
        id="acct1", address="alice@agency.go.th", display_name="อลิสา ศรีสุข", login="alice",
        imap=ServerSettings("mail.agency.go.th", 993, "tls"), smtp=ServerSettings("mail.agency.go.th", 465, "tls"),
    )
    AccountStore(settings).add(account)
    ComposerProfiles(settings).save_signature(Signature.new(
        account.id, name="อลิสา ศรีสุข", position="นักวิเคราะห์นโยบายและแผนชำนาญการ", agency="กรมทรัพยากรน้ำ",
        phone="0 2271 6000 ต่อ 1234", default=True))
    settings.save()
    raw = big_html_message()
    cache = MailCache.for_account(account.id)
    try:
        inbox = fill(cache, count=messages)
        uid = messages + 1  # the newest: first in the list
        cache.insert_summaries(inbox, [summary(
            uid, subject="รายงานผลการดำเนินงานโครงการ ประจำปี ๒๕๖๙", from_=(SENDERS[2],), size=len(raw),
            has_attachments=False, message_id="<report-2569@dwr.mail.go.th>")])
        cache.set_folder_state(inbox, uidvalidity=1234, uidnext=uid + 1, highestmodseq=101)
        cache.put_part(inbox, uid, BODY_PART, raw)
    finally:
        cache.close()
    return settings_path, uid, raw


def phase_marks() -> dict[str, float]:
    """When the steps of opening a composer end (perf_counter), noted by thin wrappers
    around the real functions: the original read and parsed (worker), the reply built
    (worker), the session handed to the GUI thread, the window built and shown."""
    from govmail_desktop.services import compose_start
    from govmail_desktop.ui.composer.launcher import ComposeLauncher

    marks: dict[str, float] = {}

    def noted(name: str, func: object, *, before: str | None = None) -> Any:
        def wrapper(*args: object, **kwargs: object) -> object:
            if before is not None:
                marks[before] = time.perf_counter()
            try:
                return func(*args, **kwargs)  # type: ignore[operator]
            finally:
                marks[name] = time.perf_counter()

        return wrapper

    compose_start.read_original = noted(
        "original_read", compose_start.read_original, before="worker_started")
    starter = compose_start.ComposeStarter
    starter.draft_from = noted("reply_built", starter.draft_from)  # type: ignore[method-assign]
    starter._ready = noted("session_made", starter._ready, before="gui_thread_got_it")  # type: ignore[method-assign]
    ComposeLauncher.show = noted("window_shown", ComposeLauncher.show)  # type: ignore[method-assign]
    return marks


def run(args: argparse.Namespace, settings_path: Path, big_uid: int) -> dict[str, object]:
    """Starts the app; measures once its window is shown; returns the figures."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from govmail_desktop.app import main
    from govmail_desktop.models.message_list import MessageListModel
    from govmail_desktop.ui.tray import MailTray
    from govmail_desktop.wiring.context import AppContext, AppOverrides

    figures: dict[str, object] = {}
    marks = phase_marks()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()

    class FirstPaint(QObject):
        """Quits ``loop`` right after ``widget`` was painted (the paint delivered first)."""

        def __init__(self, widget: QWidget, loop: QEventLoop, when: list[float]) -> None:
            super().__init__(widget)
            self.loop, self.when = loop, when
            widget.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
            if event.type() == QEvent.Type.Paint and not self.when:
                self.when.append(0.0)
                QTimer.singleShot(0, self._painted)
            return False

        def _painted(self) -> None:
            self.when[0] = time.perf_counter()
            self.loop.quit()

    phases: list[dict[str, float]] = []

    def open_and_wait(ctx: AppContext, press: object, check: object) -> float:
        """Press the key; wait until the composer it opens has painted its body; close it."""
        window = ctx.window
        launcher = ctx.composer
        assert window is not None and launcher is not None
        window.activateWindow()
        QTest.qWaitForWindowActive(window, 2000)
        loop = QEventLoop()
        painted: list[float] = []
        opened: list[object] = []

        def on_opened(composer: object) -> None:
            opened.append(composer)
            FirstPaint(composer.body.viewport(), loop, painted)  # type: ignore[attr-defined]

        launcher.opened.connect(on_opened)
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        timeout.start(60_000)
        if profiler is not None:
            profiler.enable()
        t0 = time.perf_counter()
        press()  # type: ignore[operator]
        if not painted or not painted[0]:
            loop.exec()
        if profiler is not None:
            profiler.disable()
        timeout.stop()
        launcher.opened.disconnect(on_opened)
        if not opened or not painted or not painted[0]:
            raise RuntimeError("the composer did not open and paint within 60 s")
        composer = opened[0]
        try:
            check(composer)  # type: ignore[operator]
        finally:
            # Closed even when the check fails: a composer left open asks "keep in Drafts?"
            # and refuses the app's quit (Qt 6 closes the windows first), so the bench hung.
            composer.session.close(keep=False)  # type: ignore[attr-defined]
            composer.close()  # type: ignore[attr-defined]
        elapsed = (painted[0] - t0) * 1000
        phases.append({name: (at - t0) * 1000 for name, at in marks.items()} | {"painted": elapsed})
        marks.clear()
        settle(0.3)
        return elapsed

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)

    def measure(ctx: AppContext) -> None:
        try:
            window = ctx.window
            assert window is not None and ctx.mailboxes is not None
            settle(1.0)  # start-up work (harvest of the address book, first rows) done

            def ctrl(key: Qt.Key, shift: bool = False) -> object:
                mods = Qt.KeyboardModifier.ControlModifier
                if shift:
                    mods |= Qt.KeyboardModifier.ShiftModifier
                return lambda: QTest.keyClick(window, key, mods)

            def is_new(composer: object) -> None:
                if composer.session.draft.to or "กรมทรัพยากรน้ำ" not in composer.body.toPlainText():  # type: ignore[attr-defined]
                    raise RuntimeError("Ctrl+N did not open a new message with the default signature")

            compose = [open_and_wait(ctx, ctrl(Qt.Key.Key_N), is_new) for _ in range(args.runs + 1)]

            # The big message selected and its preview shown (not timed).
            view = window.message_view
            model = cast(MessageListModel, view.model())
            row = model.row_of_uid(big_uid)
            if row is None:
                raise RuntimeError(f"uid {big_uid} not in the list")
            view.setCurrentIndex(model.index(row, 0))
            view.setFocus()
            settle(3.0)

            def is_reply(composer: object) -> None:
                # The body shows the quote as indented blocks (no '>' in toPlainText); its
                # plain_text() is the text part as sent, the quote as '> ' lines.
                text = composer.body.plain_text()  # type: ignore[attr-defined]
                if "เขียนว่า:" not in text or "\n> " not in text:
                    raise RuntimeError("Ctrl+R did not open a reply quoting the message")
                figures["quote_chars"] = len(text)

            # Alternating: as the app runs (the preview's parse of this message used again), and
            # with that parse forgotten before the key press (the message parsed for the reply:
            # the preview pane hidden, or the code before the reuse).
            service = ctx.mailboxes.accounts[0].service
            reply, unshared, reply_steps, unshared_steps = [], [], [], []
            for _ in range(args.runs + 1):
                phases.clear()
                reply.append(open_and_wait(ctx, ctrl(Qt.Key.Key_R), is_reply))
                reply_steps.append(phases[-1])
                service._last_parsed = None
                phases.clear()
                unshared.append(open_and_wait(ctx, ctrl(Qt.Key.Key_R), is_reply))
                unshared_steps.append(phases[-1])
            figures["reply_phases"] = {name: statistics.median(p[name] for p in reply_steps[1:])
                                       for name in reply_steps[-1]}
            figures["reply_unshared_phases"] = {name: statistics.median(p[name] for p in unshared_steps[1:])
                                                for name in unshared_steps[-1]}
            figures.update(
                compose_open_first_ms=compose[0], compose_open_runs=compose[1:],
                compose_open_ms=statistics.median(compose[1:]),
                reply_open_first_ms=reply[0], reply_open_runs=reply[1:],
                reply_open_ms=statistics.median(reply[1:]),
                reply_open_unshared_first_ms=unshared[0], reply_open_unshared_runs=unshared[1:],
                reply_open_unshared_ms=statistics.median(unshared[1:]),
            )
        except Exception as exc:  # reported, then the app quits
            figures["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            if ctx.composer is not None:  # nothing left open to refuse the quit
                for composer in list(ctx.composer.windows):
                    composer.session.close(keep=False)
                    composer.close()
            ctx.app.quit()

    def shown(ctx: AppContext) -> None:
        QTimer.singleShot(0, lambda: measure(ctx))

    def tray(window: object, notifications_enabled: object) -> MailTray:
        return MailTray(window, notifications_enabled=notifications_enabled, use_system_tray=False)

    code = main([], AppOverrides(
        settings_path=settings_path, on_window_shown=shown, sync_factory=lambda *_: None,
        credential_store_factory=lambda: None, tray_factory=tray,
    ))
    if profiler is not None:
        profiler.dump_stats(args.profile)
    if code != 0 and "error" not in figures:
        figures["error"] = f"the app ended with code {code}"
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="opens of each kind (medians; one warm-up more)")
    parser.add_argument("--messages", type=int, default=2000, help="Inbox summaries in the cache")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--profile", metavar="FILE", help="cProfile of the GUI thread over the timed opens")
    parser.add_argument("--json", action="store_true", help="last line: the figures as JSON (for compose_bench)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="govmail-composeopen-"))
    try:
        settings_path, big_uid, raw = prepare_profile(workdir / "home", args.messages)
        print(f"big message: {len(raw)} bytes on the wire (HTML only, base64 UTF-8)", flush=True)
        figures = run(args, settings_path, big_uid)
        if "error" in figures:
            print(f"not measured: {figures['error']}", file=sys.stderr)
            for key in KEYS:
                figures[key] = float("nan")
        else:
            for key in KEYS:
                runs = " ".join(f"{v:.1f}" for v in figures[key.replace("_ms", "_runs")])  # type: ignore[attr-defined]
                first = figures[key.replace("_ms", "_first_ms")]
                print(f"{key}: {figures[key]:.1f} (runs: {runs}; first open: {first:.1f})")
            print(f"quote in the reply: {figures['quote_chars']} characters")
            key = "reply_open_unshared_ms"
            runs = " ".join(f"{v:.1f}" for v in figures["reply_open_unshared_runs"])  # type: ignore[attr-defined]
            print(f"{key} (the preview's parse not used again): {figures[key]:.1f} (runs: {runs}; "
                  f"first open: {figures['reply_open_unshared_first_ms']:.1f})")
            for name in ("reply_phases", "reply_unshared_phases"):
                steps = figures[name]
                print(f"{name}, median ms after the key press at which each step ended: "
                      + ", ".join(f"{step} {at:.1f}" for step, at in sorted(steps.items(), key=lambda kv: kv[1])))  # type: ignore[attr-defined]
        if args.json:
            print(json.dumps(figures, ensure_ascii=False))
        else:
            print(" ".join(f"{key}={figures[key]:.1f}" for key in KEYS))
        return 0 if "error" not in figures else 1
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
