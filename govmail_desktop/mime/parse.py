"""Raw message bytes → a safe plain-text preview (headers, body text, attachment list).

Why our own walk over the standard ``email`` package (``compat32`` policy):

* **Thai legacy charsets.** Python has no ``windows-874``; Outlook labels its
  Thai mail that way and often sends windows-874 bytes (curly quotes 0x93/0x94,
  ellipsis 0x85) labelled ``tis-620``. Header text, charset labels and dates are
  read by the one decoder the message list uses too (:mod:`mime.charsets`,
  :mod:`mime.dates`): every Thai label is decoded as ``cp874``, a superset of
  TIS-620 and ISO-8859-11; unlabelled 8-bit text is UTF-8 if it is valid UTF-8,
  else cp874 (this is a Thai client).
* **Spoofing.** Address headers are unfolded and
  split into mailboxes by our own RFC 5322 parser (:func:`split_address_list`:
  the same answer on every Python release, unlike ``email.utils.getaddresses``)
  *before* RFC 2047 words are decoded, so an encoded word can never invent an
  address; decoded names lose control and invisible bidi/format characters;
  look-alike domains are shown in punycode; odd From headers are flagged
  (:attr:`ParsedMessage.warnings`). ``email.policy.default`` decodes first.
* **Bounded time and memory.** Before parsing, the input
  is cut to :data:`MAX_PARSE_BYTES`, :data:`MAX_LINES` lines and lines of at
  most :data:`MAX_LINE_BYTES`; messages with more MIME containers than
  :data:`MAX_CONTAINERS` are not handed to the recursive parser at all. Each
  text part decodes at most :data:`MAX_PART_BYTES`; HTML is cut to
  :data:`MAX_HTML_CHARS` and, with more than :data:`MAX_HTML_TAGS` tags (where
  the sanitiser's cost grows with nesting), reduced to text by stripping tags;
  the whole text is capped at :data:`MAX_TEXT_CHARS` with lines of at most
  :data:`MAX_LINE_CHARS` and collapsed whitespace. What is cut is said
  (``truncated`` / warnings), and what can be shown is shown.
* **No remote content, no glued parts.** HTML is sanitised by
  nh3 (no images, styles, scripts, iframes) and converted to text by html2text,
  which never fetches anything. Each MIME part is converted on its own and the
  texts are joined with a separator line: no markup spans two parts.

Nothing here touches the network, Qt or the disk.
"""

from __future__ import annotations

import binascii
import email
import html as html_lib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.policy import compat32

import idna

from govmail_desktop.core.entities import Address
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime.charsets import (
    MAX_HEADER_CHARS,
    THAI_CHARSETS,
    codec_for,
    decode_bytes,
    decode_header,
    decode_param,
    guess_decode,
    to_bytes,
    unfold,
)
from govmail_desktop.mime.dates import parse_date
from govmail_desktop.mime.headers import ADDRESS_FIELDS, header_fields, header_section, occurrences
from govmail_desktop.mime.markings import MARKING_FIELDS, Markings, header_lookup, recognise
from govmail_desktop.policy.attachments import BIDI_AND_HIDDEN, DECOY_EXTENSIONS, real_extension, safe_display_name

log = logging.getLogger(__name__)

# -- limits ---------------------------------------------------------------------
#: Bytes of the raw message handed to the parser (the rest is not looked at).
MAX_PARSE_BYTES = 16 * 1024 * 1024
#: Lines of the raw message handed to the parser (each costs the parser memory).
MAX_LINES = 250_000
#: Longer raw lines are cut (a single 100 MB line cannot be shown anyway).
MAX_LINE_BYTES = 256 * 1024
#: Longer header fields (with their folded lines) are cut.
MAX_FIELD_BYTES = 8 * 1024
#: More multipart/message containers than this → no MIME tree (flat fallback);
#: keeps the stdlib parser's recursion far below Python's limit.
MAX_CONTAINERS = 100
#: Nesting depth walked; deeper parts are skipped and said to be.
MAX_DEPTH = 100
#: Parts walked at most.
MAX_PARTS = 500
#: Encoded bytes of one text part that are decoded.
MAX_PART_BYTES = 4 * 1024 * 1024
#: Characters of one HTML part converted.
MAX_HTML_CHARS = 1024 * 1024
#: Above this many tags the HTML is reduced by stripping tags (sanitiser cost).
MAX_HTML_TAGS = 10_000
#: Characters of preview text in all.
MAX_TEXT_CHARS = 200_000
#: Longer lines are broken (the text widget lays out huge lines slowly).
MAX_LINE_CHARS = 2_000
#: Addresses kept per address header (the rest are counted).
MAX_ADDRESSES = 100
#: Link targets longer than this are shortened in the text.
MAX_URL_CHARS = 512

TRUNCATION_MARK = "…"
PART_SEPARATOR = "\n\n" + "─" * 24 + "\n\n"

# -- warnings -------------------------------------------------------------------
W_SEVERAL_FROM = "several-from"
W_FROM_MISSING = "from-missing"
W_FROM_SEVERAL_ADDRESSES = "from-several-addresses"
W_FROM_MALFORMED = "from-malformed-address"
W_FROM_NAME_IS_OTHER_ADDRESS = "from-name-is-another-address"
W_HIDDEN_CHARACTERS = "hidden-characters"
W_FROM_LOOKALIKE_INTERNAL = "from-lookalike-internal-domain"
W_FROM_LOOKALIKE_DOMAIN = "from-lookalike-domain"
W_TRUNCATED = "truncated"
W_TOO_DEEP = "too-deep"
W_TOO_MANY_PARTS = "too-many-parts"
W_HTML_SIMPLIFIED = "html-simplified"
W_ATTACHMENT_NAME = "attachment-deceptive-name"

#: Warnings that mean "the sender may not be who the name says" (shown prominently).
SENDER_WARNINGS = frozenset(
    {
        W_SEVERAL_FROM, W_FROM_MISSING, W_FROM_SEVERAL_ADDRESSES, W_FROM_MALFORMED, W_FROM_NAME_IS_OTHER_ADDRESS,
        W_FROM_LOOKALIKE_INTERNAL, W_FROM_LOOKALIKE_DOMAIN, W_HIDDEN_CHARACTERS,
    }
)

