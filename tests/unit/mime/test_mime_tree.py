"""mime.mime_tree: the MIME structure inspect shows is the one the parser walks (same part numbers,
names and sizes as mime.parse lists), bounded, and never raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from govmail_desktop.mime.mime_tree import mime_tree
from govmail_desktop.mime.parse import MAX_PARTS, parse_message, part_bytes
from tests.corpora import corpus_id, corpus_messages, corpus_params

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLES = sorted(DATA.rglob("*.eml"))


def _agrees_with_the_parser(raw: bytes) -> None:
    tree = mime_tree(raw)
    parsed = parse_message(raw)
    if tree.root is None:
        return
    nodes: dict = {}
    for node in tree.root.walk():  # the first node of a number: an attached message before its body
        nodes.setdefault(node.part or ("1" if not node.children else ""), node)
    for attachment in parsed.attachments:
        found = nodes.get(attachment.part)
        assert found is not None, attachment
        node = found
        assert (node.filename, node.content_type) == (attachment.filename, attachment.content_type)
        if getattr(attachment, "downloaded", True):
            assert node.size == attachment.size


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_tree_of_each_sample_agrees_with_the_parser(path):
    _agrees_with_the_parser(path.read_bytes())


@pytest.mark.parametrize("path", corpus_params(corpus_messages()), ids=corpus_id)
def test_tree_of_each_corpus_message_agrees_with_the_parser(path):
    _agrees_with_the_parser(path.read_bytes())


def test_numbers_reach_the_parts_part_bytes_returns():
    raw = (DATA / "10-forwarded-rfc822.eml").read_bytes()
    tree = mime_tree(raw)
    assert tree.root is not None
    inner = [n for n in tree.root.walk() if n.part == "2.1"]
    assert inner and inner[0].charset == "tis-620" and inner[0].codec == "cp874"
    assert part_bytes(raw, "2.1") is not None
    assert [n.part for n in tree.root.walk()] == ["", "1", "2", "2.1"]


def test_too_many_parts_are_left_out_and_said():
    parts = b"".join(b"--b\nContent-Type: text/plain\n\nx\n" for _ in range(MAX_PARTS + 50))
    raw = b'Content-Type: multipart/mixed; boundary="b"\n\n' + parts + b"--b--\n"
    tree = mime_tree(raw)
    assert tree.root is not None and tree.incomplete
    assert len(tree.root.walk()) <= MAX_PARTS


def test_deep_nesting_gives_no_tree_rather_than_a_crash():
    raw = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(3000))
    tree = mime_tree(raw)
    assert tree.root is None and tree.incomplete


def test_as_dict_of_a_deep_tree_needs_no_recursion():
    depth = 90
    raw = b"".join(b'Content-Type: message/rfc822\n\n' for _ in range(depth)) + b"Subject: x\n\nhi\n"
    tree = mime_tree(raw)
    assert tree.root is not None
    node, levels = tree.root.as_dict(), 0
    while node["children"]:
        node, levels = node["children"][0], levels + 1
    assert levels >= 50
