"""A large message in the real window, on the real engine and Dovecot: the preview shows its Thai
text and its file at once without the file having been downloaded; Save in the attachment panel
then downloads it through the account's PartFetcher and writes exactly the original bytes."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from govmail_desktop.mime.skeleton import SKELETON_PART
from govmail_desktop.services.mailbox_types import BODY_PART, PREVIEW_READY
from govmail_desktop.services.part_fetch import cache_key
from govmail_desktop.services.sync_adapter import EngineSyncAdapter
from govmail_desktop.services.sync_service import SyncService, imap_connector
from govmail_desktop.wiring.mailboxes import attach_mailboxes
from tests.gui.conftest import OFFSCREEN_NOISE, compiled_translations, language_controller, make_main_window  # noqa: F401
from tests.gui.mailbox_helpers import offscreen_tray, select_uid
from tests.integration.sync_helpers import open_wire
from tests.integration.test_part_fetch_dovecot import ATTACHMENT_NAME, big_message
from tests.servers.fake_net import loopback_policy

pytestmark = [pytest.mark.integration, pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

USER = "carol"


def test_large_message_previews_at_once_and_its_file_is_saved_on_demand(dovecot, make_main_window, qtbot, tmp_path):
    from govmail_desktop.wiring.attachments import attach_attachment_panels

    folder = f"รายงาน-{uuid.uuid4().hex[:6]}"
    raw, attachment = big_message()
    wire = open_wire(dovecot, USER)
    try:
        wire.create(folder)
        uid = wire.append(folder, raw)
    finally:
        wire.logout()
    account = SimpleNamespace(
        id=f"big-{uuid.uuid4().hex[:8]}", address=f"{USER}@localhost", display_name="Carol",
        login=USER, imap=SimpleNamespace(host="127.0.0.1", port=dovecot.imaps_port, security="tls"),
    )
    policy = loopback_policy(ca_file=dovecot.ca_file)

    def factory(acct, cache, queue):
        service = SyncService(cache, queue, imap_connector(acct, lambda: dovecot.users[USER], policy, timeout=15))
        adapter = EngineSyncAdapter(service, cache, queue)
        service.setParent(adapter)
        return adapter

    under = make_main_window()
    mailboxes = attach_mailboxes(under.window, under.settings, under.bridge, [account], sync_factory=factory,
                                 tray_factory=offscreen_tray, mark_read_on_view=False)
    stop = attach_attachment_panels(under.window.preview_view, mailboxes, tmp_path / "opened")
    try:
        w = under.window
        mailbox = mailboxes.accounts[0]
        qtbot.waitUntil(lambda: mailbox.cache.folder_id(folder) is not None, timeout=30_000)
        folder_id = mailbox.cache.folder_id(folder)
        index = mailbox.models.folder_model.index_for_folder(folder_id)
        selection = w.folder_view.selectionModel()
        selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
        qtbot.waitUntil(lambda: w.message_view.model().rowCount() == 1, timeout=30_000)
        select_uid(w, uid)
        qtbot.waitUntil(lambda: w.preview_view.state == PREVIEW_READY, timeout=30_000)
        assert "ขอส่งรายงานผลการดำเนินงานประจำปี" in w.preview_view.body.toPlainText()
        panel = w.preview_view.attachment_panel
        assert panel.isVisibleTo(w) and ATTACHMENT_NAME in panel.summary_text()
        # Shown from the skeleton: the file itself was not downloaded.
        assert mailbox.cache.get_part(folder_id, uid, BODY_PART) is None
        assert len(mailbox.cache.get_part(folder_id, uid, SKELETON_PART)) < 100_000
        assert mailbox.cache.get_part(folder_id, uid, cache_key("2")) is None

        target = tmp_path / "saved"
        target.mkdir()
        panel.save_all_to(target)
        qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
        assert (target / ATTACHMENT_NAME).read_bytes() == attachment
        assert mailbox.cache.get_part(folder_id, uid, cache_key("2")) == attachment  # through the PartFetcher
        assert mailbox.cache.get_part(folder_id, uid, BODY_PART) is None  # still not the whole message
    finally:
        stop()
        mailboxes.shutdown()