WARNING_TEXT: dict[str, Msg] = {
    W_SEVERAL_FROM: QT_TRANSLATE_NOOP(
        "MimeParse", "This message has more than one sender line; the sender may be forged."
    ),
    W_FROM_MISSING: QT_TRANSLATE_NOOP("MimeParse", "This message does not say who sent it."),
    W_FROM_SEVERAL_ADDRESSES: QT_TRANSLATE_NOOP(
        "MimeParse", "This message names several senders; check the addresses carefully."
    ),
    W_FROM_MALFORMED: QT_TRANSLATE_NOOP(
        "MimeParse", "The sender's address is malformed; the sender may be forged."
    ),
    W_FROM_NAME_IS_OTHER_ADDRESS: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's name looks like a different e-mail address than the real one; the sender may be forged.",
    ),
    W_FROM_LOOKALIKE_INTERNAL: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's domain imitates a government domain with look-alike letters from another alphabet; "
        "its real form (xn--…) is shown. This message is not from a government address.",
    ),
    W_FROM_LOOKALIKE_DOMAIN: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's domain uses look-alike letters from another alphabet; its real form (xn--…) is shown. "
        "The sender may be forged.",
    ),
    W_HIDDEN_CHARACTERS: QT_TRANSLATE_NOOP(
        "MimeParse", "Hidden control or text-direction characters were removed from the sender's name."
    ),
    W_TRUNCATED: QT_TRANSLATE_NOOP("MimeParse", "This message is very large; only its beginning is shown."),
    W_TOO_DEEP: QT_TRANSLATE_NOOP(
        "MimeParse", "This message is nested too deeply; some of its parts are not shown."
    ),
    W_TOO_MANY_PARTS: QT_TRANSLATE_NOOP("MimeParse", "This message has too many parts; some are not shown."),
    W_HTML_SIMPLIFIED: QT_TRANSLATE_NOOP(
        "MimeParse", "The formatted (HTML) text was shown as plain text; remote content was not loaded."
    ),
    W_ATTACHMENT_NAME: QT_TRANSLATE_NOOP(
        "MimeParse", "An attachment's name hides its real type. Do not open it unless you are sure."
    ),
}

# -- header text (the decoding itself is mime.charsets, shared with the message list) ----


def _raw_bytes(value: str) -> bytes:
    """A compat32 header/payload string back to its bytes (8-bit kept as surrogates)."""
    return value.encode("ascii", "surrogateescape")


def _unescape_8bit(value: str) -> str:
    """Raw 8-bit bytes in a header (no RFC 2047): UTF-8 if valid, else cp874."""
    if value.isascii():
        return value
    try:
        data = _raw_bytes(value)
    except UnicodeEncodeError:
        return value  # already real text
    return guess_decode(data)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]+")


def _base64_lenient(text: str) -> bytes:
    """Base64 with junk characters ignored and missing padding tolerated."""
    data = _NOT_BASE64.sub("", text)
    rest = len(data) % 4
    if rest == 1:
        data = data[:-1]
    elif rest:
        data += "=" * (4 - rest)
    try:
        return binascii.a2b_base64(data.encode("ascii"))
    except binascii.Error:
        return b""


def decode_words(value: str | None, *, limit: int = MAX_HEADER_CHARS) -> str:
    """Decoded text of a header value as parsed (8-bit bytes kept as surrogates): at most
    ``limit`` characters of it, read by :func:`mime.charsets.decode_header`, the decoder
    the message list uses (RFC 2047 words, Thai and superset charsets, folding)."""
    if not value:
        return ""
    return decode_header(value[:limit])


def clean_display_text(text: str) -> tuple[str, bool]:
    """Text with control characters removed; True if any were there."""
    cleaned = _CONTROL.sub("", text.replace("\t", " "))
    return cleaned.strip(), cleaned != text.replace("\t", " ")


# -- addresses --------------------------------------------------------------------
#
# Our own RFC 5322 address-list parser: ``email.utils.getaddresses`` answers
# hostile headers differently from one patch release to the next (Debian 12's
# 3.11.2 carries the CVE-2023-27043 "strict" change, 3.11.7 does not:
# ``<any@attack.example>admin@legit.go.th`` gave no address at all on one and two on
# the other), so the spoof warnings depended on the interpreter. This parser gives one
# answer everywhere: quoted strings, nested comments, groups, angle addresses with
# obsolete routes, domain literals, RFC 2047 words decoded only in names, and for the
# obsolete and broken forms (``<a@b>junk``, ``Name <a@b> <c@d>``, unclosed quotes,
# comments and brackets) every address-like piece is kept, so the real address is
# always shown, and the list is flagged.

