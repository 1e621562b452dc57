"""Links in a message, judged before they are opened: where a link really leads, and why it may deceive.

:func:`assess_link` answers one link (its ``href`` and the text shown for it) with a
:class:`LinkVerdict`: the *real* destination to show (status bar, tooltip, the
question before opening) and, for a risky link, why (a :class:`~i18n.catalog.Msg`,
Thai and English). Kinds, in the order they are looked for:

* ``anchor`` — ``#name``: a place in the message itself;
* ``invalid`` — nothing a browser would open (no scheme, an empty or malformed host,
  an IPv4 address a browser refuses such as ``256.1.1.1``);
* ``mailto`` — opens the composer (:mod:`mime.mailto` reads it), never a browser;
* ``scheme`` — anything but http(s): ``file:``, ``smb:``, a UNC path ``\\\\host\\share``,
  ``ms-word:``/``ms-msdt:`` and other program handlers, ``ftp:``... asks first;
  ``javascript:``, ``vbscript:`` and ``data:`` are never opened (:attr:`LinkVerdict.openable`);
* ``text-names-other-domain`` — the text shows a domain, an address or an IP (``mail.go.th``,
  ``https://mail.go.th/login``, ``saraban@moe.go.th``) that the link does not lead to
  (neither that host nor one below or above it: ``www.mail.go.th`` → ``mail.go.th`` is fine);
* ``lookalike`` — the host imitates a known domain (:func:`imitated_domain`): look-alike
  letters of another alphabet (``mail.gо.th`` with a Cyrillic о, also written as punycode
  ``xn--``), digits for letters (``paypa1.com``), or for the internal (government) domains
  spellings such as ``go-th.com``, ``gov-th.com``, ``mail-go.th.example``,
  ``mail.go.th.example``; or a host mixing alphabets in one label, whatever it imitates;
* ``bare-ip`` — a host that is an IP address in any form a browser reads: ``192.168.1.1``,
  ``3232235777``, ``0xC0A80101``, ``0300.0250.1.1``, ``127.1``, ``[::1]``, percent-escaped;
* ``userinfo`` — a user name before the host (``https://mail.go.th@evil.example/``): the part
  before ``@`` is not where the link leads;
* ``ok`` — an ordinary web link.

The host is found the way browsers find it (WHATWG URL rules for http/https): tabs and
line breaks inside the link are dropped, blanks around it stripped, a backslash ends the
host like a slash, any number of slashes may follow the scheme, the last ``@`` ends the
user name, the host is percent-decoded and IDNA-mapped. :attr:`LinkVerdict.open_url` is
the link rebuilt from exactly that host, so what is opened is what was judged.

Known domains are the policy's internal domains (passed in: ``HostPattern`` objects or
plain domain names, each meaning itself and the domains below it) plus ``go.th`` and
:data:`WELL_KNOWN_DOMAINS`. Pure: no Qt, no network, no disk. ``govmail-admin inspect``
uses it too.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime.addresses import _label_is_lookalike, _shown_domain, _skeleton, _u_label
from govmail_desktop.policy.hosts import EXACT, SUFFIX, InvalidHost, normalize_host

KIND_OK = "ok"
KIND_ANCHOR = "anchor"
KIND_INVALID = "invalid"
KIND_MAILTO = "mailto"
KIND_SCHEME = "scheme"
KIND_TEXT_OTHER_DOMAIN = "text-names-other-domain"
KIND_LOOKALIKE = "lookalike"
KIND_BARE_IP = "bare-ip"
KIND_USERINFO = "userinfo"

#: Kinds that open nothing without asking the user first.
RISKY_KINDS = frozenset({KIND_INVALID, KIND_SCHEME, KIND_TEXT_OTHER_DOMAIN, KIND_LOOKALIKE, KIND_BARE_IP,
                         KIND_USERINFO})

#: The internal (government) domain every installation knows, whatever the policy says.
GOVERNMENT_DOMAIN = "go.th"
#: Domains phishing imitates most (sign-in pages, banks, the government's own services):
#: look-alikes of these in letters of another alphabet, or with digits for letters, are flagged.
WELL_KNOWN_DOMAINS = (
    "google.com", "gmail.com", "youtube.com", "microsoft.com", "microsoftonline.com", "office.com",
    "office365.com", "outlook.com", "live.com", "hotmail.com", "sharepoint.com", "onedrive.com",
    "apple.com", "icloud.com", "facebook.com", "instagram.com", "line.me", "x.com", "twitter.com",
    "linkedin.com", "yahoo.com", "amazon.com", "paypal.com", "dropbox.com", "zoom.us", "github.com",
    "adobe.com", "docusign.com", "dhl.com", "fedex.com", "thailandpost.co.th",
    "ktb.co.th", "krungthai.com", "scb.co.th", "kasikornbank.com", "kbank.co.th", "bangkokbank.com",
    "krungsri.com", "ttbbank.com", "gsb.or.th", "baac.or.th", "promptpay.io",
)
#: Schemes that are never opened, even if the user says yes: they run code or carry a page
#: (ms-msdt: "Follina", CVE-2022-30190; search-ms: and ms-search: open a remote folder in the
#: file manager, used to make people run a file; ms-officecmd: launches Office apps with
#: arguments, shown exploitable in 2021).
NEVER_OPENED_SCHEMES = frozenset({"javascript", "vbscript", "data", "ms-msdt", "search-ms", "ms-search",
                                  "ms-officecmd"})
#: Longest destination shown (the link itself is opened whole).
MAX_SHOWN_CHARS = 300

# The texts (context "LinkCheck"); {host} etc. are filled in.
MSG_TEXT_OTHER_DOMAIN = QT_TRANSLATE_NOOP(
    "LinkCheck", "The link's text shows {shown}, but the link leads to {host}."
)
MSG_LOOKALIKE_KNOWN = QT_TRANSLATE_NOOP(
    "LinkCheck",
    "The link leads to {host}, which only looks like {known}: its name uses look-alike letters or spelling.",
)
MSG_LOOKALIKE_MIXED = QT_TRANSLATE_NOOP(
    "LinkCheck", "The link's address {host} mixes look-alike letters of different alphabets."
)
MSG_BARE_IP = QT_TRANSLATE_NOOP(
    "LinkCheck",
    "The link leads to a bare IP address ({ip}) instead of a named site; genuine sites rarely do this.",
)
MSG_USERINFO = QT_TRANSLATE_NOOP(
    "LinkCheck", "The link is written to hide where it leads (with “@” or “\\” in its address); it really leads to "
    "{host}."
)
MSG_SCHEME = QT_TRANSLATE_NOOP(
    "LinkCheck",
    "This is not a web link ({scheme}:); it may open a file, a shared folder or a program on this computer or "
    "network.",
)
MSG_SCHEME_NEVER = QT_TRANSLATE_NOOP(
    "LinkCheck", "This link ({scheme}:) would run code or show a page hidden in the link; it is never opened."
)
MSG_INVALID = QT_TRANSLATE_NOOP("LinkCheck", "The link is incomplete or damaged and cannot be opened.")

#: Visible text is cut into words at blanks and at these (quotes, brackets, Thai quotation marks).
_TEXT_SPLIT = re.compile(r"[\s\"'()\[\]<>{}«»“”‘’|,;]+")
_TRIM = ".,:;!?…"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_IPV4_TEXT = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
#: Endings of domain-like words that are names of sites (a word such as ``file.pdf`` is not):
#: the generic top-level domains seen in mail, and country codes of the region and of large
#: senders. A word with ``www.`` or a scheme in front counts whatever its ending.
SITE_ENDINGS = frozenset(
    "com net org info biz edu gov mil int io co me app dev xyz top online site shop store cloud ai tv cc ly "
    "asia news link live club vip work th la kh mm vn my sg id ph cn hk tw jp kr in au nz uk us ca de fr "
    "nl ru eu ch se no it es br".split()
)
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|]")
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))


@dataclass(frozen=True)
class LinkVerdict:
    """What one link is and where it really leads."""

    kind: str
    #: The link as written in the message.
    href: str
    #: Where it really leads, for people: host in its safe form (look-alike labels in punycode),
    #: hidden characters percent-escaped, cut to :data:`MAX_SHOWN_CHARS`.
    destination: str
    #: The link to open (rebuilt around the host that was judged); "" when nothing may be opened.
    open_url: str = ""
    scheme: str = ""
    #: The host (ASCII, IDNA form; an IP in its usual form), "" when there is none.
    host: str = ""
    #: The domain the visible text shows (text-names-other-domain).
    text_domain: str = ""
    #: The known domain the host imitates (lookalike; "" for a mixed-alphabet host imitating none).
    imitates: str = ""
    #: Why it is risky (None for ok, anchor and mailto links).
    reason: Msg | None = None

    @property
    def risky(self) -> bool:
        """True when the user must be asked (or told) before anything is opened."""
        return self.kind in RISKY_KINDS

    @property
    def openable(self) -> bool:
        """False when nothing may be opened, whatever the user answers."""
        return bool(self.open_url)


# -- known domains -------------------------------------------------------------------------


def domain_names(known: Iterable[Any]) -> tuple[str, ...]:
    """Domain names (lower-case ASCII) of ``known``: policy ``HostPattern`` objects (exact and
    suffix rules; others are skipped) or plain names; each once, in order."""
    found: dict[str, None] = {}
    for item in known:
        if isinstance(item, str):
            text = item.strip().lstrip("*").lstrip(".")
            try:
                name = normalize_host(text) if text else ""
            except InvalidHost:
                continue
        elif getattr(item, "kind", None) in (EXACT, SUFFIX):
            name = str(item.value)
        else:
            continue
        if name and ipaddress_or_none(name) is None:
            found[name] = None
    return tuple(found)


def ipaddress_or_none(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


#: ASCII look-alikes: a digit for a letter, two letters for one.
_ASCII_SKELETON = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"))
#: Labels of a government domain also spelled this way in imitations (go.th → gov-th.com).
_LABEL_SYNONYMS = {"go": ("go", "gov")}


def _skeleton_host(labels: list[str]) -> str:
    """The host's labels with look-alike letters of other alphabets read as ASCII ones."""
    out = []
    for label in labels:
        decoded = _u_label(label) if label.startswith("xn--") else None
        text = decoded or label
        out.append(_skeleton(text) if (decoded or not text.isascii()) and _label_is_lookalike(text) else text.lower())
    return ".".join(out)


