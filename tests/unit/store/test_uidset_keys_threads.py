"""UID range sets, sort keys / packed addresses, and conversation order."""

from __future__ import annotations

import pytest

from govmail_desktop.core.entities import Address, Flag, FlagBits, decode_flags, encode_flags
from govmail_desktop.store import UidSet
from govmail_desktop.store.keys import (
    display_of,
    message_ids,
    one_line,
    pack_addresses,
    sender_sort_key,
    subject_sort_key,
    unpack_addresses,
)
from govmail_desktop.store.threads import ThreadInput, thread_order

# ---------------------------------------------------------------- UidSet


def test_uidset_merges_ranges_and_prints_an_imap_sequence_set():
    s = UidSet.of([5, 1, 2, 3, 9, 10, 3])
    assert s.ranges == [(1, 3), (5, 5), (9, 10)]
    assert s.to_imap() == "1:3,5,9:10"
    assert len(s) == 6 and list(s) == [1, 2, 3, 5, 9, 10]
    assert 2 in s and 4 not in s and 10 in s and 11 not in s
    assert UidSet.from_imap("1:3,5,9:10") == s
    assert (s.min, s.max) == (1, 10)


def test_uidset_of_100k_contiguous_uids_is_one_range():
    s = UidSet.from_sorted(range(1, 100_001))
    assert s.ranges == [(1, 100_000)] and len(s) == 100_000


def test_uidset_difference_and_union():
    known = UidSet.from_imap("1:100")
    server = UidSet.from_imap("1:10,20:30,95:120")
    assert (known - server).to_imap() == "11:19,31:94"
    assert (server - known).to_imap() == "101:120"
    assert (known | server).to_imap() == "1:120"
    assert not (UidSet() - known)
    with pytest.raises(ValueError):
        UidSet([(0, 3)])


# ---------------------------------------------------------------- flags (entities)


def test_uidset_walks_highest_first_in_chunks_across_ranges():
    uids = UidSet([(1, 5), (8, 8), (10, 20)])
    chunks = [c.to_imap() for c in uids.descending_chunks(iter([3, 3, 3, 3, 3, 3, 3]))]
    assert chunks == ["18:20", "15:17", "12:14", "8,10:11", "3:5", "1:2"]
    assert [c.to_imap() for c in uids.descending_chunks([1, 100, 5])] == ["20", "1:5,8,10:19"]
    assert list(UidSet().descending_chunks([1])) == []
    big = UidSet([(1, 1_000_000)])
    assert [len(c) for c in big.descending_chunks([400_000] * 5)] == [400_000, 400_000, 200_000]


def test_flags_pack_into_bits_and_keywords_case_insensitively():
    bits, kw = encode_flags(["\\SEEN", "\\Flagged", "\\Recent", "$Forwarded", "Work"])
    assert bits == FlagBits.SEEN | FlagBits.FLAGGED
    assert kw == "$Forwarded Work"
    assert decode_flags(bits, kw) == frozenset({Flag.SEEN, Flag.FLAGGED, "$Forwarded", "Work"})


# ---------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("subject", "key"),
    [
        ("Re: งบประมาณ", "งบประมาณ"),
        ("RE: Fwd: FW: Report", "report"),
        ("Re[2]: Report", "report"),
        ("ตอบกลับ: ประชุม", "ประชุม"),
        ("ส่งต่อ: ตอบ: ประชุม", "ประชุม"),
        ("Reply later", "reply later"),
        ("", ""),
    ],
)
def test_subject_sort_key_drops_reply_and_forward_prefixes(subject, key):
    assert subject_sort_key(subject) == key


def test_sender_key_uses_the_name_or_the_address():
    assert sender_sort_key([Address("Anan WONG", "a@x")]) == "anan wong"
    assert sender_sort_key([Address("", "Saraban@Agency.go.th")]) == "saraban@agency.go.th"
    assert sender_sort_key([]) == ""


def test_packed_addresses_survive_hostile_separator_characters():
    hostile = (Address("Evil\x1e\x1fName\n", "e@x"), Address("", "b@x"), Address("สมชาย", ""))
    back = unpack_addresses(pack_addresses(hostile))
    assert back == (Address("Evil Name", "e@x"), Address("", "b@x"), Address("สมชาย", ""))
    assert unpack_addresses("") == ()


def test_one_line_removes_controls_and_folds_whitespace():
    assert one_line("a\r\n\tb\x00c\x9b  d ") == "a b c d"


def test_message_ids_are_found_with_or_without_brackets():
    assert message_ids("<a@x> <b@y>\r\n <c@z>") == ["<a@x>", "<b@y>", "<c@z>"]
    assert message_ids("a@x") == ["<a@x>"]
    assert message_ids(None) == [] and message_ids(("<a@x>", "<b@x>")) == ["<a@x>", "<b@x>"]


# ---------------------------------------------------------------- threads


def T(uid, date, msgid=None, irt=None, refs=""):
    return ThreadInput(uid, date, msgid, irt, refs)


def test_replies_follow_their_parent_and_newest_conversation_comes_first():
    order = thread_order(
        [
            T(1, 100, "<a@x>"),
            T(2, 200, "<b@x>"),
            T(3, 300, "<c@x>", "<a@x>", "<a@x>"),
            T(4, 150, "<d@x>", "<a@x>", "<a@x>"),
            T(5, 400, "<e@x>", "<d@x>", "<a@x> <d@x>"),
        ]
    )
    assert order == [(1, 0), (4, 1), (5, 2), (3, 1), (2, 0)]


def test_a_missing_middle_message_does_not_split_the_conversation():
    # 3 replies to <gone@x> (not in this folder) whose root is 1.
    order = thread_order(
        [T(1, 100, "<root@x>"), T(2, 500, "<other@x>"), T(3, 300, "<r@x>", "<gone@x>", "<root@x> <gone@x>")]
    )
    assert order == [(2, 0), (1, 0), (3, 1)]


def test_cyclic_references_do_not_hang_or_lose_messages():
    order = thread_order([T(1, 100, "<a@x>", "<b@x>", "<b@x>"), T(2, 200, "<b@x>", "<a@x>", "<a@x>")])
    assert sorted(uid for uid, _ in order) == [1, 2]
    assert len(order) == 2


def test_every_message_appears_exactly_once():
    rows = [T(i, i, f"<{i}@x>", f"<{i // 2}@x>" if i > 1 else None) for i in range(1, 500)]
    rows.append(T(999, 5, "<1@x>"))  # duplicate Message-ID
    order = thread_order(rows)
    assert sorted(uid for uid, _ in order) == sorted(r.uid for r in rows)


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        # a display name holding another address never stands alone in the list
        ('"admin@agency.go.th\r\n  " <x@evil.example>', "admin@agency.go.th <x@evil.example>"),
        ('"admin\uff20agency.go.th" <x@evil.example>', "admin\uff20agency.go.th <x@evil.example>"),
        ('"admin\ufe6bagency.go.th" <x@evil.example>', "admin\ufe6bagency.go.th <x@evil.example>"),
        ('"Admin@Agency.go.th" <admin@agency.go.th>', "Admin@Agency.go.th"),
        ("สมชาย ใจดี <somchai@agency.go.th>", "สมชาย ใจดี"),
        ("somchai@agency.go.th", "somchai@agency.go.th"),
    ],
)
def test_the_from_column_shows_the_real_address_beside_an_address_like_name(header, shown):
    from govmail_desktop.mime.addresses import parse_addresses

    assert display_of(parse_addresses([header]).addresses) == shown