#: Every character outside a comment starts one of these, or is a stray one.
_ADDRESS_TOKEN = re.compile(
    r'(?P<ws>[ \t\r\n]+)|(?P<q>"(?:[^"\\]|\\.)*")|(?P<lit>\[(?:[^\[\]\\]|\\.)*\])'
    r"|(?P<sp>[<>@,;:.])|(?P<atom>[^ \t\r\n\"()\[\]<>@,;:.\\]+)",
    re.S,
)
#: The same without quoted strings and domain literals (after an unclosed one).
_PLAIN_TOKEN = re.compile(r"(?P<ws>[ \t\r\n]+)|(?P<sp>[<>@,;:.])|(?P<atom>[^ \t\r\n\"()\[\]<>@,;:.\\]+)")
_COMMENT_STOP = re.compile(r"[\\()]")
_QUOTED_PAIR = re.compile(r"\\(.)", re.S)
#: The shape of an addr-spec by token kinds: word *("." word) "@" (dot-atom / domain literal).
_ADDR_SPEC_SHAPE = re.compile(r"[aq](?:\.[aq])*@(?:a(?:\.a)*|l)\Z")
_KIND_LETTER = {"atom": "a", "q": "q", "lit": "l", ".": ".", "@": "@"}
_WORDS = frozenset({"atom", "q", "lit"})
_WHITESPACE_RUN = re.compile(r"\s+")
#: Invisible format characters (bidi embeddings, overrides and isolates, marks,
#: zero-width characters, word joiner, BOM, soft hyphen, tags): removed from names
#: and addresses, and flagged (they can reorder or hide what is shown).
_HIDDEN_FORMAT = re.compile(
    "[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)


#: A zero-width space between two Thai letters (U+0E01–U+0E5B): a word-break hint.
_THAI_WORD_BREAK = re.compile("(?<=[\u0e01-\u0e5b])\u200b+(?=[\u0e01-\u0e5b])")


def _comment_end(text: str, start: int) -> int:
    """End (exclusive) of the comment opening at ``start`` (nested, quoted pairs); -1 if unclosed."""
    depth = 0
    search = _COMMENT_STOP.search
    m = search(text, start)
    while m is not None:
        ch = m.group()
        if ch == "\\":
            m = search(text, m.end() + 1)
            continue
        if ch == "(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.end()
        m = search(text, m.end())
    return -1


def _address_tokens(text: str) -> tuple[list[tuple[str, str]], bool]:
    """(kind, text) tokens of an unfolded address header; True if some were broken.

    Kinds: ``ws``, ``q`` (quoted string, quotes kept), ``lit`` (domain literal),
    ``c`` (comment, parentheses kept), ``atom``, or the special itself (``<`` ...).
    An unclosed quote, comment or bracket is a stray character (an atom), so it
    cannot swallow the rest of the header. After the first unclosed one, later
    quotes, brackets and parentheses are stray too: no character is scanned
    twice over, which keeps hostile input linear.
    """
    tokens: list[tuple[str, str]] = []
    broken = False
    nested = True
    pos = 0
    n = len(text)
    match = _ADDRESS_TOKEN.match
    while pos < n:
        m = match(text, pos)
        if m is not None:
            kind = m.lastgroup or "atom"
            value = m.group()
            tokens.append((value if kind == "sp" else kind, value))
            pos = m.end()
            continue
        ch = text[pos]
        if ch == "(" and nested:
            end = _comment_end(text, pos)
            if end > 0:
                tokens.append(("c", text[pos:end]))
                pos = end
                continue
        if nested and ch in "([\"":
            nested = False
            match = _PLAIN_TOKEN.match
        broken = True  # a stray ( ) [ ] \\ or an unclosed quote, comment or bracket
        tokens.append(("atom", ch))
        pos += 1
    return tokens, broken


def _unquote(kind: str, value: str) -> str:
    if kind == "q":
        return _QUOTED_PAIR.sub(r"\1", value[1:-1])
    if kind == "c":
        return _QUOTED_PAIR.sub(r"\1", value[1:-1]).strip()
    return value


def _phrase(tokens: list[tuple[str, str]]) -> str:
    """A display name: its words (quoted strings unquoted) with single spaces where there were any."""
    out: list[str] = []
    space = False
    for kind, value in tokens:
        if kind == "ws" or kind == "c":
            space = True
            continue
        if space and out:
            out.append(" ")
        out.append(_unquote(kind, value))
        space = False
    return "".join(out)


def _addr_spec(tokens: list[tuple[str, str]]) -> tuple[str, bool]:
    """The address text (comments and folding whitespace dropped); True unless addr-spec shaped."""
    out: list[str] = []
    kinds: list[str] = []
    space = False
    for kind, value in tokens:
        if kind == "ws" or kind == "c":
            space = True
            continue
        if space and kinds and kind in _WORDS and kinds[-1] in "aql":
            out.append(" ")  # two words without a dot: shown as they are, and flagged
        out.append(value)
        kinds.append(_KIND_LETTER.get(kind, "x"))
        space = False
    return "".join(out), _ADDR_SPEC_SHAPE.match("".join(kinds)) is None


def _comment_names(tokens: list[tuple[str, str]]) -> str:
    return " ".join(_unquote(kind, value) for kind, value in tokens if kind == "c")


def _mailboxes(tokens: list[tuple[str, str]], out: list[tuple[str, str, bool]]) -> bool:
    """Mailboxes of one list element into ``out``; True if the element was not one mailbox.

    A mailbox ends at its ``>``: what follows it (``<a@b>junk``, ``Name <a@b> <c@d>``)
    is another mailbox, not dropped and not glued to the first.
    """
    broken = False
    n = len(tokens)
    start = 0
    while start < n:
        lt = -1
        significant = False
        for i in range(start, n):
            kind = tokens[i][0]
            if kind == "<":
                lt = i
                break
            if kind != "ws" and kind != "c":
                significant = True
        if lt < 0:  # addr-spec, the name (if any) in a comment
            if significant:
                part = tokens[start:]
                addr, bad = _addr_spec(part)
                out.append((_comment_names(part), addr, bad))
            return broken
        gt = next((i for i in range(lt + 1, n) if tokens[i][0] == ">"), -1)
        end = gt if gt >= 0 else n
        if gt < 0:
            broken = True  # "Name <a@b" (unclosed)
        inner = tokens[lt + 1 : end]
        colon = next((i for i in range(len(inner) - 1, -1, -1) if inner[i][0] == ":"), -1)
        if colon >= 0 and next((kind for kind, _ in inner if kind != "ws" and kind != "c"), "") == "@":
            inner = inner[colon + 1 :]  # obsolete source route: <@a,@b:user@host>
        addr, bad = _addr_spec(inner)
        if not addr:
            bad = False  # <> (no address): judged by the caller
        after = end + 1
        following = after
        while following < n and tokens[following][0] in ("ws", "c"):
            following += 1
        more = following < n
        name = _phrase(tokens[start:lt])
        if not name:
            name = _comment_names(tokens[start:lt] + ([] if more else tokens[after:]))
        out.append((name, addr, bad))
        if more:
            broken = True
        start = after
    return broken


def split_address_list(text: str) -> tuple[list[tuple[str, str, bool]], bool]:
    """(raw name, address, address malformed) of each mailbox of an unfolded address
    header, groups flattened (their names dropped); True if the list itself was malformed.

    Names are returned undecoded (RFC 2047 words are decoded by the caller, after
    the split, so an encoded word can never make an address).
    """
    tokens, broken = _address_tokens(text)
    # Where each "<" closes; an unclosed one does not hide the commas after it.
    closes: dict[int, bool] = {}
    seen_close = False
    for i in range(len(tokens) - 1, -1, -1):
        kind = tokens[i][0]
        if kind == ">":
            seen_close = True
        elif kind == "<":
            closes[i] = seen_close
    out: list[tuple[str, str, bool]] = []
    element: list[tuple[str, str]] = []
    in_angle = False
    in_group = False
    addressed = False  # an "@" or "<" in this element: a ":" is no group's
    for i, token in enumerate(tokens):
        kind = token[0]
        if in_angle:
            element.append(token)
            if kind == ">":
                in_angle = False
            continue
        if kind == "<":
            in_angle = closes[i]
        elif kind in (",", ";"):
            if kind == ";":
                if not in_group:
                    broken = True
                in_group = False
            broken |= _mailboxes(element, out)
            element = []
            addressed = False
            continue
        elif kind == ":" and not addressed:
            if in_group:
                broken = True  # groups do not nest
            in_group = True
            element = []  # the group's name is not an address
            continue
        if kind == "@" or kind == "<":
            addressed = True
        element.append(token)
    broken |= _mailboxes(element, out)
    return out, broken


def _clean_name(text: str) -> tuple[str, bool]:
    """A display name without control and invisible format characters, whitespace
    runs collapsed (a run of spaces cannot push the address out of sight); True if
    something hidden was removed."""
    cleaned, hidden = clean_display_text(text)
    if "\u200b" in cleaned:
        # Thai editors put a zero-width space between Thai words (a line-break hint):
        # removed without a warning there; anywhere else it is hidden text like the rest.
        cleaned = _THAI_WORD_BREAK.sub("", cleaned)
    if _HIDDEN_FORMAT.search(cleaned):
        cleaned, hidden = _HIDDEN_FORMAT.sub("", cleaned), True
    return _WHITESPACE_RUN.sub(" ", cleaned).strip(), hidden


_NAME_TOKEN_SPLIT = re.compile(r"[\s<>\"'(),;:\[\]]+")


def _addresses_in_name(name: str) -> list[str]:
    """Address-like words in a display name, compared in NFKC form (so a fullwidth
    ``＠`` or a small ``﹫`` is an at sign); split first: no backtracking regex."""
    if not name.isascii():
        name = unicodedata.normalize("NFKC", name)
    return [
        t.strip(".").casefold()
        for t in _NAME_TOKEN_SPLIT.split(name)
        if "@" in t and "." in t.rpartition("@")[2]
    ]


# -- look-alike domains ----------------------------------------------------------

#: Letters of other scripts (and non-ASCII Latin ones) that look like an ASCII
#: letter, after NFKC and lower-casing: the look-alikes of homograph attacks
#: (after the lists browsers use for their IDN display policy). Characters whose
#: NFKC form is ASCII (fullwidth, mathematical, ſ, ℓ) are look-alikes too.
_CONFUSABLE = {
    # Cyrillic
    "а": "a", "в": "b", "ъ": "b", "ь": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "ҽ": "e",
    "ԍ": "g", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "ӏ": "l", "м": "m", "п": "n",
    "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t", "ц": "u", "ѵ": "v", "ԝ": "w",
    "ѡ": "w", "х": "x", "у": "y", "ү": "y", "ӡ": "z",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "ί": "i", "κ": "k", "ν": "v", "ο": "o",
    "ό": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    # Armenian
    "ա": "w", "գ": "q", "զ": "q", "հ": "h", "ո": "n", "ս": "u", "ց": "g", "օ": "o", "ք": "p",
    # Latin letters outside ASCII that read as ASCII ones
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ǀ": "l", "ƅ": "b",
    "ᴄ": "c", "ᴏ": "o", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ꜱ": "s", "ʀ": "r", "ɴ": "n", "ʜ": "h",
    "ᴋ": "k", "ᴍ": "m", "ᴛ": "t", "ᴜ": "u", "ꞵ": "b", "ɢ": "g", "ʟ": "l", "ᴀ": "a", "ᴅ": "d", "ᴇ": "e",
    # digits of other scripts that read as letters
    "๐": "o", "໐": "o", "०": "o", "০": "o", "੦": "o", "૦": "o", "୦": "o", "௦": "o", "౦": "o",
    "೦": "o", "൦": "o", "၀": "o", "٠": "o", "۰": "o", "߀": "o",
}
#: Scripts that may share one label (UTS #39 "highly restrictive"): Latin with
#: Japanese, Chinese or Korean; no other mix is a real-world domain label.
_SCRIPT_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
)
_SCRIPT_ALIASES = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "HALFWIDTH": "HANGUL"}