def has_lookalike_label(host: str) -> bool:
    """True when a label of ``host`` (normal form, punycode) mixes alphabets or reads as ASCII
    letters written in another alphabet (``xn--g-1tb`` = Cyrillic ``gо``)."""
    return any(_label_is_lookalike(_u_label(label) or label) for label in host.split(".") if label.startswith("xn--"))


def _ascii_skeleton(host: str) -> str:
    for old, new in _ASCII_SKELETON:
        host = host.replace(old, new)
    return host


def _spellings(domain: str) -> list[str]:
    """``go.th`` → go.th, gov.th, go-th, gov-th, go_th, gov_th: how imitations spell a domain."""
    first, *others = domain.split(".")
    variants = list(_LABEL_SYNONYMS.get(first, (first,)))
    for label in others:
        variants = [v + sep + o for v in variants for sep in ".-_" for o in _LABEL_SYNONYMS.get(label, (label,))]
    return variants


def imitated_domain(host: str, known: Iterable[Any], *, government: Iterable[Any] = (GOVERNMENT_DOMAIN,)) -> str | None:
    """The known domain ``host`` imitates without being it (or below it); None when it imitates none.

    ``known``: domains whose look-alikes in other alphabets or with digits for letters count
    (``mail.gо.th``, ``paypa1.com``). ``government``: domains whose imitations in spelling count
    too — ``go-th.com``, ``gov-th.com``, ``mail-go.th.example``, ``go.th.evil.example`` for
    ``go.th`` (only there: ``google.com.au`` is no imitation of ``google.com``). ``host`` may be
    Unicode or ASCII (punycode); a host that is no valid name imitates nothing.
    """
    try:
        ascii_host = normalize_host(host.strip().rstrip("."))
    except InvalidHost:
        return None
    if ipaddress_or_none(ascii_host) is not None:
        return None
    gov = domain_names(government)
    names = list(dict.fromkeys((*domain_names(known), *gov)))
    if any(_under(ascii_host, d) for d in names):
        return None  # genuine: the domain itself or one below it
    seen = _skeleton_host(ascii_host.split("."))
    for candidate in dict.fromkeys((seen, _ascii_skeleton(seen))):
        for domain in names:
            if _under(candidate, domain):
                return domain
    for domain in gov:
        for spelling in _spellings(domain):
            # The government name inside another name, between separators (a name ending in
            # ".go.th" itself is genuine and was answered above).
            if re.search(r"(?:^|[.\-_])" + re.escape(spelling) + r"(?:[.\-_]|$)", seen):
                return domain
    return None


