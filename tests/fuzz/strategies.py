"""A byte-level hypothesis strategy: real inputs (seeds) with mutations a parser must survive.

Hypothesis draws a seed and a short list of edits — flip, insert (random bytes or a token
that means something to a mail parser: boundaries, encoded words, literals, HTML that
fetches, Thai bytes), delete, repeat a slice many times (deep nesting, long lines), splice
in a slice of another seed, cut — and applies them. Every choice is a hypothesis draw, so
a failing input shrinks to a small list of edits. One draw in ten is plain random bytes.
"""

from __future__ import annotations

from hypothesis import strategies as st

#: Pieces that mean something to the parsers fed (MIME, RFC 2047/2231, HTML, IMAP, JSON).
TOKENS: tuple[bytes, ...] = (
    b"\r\n", b"\n", b"\n\n", b"\r\n\r\n", b"--", b"--b\n", b"--b--\n", b"\x00", b"\xff", b"\xe0\xb8\x81",
    b"\xa1\xb2", b"\x93\x94", b"=\n", b"=E0=B8", b"=?utf-8?b?4LiB?=", b"=?tis-620?q?=A1?=", b"=?x?q?", b"?=",
    b"Content-Type: multipart/mixed; boundary=\"b\"\n",
    b"Content-Type: multipart/alternative; boundary=b\n",
    b"Content-Type: multipart/related; boundary=\"b\"; start=\"<c@x>\"\n",
    b"Content-Type: message/rfc822\n", b"Content-Type: text/html; charset=tis-620\n",
    b"Content-Type: text/plain; charset=\"windows-874\"\n", b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: quoted-printable\n", b"Content-Disposition: attachment; filename*0*=utf-8''%E0%B8;",
    b"Content-ID: <c@x>\n", b"From: \"a@b.go.th\" <x@y>\n", b"From: =?utf-8?b?4LiB?= <a@b>,\n",
    b"Subject: ", b"Date: ", b"Reply-To: ", b"filename=\"a.pdf\xe2\x80\xae.exe\"",
    b"<html>", b"<img src=\"http://x.example/p.gif\">", b"<img src=\"cid:c@x\">", b"<a href=\"http://1.2.3.4/\">",
    b"www.go.th", b"https://xn--80ak6aa92e.com/", b"mailto:a@b?subject=x", b"<style>@import url(http://x/)</style>",
    b"style=\"background:url(http://x/)\"", b"srcset=\"http://x/ 2x\"", b"<svg><image href=\"http://x/\"/></svg>",
    b"<meta http-equiv=refresh content=\"0;url=http://x/\">", b"<table>" * 8, b"<div>" * 50, b"&#x202e;", b"&#0;",
    b"<![CDATA[", b"<!--", b"-->",
    b"* 1 FETCH (", b"BODY[] {5}\r\n", b"{4294967296}\r\n", b"{0}\r\n", b"\"", b"\\", b"(", b")", b"NIL", b"[", b"]",
    b"{", b"}", b":", b",", b"\"schema_version\": 1", b"\"servers\": {\"allow\": [", b"1e999", b"-0", b"\\u0000",
)


@st.composite
def _edit(draw: st.DrawFn, n_seeds: int) -> tuple:
    kind = draw(st.sampled_from(("flip", "insert", "token", "delete", "repeat", "splice", "cut")))
    pos = draw(st.integers(0, 1 << 20))
    if kind == "flip":
        return (kind, pos, draw(st.integers(0, 255)))
    if kind == "insert":
        return (kind, pos, draw(st.binary(min_size=1, max_size=32)))
    if kind == "token":
        return (kind, pos, draw(st.sampled_from(TOKENS)))
    if kind == "delete":
        return (kind, pos, draw(st.integers(1, 512)))
    if kind == "repeat":
        return (kind, pos, draw(st.integers(1, 256)), draw(st.integers(2, 2000)))
    if kind == "splice":
        return (kind, pos, draw(st.integers(0, max(0, n_seeds - 1))), draw(st.integers(0, 1 << 20)),
                draw(st.integers(1, 4096)))
    return (kind, pos)


def apply_edits(seed: bytes, edits: list[tuple], seeds: list[bytes]) -> bytes:
    data = bytearray(seed)
    for edit in edits:
        kind, pos = edit[0], edit[1]
        at = pos % (len(data) + 1)
        if kind == "flip" and data:
            data[at % len(data)] = edit[2]
        elif kind in ("insert", "token"):
            data[at:at] = edit[2]
        elif kind == "delete":
            del data[at : at + edit[2]]
        elif kind == "repeat" and data:
            start = at % len(data)
            piece = bytes(data[start : start + edit[2]])
            data[start:start] = piece * min(edit[3], (1 << 20) // max(1, len(piece)))
        elif kind == "splice" and seeds:
            other = seeds[edit[2] % len(seeds)]
            start = edit[3] % (len(other) + 1)
            data[at:at] = other[start : start + edit[4]]
        elif kind == "cut":
            del data[at:]
    return bytes(data)


def mutated(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """Seeds with up to eight edits; one draw in ten is random bytes instead."""
    pool = list(seeds) or [b""]

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        if draw(st.integers(0, 9)) == 0:
            return draw(st.binary(max_size=4096))
        seed = pool[draw(st.integers(0, len(pool) - 1))]
        edits = draw(st.lists(_edit(len(pool)), max_size=8))
        return apply_edits(seed, edits, pool)

    return build()