def _internal_suffixes() -> tuple[str, ...]:
    """The domains the built-in policy treats as internal (government): ``go.th``."""
    from govmail_desktop.policy.defaults import DEFAULT_POLICY_DATA

    found: dict[str, None] = {}
    for section, key in (("recipients", "internal_domains"), ("accounts", "allowed_domains")):
        for pattern in DEFAULT_POLICY_DATA.get(section, {}).get(key, ()):
            suffix = str(pattern).lower().lstrip("*").lstrip(".")
            if suffix:
                found[suffix] = None
    return tuple(found)


#: Look-alikes of these (and of the domains below them) get the stronger warning.
INTERNAL_DOMAINS = _internal_suffixes()


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN" if ch.isalpha() else "COMMON"
    if unicodedata.category(ch)[0] == "M":
        return "COMMON"  # combining marks belong to their base letter
    word = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    if word == "DIGIT":
        return "COMMON"
    return _SCRIPT_ALIASES.get(word, word)


def _skeleton(label: str) -> str:
    folded = unicodedata.normalize("NFKC", label).lower()
    return "".join(_CONFUSABLE.get(ch, ch) for ch in folded)


def _label_is_lookalike(label: str) -> bool:
    """True if a (Unicode) domain label mixes scripts, holds a character no
    domain name has, or reads as an ASCII label (аррӏе, gо)."""
    folded = unicodedata.normalize("NFKC", label).lower()  # not casefold: ß is no "ss" look-alike
    scripts: set[str] = set()
    for ch in folded:
        if ch.isascii():
            if ch.isalpha():
                scripts.add("LATIN")
            continue
        category = unicodedata.category(ch)
        if category[0] not in "LMN":
            return True  # punctuation, symbols, format characters: ⁄ ‐ ․ …
        scripts.add(_script(ch))
    scripts.discard("COMMON")
    if len(scripts) > 1 and not any(scripts <= mix for mix in _SCRIPT_MIXES):
        return True
    skeleton = "".join(_CONFUSABLE.get(ch, ch) for ch in folded)
    return skeleton.isascii()