# -- parsing a link the way a browser does ------------------------------------------------------


@dataclass(frozen=True)
class _WebLink:
    scheme: str
    userinfo: str
    #: Written to read as another host: an "@" in the authority as a non-browser parser reads it.
    disguised: bool
    host: str  # ASCII / IP text
    ip: str  # the IP in its usual form, "" for a name
    port: str
    rest: str  # path, query and fragment as written (backslashes in the path made slashes)


class _BadLink(ValueError):
    pass


def _ipv4_number(part: str) -> int | None:
    if part[:2].lower() == "0x":
        digits, base = part[2:], 16
        if not digits:
            return 0
    elif len(part) > 1 and part[0] == "0":
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    try:
        return int(digits, base) if digits and digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


def _ipv4(host: str) -> str | None:
    """The dotted IPv4 address a browser reads in ``host`` (None: a name); :class:`_BadLink` if a
    browser would refuse it (WHATWG "ends in a number" and IPv4 parser)."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    last = parts[-1]
    if not (last.isascii() and (last.isdigit() or (last[:2].lower() == "0x" and all(
            c in "0123456789abcdefABCDEF" for c in last[2:])))):
        return None
    if len(parts) > 4:
        raise _BadLink("more than four parts in an IPv4 address")
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        raise _BadLink("a part of the IPv4 address is not a number")
    values = [int(n) for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise _BadLink("IPv4 number out of range")
    address = values[-1]
    for i, n in enumerate(values[:-1]):
        address += n * 256 ** (3 - i)
    return str(ipaddress.IPv4Address(address))


def _parse_web(scheme: str, after: str) -> _WebLink:
    """``after`` is what follows ``scheme:`` (special-scheme rules of the WHATWG URL standard)."""
    rest = after.lstrip("/\\")
    end = len(rest)
    for stop in "/\\?#":
        found = rest.find(stop)
        if 0 <= found < end:
            end = found
    authority, tail = rest[:end], rest[end:]
    disguised = "@" in re.split(r"[/?#]", rest, maxsplit=1)[0]
    userinfo, at, hostport = authority.rpartition("@")
    if not at:
        userinfo = ""
    host, port = hostport, ""
    if host.startswith("["):
        close = host.find("]")
        if close < 0:
            raise _BadLink("unclosed IPv6 literal")
        host, port = host[: close + 1], host[close + 1 :]
        if port and not port.startswith(":"):
            raise _BadLink("text after an IPv6 literal")
        port = port[1:]
    elif ":" in host:
        host, _, port = host.rpartition(":")
    if port and not (port.isascii() and port.isdigit() and int(port) < 65536):
        raise _BadLink("bad port")
    host = unquote(host, errors="strict") if "%" in host else host
    if not host:
        raise _BadLink("no host")
    ip = ""
    if host.startswith("["):
        literal = ipaddress_or_none(host)
        if not isinstance(literal, ipaddress.IPv6Address):
            raise _BadLink("bad IPv6 literal")
        ip = host_text = literal.compressed
    else:
        if _FORBIDDEN_IN_HOST.search(host):
            raise _BadLink("a character no host has")
        try:
            host_text = normalize_host(host.rstrip(".") if host.endswith(".") and host != "." else host)
        except InvalidHost:
            host_text = ""
        four = _ipv4(host_text or host.lower())
        if four is not None:
            ip = host_text = four
        elif not host_text:
            raise _BadLink("not a host name")
    path, mark, query = tail.partition("?") if "#" not in tail.partition("?")[0] else (tail, "", "")
    tail = path.replace("\\", "/") + mark + query
    return _WebLink(scheme, userinfo, disguised, host_text, ip, port, tail)


def _visible(text: str) -> str:
    """Control, format (bidi) and separator characters percent-escaped, so nothing hides."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn") or (ch.isspace() and ch != " "):
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    shown = "".join(out)
    return shown if len(shown) <= MAX_SHOWN_CHARS else shown[: MAX_SHOWN_CHARS - 1] + "…"


