"""SEARCH / ESEARCH responses of a broken or hostile server give a ParseError (which the
client turns into a protocol error), never a TypeError out of the search command.

Found by ``make fuzz`` (tests/fuzz/crashes/imap-*.bin): a list where a number or a
sequence set belongs made ``bytes(list)`` / ``int(list)`` raise TypeError, which
``ImapWire.uid_search`` does not catch.
"""

from __future__ import annotations

import pytest

from govmail_desktop.net.imap.grammar import ParseError
from govmail_desktop.net.imap.responses import parse_esearch, parse_search


@pytest.mark.parametrize(
    "line",
    [
        b"* ESEARCH * LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"",
        b'* ESEARCH (TAG "A4") UID ALL ("CHARSET" "TIS-620") 1:3,7,9:12 COUNT 8',
        b'* ESEARCH (TAG "A4") UID COUNT (8)',
        b'* ESEARCH (TAG "A4") UID MODSEQ (1 2)',
        b'* ESEARCH (TAG "A4") UID (ALL) 1:3',
        b"* ESEARCH (TAG \"A4\") UID ALL 1:3,x",
    ],
)
def test_malformed_esearch_is_a_parse_error(line):
    with pytest.raises(ParseError):
        parse_esearch(line)


@pytest.mark.parametrize(
    "line",
    [
        b"* SEARCH 1 2 ((MODSEQ) 55)",
        b"* SEARCH 1 2 (MODSEQ (55))",
        b"* SEARCH 1 two 3",
    ],
)
def test_malformed_search_is_a_parse_error(line):
    with pytest.raises(ParseError):
        parse_search(line)


def test_good_responses_still_read():
    found = parse_esearch(b'* ESEARCH (TAG "W3") UID ALL 1:3,7 COUNT 4 MODSEQ 9')
    assert (found.uid_set, found.matched, found.highest_modseq) == ("1:3,7", 4, 9)
    assert found.numbers() == [1, 2, 3, 7]
    assert parse_search(b"* SEARCH 2 5 (MODSEQ 9)") == ([2, 5], 9)
    assert parse_search(b"* SEARCH") == ([], None)
