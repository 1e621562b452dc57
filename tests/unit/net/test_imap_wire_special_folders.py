"""Special folders on the wire: LIST options, XLIST as Zimbra answers it, CREATE with USE,
and moving or expunging without MOVE / UIDPLUS.

Byte-level, through the scripted transport of test_imap_wire.py. The server lines are
what mail.go.th's Zimbra sends (no SPECIAL-USE, special folders only in XLIST).
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.core.folder_roles import xlist_attributes
from govmail_desktop.net.imap.text import encode_mutf7
from tests.unit.net.test_imap_wire import wire_with
from tests.unit.sync.fake_special import ZIMBRA_CAPS

ZIMBRA_LIST = (
    b'* LIST (\\HasNoChildren) "/" "INBOX"\r\n'
    b'* STATUS "INBOX" (MESSAGES 2 UNSEEN 1 UIDNEXT 3 UIDVALIDITY 1 HIGHESTMODSEQ 9)\r\n'
    b'* LIST (\\HasNoChildren) "/" "Sent"\r\n'
    b'* LIST (\\HasNoChildren) "/" "Trash"\r\n'
    b'* LIST (\\HasChildren) "/" "Projects"\r\n'
    b'* LIST (\\HasNoChildren) "/" "Projects/2569"\r\n'
    b"W1 OK LIST completed\r\n"
)
ZIMBRA_XLIST = (
    b'* XLIST (\\HasNoChildren \\Inbox) "/" "INBOX"\r\n'
    b'* XLIST (\\HasNoChildren \\Sent) "/" "Sent"\r\n'
    b'* XLIST (\\HasNoChildren \\Trash) "/" "Trash"\r\n'
    b'* XLIST (\\HasNoChildren \\Spam) "/" "' + encode_mutf7("จดหมายขยะ") + b'"\r\n'
    b'* XLIST (\\HasChildren) "/" "Projects"\r\n'
    b"* XLIST (broken\r\n"
    b"W2 OK XLIST completed\r\n"
)


def test_zimbra_list_asks_children_not_special_use_and_xlist_gives_the_roles():
    wire, transport = wire_with(ZIMBRA_LIST + ZIMBRA_XLIST, capabilities=ZIMBRA_CAPS)
    folders = wire.list_folders()
    assert transport.sent[0] == (
        b'W1 LIST "" "*" RETURN (SUBSCRIBED CHILDREN STATUS '
        b"(MESSAGES UNSEEN UIDNEXT UIDVALIDITY HIGHESTMODSEQ))\r\n"
    )
    assert {f.name: f.attributes for f in folders}["Projects"] == frozenset({"\\haschildren"})
    assert all(f.special_use is None for f in folders)  # Zimbra's LIST says nothing about them
    xlist = wire.xlist_folders()
    assert transport.sent[1] == b'W2 XLIST "" "*"\r\n'
    roles = {f.name: SpecialUse.from_attributes(xlist_attributes(f.attributes)) for f in xlist}
    assert roles == {
        "INBOX": None, "Sent": SpecialUse.SENT, "Trash": SpecialUse.TRASH,
        "จดหมายขยะ": SpecialUse.JUNK, "Projects": None,
    }


def test_xlist_answered_with_list_lines_counts_too():
    # Dovecot answers XLIST as a LIST, with its special-use attributes.
    server = (
        b'* LIST (\\HasNoChildren \\Trash) "/" Trash\r\n'
        b'* LIST (\\HasNoChildren) "/" INBOX\r\n'
        b"W1 OK List completed\r\n"
    )
    wire, _ = wire_with(server, capabilities=ZIMBRA_CAPS)
    assert [(f.name, f.special_use) for f in wire.xlist_folders()] == [("Trash", "\\trash"), ("INBOX", None)]


def test_list_asks_special_use_only_where_advertised():
    wire, transport = wire_with(b"W1 OK done\r\n", capabilities=("IMAP4rev1", "SPECIAL-USE", "LIST-EXTENDED"))
    wire.list_folders()
    assert transport.sent[0] == b'W1 LIST "" "*" RETURN (SUBSCRIBED CHILDREN SPECIAL-USE)\r\n'


def test_lsub_gives_the_subscribed_folders_by_wire_name():
    thai = encode_mutf7("โครงการ")
    server = (
        b'* LSUB () "." "INBOX"\r\n'
        b'* LSUB (\\Noselect) "." "' + thai + b'"\r\n'
        b"* LSUB (broken\r\n"
        b"W1 OK LSUB completed\r\n"
    )
    wire, transport = wire_with(server, capabilities=("IMAP4rev1", "UIDPLUS"))
    folders = wire.lsub_folders()
    assert transport.sent[0] == b'W1 LSUB "" "*"\r\n'
    assert [(f.name, f.wire_name) for f in folders] == [("INBOX", b"INBOX"), ("โครงการ", thai)]


def test_plain_list_keeps_special_use_attributes_sent_unasked():
    server = b'* LIST (\\HasNoChildren \\Trash) "." "INBOX.Deleted"\r\nW1 OK done\r\n'
    wire, transport = wire_with(server, capabilities=("IMAP4rev1", "UIDPLUS"))
    folders = wire.list_folders()
    assert transport.sent[0] == b'W1 LIST "" "*"\r\n'
    assert folders[0].special_use == "\\trash"


@pytest.mark.parametrize(
    ("caps", "sent"),
    [
        (("IMAP4rev1", "CREATE-SPECIAL-USE"), b'W1 CREATE "Trash" (USE (\\Trash))\r\n'),
        (("IMAP4rev1",), b'W1 CREATE "Trash"\r\n'),
    ],
)
def test_create_with_use_only_where_offered(caps, sent):
    wire, transport = wire_with(b"W1 OK created\r\n", capabilities=caps)
    wire.create("Trash", special_use=SpecialUse.TRASH)
    assert transport.sent == [sent]


def test_create_refuses_a_special_use_that_is_not_an_attribute():
    wire, transport = wire_with(b"", capabilities=("IMAP4rev1", "CREATE-SPECIAL-USE"))
    with pytest.raises(ValueError):
        wire.create("Trash", special_use="\\Trash) (x")
    assert transport.sent == []


def test_move_without_move_copies_marks_and_expunges_only_those_uids():
    wire, transport = wire_with(
        b"W1 OK [COPYUID 9 7:8 30:31] copied\r\nW2 OK stored\r\n* 3 EXPUNGE\r\n* 3 EXPUNGE\r\nW3 OK expunged\r\n",
        capabilities=ZIMBRA_CAPS,
    )
    assert wire.uid_move("7:8", "Trash") == {7: 30, 8: 31}
    assert transport.sent == [
        b'W1 UID COPY 7:8 "Trash"\r\n',
        b"W2 UID STORE 7:8 +FLAGS.SILENT (\\Deleted)\r\n",
        b"W3 UID EXPUNGE 7:8\r\n",
    ]


def test_expunge_without_uidplus_spares_messages_deleted_elsewhere():
    # Message 3 was marked \Deleted by another mail program: a plain EXPUNGE would erase it.
    wire, transport = wire_with(
        b"W1 OK copied\r\nW2 OK stored\r\n* SEARCH 3 7 8\r\nW3 OK searched\r\nW4 OK unmarked\r\n"
        b"* 4 EXPUNGE\r\n* 4 EXPUNGE\r\nW5 OK expunged\r\nW6 OK marked\r\n",
        capabilities=("IMAP4rev1",),
    )
    wire.uid_move("7:8", "Trash")
    assert transport.sent == [
        b'W1 UID COPY 7:8 "Trash"\r\n',
        b"W2 UID STORE 7:8 +FLAGS.SILENT (\\Deleted)\r\n",
        b"W3 UID SEARCH DELETED\r\n",
        b"W4 UID STORE 3 -FLAGS.SILENT (\\Deleted)\r\n",
        b"W5 EXPUNGE\r\n",
        b"W6 UID STORE 3 +FLAGS.SILENT (\\Deleted)\r\n",
    ]


def test_expunge_without_uidplus_and_nothing_else_deleted_is_one_expunge():
    wire, transport = wire_with(b"* SEARCH 5\r\nW1 OK searched\r\n* 2 EXPUNGE\r\nW2 OK expunged\r\n",
                                capabilities=("IMAP4rev1",))
    wire.uid_expunge("5")
    assert transport.sent == [b"W1 UID SEARCH DELETED\r\n", b"W2 EXPUNGE\r\n"]