def _shown_host(link: _WebLink) -> str:
    if link.ip:
        return f"[{link.ip}]" if ":" in link.ip else link.ip
    unicode_host = ".".join(_u_label(label) or label if label.startswith("xn--") else label
                            for label in link.host.split("."))
    shown, _ = _shown_domain(unicode_host) if not unicode_host.isascii() else (link.host, None)
    return shown


def _clean_href(href: str) -> str:
    """As browsers read an href: blanks and controls around it stripped, tabs and line breaks dropped."""
    return re.sub(r"[\t\n\r]", "", href.strip(_C0_AND_SPACE))


# -- the visible text ---------------------------------------------------------------------------


def named_hosts(text: str) -> list[tuple[str, str]]:
    """The hosts the visible text of a link names, as (as written, normal form), each once: the
    host of a web address written in it, a ``www.`` name, a domain-like word ending in a site
    ending (:data:`SITE_ENDINGS`), the domain of an e-mail address, a dotted IPv4 address."""
    found: dict[str, str] = {}
    for word in _TEXT_SPLIT.split(text[:2000]):
        word = word.strip(_TRIM)
        if not word:
            continue
        scheme = _SCHEME.match(word)
        candidate = ""
        if scheme and scheme.group(1).lower() in ("http", "https"):
            try:
                link = _parse_web(scheme.group(1).lower(), word[scheme.end():])
            except (_BadLink, UnicodeError, ValueError):
                continue
            found.setdefault(link.host, link.host)
            continue
        if scheme and "@" not in word:
            continue
        if "@" in word:
            candidate = word.rpartition("@")[2]
        else:
            candidate = re.split(r"[/?#]", word, maxsplit=1)[0]
        candidate = candidate.strip(_TRIM)
        if _IPV4_TEXT.fullmatch(candidate):
            if ipaddress_or_none(candidate) is not None:
                found.setdefault(candidate, candidate)
            continue
        if not _looks_like_domain(candidate):
            continue
        ending = candidate.rpartition(".")[2].lower()
        if not (candidate.lower().startswith("www.") or "@" in word or ending in SITE_ENDINGS
                or not ending.isascii()):
            continue
        try:
            normal = normalize_host(candidate)
        except InvalidHost:
            continue
        found.setdefault(normal, candidate)
    return [(shown, normal) for normal, shown in found.items()]


