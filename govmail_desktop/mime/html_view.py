"""A message's HTML made safe to show in the formatted view (Qt-free).

:func:`render_html` cleans the HTML of a message with nh3 (an allow-list of tags,
attributes and URL schemes) into :class:`SafeHtml`, which the viewer
(:class:`ui.message_view.MessageView`, a ``QTextBrowser`` with no network access) can show
as it is:

* no script, style sheets, forms, frames, objects, embeds, SVG, ``<link>``, ``<base>``,
  ``<meta>`` (refresh), event handlers or ``background=`` attributes survive;
* ``style`` attributes keep only simple declarations (colours, fonts, sizes, alignment,
  borders): nothing that can fetch (``url()``, ``image-set()``, ``@import``, escapes);
* ``srcset`` is dropped; an image's ``src`` becomes ``cid:…`` (an inline part of the
  message, kept), ``remote:N`` (the N-th remote image in :attr:`SafeHtml.remote`, loaded
  only if the user allows it) or ``blocked:`` (anything else: a local placeholder);
* links keep only http(s) and mailto targets and are listed in :attr:`SafeHtml.links`
  with their visible text (for the link checks).

:func:`text_to_html` turns plain text into the same kind of HTML with its web and mail
addresses made links (the plain view's links). The HTML of several parts (joined by
:data:`PART_BREAK` in :attr:`mime.parse.ParsedMessage.html`) is cleaned part by part, so no
markup spans two parts.

No Qt, no network, no disk.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

log = logging.getLogger(__name__)

#: Characters of HTML cleaned in all (the rest is cut, and said to be).
MAX_HTML_CHARS = 2 * 1024 * 1024
#: Above this many tags in one part the part is shown as its text (the cleaner's cost).
MAX_TAGS = 20_000
#: Tables nested deeper than this are flattened (their cells become blocks): Qt's layout time
#: grows about threefold with each level of nested tables. A 52 KB newsletter the fuzzer made from
#: a public corpus message (``make fuzz`` viewer; tables 8 deep) took 5.2 s to lay out and paint on
#: the GUI thread; flattened below 6 levels, 0.6 s. Mail templates rarely nest deeper.
MAX_TABLE_DEPTH = 6
#: Remote images listed at most (the rest become placeholders).
MAX_REMOTE = 200
#: Links listed at most.
MAX_LINKS = 2_000
#: Longer link targets are dropped (the link becomes text).
MAX_HREF_CHARS = 2_048
#: Separates the HTML of two parts in :attr:`mime.parse.ParsedMessage.html`.
PART_BREAK = "\x00"

#: The src of an image that is neither inline nor a remote image the user may load.
BLOCKED_SRC = "blocked:"
REMOTE_SCHEME = "remote"
CID_SCHEME = "cid"


@dataclass(frozen=True)
class LinkRef:
    """A link of the message: where it leads and the text the reader sees."""

    href: str
    text: str


@dataclass(frozen=True)
class SafeHtml:
    """HTML safe for the viewer, with what it refers to."""

    html: str
    #: Remote image URLs, in order of first appearance, each once; ``remote:N`` is ``remote[N]``.
    remote: tuple[str, ...] = ()
    links: tuple[LinkRef, ...] = ()
    #: Content IDs of the inline images the HTML shows (``cid:`` targets found).
    cids: tuple[str, ...] = ()
    #: True when something was cut (too long, too many tags or images).
    truncated: bool = False
    #: The size the message gives each remote image (width, height; 0: not given), by index:
    #: the viewer shows a loaded image at that size. The HTML itself leaves it out, so an image
    #: not loaded takes only a placeholder's room, not the size of the picture it stands for.
    remote_sizes: tuple[tuple[int, int], ...] = ()


# -- the allow-list -----------------------------------------------------------------------------
_TAGS = frozenset(
    "a abbr acronym address b bdi bdo big blockquote br caption center cite code col colgroup dd del dfn "
    "div dl dt em font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strike "
    "strong sub sup table tbody td tfoot th thead tr tt u ul var".split()
)
#: Removed with everything inside them (their content is code, not text for the reader).
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "title", "head", "noscript", "template", "svg", "math", "iframe", "frame", "frameset",
     "noframes", "object", "embed", "applet", "audio", "video", "canvas", "select", "textarea", "button",
     "map", "xml"}
)
_ALIGN = {"align", "valign"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"style", "dir", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color", "size", "face"},
    "table": {"width", "border", "cellpadding", "cellspacing", "bgcolor", *_ALIGN},
    "tr": {"bgcolor", *_ALIGN},
    "td": {"colspan", "rowspan", "width", "height", "bgcolor", "nowrap", *_ALIGN},
    "th": {"colspan", "rowspan", "width", "height", "bgcolor", "nowrap", *_ALIGN},
    "col": {"span", "width", *_ALIGN},
    "colgroup": {"span", "width", *_ALIGN},
    "thead": set(_ALIGN),
    "tbody": set(_ALIGN),
    "tfoot": set(_ALIGN),
    "p": {"align"},
    "div": {"align"},
    "h1": {"align"},
    "h2": {"align"},
    "h3": {"align"},
    "h4": {"align"},
    "h5": {"align"},
    "h6": {"align"},
    "hr": {"width", "size", "noshade", "align"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value", "type"},
}
#: Link schemes other than the web's and mailto: kept as links so that the link guard can ask
#: first, naming the real destination (a file, a shared folder, a program); those that run code
#: (``mime.links.NEVER_OPENED_SCHEMES``) stay links that are never opened. Any other scheme
#: (javascript:, vbscript:, data:, unknown ones) is removed and the text stays.
ASKED_LINK_SCHEMES = frozenset(
    "file smb ftp ftps sftp tel sms sip news nntp webcal ldap ssh telnet "
    "ms-word ms-excel ms-powerpoint ms-visio ms-access ms-project ms-publisher ms-officecmd ms-msdt "
    "search-ms ms-search ms-settings onenote msteams zoommtg line".split()
)
#: Schemes the cleaner lets through to :func:`_filter` (which decides; anything else is removed first).
_URL_SCHEMES = {"http", "https", "mailto", "cid", "data", *ASKED_LINK_SCHEMES}

# -- style attributes: simple declarations only ------------------------------------------------------
_STYLE_PROPERTIES = frozenset(
    "color background-color font font-family font-size font-style font-weight font-variant text-align "
    "text-decoration text-indent text-transform vertical-align white-space line-height letter-spacing "
    "word-spacing direction width height max-width min-width margin margin-top margin-right margin-bottom "
    "margin-left padding padding-top padding-right padding-bottom padding-left border border-top border-right "
    "border-bottom border-left border-color border-style border-width border-collapse border-spacing "
    "list-style-type display float clear".split()
)
#: A value: words, numbers, colours, quoted font names, and rgb()/hsl() colours — no other function.
_STYLE_VALUE = re.compile(
    r"(?:[A-Za-z0-9#%.,+\-! \t]|\"[A-Za-z0-9 ,\-_\u0E00-\u0E7F]{0,64}\"|'[A-Za-z0-9 ,\-_\u0E00-\u0E7F]{0,64}'"
    r"|(?:rgba?|hsla?)\([0-9., %]{0,40}\))*"
)
_MAX_STYLE_CHARS = 2_000
#: A size of zero or less ("0", "0px", "-1pt", ".0em").
_NO_SIZE = re.compile(r"(?:-[0-9.]+|0*\.?0+)(?:px|pt|em|rem|ex|%)?", re.IGNORECASE)


def clean_style(value: str) -> str | None:
    """The declarations of a ``style`` attribute that cannot fetch anything or hide text; None if none."""
    if len(value) > _MAX_STYLE_CHARS or "\\" in value or "/*" in value:
        return None  # escapes and comments can spell url( in a way a filter does not see
    kept: list[str] = []
    for declaration in value.split(";"):
        name, sep, val = declaration.partition(":")
        name, val = name.strip().lower(), val.strip()
        if not sep or name not in _STYLE_PROPERTIES or not val:
            continue
        if not _STYLE_VALUE.fullmatch(val) or "url" in val.lower() or "image" in val.lower():
            continue
        if name in ("font", "font-size") and any(_NO_SIZE.fullmatch(token) for token in val.split()):
            continue  # text made invisible (a way to hide words from the reader), and Qt warns
        kept.append(f"{name}: {val}")
    return "; ".join(kept) or None


# -- cleaning one part -----------------------------------------------------------------------------------


class _Collector:
    """Rewrites image sources and keeps what the cleaner found (one per :func:`render_html`)."""

    def __init__(self, cid_parts: Mapping[str, str]) -> None:
        self.cid_parts = {cid_key(k): v for k, v in cid_parts.items()}
        self.remote: dict[str, int] = {}
        self.remote_sizes: dict[int, tuple[int, int]] = {}
        self.cids: dict[str, None] = {}
        self.truncated = False

    def filter(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute == "style":
            return clean_style(value)
        if tag == "img" and attribute == "src":
            return self._image(value.strip())
        if tag == "a" and attribute == "href":
            href = value.strip()
            scheme = href.split(":", 1)[0].lower() if ":" in href else ""
            if scheme not in ("http", "https", "mailto", *ASKED_LINK_SCHEMES) or len(href) > MAX_HREF_CHARS:
                return None
            return href
        return value

    def _image(self, src: str) -> str:
        lower = src.lower()
        if lower.startswith("cid:"):
            cid = cid_key(src[4:])
            if cid:
                self.cids.setdefault(cid, None)
                return "cid:" + cid
            return BLOCKED_SRC
        if lower.startswith("//"):  # protocol-relative: a remote image all the same
            src, lower = "https:" + src, "https:" + lower
        if lower.startswith(("http://", "https://")) and len(src) <= MAX_HREF_CHARS:
            index = self.remote.get(src)
            if index is None:
                if len(self.remote) >= MAX_REMOTE:
                    self.truncated = True
                    return BLOCKED_SRC
                index = self.remote[src] = len(self.remote)
            return f"{REMOTE_SCHEME}:{index}"
        return BLOCKED_SRC


def cid_key(value: str) -> str:
    """A Content-ID as ``cid:`` URLs name it: no angle brackets, percent-escapes decoded, lower case."""
    from urllib.parse import unquote

    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    return unquote(value).strip().lower()[:998]


# An <img> tag as nh3 writes it (attribute values always in double quotes, '"' escaped).
_IMG_TAG = re.compile(r'<img((?:\s+[^\s="<>/]+(?:="[^"]*")?)*)\s*/?>')
_SRC = re.compile(r'\ssrc="([^"]*)"')
_SIZE_ATTR = re.compile(r'\s(width|height)="([^"]*)"')


def _pixels(value: str) -> int:
    digits = re.match(r"\s*(\d{1,5})\s*(?:px)?\s*$", value)
    return int(digits.group(1)) if digits else 0


def _fix_images(html: str, collector: _Collector) -> str:
    """Images whose source the cleaner removed (a scheme it does not know) get the placeholder;
    images not shown from the message itself lose their size (kept for remote ones in
    ``collector.remote_sizes``)."""

    def fix(match: re.Match[str]) -> str:
        attrs = match.group(1)
        src = _SRC.search(attrs)
        if src is None:
            attrs = f' src="{BLOCKED_SRC}"' + attrs
        elif src.group(1).startswith("cid:"):
            return match.group(0)
        sizes = {name: _pixels(value) for name, value in _SIZE_ATTR.findall(attrs)}
        if src is not None and src.group(1).startswith(REMOTE_SCHEME + ":"):
            index = int(src.group(1).split(":", 1)[1])
            collector.remote_sizes.setdefault(index, (sizes.get("width", 0), sizes.get("height", 0)))
        return "<img" + _SIZE_ATTR.sub("", attrs) + ">"

    return _IMG_TAG.sub(fix, html)


def _clean_part(source: str, collector: _Collector) -> str:
    import nh3

    if source.count("<") > MAX_TAGS:
        collector.truncated = True
        from govmail_desktop.mime.body_text import _strip_tags

        return text_to_html(_strip_tags(source))
    try:
        clean = nh3.clean(
            source,
            tags=set(_TAGS),
            clean_content_tags=set(_DROP_WITH_CONTENT),
            attributes={k: set(v) for k, v in _ATTRIBUTES.items()},
            attribute_filter=collector.filter,
            url_schemes=set(_URL_SCHEMES),
            strip_comments=True,
            link_rel=None,
        )
    except Exception:
        log.debug("nh3 failed; showing the part as text", exc_info=True)
        from govmail_desktop.mime.body_text import _strip_tags

        return text_to_html(_strip_tags(source))
    return _fix_images(_flatten_deep_tables(clean), collector)


_TABLE_TAG = re.compile(r"<(/?)(table|tbody|thead|tfoot|tr|td|th|caption|colgroup|col)\b[^>]*>", re.IGNORECASE)


def _flatten_deep_tables(html: str) -> str:
    """Cleaned HTML (balanced tags, ``<`` escaped in text and attributes) with the tables below
    :data:`MAX_TABLE_DEPTH` levels of nesting turned into blocks: their cells become ``<div>``,
    the other table tags are dropped, the text stays."""
    if html.count("<table") <= MAX_TABLE_DEPTH:
        return html
    depth = 0

    def one(match: re.Match[str]) -> str:
        nonlocal depth
        closing, name = match.group(1), match.group(2).lower()
        if name == "table":
            if closing:
                depth -= 1
                return match.group(0) if depth < MAX_TABLE_DEPTH else ""
            depth += 1
            return match.group(0) if depth <= MAX_TABLE_DEPTH else ""
        if depth <= MAX_TABLE_DEPTH:
            return match.group(0)
        if name in ("td", "th", "caption"):
            return "</div>" if closing else "<div>"
        return ""

    return _TABLE_TAG.sub(one, html)


class _LinkLister(HTMLParser):
    """The links of cleaned HTML with their visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[LinkRef] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._end()
            self._href = next((v for k, v in attrs if k == "href" and v), None)
            self._text = []
        elif tag == "img" and self._href is not None:
            alt = next((v for k, v in attrs if k == "alt" and v), "")
            self._text.append(alt or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._end()

    def handle_data(self, data: str) -> None:
        if self._href is not None and sum(map(len, self._text)) < 1000:
            self._text.append(data)

    def _end(self) -> None:
        if self._href is not None and len(self.links) < MAX_LINKS:
            self.links.append(LinkRef(self._href, " ".join("".join(self._text).split())[:1000]))
        self._href = None
        self._text = []

    def close(self) -> None:
        super().close()
        self._end()


def list_links(html: str) -> tuple[LinkRef, ...]:
    """Every ``<a href>`` of cleaned HTML, in order, with its visible text."""
    lister = _LinkLister()
    try:
        lister.feed(html)
        lister.close()
    except Exception:
        log.debug("Listing links failed", exc_info=True)
    return tuple(lister.links)


PART_SEPARATOR_HTML = "<hr>"


def render_html(html: str, *, cid_parts: Mapping[str, str] | None = None) -> SafeHtml:
    """Clean a message's HTML (parts joined by :data:`PART_BREAK`) for the formatted view.

    ``cid_parts`` maps the message's inline Content-IDs to their part numbers; a ``cid:``
    image is kept whether or not its part is known (the viewer shows a placeholder for a
    missing one). Never raises.
    """
    collector = _Collector(cid_parts or {})
    truncated = False
    if len(html) > MAX_HTML_CHARS:
        html, truncated = html[:MAX_HTML_CHARS], True
    parts = [p for p in html.split(PART_BREAK) if p.strip()]
    cleaned = [_clean_part(part, collector) for part in parts]
    out = PART_SEPARATOR_HTML.join(c for c in cleaned if c.strip())
    return SafeHtml(
        html=out,
        remote=tuple(collector.remote),
        links=list_links(out),
        cids=tuple(collector.cids),
        truncated=truncated or collector.truncated,
        remote_sizes=tuple(collector.remote_sizes.get(i, (0, 0)) for i in range(len(collector.remote))),
    )


# -- plain text → HTML with links -------------------------------------------------------------------------
#: Web addresses (with a scheme or starting "www."), mailto: and bare e-mail addresses.
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%()'|]"
_LINKABLE = re.compile(
    r"(?P<url>(?:https?://|www\.)" + _URL_CHARS + r"{1,2048})"
    r"|(?P<mailto>mailto:[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]{1,64}@[A-Za-z0-9\-.]{1,253}(?:\?" + _URL_CHARS + r"{0,512})?)"
    r"|(?P<email>(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]{1,64}@"
    r"[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8})",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'"


def _trim_url(url: str) -> str:
    """Punctuation that ends a sentence or closes a bracket around the URL is not part of it."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        elif last == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            break
    return url


def linkify(text: str) -> str:
    """Plain text as HTML: escaped, with web and mail addresses made links."""
    out: list[str] = []
    pos = 0
    for match in _LINKABLE.finditer(text):
        found = match.group(0)
        if match.group("url"):
            found = _trim_url(found)
            href = found if "://" in found else "http://" + found
        elif match.group("mailto"):
            found = _trim_url(found)
            href = found
        else:
            found = found.rstrip(".-")
            href = "mailto:" + found
        if not found or found.lower() in ("www.", "http://", "https://"):
            continue
        out.append(html_lib.escape(text[pos : match.start()], quote=False))
        out.append(f'<a href="{html_lib.escape(href)}">{html_lib.escape(found, quote=False)}</a>')
        pos = match.start() + len(found)
    out.append(html_lib.escape(text[pos:], quote=False))
    return "".join(out)


def text_to_html(text: str) -> str:
    """Plain text as an HTML block that keeps its line breaks and spaces and wraps long lines."""
    return f'<div style="white-space: pre-wrap">{linkify(text)}</div>'


def plain_links(text: str) -> tuple[LinkRef, ...]:
    """The links :func:`linkify` makes of plain text."""
    return list_links(linkify(text))


__all__ = [
    "BLOCKED_SRC",
    "MAX_TABLE_DEPTH",
    "LinkRef",
    "PART_BREAK",
    "SafeHtml",
    "cid_key",
    "clean_style",
    "linkify",
    "list_links",
    "plain_links",
    "render_html",
    "text_to_html",
]
