"""What check-server says each capability means for the app: the choice of text.

The texts describe what the code does; where a text carries a number, the
number is the code's own (IdleLoop's poll interval, folder_list's STATUS limit).
"""

from __future__ import annotations

import inspect

import pytest

from govmail_desktop.admin import capabilities as caps
from govmail_desktop.admin.capabilities import IMAP_CAPABILITIES, SMTP_CAPABILITIES, imap_notes, smtp_notes
from govmail_desktop.sync.folder_list import MAX_STATUS_COMMANDS
from govmail_desktop.sync.idle import IdleLoop
from tests.servers.fake_capabilities import ZIMBRA_CAPABILITIES

#: The test Dovecot's list after login (its list before login has none of the extensions below but IDLE).
DOVECOT_AFTER_LOGIN = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS "
    "THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED "
    "I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE "
    "SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"
).split()
#: A Courier-IMAP-like list: no SPECIAL-USE, XLIST, MOVE, QRESYNC, CONDSTORE or ESEARCH.
COURIER = "IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE".split()


def chosen(capability_list, name):
    return {note.name: note for note in imap_notes(capability_list)}[name]


@pytest.mark.parametrize(
    ("server", "name", "present", "meaning"),
    [
        # special folders: attributes, else XLIST, else names (core/folder_roles.py)
        (DOVECOT_AFTER_LOGIN, "SPECIAL-USE", True, caps.SPECIAL_USE_YES),
        (DOVECOT_AFTER_LOGIN, "XLIST", False, caps.XLIST_NOT_NEEDED),
        (ZIMBRA_CAPABILITIES, "SPECIAL-USE", False, caps.SPECIAL_USE_NO_XLIST),
        (ZIMBRA_CAPABILITIES, "XLIST", True, caps.XLIST_USED),
        (COURIER, "SPECIAL-USE", False, caps.SPECIAL_USE_NO),
        (COURIER, "XLIST", False, caps.XLIST_NO),
        (["SPECIAL-USE", "XLIST"], "XLIST", True, caps.XLIST_NOT_USED),
        (["CREATE-SPECIAL-USE"], "CREATE-SPECIAL-USE", True, caps.CREATE_SPECIAL_USE_YES),
        (ZIMBRA_CAPABILITIES, "CREATE-SPECIAL-USE", False, caps.CREATE_SPECIAL_USE_NO),
        # resync: qresync, condstore, full (sync/folder_sync.py)
        (ZIMBRA_CAPABILITIES, "QRESYNC", True, caps.QRESYNC_YES),
        (ZIMBRA_CAPABILITIES, "CONDSTORE", True, caps.CONDSTORE_WITH_QRESYNC),
        (["QRESYNC", "CONDSTORE"], "QRESYNC", True, caps.QRESYNC_NO_ENABLE),  # cannot be ENABLEd
        (["QRESYNC", "CONDSTORE"], "CONDSTORE", True, caps.CONDSTORE_YES),
        (["CONDSTORE"], "QRESYNC", False, caps.QRESYNC_NO),
        (["CONDSTORE"], "CONDSTORE", True, caps.CONDSTORE_YES),
        (COURIER, "CONDSTORE", False, caps.CONDSTORE_NO),
        (COURIER, "IDLE", True, caps.IDLE_YES),
        (["IMAP4rev1"], "IDLE", False, caps.IDLE_NO),
        # moves (ImapWire.uid_move / uid_expunge)
        (DOVECOT_AFTER_LOGIN, "MOVE", True, caps.MOVE_YES),
        (ZIMBRA_CAPABILITIES, "MOVE", False, caps.MOVE_NO_UIDPLUS),
        (["IMAP4rev1"], "MOVE", False, caps.MOVE_NO),
        (ZIMBRA_CAPABILITIES, "UIDPLUS", True, caps.UIDPLUS_YES),
        (["MOVE"], "UIDPLUS", False, caps.UIDPLUS_NO),
        (ZIMBRA_CAPABILITIES, "LIST-STATUS", True, caps.LIST_STATUS_YES),
        (COURIER, "LIST-STATUS", False, caps.LIST_STATUS_NO),
        (ZIMBRA_CAPABILITIES, "ESEARCH", True, caps.ESEARCH_YES),
        (COURIER, "ESEARCH", False, caps.ESEARCH_NO),
    ],
)
def test_each_imap_capability_gets_the_meaning_that_fits_the_server(server, name, present, meaning):
    note = chosen(server, name)
    assert note.present is present
    assert (note.meaning.context, note.meaning.source) == (meaning.context, meaning.source)