def _looks_like_domain(word: str) -> bool:
    """Labels of letters (any alphabet, with their marks), digits and inner hyphens; at least
    two; the last of letters only (two or more)."""
    labels = word.split(".")
    if len(labels) < 2 or len(word) > 253:
        return False
    for label in labels:
        if not label or label[0] == "-" or label[-1] == "-":
            return False
        if not all(ch.isalnum() or ch == "-" or unicodedata.category(ch)[0] == "M" for ch in label):
            return False
    last = labels[-1]
    return len(last) >= 2 and not any(ch.isdigit() or ch == "-" for ch in last)


def same_site(a: str, b: str) -> bool:
    """Two hosts (normal form) of the same site: equal, or one below the other (``www.`` ignored)."""
    a, b = a.removeprefix("www."), b.removeprefix("www.")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


# -- the verdict -----------------------------------------------------------------------------


def assess_link(href: str, text: str = "", known_domains: Iterable[Any] = ()) -> LinkVerdict:
    """Judge one link: ``href`` as written, ``text`` the text shown for it (may be empty),
    ``known_domains`` the policy's internal domains (``HostPattern`` or names). Never raises."""
    href = href or ""
    cleaned = _clean_href(href)
    if not cleaned:
        return LinkVerdict(KIND_INVALID, href, "", reason=MSG_INVALID)
    if cleaned.startswith("#"):
        return LinkVerdict(KIND_ANCHOR, href, _visible(cleaned))
    if cleaned.startswith("\\\\"):
        # A UNC path (\\server\share) opens a network share (and may send the Windows sign-in).
        unc = "file:" + cleaned.replace("\\", "/")
        return LinkVerdict(KIND_SCHEME, href, _visible(cleaned), open_url=unc, scheme="file",
                           reason=MSG_SCHEME.format(scheme="file"))
    match = _SCHEME.match(cleaned)
    if match is None:
        return LinkVerdict(KIND_INVALID, href, _visible(cleaned), reason=MSG_INVALID)
    scheme = match.group(1).lower()
    after = cleaned[match.end():]
    if scheme == "mailto":
        target = after.partition("?")[0].partition("#")[0]
        try:
            target = unquote(target, errors="strict")
        except UnicodeError:
            pass
        return LinkVerdict(KIND_MAILTO, href, _visible(target), open_url=cleaned, scheme=scheme)
    if scheme not in ("http", "https"):
        if scheme in NEVER_OPENED_SCHEMES:
            return LinkVerdict(KIND_SCHEME, href, _visible(cleaned), scheme=scheme,
                               reason=MSG_SCHEME_NEVER.format(scheme=scheme))
        return LinkVerdict(KIND_SCHEME, href, _visible(cleaned), open_url=cleaned, scheme=scheme,
                           reason=MSG_SCHEME.format(scheme=scheme))
    try:
        link = _parse_web(scheme, after)
    except (_BadLink, UnicodeError, ValueError):
        return LinkVerdict(KIND_INVALID, href, _visible(cleaned), scheme=scheme, reason=MSG_INVALID)
    return _judge_web(href, link, text, known_domains)


