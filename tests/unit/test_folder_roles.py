"""Which folder has which role (core/folder_roles.py): the precedence rules, pure Python."""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import Folder, SpecialUse
from govmail_desktop.core.folder_roles import chosen_roles, resolve_special_folders, role_from_name, xlist_attributes


def folders(*specs, delimiter="/"):
    """("Name", {"\\trash"}) or "Name" → Folder entities."""
    out = [Folder("INBOX", delimiter)]
    for spec in specs:
        name, attrs = spec if isinstance(spec, tuple) else (spec, set())
        out.append(Folder(name, delimiter, attributes=frozenset(attrs)))
    return out


def roles(resolved):
    return {f.name: f.special_use for f in resolved if f.special_use}


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Sent", SpecialUse.SENT), ("sent items", SpecialUse.SENT), ("SENT MESSAGES", SpecialUse.SENT),
        ("จดหมายที่ส่งแล้ว", SpecialUse.SENT), ("Drafts", SpecialUse.DRAFTS), ("ร่างจดหมาย", SpecialUse.DRAFTS),
        ("trash", SpecialUse.TRASH), ("Deleted Items", SpecialUse.TRASH), ("Deleted Messages", SpecialUse.TRASH),
        ("ถังขยะ", SpecialUse.TRASH), ("Junk", SpecialUse.JUNK), ("SPAM", SpecialUse.JUNK),
        ("Junk E-mail", SpecialUse.JUNK), ("จดหมายขยะ", SpecialUse.JUNK), ("Archive", SpecialUse.ARCHIVE),
        ("archives", SpecialUse.ARCHIVE), ("Projects", None), ("Trash 2566", None), ("ขยะ", None),
    ],
)
def test_well_known_names_in_english_and_thai_any_case(name, role):
    assert role_from_name(name) == role


def test_names_are_recognised_at_any_level_of_the_hierarchy():
    resolved = resolve_special_folders(
        folders("INBOX.Trash", "INBOX.Sent Items", "INBOX.ร่างจดหมาย", "INBOX.Spam", delimiter=".")
    )
    assert roles(resolved) == {
        "INBOX.Trash": SpecialUse.TRASH, "INBOX.Sent Items": SpecialUse.SENT,
        "INBOX.ร่างจดหมาย": SpecialUse.DRAFTS, "INBOX.Spam": SpecialUse.JUNK,
    }


def test_the_shallowest_and_then_the_preferred_name_wins():
    resolved = resolve_special_folders(folders("Projects/Trash", "Deleted Items", "Trash", "Old/Sent", "Sent Items"))
    assert roles(resolved) == {"Trash": SpecialUse.TRASH, "Sent Items": SpecialUse.SENT}


def test_an_attribute_beats_a_name_and_a_choice_beats_both():
    listed = folders("Trash", ("Papierkorb", {"\\trash"}), "Old mail")
    assert roles(resolve_special_folders(listed)) == {"Papierkorb": SpecialUse.TRASH}
    chosen = resolve_special_folders(listed, {SpecialUse.TRASH: "Old mail"})
    assert roles(chosen) == {"Old mail": SpecialUse.TRASH}


def test_xlist_aliases_become_rfc_6154_names_and_inbox_is_ignored():
    assert xlist_attributes({"\\HasNoChildren", "\\Spam"}) == {"\\hasnochildren", "\\junk"}
    assert xlist_attributes({"\\Starred"}) == {"\\flagged"}
    assert xlist_attributes({"\\AllMail"}) == {"\\all"}
    assert xlist_attributes({"\\Inbox"}) == frozenset()
    resolved = resolve_special_folders(folders(("[Gmail]/Spam", xlist_attributes({"\\Spam"}))))
    assert roles(resolved) == {"[Gmail]/Spam": SpecialUse.JUNK}


def test_a_choice_of_a_folder_the_server_does_not_have_is_ignored():
    resolved = resolve_special_folders(folders("Trash"), {SpecialUse.TRASH: "Gone"})
    assert roles(resolved) == {"Trash": SpecialUse.TRASH}


def test_one_role_per_folder_and_one_folder_per_role():
    # The user made "Trash" the Junk folder: the Trash role goes to the next candidate.
    resolved = resolve_special_folders(folders("Trash", "Deleted Items"), {SpecialUse.JUNK: "Trash"})
    assert roles(resolved) == {"Trash": SpecialUse.JUNK, "Deleted Items": SpecialUse.TRASH}


def test_inbox_and_unselectable_folders_never_take_a_role():
    listed = [
        Folder("INBOX", "/", attributes=frozenset({"\\trash"})),
        Folder("Trash", "/", attributes=frozenset({"\\noselect"})),
    ]
    assert roles(resolve_special_folders(listed, {SpecialUse.SENT: "INBOX"})) == {}


def test_policy_choice_wins_over_the_users_role_by_role():
    user = {"trash": "Mine", "sent": "My Sent", "bogus": "x", "junk": "  "}
    policy = {"trash": "Deleted Items"}
    assert chosen_roles(user, policy) == {SpecialUse.TRASH: "Deleted Items", SpecialUse.SENT: "My Sent"}
