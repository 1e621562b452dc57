"""Remote images in the main window's preview: the bar above the text, the folder's role,
the sender's list — against a loopback HTTPS server counting requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from govmail_desktop.core.entities import Address
from govmail_desktop.policy.model import ContentSection
from govmail_desktop.services.mailbox_types import BODY_PART, PREVIEW_READY
from govmail_desktop.services.remote_content import RemoteImageLoader, RemoteRules
from govmail_desktop.store.remote_senders import FILE_NAME, RemoteSenders
from govmail_desktop.ui.message_view import decode_image
from govmail_desktop.ui.remote_bar import BLOCKED, HIDDEN, JUNK
from tests.gui.mailbox_helpers import open_mailbox, select_uid  # noqa: F401 - the fixture
from tests.servers.certs import TestCertificates
from tests.servers.fake_images import ImageServer, Route, client_context, image_server, png_bytes
from tests.unit.store.factories import summary

pytestmark = pytest.mark.gui

SENDER = "news@agency.go.th"


@pytest.fixture
def server(certs: TestCertificates) -> Iterator[ImageServer]:
    with image_server(certs) as running:
        for name in ("inbox", "junk", "other"):
            running.routes[f"/{name}.png"] = Route(body=png_bytes(5, 5))
        yield running


def html_message(sender: str, url: str) -> bytes:
    return (
        f"From: News <{sender}>\r\nTo: alice@agency.go.th\r\nSubject: =?utf-8?b?4LiC4LmI4Liy4Lin?=\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        f'<p>ข่าวประจำสัปดาห์</p><img src="{url}" alt="logo">\r\n'
    ).encode()


def put(cache, folder: str, uid: int, sender: str, url: str) -> None:
    folder_id = {f.folder.name: f.id for f in cache.folders()}[folder]
    cache.insert_summaries(folder_id, [summary(uid, from_=(Address("News", sender),))])
    cache.put_part(folder_id, uid, BODY_PART, html_message(sender, url))


def folder_id(m, name: str) -> int:
    return {f.folder.name: f.id for f in m.cache.folders()}[name]


def show(qtbot, m, folder: str, uid: int) -> None:
    m.service.select_folder(folder_id(m, folder))
    qtbot.waitUntil(lambda: m.window.message_view.model().row_of_uid(uid) is not None)
    select_uid(m.window, uid)
    pane = m.window.preview_view
    qtbot.waitUntil(lambda: pane.state == PREVIEW_READY and pane.uid == uid)


@pytest.fixture
def mailbox(open_mailbox, server: ImageServer, certs: TestCertificates, tmp_path):
    def fill(cache) -> None:
        put(cache, "INBOX", 901, SENDER, server.url("/inbox.png"))
        put(cache, "INBOX", 902, SENDER, server.url("/other.png"))
        put(cache, "Junk", 903, SENDER, server.url("/junk.png"))

    m = open_mailbox(5, fill_cache=fill)
    remote = m.window.preview_view.remote_content
    content = ContentSection(remote_content="block")
    senders = RemoteSenders.load(tmp_path / FILE_NAME)
    remote.configure(
        content=content, mode=lambda: m.settings.mail_remote_content, senders=senders,
        loader=RemoteImageLoader(RemoteRules.from_policy(content), context=client_context(certs),
                                 decode=decode_image),
    )
    yield m
    remote.shutdown()
    senders.close()


def test_the_preview_shows_the_bar_and_show_once_loads_the_image(qtbot, mailbox, server: ImageServer) -> None:
    pane = mailbox.window.preview_view
    show(qtbot, mailbox, "INBOX", 901)
    assert pane.remote_bar.state == BLOCKED and pane.remote_bar.isVisible()
    assert "(1)" in pane.remote_bar.text.text()
    assert server.count == 0
    pane.remote_bar.show_once_button.click()
    qtbot.waitUntil(lambda: pane.remote_bar.state == HIDDEN, timeout=10_000)
    assert server.paths() == ["/inbox.png"]
    assert pane.body.remote_provider is not None and pane.body.remote_provider(0) is not None


def test_always_for_the_sender_loads_the_next_message_at_once(qtbot, mailbox, server: ImageServer) -> None:
    pane = mailbox.window.preview_view
    show(qtbot, mailbox, "INBOX", 901)
    pane.remote_bar.always_button.click()
    qtbot.waitUntil(lambda: server.count == 1, timeout=10_000)
    show(qtbot, mailbox, "INBOX", 902)
    qtbot.waitUntil(lambda: server.count == 2, timeout=10_000)
    assert server.paths() == ["/inbox.png", "/other.png"]
    assert pane.remote_bar.state != BLOCKED


def test_a_message_in_junk_never_fetches_even_from_a_listed_sender(qtbot, mailbox, server: ImageServer) -> None:
    pane = mailbox.window.preview_view
    pane.remote_content.senders.add(SENDER)
    show(qtbot, mailbox, "Junk", 903)
    assert pane.remote_bar.state == JUNK and pane.remote_bar.isVisible()
    assert not pane.remote_bar.show_once_button.isVisible()
    qtbot.wait(300)
    assert server.count == 0
    # The same sender in the Inbox loads (the list works; only Junk stopped it).
    show(qtbot, mailbox, "INBOX", 901)
    qtbot.waitUntil(lambda: server.count == 1, timeout=10_000)
    assert server.paths() == ["/inbox.png"]


def test_plain_text_view_has_no_bar(qtbot, mailbox, server: ImageServer) -> None:
    pane = mailbox.window.preview_view
    show(qtbot, mailbox, "INBOX", 901)
    assert pane.remote_bar.isVisible()
    pane.format_toggle.click()  # plain text
    assert not pane.remote_bar.isVisible()
    assert server.count == 0


def test_show_once_holds_while_the_message_is_shown_plain_and_formatted_again(
    qtbot, mailbox, server: ImageServer
) -> None:
    pane = mailbox.window.preview_view
    show(qtbot, mailbox, "INBOX", 901)
    pane.remote_bar.show_once_button.click()
    qtbot.waitUntil(lambda: pane.remote_bar.state == HIDDEN, timeout=10_000)
    pane.format_toggle.click()  # plain text
    pane.format_toggle.click()  # formatted again: still allowed
    qtbot.waitUntil(lambda: pane.remote_content.image(0) is not None, timeout=10_000)
    assert pane.remote_bar.state == HIDDEN
    # Another message, then this one again: asked again.
    show(qtbot, mailbox, "INBOX", 902)
    show(qtbot, mailbox, "INBOX", 901)
    assert pane.remote_bar.state == BLOCKED