def _judge_web(href: str, link: _WebLink, text: str, known_domains: Iterable[Any]) -> LinkVerdict:
    shown_host = _shown_host(link)
    port = f":{link.port}" if link.port else ""
    open_host = f"[{link.ip}]" if ":" in link.ip else link.host
    # Without a user name: what is opened is the host named to the user, nothing else.
    open_url = f"{link.scheme}://{open_host}{port}{link.rest}"
    destination = _visible(f"{link.scheme}://{shown_host}{port}{link.rest}")

    def verdict(kind: str, reason: Msg | None = None, *, text_domain: str = "", imitates: str = "") -> LinkVerdict:
        return LinkVerdict(kind, href, destination, open_url=open_url, scheme=link.scheme, host=link.host,
                           text_domain=text_domain, imitates=imitates, reason=reason)

    for shown, normal in named_hosts(text):
        if not same_site(normal, link.host):
            return verdict(KIND_TEXT_OTHER_DOMAIN, MSG_TEXT_OTHER_DOMAIN.format(shown=shown, host=shown_host),
                           text_domain=shown)
    if link.ip:
        return verdict(KIND_BARE_IP, MSG_BARE_IP.format(ip=link.ip))
    imitates = imitated_domain(link.host, (*domain_names(known_domains), *WELL_KNOWN_DOMAINS),
                               government=(GOVERNMENT_DOMAIN, *domain_names(known_domains)))
    if imitates:
        return verdict(KIND_LOOKALIKE, MSG_LOOKALIKE_KNOWN.format(host=shown_host, known=imitates), imitates=imitates)
    if has_lookalike_label(link.host):
        return verdict(KIND_LOOKALIKE, MSG_LOOKALIKE_MIXED.format(host=shown_host))
    if link.userinfo or link.disguised:
        return verdict(KIND_USERINFO, MSG_USERINFO.format(host=shown_host))
    return verdict(KIND_OK)


__all__ = [
    "GOVERNMENT_DOMAIN",
    "KIND_ANCHOR",
    "KIND_BARE_IP",
    "KIND_INVALID",
    "KIND_LOOKALIKE",
    "KIND_MAILTO",
    "KIND_OK",
    "KIND_SCHEME",
    "KIND_TEXT_OTHER_DOMAIN",
    "KIND_USERINFO",
    "LinkVerdict",
    "WELL_KNOWN_DOMAINS",
    "assess_link",
    "domain_names",
    "has_lookalike_label",
    "imitated_domain",
    "named_hosts",
    "same_site",
]
