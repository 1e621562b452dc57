"""The text of one body part made safe and cheap to show.

:func:`html_to_text` sanitises an HTML part with nh3 (no images, styles, scripts,
iframes) and converts it to text with html2text, which never fetches anything; above
:data:`MAX_HTML_TAGS` tags (where the sanitiser's cost grows with nesting) the tags are
stripped instead. :func:`tidy_text` normalises line breaks, drops control characters,
collapses whitespace runs, breaks very long lines and cuts to a budget, in linear time.
Used by the message parser (:mod:`mime.parse`) one part at a time.

No Qt, no network, no disk.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass, field
from typing import Protocol

from govmail_desktop.mime.preview_warnings import W_TRUNCATED

log = logging.getLogger(__name__)

#: Characters of one HTML part converted.
MAX_HTML_CHARS = 1024 * 1024
#: Above this many tags the HTML is reduced by stripping tags (sanitiser cost).
MAX_HTML_TAGS = 10_000
#: Longer lines are broken (the text widget lays out huge lines slowly).
MAX_LINE_CHARS = 2_000
#: Link targets longer than this are shortened in the text.
MAX_URL_CHARS = 512

TRUNCATION_MARK = "…"


class TextFindings(Protocol):
    """What a conversion reports back to the parse it is part of (:class:`mime.parse._State`)."""

    truncated: bool
    warnings: set[str]


@dataclass
class _Findings:
    truncated: bool = False
    warnings: set[str] = field(default_factory=set)


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


def html_to_text(html: str, state: TextFindings | None = None) -> str:
    """Sanitise (nh3) and convert (html2text) one HTML part; no resource is fetched."""
    import html2text
    import nh3

    state = state or _Findings()
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
