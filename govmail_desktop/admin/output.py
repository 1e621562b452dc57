r"""Everything ``govmail-admin`` writes to the terminal goes through here.

Much of what it prints came from elsewhere: a policy file (``description``, keys and
values quoted in problems, file names), the registry, a server (certificate subject
and issuer, capabilities, error texts) or DNS. Written as it is, a control character
or escape sequence in such text reaches the admin's terminal: ``ESC [ 2 J`` clears
it, an OSC 8 sequence hides a link behind harmless text, ``\r`` overwrites a line
(a fake "Status: valid"), U+202E turns text around. So:

* :func:`safe_text` shows every such character as a visible escape — C0 controls
  (``\n`` and ``\t`` kept only in multi-line blocks), DEL, C1 controls, and the
  invisible format characters (Unicode categories Cf, Zl, Zp: the bidi marks,
  embeddings, overrides and isolates U+061C, U+200E–U+200F, U+202A–U+202E,
  U+2066–U+2069, zero-width U+200B–U+200D, U+FEFF …) and lone surrogates — as
  ``\x1b``, ``\u202e``;
* :func:`emit` prints one line (or a block) through it: the only ``print`` in admin/;
* :func:`use_utf8_where_needed` makes the streams able to write Thai at all: on Windows
  Python writes a redirected stream in the ANSI code page (cp1252 on an English
  Windows), where Thai raised ``UnicodeEncodeError``;
* :func:`json_text` is the ``--json`` output: JSON escapes only U+0000–U+001F itself
  (``ensure_ascii=False`` keeps Thai readable), so the other characters above are
  written as ``\uXXXX`` too; ``json.loads`` gives back exactly the same values.

tests/unit/admin/test_terminal_output.py checks that no other module of admin/
prints, writes to a stream or dumps JSON by itself.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from typing import Any, TextIO

#: Unicode categories written as escapes: controls, format characters (bidi, zero-width),
#: lone surrogates, line and paragraph separators.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

_NOT_PLAIN = re.compile(r"[^\x20-\x7e]")


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in UNSAFE_CATEGORIES


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def safe_text(text: Any, *, multiline: bool = False) -> str:
    r"""``text`` (any object: ``str()`` of it) with every unsafe character as a visible escape.

    ``multiline``: keep ``\n`` and ``\t`` (a block of several lines); otherwise the
    text is one line, and a line break in it is shown as ``\x0a``, so that text from
    a file or a server cannot start a line of its own.
    """
    text = str(text)
    keep = "\n\t" if multiline else ""

    def one(match: re.Match[str]) -> str:
        char = match.group(0)
        return _escape(char) if char not in keep and _unsafe(char) else char

    return _NOT_PLAIN.sub(one, text)


#: Written to find out whether a stream's encoding can take Thai.
_THAI_SAMPLE = "ภาษาไทย"


def use_utf8_where_needed(*streams: TextIO | None) -> None:
    """Reconfigure each stream (default: stdout and stderr) whose encoding cannot write Thai
    to UTF-8; a character its encoding still lacks is written as a ``\\x``/``\\u`` escape
    rather than raising. A stream that cannot be reconfigured (None in a windowed
    program, a test's StringIO) is left as it is."""
    for stream in streams or (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if stream is None or reconfigure is None:
            continue
        try:
            _THAI_SAMPLE.encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            reconfigure(encoding="utf-8", errors="backslashreplace")
        else:
            reconfigure(errors="backslashreplace")


def emit(text: Any = "", *, file: TextIO | None = None, multiline: bool = False) -> None:
    """Print ``text`` (one line, or a block with ``multiline``) through :func:`safe_text`."""
    print(safe_text(text, multiline=multiline), file=file if file is not None else sys.stdout)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "\n" or not _unsafe(char):  # a raw line break is only ever indentation (strings escape it)
        return char
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON spells astral characters as a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def json_text(data: Any) -> str:
    """``data`` as indented JSON (Thai as it is) with no character a terminal acts on.

    The unsafe characters can only stand inside JSON strings (the rest of JSON is
    printable ASCII), where ``\\uXXXX`` means the same character: the parsed value
    does not change.
    """
    return _NOT_PLAIN.sub(_json_escape, json.dumps(data, ensure_ascii=False, indent=2))


def emit_json(data: Any, *, file: TextIO | None = None) -> None:
    """Print :func:`json_text` of ``data``."""
    print(json_text(data), file=file if file is not None else sys.stdout)


__all__ = ["UNSAFE_CATEGORIES", "emit", "emit_json", "json_text", "safe_text", "use_utf8_where_needed"]
