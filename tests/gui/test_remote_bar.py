"""The remote-content bar (ui/remote_bar.py) with the real viewer and a loopback HTTPS server.

Each test counts the requests the server received: "blocked" means zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from govmail_desktop.mime.html_view import render_html
from govmail_desktop.policy.hosts import parse_pattern
from govmail_desktop.policy.model import ContentSection
from govmail_desktop.services.remote_content import RemoteImageLoader, RemoteRules
from govmail_desktop.store.remote_senders import FILE_NAME, RemoteSenders
from govmail_desktop.ui.message_view import MessageView, decode_image
from govmail_desktop.ui.remote_bar import BLOCKED, FORBIDDEN, HIDDEN, JUNK, PARTLY, RemoteBar, RemoteContent
from tests.servers.certs import TestCertificates
from tests.servers.fake_images import ImageServer, Route, client_context, image_server, png_bytes

pytestmark = pytest.mark.gui

SENDER = "news@agency.go.th"


@pytest.fixture
def server(certs: TestCertificates) -> Iterator[ImageServer]:
    with image_server(certs) as running:
        for name in ("a", "b", "c", "d"):
            running.routes[f"/{name}.png"] = Route(body=png_bytes(8, 6))
        yield running


@dataclass
class Reader:
    """A viewer with its bar, as the preview pane holds them."""

    window: QWidget
    view: MessageView
    bar: RemoteBar
    remote: RemoteContent
    senders: RemoteSenders

    def show(self, key: object, html: str, sender: str | None = SENDER, **kwargs: object) -> None:
        safe = render_html(html)
        self.view.show_html(safe)
        self.remote.show_message(key, safe.remote, sender, **kwargs)


def make_reader(qtbot, certs: TestCertificates, senders_path: Path, *, content: ContentSection | None = None,
                mode: str = "block") -> Reader:
    window = QWidget()
    qtbot.addWidget(window)
    bar = RemoteBar(window)
    holder = MessageView(window)
    layout = QVBoxLayout(window)
    layout.addWidget(bar)
    layout.addWidget(holder)
    remote = RemoteContent(bar, window)
    senders = RemoteSenders.load(senders_path)
    content = content if content is not None else ContentSection(remote_content="block")
    loader = RemoteImageLoader(RemoteRules.from_policy(content), context=client_context(certs), decode=decode_image,
                               parent=remote)
    remote.configure(content=content, mode=lambda: mode, senders=senders, loader=loader)
    remote.attach(holder)
    window.show()
    return Reader(window, holder, bar, remote, senders)


def images(server: ImageServer, *names: str) -> str:
    return "".join(f'<p><img src="{server.url(f"/{n}.png")}" alt="{n}"></p>' for n in names)


def settle(qtbot, reader: Reader) -> None:
    """Let the loader answer everything asked (or nothing, when nothing was asked)."""
    qtbot.waitUntil(lambda: not reader.remote.loader.busy, timeout=10_000)
    qtbot.wait(50)


@pytest.fixture
def reader(qtbot, certs: TestCertificates, tmp_path: Path) -> Iterator[Reader]:
    made = make_reader(qtbot, certs, tmp_path / FILE_NAME)
    yield made
    made.remote.shutdown()
    made.senders.close()


def test_the_bar_counts_the_blocked_images_and_nothing_is_fetched(qtbot, reader: Reader,
                                                                  server: ImageServer) -> None:
    reader.show(1, images(server, "a", "b", "c") + images(server, "a"))  # "a" twice: one image
    assert reader.bar.state == BLOCKED
    assert reader.bar.isVisible()
    assert "(3)" in reader.bar.text.text()
    assert reader.bar.show_once_button.isVisible() and reader.bar.always_button.isVisible()
    qtbot.wait(200)
    assert server.count == 0
    assert reader.remote.image(0) is None


def test_show_once_loads_only_this_message(qtbot, reader: Reader, server: ImageServer) -> None:
    reader.show(("Inbox", 1), images(server, "a", "b"))
    qtbot.mouseClick(reader.bar.show_once_button, Qt.MouseButton.LeftButton)
    settle(qtbot, reader)
    assert sorted(server.paths()) == ["/a.png", "/b.png"]
    assert reader.bar.state == HIDDEN
    assert reader.remote.image(0) is not None and reader.remote.image(0).width() == 8
    assert reader.view.remote_provider is not None and reader.view.remote_provider(1) is not None

    # The next message of the same sender is blocked again; so is this one shown again later.
    reader.show(("Inbox", 2), images(server, "c"))
    assert reader.bar.state == BLOCKED
    reader.show(("Inbox", 1), images(server, "a", "b"))
    assert reader.bar.state == BLOCKED
    settle(qtbot, reader)
    assert server.count == 2
    assert reader.senders.addresses() == []


def test_always_for_this_sender_is_kept_and_applies_to_the_next_message(
    qtbot, certs: TestCertificates, tmp_path: Path, server: ImageServer
) -> None:
    path = tmp_path / FILE_NAME
    first = make_reader(qtbot, certs, path)
    first.show(1, images(server, "a"), sender="News@Agency.go.th")
    first.bar.always_button.click()
    settle(qtbot, first)
    assert server.paths() == ["/a.png"]
    first.senders.flush()
    first.remote.shutdown()

    # After a restart: the list is read from the file; the sender's next message loads at once.
    second = make_reader(qtbot, certs, path)
    assert second.senders.allows(SENDER)
    second.show(2, images(server, "b", "c"))
    assert second.bar.state != BLOCKED
    settle(qtbot, second)
    assert sorted(server.paths()) == ["/a.png", "/b.png", "/c.png"]
    assert second.bar.state == HIDDEN
    # Another sender is still asked.
    second.show(3, images(server, "d"), sender="other@example.com")
    assert second.bar.state == BLOCKED
    settle(qtbot, second)
    assert server.count == 3
    second.remote.shutdown()


def test_a_listed_sender_with_a_sender_warning_is_still_asked(qtbot, reader: Reader, server: ImageServer) -> None:
    reader.senders.add(SENDER)
    reader.show(1, images(server, "a"), doubtful_sender=True)
    assert reader.bar.state == BLOCKED
    assert not reader.bar.always_button.isVisible(), "a possibly forged sender cannot be allowed always"
    assert reader.bar.show_once_button.isVisible()
    settle(qtbot, reader)
    assert server.count == 0


def test_the_policy_forbids_remote_content_the_bar_says_so_and_offers_nothing(
    qtbot, certs: TestCertificates, tmp_path: Path, server: ImageServer
) -> None:
    forbidding = ContentSection(remote_content="allow", remote_content_allowed=False)
    reader = make_reader(qtbot, certs, tmp_path / FILE_NAME, content=forbidding, mode="allow")
    reader.senders.add(SENDER)
    reader.show(1, images(server, "a", "b"))
    assert reader.bar.state == FORBIDDEN and reader.bar.isVisible()
    assert "(2)" in reader.bar.text.text()
    assert not reader.bar.show_once_button.isVisible()
    assert not reader.bar.always_button.isVisible()
    reader.remote.show_once()  # even asked directly
    reader.remote.always_for_sender()
    settle(qtbot, reader)
    assert server.count == 0
    reader.remote.shutdown()


def test_a_broken_policy_forbids_remote_content(qtbot, certs: TestCertificates, tmp_path: Path,
                                                server: ImageServer) -> None:
    reader = make_reader(qtbot, certs, tmp_path / FILE_NAME, mode="allow")
    reader.remote.configure(content=None, mode=lambda: "allow", senders=reader.senders)
    reader.show(1, images(server, "a"))
    assert reader.bar.state == FORBIDDEN
    settle(qtbot, reader)
    assert server.count == 0
    reader.remote.shutdown()


def test_messages_in_junk_never_fetch_even_when_everything_else_allows(
    qtbot, certs: TestCertificates, tmp_path: Path, server: ImageServer
) -> None:
    reader = make_reader(qtbot, certs, tmp_path / FILE_NAME, mode="allow")
    reader.senders.add(SENDER)
    reader.show(1, images(server, "a", "b"), in_junk=True)
    assert reader.bar.state == JUNK and reader.bar.isVisible()
    assert not reader.bar.show_once_button.isVisible() and not reader.bar.always_button.isVisible()
    reader.remote.show_once()
    reader.remote.always_for_sender()
    settle(qtbot, reader)
    assert server.count == 0
    reader.remote.shutdown()


def test_the_allow_setting_loads_without_asking(qtbot, certs: TestCertificates, tmp_path: Path,
                                                server: ImageServer) -> None:
    reader = make_reader(qtbot, certs, tmp_path / FILE_NAME, mode="allow")
    reader.show(1, images(server, "a"))
    settle(qtbot, reader)
    assert server.paths() == ["/a.png"]
    assert reader.bar.state == HIDDEN
    reader.remote.shutdown()


def test_images_the_rules_refuse_stay_placeholders_and_the_bar_says_why(
    qtbot, certs: TestCertificates, tmp_path: Path, server: ImageServer
) -> None:
    content = ContentSection(remote_content="block", remote_hosts=(parse_pattern("127.0.0.1", allow_ip=True),))
    reader = make_reader(qtbot, certs, tmp_path / FILE_NAME, content=content)
    html = images(server, "a") + f'<img src="{server.url("/b.png", host="localhost")}">' + \
        f'<img src="http://127.0.0.1:{server.port}/c.png">'
    reader.show(1, html)
    reader.bar.show_once_button.click()
    settle(qtbot, reader)
    assert server.paths() == ["/a.png"]
    assert reader.bar.state == PARTLY
    text = reader.bar.text.text()
    assert "2" in text and "3" in text
    assert reader.remote.image(0) is not None and reader.remote.image(1) is None and reader.remote.image(2) is None
    reader.remote.shutdown()


def test_moving_on_cancels_the_old_message_images(qtbot, reader: Reader, server: ImageServer) -> None:
    server.routes["/slow.png"] = Route(body=png_bytes(), trickle=0.05, chunk=10)
    reader.show(1, f'<img src="{server.url("/slow.png")}">')
    reader.bar.show_once_button.click()
    qtbot.waitUntil(lambda: server.count == 1)
    reader.show(2, images(server, "a"))
    settle(qtbot, reader)
    assert reader.bar.state == BLOCKED
    assert reader.remote.image(0) is None, "the first message's image never reaches the second"


def test_a_message_without_remote_images_has_no_bar(qtbot, reader: Reader) -> None:
    reader.show(1, "<p>สวัสดี <b>ครับ</b></p>")
    assert reader.bar.state == HIDDEN and not reader.bar.isVisible()


def test_the_loader_fetches_at_most_max_images_and_cuts_the_message_total(
    qtbot, certs: TestCertificates, server: ImageServer
) -> None:
    from govmail_desktop.services.remote_content import REASON_TOO_MANY, REASON_TOTAL

    server.routes["/big.png"] = Route(body=png_bytes(40, 40) + b"\0" * 3000)
    loader = RemoteImageLoader(RemoteRules(max_images=3, max_message_bytes=5000), context=client_context(certs),
                               decode=decode_image, workers=1)
    answers: dict[int, str] = {}
    loader.image_loaded.connect(lambda _token, index, _image: answers.__setitem__(index, "ok"))
    loader.image_failed.connect(lambda _token, index, reason: answers.__setitem__(index, reason))
    with qtbot.waitSignal(loader.finished, timeout=10_000):
        loader.load("m", [server.url("/big.png"), server.url("/big.png?2"), server.url("/a.png"),
                          server.url("/b.png")])
    loader.shutdown()
    # Once the total is reached nothing more is taken, small or not; past max_images nothing is asked.
    assert answers == {0: "ok", 1: REASON_TOTAL, 2: REASON_TOTAL, 3: REASON_TOO_MANY}
    assert server.paths() == ["/big.png", "/big.png?2"]
