"""Address headers → mailboxes: the one RFC 5322 address-list parser, with the spoof checks.

Used by the preview (:mod:`mime.parse`), the message list's header sync
(:mod:`sync.convert`), the composer and the sender (:mod:`mime.outgoing`), mailto
links (:mod:`mime.mailto`). Address headers are unfolded and split into mailboxes
(:func:`split_address_list`) *before* RFC 2047 words are decoded, so an encoded word
can never invent an address; decoded names lose control and invisible bidi/format
characters; look-alike domains are shown in punycode; what is odd is flagged with
the warning codes of :mod:`mime.preview_warnings`.

No Qt, no network, no disk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import idna

from govmail_desktop.core.entities import Address
from govmail_desktop.core.hidden_chars import HIDDEN_RE
from govmail_desktop.mime.charsets import MAX_HEADER_CHARS, unfold
from govmail_desktop.mime.header_text import _unescape_8bit, clean_display_text, decode_words
from govmail_desktop.mime.preview_warnings import (
    W_FROM_LOOKALIKE_DOMAIN,
    W_FROM_LOOKALIKE_INTERNAL,
    W_FROM_MALFORMED,
    W_FROM_NAME_IS_OTHER_ADDRESS,
    W_HIDDEN_CHARACTERS,
)

#: Addresses kept per address header (the rest are counted).
MAX_ADDRESSES = 100

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
#: Invisible format characters (the shared table): removed from names and addresses,
#: and flagged (they can reorder or hide what is shown).
_HIDDEN_FORMAT = HIDDEN_RE


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