def test_every_imap_capability_the_app_uses_has_a_note_in_a_fixed_order():
    assert [note.name for note in imap_notes([])] == list(IMAP_CAPABILITIES)
    assert [note.name for note in imap_notes(DOVECOT_AFTER_LOGIN)] == list(IMAP_CAPABILITIES)


def test_capability_names_are_compared_without_case():
    assert chosen(["special-use", "Move"], "SPECIAL-USE").present and chosen(["Move"], "MOVE").present


def test_numbers_in_the_texts_are_the_codes_own():
    poll = inspect.signature(IdleLoop).parameters["poll_interval"].default
    assert f"every {poll:g} seconds" in chosen([], "IDLE").meaning.text("en")
    assert f"more than {MAX_STATUS_COMMANDS} folders" in chosen([], "LIST-STATUS").meaning.text("en")


def test_thai_meanings_use_the_thai_terms():
    assert "ถังขยะ" in chosen(ZIMBRA_CAPABILITIES, "MOVE").meaning.text("th")
    assert "กล่องจดหมายเข้า" in chosen([], "IDLE").meaning.text("th")


def smtp(extensions):
    return {note.name: note for note in smtp_notes(extensions)}


def test_smtp_size_limit_is_shown_in_megabytes():
    notes = smtp(["SIZE 26214400", "AUTH PLAIN LOGIN", "8BITMIME", "SMTPUTF8"])
    assert [name for name in notes] == list(SMTP_CAPABILITIES)
    assert notes["SIZE"].present and notes["SIZE"].value == "26214400"
    assert "25 MB" in notes["SIZE"].meaning.text("en") and "25 MB" in notes["SIZE"].meaning.text("th")
    assert notes["AUTH"].value == "PLAIN LOGIN" and notes["AUTH"].meaning.source == caps.AUTH_PLAIN.source
    assert notes["8BITMIME"].present and notes["SMTPUTF8"].present
    assert "10.5 MB" in smtp(["SIZE 11010048"])["SIZE"].meaning.text("en")


@pytest.mark.parametrize(
    ("extensions", "name", "present", "meaning"),
    [
        (["SIZE"], "SIZE", True, caps.SIZE_UNLIMITED),
        (["SIZE 0"], "SIZE", True, caps.SIZE_UNLIMITED),
        (["SIZE lots"], "SIZE", True, caps.SIZE_UNREADABLE),
        (["SIZE ๒๕"], "SIZE", True, caps.SIZE_UNREADABLE),  # Thai digits are not an SMTP number
        ([], "SIZE", False, caps.SIZE_NO),
        (["AUTH LOGIN CRAM-MD5"], "AUTH", True, caps.AUTH_NO_PLAIN),  # Thai sign-in needs PLAIN (SmtpSession)
        (["AUTH"], "AUTH", False, caps.AUTH_NO),  # no mechanism: no sign-in, as SmtpSession.offers_auth
        ([], "AUTH", False, caps.AUTH_NO),
        (["PIPELINING"], "8BITMIME", False, caps.EIGHTBIT_NO),
        (["PIPELINING"], "SMTPUTF8", False, caps.SMTPUTF8_NO),
    ],
)
def test_each_smtp_extension_gets_the_meaning_that_fits_the_server(extensions, name, present, meaning):
    note = smtp(extensions)[name]
    assert note.present is present and note.meaning.source == meaning.source


def test_server_sent_parameters_are_shown_without_control_characters():
    notes = smtp(["AUTH PLAIN \x1b]0;owned\x07LOGIN", "SIZE \x1b[2J"])
    assert "\x1b" not in notes["AUTH"].value and "\x07" not in notes["AUTH"].value
    assert notes["AUTH"].value.startswith("PLAIN ")
    assert notes["SIZE"].value == "\\x1b[2J"  # escaped as everywhere in admin/ (output.safe_text)