def _a_label(label: str) -> str | None:
    """The IDNA (UTS #46) ASCII form of one label, or None if it is not a valid IDN label."""
    try:
        return idna.encode(label, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def _raw_punycode(label: str) -> str:
    return "xn--" + label.encode("punycode").decode("ascii")


def _u_label(label: str) -> str | None:
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return None


def _shown_domain(domain: str) -> tuple[str, str | None]:
    """(the domain as shown, warning code or None) for a non-ASCII or punycode domain.

    Look-alike labels are shown in punycode (``mail.xn--g-1tb.th`` for a Cyrillic
    ``о`` in ``mail.gо.th``); a compatibility spelling of an ASCII label
    (fullwidth ``ｇｏ``) is shown as the ASCII label it stands for; genuine IDN
    labels (Thai, Japanese, ...) are shown as written.
    """
    shown: list[str] = []
    skeleton: list[str] = []
    lookalike = odd = False
    for label in domain.split("."):
        if not label:
            odd = True  # "a@ไทย..th": an empty label is no domain
            shown.append(label)
            skeleton.append(label)
            continue
        if label.isascii():
            shown.append(label)
            decoded = _u_label(label) if label[:4].lower() == "xn--" else None
            if decoded and _label_is_lookalike(decoded):
                lookalike = True
                skeleton.append(_skeleton(decoded))
            else:
                skeleton.append(label.lower())
            continue
        ascii_label = _a_label(label)
        if ascii_label is not None and not ascii_label.startswith("xn--"):
            odd = True  # fullwidth or other compatibility letters of an ASCII label
            shown.append(ascii_label)
            skeleton.append(ascii_label)
        elif _label_is_lookalike(label):
            lookalike = True
            shown.append(ascii_label or _raw_punycode(label))
            skeleton.append(_skeleton(label))
        elif ascii_label is None:
            odd = True  # not a valid domain label at all
            shown.append(_raw_punycode(label))
            skeleton.append(label)
        else:
            shown.append(label)
            skeleton.append(label)
    if lookalike:
        name = ".".join(skeleton)
        internal = any(name == s or name.endswith("." + s) for s in INTERNAL_DOMAINS)
        return ".".join(shown), W_FROM_LOOKALIKE_INTERNAL if internal else W_FROM_LOOKALIKE_DOMAIN
    return ".".join(shown), W_FROM_MALFORMED if odd else None


@dataclass(frozen=True)
class AddressList:
    addresses: tuple[Address, ...] = ()
    total: int = 0  # how many the header named (more than ``addresses`` when cut)
    suspicious: frozenset[str] = frozenset()


def parse_addresses(values: Iterable[str]) -> AddressList:
    """Split address headers into mailboxes, then decode only the display names.

    Each value is unfolded first (so the preview and the header sync, which
    unfolds the fetched fields, see the same text) and split by
    :func:`split_address_list`. The address part is never decoded (an encoded
    word there is a forgery attempt and is flagged); names lose control and
    invisible format characters; look-alike domains are shown in punycode.
    """
    # Unfolded before the cut, as the header sync's fetched fields are.
    raw = [_unescape_8bit(unfold(v)[:MAX_HEADER_CHARS]) for v in values if v]
    if not raw:
        return AddressList()
    warnings: set[str] = set()
    result: list[Address] = []
    total = 0
    for value in raw:
        mailboxes, broken = split_address_list(value)
        if broken:
            warnings.add(W_FROM_MALFORMED)
        for name, addr, addr_malformed in mailboxes:
            if not name and not addr:
                continue
            total += 1
            if len(result) >= MAX_ADDRESSES:
                continue
            decoded, hidden = _clean_name(decode_words(name)) if name else ("", False)
            if hidden:
                warnings.add(W_HIDDEN_CHARACTERS)
            addr_clean, addr_hidden = clean_display_text(addr)
            if not addr_clean.isascii() and _HIDDEN_FORMAT.search(addr_clean):
                addr_clean, addr_hidden = _HIDDEN_FORMAT.sub("", addr_clean), True
            if addr_malformed or addr_hidden or "=?" in addr or addr_clean.count("@") != 1 or " " in addr_clean:
                warnings.add(W_FROM_MALFORMED)
            local, at, domain = addr_clean.rpartition("@")
            if at and domain and (not domain.isascii() or "xn--" in domain.lower()) and domain[0] != "[":
                shown, code = _shown_domain(domain)
                addr_clean = f"{local}@{shown}"
                if code:
                    warnings.add(code)
            if decoded:
                real = addr_clean.casefold()
                if any(seen != real for seen in _addresses_in_name(decoded)):
                    warnings.add(W_FROM_NAME_IS_OTHER_ADDRESS)
            result.append(Address(decoded, addr_clean))
    return AddressList(tuple(result), total, frozenset(warnings))


# -- results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    """One attached file as listed under the preview (never opened here)."""

    filename: str  # decoded, exactly as sent (may hold bidi characters)
    content_type: str
    size: int  # decoded bytes (estimated from the encoded size); an attached message: its bytes as sent
    part: str  # IMAP part number, "2" / "2.1"
    suspicious_name: bool = False
    #: An attached message (message/rfc822): its own Subject, decoded ("" if it has none);
    #: None for every other attachment.
    subject: str | None = None

    @property
    def display_name(self) -> str:
        """The name with hidden/bidi characters made visible (``<U+202E>``)."""
        return safe_display_name(self.filename)


@dataclass(frozen=True)
class ParsedMessage:
    """What the preview pane shows of one message."""

    subject: str = ""
    from_: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    to_total: int = 0
    cc_total: int = 0
    date: datetime | None = None
    message_id: str | None = None
    #: The message IDs ("<...>") of In-Reply-To and References, in order (for replies).
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    #: The header fields official markings are read from (:data:`mime.markings.MARKING_FIELDS`),
    #: as (lower-case name, value) pairs.
    marking_fields: tuple[tuple[str, str], ...] = ()
    text: str = ""
    #: Where the text came from: "plain", "html", "mixed" or "none".
    text_source: str = "none"
    attachments: tuple[Attachment, ...] = ()
    warnings: tuple[str, ...] = ()
    truncated: bool = False

    @property
    def sender_warnings(self) -> tuple[str, ...]:
        return tuple(w for w in self.warnings if w in SENDER_WARNINGS)

    @property
    def markings(self) -> Markings:
        """Urgency and secrecy, from the marking header fields and the subject prefix."""
        return recognise(self.subject, header_lookup(self.marking_fields))


@dataclass
class _State:
    """Budget and findings of one parse."""

    chars_left: int = MAX_TEXT_CHARS
    #: Bytes of a line break in the raw message (CRLF as IMAP serves it, LF in files).
    eol: int = 2
    parts_seen: int = 0
    warnings: set[str] = field(default_factory=set)
    attachments: list[Attachment] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    truncated: bool = False


# -- pre-parse bounding ------------------------------------------------------------------
_CONTAINER_HEADER = re.compile(rb"^content-type:[ \t]*(?:multipart|message)/", re.IGNORECASE | re.MULTILINE)


def _cap_header_fields(lines: list[bytes]) -> tuple[list[bytes], bool]:
    """Cut every header field (first line plus folded lines) to :data:`MAX_FIELD_BYTES`.

    The stdlib re-parses a Content-Type's parameters on every look-up, in time
    that grows with the square of its length; a few hundred kilobytes of
    parameters would freeze the preview for seconds. Header blocks are: the
    top, after a line starting with ``--`` (a boundary) and after the header
    block of a ``message/*`` part, each up to its first empty line.
    """
    out: list[bytes] = []
    cut = False
    in_header = True
    field_len = 0
    field_is_ctype = False
    block_has_message = False
    for line in lines:
        if not in_header:
            if line.startswith(b"--"):
                in_header, field_len, block_has_message = True, 0, False
            out.append(line)
            continue
        body = line.rstrip(b"\r")
        if not body:
            in_header = block_has_message  # an embedded message's headers follow
            block_has_message = False
            out.append(line)
            continue
        if body[:1] in (b" ", b"\t"):
            field_len += len(body)
            if field_is_ctype and b"message/" in body[:256].lower():
                block_has_message = True
            if field_len > MAX_FIELD_BYTES:
                cut = True
                continue
        else:
            field_len = len(body)
            head = body[:256].lower()
            field_is_ctype = head.startswith(b"content-type:")
            if field_is_ctype and b"message/" in head:
                block_has_message = True
            if field_len > MAX_FIELD_BYTES:
                line, cut = line[:MAX_FIELD_BYTES], True
        out.append(line)
    return out, cut


def bound_input(raw: bytes) -> tuple[bytes, bool]:
    """Cut size, line count, line length and header fields so the parser's cost is bounded."""
    truncated = False
    if len(raw) > MAX_PARSE_BYTES:
        raw, truncated = raw[:MAX_PARSE_BYTES], True
    if raw.count(b"\n") > MAX_LINES:
        raw, truncated = b"\n".join(raw.split(b"\n", MAX_LINES)[:MAX_LINES]), True
    lines = raw.split(b"\n")
    if any(len(line) > MAX_LINE_BYTES for line in lines):
        lines = [line[:MAX_LINE_BYTES] for line in lines]
        truncated = True
    lines, fields_cut = _cap_header_fields(lines)
    return b"\n".join(lines), truncated or fields_cut


# -- text tidying ---------------------------------------------------------------------------
_MANY_BLANK_LINES = re.compile(r"\n(?:[ \t\u00a0\u200b]*\n){3,}")
_LONG_SPACE_RUN = re.compile(r"(?<![ \t\u00a0])[ \t\u00a0]{32,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def tidy_text(text: str, limit: int) -> tuple[str, bool]:
    """Normalise newlines, drop control characters, collapse whitespace runs,
    break very long lines, and cut to ``limit`` characters. Linear time."""
    cut = False
    # A generous first cut keeps every later step cheap on megabytes of input.
    if len(text) > limit * 4:
        text, cut = text[: limit * 4], True
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _LONG_SPACE_RUN.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n\n", text)
    text = text.strip("\n")
    lines = text.split("\n")
    if any(len(line) > MAX_LINE_CHARS for line in lines):
        pieces: list[str] = []
        for line in lines:
            pieces.extend(line[i : i + MAX_LINE_CHARS] for i in range(0, max(len(line), 1), MAX_LINE_CHARS))
        text = "\n".join(pieces)
    if len(text) > limit:
        text, cut = text[:limit], True
    return text + (TRUNCATION_MARK if cut else ""), cut


# -- HTML → text ---------------------------------------------------------------------------------
_SAFE_TAGS = frozenset(
    "a abbr b blockquote br caption code dd del div dl dt em h1 h2 h3 h4 h5 h6 hr i ins li ol p pre q s "
    "small span strike strong sub sup table tbody td tfoot th thead tr tt u ul".split()
)
_DROP_WITH_CONTENT = frozenset({"script", "style", "title", "head", "noscript", "template", "svg", "math"})
# "[^<>]" (not "[^>]"): a run of "<<<<" must not be rescanned from every "<".
_TAG = re.compile(r"<[^<>]{0,4096}>")
_BLOCK_TAG = re.compile(r"<(?:br|/p|/div|/tr|/li|/h[1-6]|/table|hr)\b[^<>]{0,4096}>", re.IGNORECASE)
_DROPPED_OPEN = re.compile(r"<(script|style|title|head|noscript|template)\b", re.IGNORECASE)


def _drop_blocks(html: str) -> str:
    """Remove script/style/... elements with their content, in one pass (no regex
    backtracking over unclosed elements)."""
    out: list[str] = []
    pos = 0
    lower: str | None = None
    while True:
        match = _DROPPED_OPEN.search(html, pos)
        if match is None:
            out.append(html[pos:])
            break
        out.append(html[pos : match.start()])
        if lower is None:
            lower = html.lower()
        end = lower.find("</" + match.group(1).lower(), match.end())
        if end < 0:
            break  # unclosed: the rest is inside it
        close = html.find(">", end)
        pos = close + 1 if close >= 0 else len(html)
    return " ".join(out)


def _short_url(value: str) -> str:
    return value if len(value) <= MAX_URL_CHARS else value[:MAX_URL_CHARS] + TRUNCATION_MARK


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return _short_url(value)
    return None


def _strip_tags(html: str) -> str:
    """Cheap linear fallback for HTML too big to sanitise: tags out, entities decoded."""
    html = _drop_blocks(html)
    html = _BLOCK_TAG.sub("\n", html)
    html = _TAG.sub("", html)
    return html_lib.unescape(html)


def html_to_text(html: str, state: _State | None = None) -> str:
    """Sanitise (nh3) and convert (html2text) one HTML part; no resource is fetched."""
    import html2text
    import nh3

    state = state or _State()
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
        state.truncated = True
        state.warnings.add(W_TRUNCATED)
    if html.count("<") > MAX_HTML_TAGS:
        return _strip_tags(html)
    try:
        clean = nh3.clean(
            html,
            tags=set(_SAFE_TAGS),
            clean_content_tags=set(_DROP_WITH_CONTENT),
            attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
            attribute_filter=_attribute_filter,
            url_schemes={"http", "https", "mailto"},
            strip_comments=True,
            link_rel=None,
        )
    except Exception:
        log.debug("nh3 failed; stripping tags instead", exc_info=True)
        return _strip_tags(html)
    converter = html2text.HTML2Text()
    converter.body_width = 0  # no hard wrapping: the widget wraps (Thai has no spaces)
    converter.ignore_images = True
    converter.images_to_alt = True
    converter.ignore_emphasis = True
    converter.ignore_tables = False
    converter.inline_links = True
    converter.skip_internal_links = True
    converter.unicode_snob = True
    converter.protect_links = False
    try:
        return converter.handle(clean)
    except Exception:
        log.debug("html2text failed; stripping tags instead", exc_info=True)
        return _strip_tags(clean)


# -- parts ------------------------------------------------------------------------------------
_TEXT_SHOWN = frozenset({"text/plain", "text/html", "text/enriched", "text/richtext", "text/rfc822-headers"})
_SIGNATURE_TYPES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # noqa: BLE001
        return "application/octet-stream"


def _disposition(part: Message) -> str | None:
    value = part.get("content-disposition")
    if not value:
        return None
    return str(value).split(";", 1)[0].strip().lower() or None


def _filename(part: Message) -> str:
    try:
        name = part.get_param("filename", None, "content-disposition") or part.get_param("name") or ""
    except Exception:  # noqa: BLE001
        name = ""
    name = decode_param(name)  # RFC 2231 (charset, language, text) or RFC 2047 words
    # Keep bidi characters (they are what the warning is about); drop line breaks.
    return _CONTROL.sub("", name).strip()


def _payload_text(part: Message) -> str:
    """The undecoded payload as parsed (8-bit bytes kept as surrogates).

    ``get_payload()`` would already decode 8-bit text with the *declared*
    charset (Python's tis-620, which lacks the windows-874 quotes), so the
    stored payload is read instead.
    """
    payload = getattr(part, "_payload", None)
    if payload is None:
        payload = part.get_payload()
    if isinstance(payload, bytes):
        return payload.decode("ascii", "surrogateescape")
    return payload if isinstance(payload, str) else ""


def _decoded_size(part: Message) -> int:
    payload = _payload_text(part)
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte == "base64":
        data_chars = len(payload) - payload.count("\n") - payload.count("\r") - payload.count(" ")
        return max(0, data_chars * 3 // 4 - payload.count("="))
    return len(payload)


def _entity_size(entity: Message, eol: int) -> int:
    """Bytes of a whole entity as it was sent: header lines, blank line, body.

    For an attached message (message/rfc822), whose payload the parser turned
    into a message tree: the tree is measured back (header lines, boundary lines,
    preamble and epilogue, leaf payloads as stored), with an explicit stack so a
    deep nesting cannot recurse.
    """
    total = 0
    stack = [entity]
    while stack:
        part = stack.pop()
        total += sum(len(name) + 2 + len(value) + eol for name, value in part.raw_items()) + eol
        payload = part.get_payload()
        if not isinstance(payload, list):
            total += len(_payload_text(part))
            continue
        children = [child for child in payload if isinstance(child, Message)]
        if part.is_multipart() and not _content_type(part).startswith("message/"):
            boundary = len(part.get_boundary() or "")
            # "--b" EOL before each child, EOL ending each child, "--b--" EOL at the end
            total += (boundary + 2 + eol) * len(children) + eol * len(children) + boundary + 4 + eol
            if part.preamble is not None:  # the line break before the first "--b" ends it
                total += len(part.preamble) + eol
            total += len(part.epilogue or "")
        stack.extend(children)
    return total


def decode_part_bytes(part: Message, limit: int = MAX_PART_BYTES) -> tuple[bytes, bool]:
    """The transfer-decoded bytes of a leaf part (at most ``limit``); True if cut."""
    payload = _payload_text(part)
    cut = False
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte == "base64":
        if len(payload) > limit * 4 // 3 + 4096:
            payload, cut = payload[: limit * 4 // 3 + 4096], True
        out = _base64_lenient(payload)
    elif cte == "quoted-printable":
        if len(payload) > limit:
            payload, cut = payload[:limit], True
        out = binascii.a2b_qp(to_bytes(payload))
    else:
        if len(payload) > limit:
            payload, cut = payload[:limit], True
        out = to_bytes(payload)
    if len(out) > limit:
        out, cut = out[:limit], True
    return out, cut


def part_bytes(raw: bytes, number: str) -> bytes | None:
    """The bytes of the part numbered ``number`` as :class:`Attachment` ``.part`` names it (IMAP
    numbering: "2", "2.1"), transfer-decoded; an attached message (message/rfc822): the message
    itself. None when there is no such part. Used to keep the files of a forwarded message."""
    raw, _ = bound_input(raw or b"")
    if len(_CONTAINER_HEADER.findall(raw)) > MAX_CONTAINERS:
        return None
    try:
        node: Message = email.message_from_bytes(raw, policy=compat32)
        steps = [int(step) for step in number.split(".")]
    except (ValueError, RecursionError):
        return None
    for step in steps:
        if step < 1:
            return None
        if _content_type(node) == "message/rfc822":
            inner = node.get_payload()
            if not (isinstance(inner, list) and inner and isinstance(inner[0], Message)):
                return None
            node = inner[0]
        if node.is_multipart():
            children = [c for c in node.get_payload() if isinstance(c, Message)]
            if step > len(children):
                return None
            node = children[step - 1]
        elif step != 1:
            return None
    if _content_type(node) == "message/rfc822":
        inner = node.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            try:
                return inner[0].as_bytes(policy=compat32)
            except (RecursionError, LookupError, UnicodeError):
                return None
    data, cut = decode_part_bytes(node, limit=MAX_PARSE_BYTES)
    return None if cut else data


def _part_text(part: Message, ctype: str, state: _State) -> str:
    data, cut = decode_part_bytes(part)
    if cut:
        state.truncated = True
        state.warnings.add(W_TRUNCATED)
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    text = decode_bytes(data, charset)
    if ctype == "text/html":
        state.sources.add("html")
        state.warnings.add(W_HTML_SIMPLIFIED)
        return html_to_text(text, state)
    if ctype in ("text/enriched", "text/richtext"):
        text = _strip_tags(text)
    state.sources.add("plain")
    return text


def _is_attachment(part: Message, ctype: str) -> bool:
    disposition = _disposition(part)
    if disposition == "attachment":
        return True
    if ctype in _TEXT_SHOWN:
        return False
    return not ctype.startswith("multipart/") and ctype != "message/rfc822"


def _add_attachment(
    part: Message, ctype: str, number: str, state: _State, embedded: Message | None = None
) -> None:
    """List a part as a file; ``embedded`` is the message an attached message/rfc822 holds."""
    name = _filename(part)
    suspicious = False
    if name:
        if any(ch in BIDI_AND_HIDDEN for ch in name):
            suspicious = True
        else:
            ext = real_extension(name)
            stem = name.rstrip(" .").rpartition(".")[0].rstrip(" .")
            inner = real_extension(stem) if stem else ""
            suspicious = bool(ext and inner in DECOY_EXTENSIONS and ext not in DECOY_EXTENSIONS)
    if suspicious:
        state.warnings.add(W_ATTACHMENT_NAME)
    if embedded is None:
        state.attachments.append(Attachment(name, ctype, _decoded_size(part), number, suspicious))
        return
    subject = clean_display_text(decode_words((header_values(embedded, "subject") or [""])[0]))[0]
    size = _entity_size(embedded, state.eol)
    state.attachments.append(Attachment(name, ctype, size, number, suspicious, subject=subject))


def _child_number(prefix: str, index: int) -> str:
    return f"{prefix}.{index}" if prefix else str(index)


def _alternative_choice(children: list[Message]) -> Message | None:
    """text/plain first; else a multipart holding text; else HTML; else the last one."""
    for wanted in ("text/plain", "multipart/", "text/html"):
        for child in children:
            ctype = _content_type(child)
            if (ctype == wanted or (wanted.endswith("/") and ctype.startswith(wanted))) and _disposition(
                child
            ) != "attachment":
                return child
    return children[-1] if children else None


def _render(root: Message, state: _State, prefix: str = "", depth: int = 0) -> list[str]:
    """Text segments of one entity, each from a single part, in display order.

    An explicit stack (not recursion) bounds the walk by :data:`MAX_DEPTH` and
    :data:`MAX_PARTS`.
    """
    segments: list[str] = []
    # Stack items: (part, its IMAP number, depth, header-of-embedded-message or None)
    stack: list[tuple[Message, str, int]] = [(root, prefix, depth)]
    while stack:
        part, number, level = stack.pop()
        state.parts_seen += 1
        if state.parts_seen > MAX_PARTS:
            state.warnings.add(W_TOO_MANY_PARTS)
            break
        if level > MAX_DEPTH:
            state.warnings.add(W_TOO_DEEP)
            continue
        ctype = _content_type(part)
        if part.is_multipart() and not ctype.startswith("message/"):
            children = [c for c in part.get_payload() if isinstance(c, Message)]
            numbered = [(c, _child_number(number, i + 1)) for i, c in enumerate(children)]
            if ctype == "multipart/alternative":
                chosen = _alternative_choice(children)
                # Alternatives not chosen are other forms of the same text; files among them are listed.
                for child, child_number in numbered:
                    if child is chosen:
                        stack.append((child, child_number, level + 1))
                    elif _disposition(child) == "attachment":
                        _add_attachment(child, _content_type(child), child_number, state)
                continue
            if ctype == "multipart/related" and numbered:
                start = str(part.get_param("start") or "").strip()
                root_child = next(
                    (c for c in numbered if start and str(c[0].get("content-id", "")).strip() == start), numbered[0]
                )
                for child, child_number in numbered:
                    if child is root_child[0]:
                        continue
                    if _disposition(child) == "attachment":
                        _add_attachment(child, _content_type(child), child_number, state)
                stack.append((root_child[0], root_child[1], level + 1))
                continue
            # mixed, digest, report, signed, unknown: every child in order.
            for child, child_number in reversed(numbered):
                stack.append((child, child_number, level + 1))
            continue
        if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
            inner = part.get_payload()
            inner_msg = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else None
            if inner_msg is None:
                _add_attachment(part, ctype, number or "1", state)
                continue
            if _disposition(part) == "attachment":  # also offered as a file (forwarded.eml)
                _add_attachment(part, ctype, number or "1", state, embedded=inner_msg)
            segments.append(_embedded_header(inner_msg))
            inner_number = number or "1"
            if inner_msg.is_multipart():
                stack.append((inner_msg, inner_number, level + 1))
            else:
                stack.append((inner_msg, _child_number(inner_number, 1), level + 1))
            continue
        if _is_attachment(part, ctype):
            if ctype not in _SIGNATURE_TYPES or _filename(part):
                _add_attachment(part, ctype, number or "1", state)
            continue
        if state.chars_left <= 0:
            state.truncated = True
            state.warnings.add(W_TRUNCATED)
            continue
        text, cut = tidy_text(_part_text(part, ctype, state), state.chars_left)
        if cut:
            state.truncated = True
            state.warnings.add(W_TRUNCATED)
        state.chars_left -= len(text)
        if text.strip():
            segments.append(text)
    return segments


_EMBEDDED_MARK = "\x00embedded\x00"


def header_values(msg: Message, name: str) -> list[str]:
    """A header's values as sent, folded, 8-bit bytes kept (as surrogates) for
    :func:`decode_words` / :func:`parse_addresses` to decode as UTF-8 or cp874.

    ``Message.get`` under compat32 would turn raw 8-bit header text (Thai mailers
    that skip RFC 2047) into U+FFFD before we could decode it.
    """
    wanted = name.lower()
    return [str(value) for key, value in msg.raw_items() if key.lower() == wanted]


def _embedded_header(inner: Message) -> str:
    """A marker the caller replaces by the forwarded message's header lines."""
    fields = []
    for name in ("From", "Date", "Subject", "To"):
        values = header_values(inner, name)
        if not values:
            continue
        if name in ("From", "To"):
            shown = ", ".join(str(a) for a in parse_addresses(values[:1]).addresses)
        else:
            shown = clean_display_text(decode_words(values[0]))[0]
        fields.append((name, shown))
    return _EMBEDDED_MARK + "\n".join(f"{name}\x01{shown}" for name, shown in fields)


# -- public entry point ------------------------------------------------------------------------

_FORWARDED = QT_TRANSLATE_NOOP("MimeParse", "Forwarded message")
_HEADER_NAMES = {
    "From": QT_TRANSLATE_NOOP("MimeParse", "From"),
    "Date": QT_TRANSLATE_NOOP("MimeParse", "Date"),
    "Subject": QT_TRANSLATE_NOOP("MimeParse", "Subject"),
    "To": QT_TRANSLATE_NOOP("MimeParse", "To"),
}


def _finish_segment(segment: str, lang: str | None) -> str:
    if not segment.startswith(_EMBEDDED_MARK):
        return segment
    lines = [f"---------- {_FORWARDED.text(lang)} ----------"]
    for row in segment[len(_EMBEDDED_MARK) :].split("\n"):
        if "\x01" in row:
            name, shown = row.split("\x01", 1)
            lines.append(f"{_HEADER_NAMES[name].text(lang)}: {shown}")
    return "\n".join(lines)


def _top_fields(raw: bytes) -> Callable[[str], list[str]]:
    """``values(name)``: the values of a top-level header field as :func:`mime.headers.header_fields`
    gives them (unfolded, stripped; every occurrence of an address field, else the first),
    as strings with 8-bit bytes kept as surrogates for :func:`decode_words` / :func:`parse_addresses`."""
    fields = header_fields(header_section(raw))

    def values(name: str) -> list[str]:
        value = fields.get(name)
        if value is None:
            return []
        found = occurrences(value) if name in ADDRESS_FIELDS else [value]
        return [v.decode("ascii", "surrogateescape") for v in found]

    return values


#: A message ID as it stands in In-Reply-To / References: "<left@right>", no blanks inside.
_MESSAGE_ID = re.compile(r"<[^<>\s@]{1,250}@[^<>\s@]{1,250}>")
#: At most this many IDs are read from one References field (a hostile one may hold thousands).
MAX_REFERENCES = 500


def message_ids(values: list[str]) -> tuple[str, ...]:
    """The message IDs in In-Reply-To / References values, in order, each once (comments and
    anything that is not ``<id@domain>`` skipped)."""
    found: dict[str, None] = {}
    for value in values:
        for match in _MESSAGE_ID.finditer(value):
            if len(found) >= MAX_REFERENCES:
                break
            if match.group(0).isascii():
                found.setdefault(match.group(0), None)
    return tuple(found)


def _parse_date(values: list[str]) -> datetime | None:
    """The first Date field, read as the message list reads it (:func:`mime.dates.parse_date`
    of the unfolded, stripped value): ``-0000`` and zone names such as ``ICT`` give a date."""
    if not values:
        return None
    epoch = parse_date(to_bytes(unfold(values[0])).strip())
    if epoch is None:
        return None
    try:
        return datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):  # year 0 or 10000: no date rather than a crash
        return None


def _flat_fallback(raw: bytes, state: _State) -> list[str]:
    """Too many containers for a tree: show the body's text lines without MIME syntax."""
    state.warnings.add(W_TOO_DEEP)
    head_end = raw.find(b"\n\n")
    body = raw[head_end + 2 :] if head_end >= 0 else b""
    keep = []
    for line in body.split(b"\n"):
        stripped = line.strip()
        if stripped.startswith(b"--") or re.match(rb"^[A-Za-z-]{1,64}:[ \t]", stripped):
            continue
        keep.append(line)
    text, _ = tidy_text(decode_bytes(b"\n".join(keep), None), state.chars_left)
    state.sources.add("plain")
    return [text] if text.strip() else []


def parse_message(raw: bytes, *, lang: str | None = None) -> ParsedMessage:
    """Parse one raw message (RFC 5322 bytes) into what the preview shows.

    Never raises on malformed or hostile input; ``lang`` chooses the language
    of the few labels put into the text (forwarded-message headers).
    """
    state = _State()
    raw = raw or b""
    # The fields the message list shows, read from the header as the header sync reads
    # the server's copy of them (one field grammar, mime.headers): the same subject,
    # senders and date in both, even where the MIME parser gives up on a broken header.
    top = _top_fields(raw[:MAX_PARSE_BYTES])
    raw, cut = bound_input(raw)
    state.eol = 2 if b"\r\n" in raw[:65536] else 1
    if cut:
        state.truncated = True
        state.warnings.add(W_TRUNCATED)
    flat = len(_CONTAINER_HEADER.findall(raw)) > MAX_CONTAINERS
    msg: Message | None = None
    if not flat:
        try:
            msg = email.message_from_bytes(raw, policy=compat32)
        except RecursionError:
            flat = True
        except Exception:
            log.warning("Message could not be parsed as MIME; showing it flat", exc_info=True)
            flat = True
    if msg is None:
        from email.parser import BytesHeaderParser

        msg = BytesHeaderParser(policy=compat32).parsebytes(raw)
        segments = _flat_fallback(raw, state)
    else:
        try:
            segments = _render(msg, state)
        except RecursionError:
            segments = _flat_fallback(raw, state)

    from_headers = top("from")
    sender = parse_addresses(from_headers)
    warnings = set(state.warnings) | set(sender.suspicious)
    if len(from_headers) > 1:
        warnings.add(W_SEVERAL_FROM)
    if not from_headers or not sender.addresses:
        warnings.add(W_FROM_MISSING)
    elif sender.total > 1:
        warnings.add(W_FROM_SEVERAL_ADDRESSES)
    to = parse_addresses(top("to"))
    cc = parse_addresses(top("cc"))
    reply_to = parse_addresses(top("reply-to"))
    subject, _ = clean_display_text(decode_words((top("subject") or [""])[0]))
    message_id = (top("message-id") or [""])[0]
    marking_fields = tuple(
        (name, decode_words(value)[:200]) for name in MARKING_FIELDS for value in top(name)[:1]
    )

    text = PART_SEPARATOR.join(_finish_segment(s, lang) for s in segments)
    sources = state.sources
    source = "none" if not sources else ("mixed" if len(sources) > 1 else next(iter(sources)))
    order = list(WARNING_TEXT)
    return ParsedMessage(
        subject=subject,
        from_=sender.addresses,
        to=to.addresses,
        cc=cc.addresses,
        reply_to=reply_to.addresses,
        to_total=to.total,
        cc_total=cc.total,
        date=_parse_date(top("date")),
        message_id=str(message_id).strip()[:998] if message_id else None,
        in_reply_to=message_ids(top("in-reply-to")),
        references=message_ids(top("references")),
        marking_fields=marking_fields,
        text=text,
        text_source=source,
        attachments=tuple(state.attachments),
        warnings=tuple(sorted(warnings, key=lambda w: order.index(w) if w in order else len(order))),
        truncated=state.truncated,
    )


def warning_text(code: str) -> Msg:
    """The user's sentence for a warning code (translate with ``.text(lang)`` or tr)."""
    return WARNING_TEXT.get(code, QT_TRANSLATE_NOOP("MimeParse", "This message is unusual."))


__all__ = [
    "Attachment",
    "MAX_TEXT_CHARS",
    "ParsedMessage",
    "SENDER_WARNINGS",
    "THAI_CHARSETS",
    "codec_for",
    "decode_bytes",
    "decode_words",
    "html_to_text",
    "message_ids",
    "parse_addresses",
    "parse_message",
    "part_bytes",
    "tidy_text",
    "warning_text",
]
