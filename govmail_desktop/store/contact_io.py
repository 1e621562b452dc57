"""Contacts in and out: vCard (2.1, 3.0, 4.0) and CSV (Outlook, Thunderbird, Google, Excel).

Reading is forgiving and honest: whatever can be read is imported, and every
entry left out is reported with where it was and why (no e-mail address, an
invalid one). A file that is not a contacts file at all raises
:class:`ContactImportError` with Thai/English text and imports nothing.

Text encodings met in practice: UTF-8 with or without a byte order mark,
UTF-16 with one (Outlook's "Unicode" exports), and Windows code page 874 from
Thai Windows (Excel saves CSV in it; Outlook writes vCard 2.1 in it, or as
quoted-printable UTF-8 with ``CHARSET=utf-8``).

Writing: vCard 3.0 (or 4.0) in UTF-8 with CRLF and lines folded at 75 octets;
CSV in UTF-8 with a byte order mark (Excel then shows Thai correctly) with the
column names Outlook uses, which Outlook, Thunderbird and Google import.
"""

from __future__ import annotations

import codecs
import csv
import io
import quopri
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.store.contacts import Contact, ContactError, checked_contact

#: Bigger files are refused before reading (a directory export of 100,000 people is ~30 MB).
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ContactImportError(GovMailError):
    """The file is not a contacts file this app can read; nothing was imported."""

    code = "contact-import"
    default_message = QT_TRANSLATE_NOOP("Contacts", "The file could not be read as contacts.")


MSG_TOO_BIG = QT_TRANSLATE_NOOP("Contacts", "The file is too large to import ({size} MB; at most {limit} MB).")
MSG_NOT_TEXT = QT_TRANSLATE_NOOP("Contacts", "The file is not a text file; please choose a vCard (.vcf) or CSV file.")
MSG_EMPTY = QT_TRANSLATE_NOOP("Contacts", "The file is empty.")
MSG_CANNOT_OPEN = QT_TRANSLATE_NOOP("Contacts", "The file {path} could not be opened.")
MSG_CANNOT_WRITE = QT_TRANSLATE_NOOP("Contacts", "The file {path} could not be written.")
MSG_BAD_CSV = QT_TRANSLATE_NOOP("Contacts", "The CSV file is damaged and could not be read.")
MSG_NO_VCARD = QT_TRANSLATE_NOOP("Contacts", "No vCard was found in the file (it has no BEGIN:VCARD line).")
MSG_NO_EMAIL_COLUMN = QT_TRANSLATE_NOOP(
    "Contacts", "No e-mail address column was found in the CSV file. Columns found: {columns}"
)
SKIP_NO_EMAIL = QT_TRANSLATE_NOOP("Contacts", "no e-mail address")
SKIP_BAD_EMAIL = QT_TRANSLATE_NOOP("Contacts", "invalid e-mail address \"{address}\"")
SKIP_NOT_CLOSED = QT_TRANSLATE_NOOP("Contacts", "the card has no END:VCARD line; it was read up to where it stops")
SKIP_DUPLICATE = QT_TRANSLATE_NOOP("Contacts", "already in your contacts ({name})")
WHERE_CARD = QT_TRANSLATE_NOOP("Contacts", "card {number} (line {line})")
WHERE_ROW = QT_TRANSLATE_NOOP("Contacts", "row {number}")
WARN_LEGACY_ENCODING = QT_TRANSLATE_NOOP(
    "Contacts", "The file is not UTF-8; it was read as Thai Windows text (code page 874)."
)
WARN_UNDECODABLE = QT_TRANSLATE_NOOP(
    "Contacts", "Some characters could not be read and are shown as \ufffd; please check the names."
)


@dataclass(frozen=True)
class Skipped:
    """An entry of the file that was not imported: where (``card 3 (line 20)``, ``row 5``),
    the name it had, and why."""

    where: Msg
    name: str
    reason: Msg

    def text(self, lang: str | None = None) -> str:
        name = f" {self.name}" if self.name else ""
        return f"{self.where.text(lang)}{name}: {self.reason.text(lang)}"


@dataclass
class ImportResult:
    """Contacts read from a file, what was left out, and notes about the file."""

    contacts: list[Contact] = field(default_factory=list)
    #: Where each of ``contacts`` was in the file (same order).
    origins: list[Msg] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)


# ---------------------------------------------------------------------- decoding


def decode_text(data: bytes) -> tuple[str, list[Msg]]:
    """The text of a contacts file and the warnings about its encoding.

    A byte order mark decides; otherwise UTF-8, else code page 874 (Thai Windows).
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ContactImportError(
            MSG_TOO_BIG, size=len(data) // (1024 * 1024), limit=MAX_IMPORT_BYTES // (1024 * 1024)
        )
    warnings: list[Msg] = []
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:4096]:
            raise ContactImportError(MSG_NOT_TEXT, detail="NUL bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp874", errors="replace")
            warnings.append(WARN_LEGACY_ENCODING)
    if "\x00" in text:
        raise ContactImportError(MSG_NOT_TEXT, detail="NUL characters")
    if "\ufffd" in text:
        warnings.append(WARN_UNDECODABLE)
    if not text.strip():
        raise ContactImportError(MSG_EMPTY)
    return text, warnings


def _contact_or_skip(
    contact: Contact, where: Msg, result: ImportResult, raw_emails: Sequence[str]
) -> None:
    """Keep the valid addresses of a read entry; skip it when none is left."""
    good: list[str] = []
    bad: list[str] = []
    for address in raw_emails:
        address = address.strip().strip("<>").removeprefix("mailto:").removeprefix("MAILTO:")
        if not address:
            continue
        try:
            good.append(checked_contact(Contact("", address)).email)
        except ContactError:
            bad.append(address)
    name = contact.name
    if not good:
        reason = SKIP_BAD_EMAIL.format(address=bad[0]) if bad else SKIP_NO_EMAIL
        result.skipped.append(Skipped(where, name, reason))
        return
    for address in bad:
        result.skipped.append(Skipped(where, name, SKIP_BAD_EMAIL.format(address=address)))
    result.contacts.append(
        checked_contact(Contact(name, good[0], tuple(good[1:]), contact.organisation, contact.position, contact.phone))
    )
    result.origins.append(where)


# ---------------------------------------------------------------------- vCard

_QP = "QUOTED-PRINTABLE"
_FOLD = re.compile(rb"(?<!=)\r?\n[ \t]")
_THAI = re.compile("[\u0e00-\u0e7f]")


def _split_unquoted(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside double quotes (parameter lists)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _split_escaped(value: str, sep: str) -> list[str]:
    """Split a structured value (``N``, ``ORG``) on ``sep`` not preceded by a backslash."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current.append(value[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append(" " if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int


def _head_of(line: str) -> str:
    """The part of a content line before the value (name and parameters)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:i]
    return line


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, unfolded line): RFC folding (a line starting with a
    space or tab continues the previous one) and vCard 2.1 quoted-printable soft line
    breaks (a QP value ending in ``=`` continues on the next line)."""
    current: str | None = None
    start = 0
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if current is not None:
            if _QP in _head_of(current).upper() and current.endswith("="):
                current = current[:-1] + raw.lstrip(" \t") if raw[:1] in " \t" else current[:-1] + raw
                continue
            if raw[:1] in (" ", "\t"):
                current += raw[1:]
                continue
            yield start, current
        current, start = raw, number
    if current is not None:
        yield start, current


def _parse_property(line: str, number: int) -> _Property | None:
    head = _head_of(line)
    if len(head) == len(line):
        return None  # no colon: not a content line
    value = line[len(head) + 1 :]
    parts = _split_unquoted(head, ";")
    name = parts[0].rsplit(".", 1)[-1].strip().upper()  # "item1.EMAIL" -> "EMAIL"
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, eq, val = part.partition("=")
        if not eq:  # vCard 2.1 bare types: "EMAIL;INTERNET;PREF:" and "ENCODING" shorthand
            bare = key.strip().upper()
            if bare in (_QP, "BASE64", "8BIT", "7BIT", "B"):
                params.setdefault("ENCODING", []).append(bare)
            else:
                params.setdefault("TYPE", []).append(bare)
            continue
        values = [v.strip().strip('"') for v in _split_unquoted(val, ",")]
        params.setdefault(key.strip().upper(), []).extend(v.upper() if key.strip().upper() != "CHARSET" else v
                                                          for v in values)
    if _QP in [v.upper() for v in params.get("ENCODING", [])]:
        raw = quopri.decodestring(value.encode("utf-8", errors="replace"))
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        try:
            value = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            try:
                value = raw.decode("utf-8")
            except UnicodeDecodeError:
                value = raw.decode("cp874", errors="replace")
    return _Property(name, params, value, number)


def _name_from_n(value: str) -> str:
    """``N:family;given;additional;prefix;suffix`` as a display name: a Thai title is
    written against the given name ("นายสมชาย ใจดี"), a Latin one with a space."""
    parts = [_unescape(p).strip() for p in _split_escaped(value, ";")] + [""] * 5
    family, given, additional, prefix, suffix = parts[:5]
    first = " ".join(p for p in (given, additional) if p)
    if prefix and first:
        first = prefix + first if _THAI.search(prefix[-1]) else f"{prefix} {first}"
    elif prefix:
        first = prefix
    return " ".join(p for p in (first, family, suffix) if p)


def _is_preferred(prop: _Property) -> bool:
    types = prop.params.get("TYPE", [])
    return "PREF" in types or prop.params.get("PREF", ["100"])[0] in ("1",)


def _card_contact(props: list[_Property], where: Msg, result: ImportResult) -> None:
    by_name: dict[str, list[_Property]] = {}
    for prop in props:
        by_name.setdefault(prop.name, []).append(prop)

    def first(name: str) -> str:
        found = by_name.get(name)
        return _unescape(found[0].value).strip() if found else ""

    name = first("FN")
    if not name and "N" in by_name:
        name = _name_from_n(by_name["N"][0].value)
    emails = sorted(by_name.get("EMAIL", []), key=lambda p: not _is_preferred(p))
    org = " ".join(_unescape(p).strip() for p in _split_escaped(by_name["ORG"][0].value, ";") if p.strip()) \
        if "ORG" in by_name else ""
    phones = sorted(
        by_name.get("TEL", []),
        key=lambda p: (not _is_preferred(p), "WORK" not in p.params.get("TYPE", [])),
    )
    phone = _unescape(phones[0].value).strip().removeprefix("tel:") if phones else ""
    contact = Contact(name, "", organisation=org, position=first("TITLE") or first("ROLE"), phone=phone)
    _contact_or_skip(contact, where, result, [_unescape(p.value) for p in emails])


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_vcards(data: bytes) -> ImportResult:
    """Contacts from a vCard file (any version, several cards). :class:`ContactImportError`
    when it holds no card at all."""
    if not _is_utf8(data) and _is_utf8(unfolded := _FOLD.sub(b"", data)):
        # Some writers fold in the middle of a UTF-8 character: unfolded first, the file
        # is UTF-8 after all (line numbers in the report then count unfolded lines).
        # After "=" the next line may be a quoted-printable continuation: left to
        # _logical_lines, which knows the property.
        data = unfolded
    text, warnings = decode_text(data)
    result = ImportResult(warnings=warnings)
    card: list[_Property] | None = None
    card_line = 0
    cards = 0
    depth = 0
    for number, line in _logical_lines(text):
        stripped = line.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if card is not None and depth == 0:
                # A card without END: keep what it had, and say so.
                where = WHERE_CARD.format(number=cards, line=card_line)
                result.skipped.append(Skipped(where, "", SKIP_NOT_CLOSED))
                _card_contact(card, where, result)
            elif card is not None:
                depth += 1  # a vCard 2.1 AGENT card inside this one: skipped
                continue
            card, card_line, cards, depth = [], number, cards + 1, 0
            continue
        if card is None:
            continue
        if upper == "END:VCARD":
            if depth:
                depth -= 1
                continue
            _card_contact(card, WHERE_CARD.format(number=cards, line=card_line), result)
            card = None
            continue
        if depth:
            continue
        prop = _parse_property(stripped, number)
        if prop is not None:
            card.append(prop)
    if card is not None:
        where = WHERE_CARD.format(number=cards, line=card_line)
        result.skipped.append(Skipped(where, "", SKIP_NOT_CLOSED))
        _card_contact(card, where, result)
    if cards == 0:
        raise ContactImportError(MSG_NO_VCARD, detail="no BEGIN:VCARD")
    return result


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _split_name(name: str) -> tuple[str, str]:
    """(family, given) for ``N``: the last word is taken as the family name."""
    given, _, family = name.rpartition(" ")
    return (family, given) if given else ("", name)


def write_vcards(contacts: Iterable[Contact], version: str = "3.0") -> bytes:
    """The contacts as a vCard file (``version`` "3.0" or "4.0"), UTF-8, CRLF."""
    if version not in ("3.0", "4.0"):
        raise ValueError(f"unsupported vCard version {version!r}")
    lines: list[str] = []
    for contact in contacts:
        family, given = _split_name(contact.name)
        card = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{_escape(contact.display_name)}",
                f"N:{_escape(family)};{_escape(given)};;;"]
        for i, email in enumerate(contact.emails):
            if version == "3.0":
                card.append(f"EMAIL;TYPE=INTERNET{',PREF' if i == 0 else ''}:{email}")
            else:
                card.append(f"EMAIL{';PREF=1' if i == 0 else ''}:{email}")
        if contact.organisation:
            card.append(f"ORG:{_escape(contact.organisation)}")
        if contact.position:
            card.append(f"TITLE:{_escape(contact.position)}")
        if contact.phone:
            card.append(f"TEL;TYPE={'WORK,VOICE' if version == '3.0' else 'work,voice'}:{_escape(contact.phone)}")
        card.append("END:VCARD")
        lines.extend(_fold(line) for line in card)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8") if lines else b""


# ---------------------------------------------------------------------- CSV


def _norm_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().strip('"')).casefold()


#: Column names (case-insensitive) of the exports met in practice, in order of preference.
FULL_NAME_COLUMNS = ("name", "display name", "full name", "ชื่อที่แสดง", "ชื่อ-นามสกุล", "ชื่อ - นามสกุล",
                     "ชื่อและนามสกุล")
PREFIX_COLUMNS = ("title", "name prefix", "prefix", "คำนำหน้า", "คำนำหน้าชื่อ")
FIRST_COLUMNS = ("first name", "given name", "ชื่อ", "ชื่อจริง")
MIDDLE_COLUMNS = ("middle name", "additional name", "ชื่อกลาง")
LAST_COLUMNS = ("last name", "family name", "surname", "นามสกุล")
EMAIL_COLUMNS = ("e-mail address", "email address", "e-mail", "email", "primary email", "e-mail 2 address",
                 "secondary email", "e-mail 3 address", "อีเมล", "ที่อยู่อีเมล", "ที่อยู่อีเมล 2", "ที่อยู่อีเมล 3",
                 "อีเมล 2", "อีเมล 3")
#: Google: "E-mail 1 - Value", "E-mail 2 - Value", ... (several addresses joined by " ::: ").
EMAIL_NUMBERED = re.compile(r"^e-?mail (\d+) - value$")
ORG_COLUMNS = ("company", "organization", "organisation", "organization name", "organization 1 - name",
               "บริษัท", "หน่วยงาน", "สังกัด", "องค์กร")
DEPARTMENT_COLUMNS = ("department", "organization department", "organization 1 - department", "แผนก", "ฝ่าย")
POSITION_COLUMNS = ("job title", "organization title", "organization 1 - title", "position", "ตำแหน่ง",
                    "ตำแหน่งงาน")
PHONE_COLUMNS = ("business phone", "work phone", "primary phone", "phone", "phone 1 - value", "mobile phone",
                 "mobile number", "home phone", "โทรศัพท์ที่ทำงาน", "โทรศัพท์", "เบอร์โทรศัพท์", "โทรศัพท์มือถือ")
GOOGLE_SEPARATOR = " ::: "


#: A cell starting with one of these is a formula to a spreadsheet: written with a leading
#: apostrophe (Excel's "this is text" mark, not shown), which reading removes again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _unsafe_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def _delimiter(header_line: str) -> str:
    """Comma, semicolon (Excel in some locales) or tab: whichever the header has most of."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes) -> ImportResult:
    """Contacts from a CSV export (Outlook, Thunderbird, Google, Excel, this app).
    :class:`ContactImportError` when no column holds e-mail addresses."""
    text, warnings = decode_text(data)
    result = ImportResult(warnings=warnings)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(first_line)))
    except csv.Error as exc:
        raise ContactImportError(MSG_BAD_CSV, detail=f"csv: {exc}") from None
    header = [_norm_header(h) for h in rows[0]]

    def columns(names: Sequence[str]) -> list[int]:
        return [header.index(n) for n in names if n in header]

    email_cols = columns(EMAIL_COLUMNS)
    email_cols += sorted(
        (i for i, h in enumerate(header) if EMAIL_NUMBERED.match(h)),
        key=lambda i: int(EMAIL_NUMBERED.match(header[i]).group(1)),  # type: ignore[union-attr]
    )
    if not email_cols:
        shown = ", ".join(h for h in rows[0][:12] if h.strip()) or "-"
        raise ContactImportError(MSG_NO_EMAIL_COLUMN, detail="no e-mail column", columns=shown)
    full, prefix, first, middle, last = (columns(c) for c in (FULL_NAME_COLUMNS, PREFIX_COLUMNS, FIRST_COLUMNS,
                                                                MIDDLE_COLUMNS, LAST_COLUMNS))
    org, dept, position, phone = (columns(c) for c in (ORG_COLUMNS, DEPARTMENT_COLUMNS, POSITION_COLUMNS,
                                                       PHONE_COLUMNS))

    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(cols: list[int], row: list[str] = row) -> str:
            for i in cols:
                if i < len(row) and row[i].strip():
                    return _unsafe_cell(row[i].strip())
            return ""

        name = cell(full)
        if not name:
            given = " ".join(p for p in (cell(first), cell(middle)) if p)
            title = cell(prefix)
            if title and given:
                given = title + given if _THAI.search(title[-1]) else f"{title} {given}"
            name = " ".join(p for p in (given, cell(last)) if p)
        emails: list[str] = []
        for i in email_cols:
            if i < len(row):
                emails.extend(e for e in row[i].split(GOOGLE_SEPARATOR.strip()) if e.strip())
        organisation = " ".join(p for p in (cell(org), cell(dept)) if p)
        contact = Contact(name, "", organisation=organisation, position=cell(position), phone=cell(phone))
        _contact_or_skip(contact, WHERE_ROW.format(number=number), result, emails)
    return result


#: What :func:`write_csv` writes (Outlook's names; Thunderbird and Google read them too).
CSV_HEADER = ("Name", "E-mail Address", "E-mail 2 Address", "E-mail 3 Address", "Company", "Job Title",
              "Business Phone")


def write_csv(contacts: Iterable[Contact]) -> bytes:
    """The contacts as CSV, UTF-8 with a byte order mark; a fourth address and more are
    joined to the third with " ::: " (Google's way, read back by :func:`read_csv`)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for contact in contacts:
        emails = list(contact.emails) + ["", ""]
        third = GOOGLE_SEPARATOR.join(e for e in emails[2:] if e)
        row = [contact.name, emails[0], emails[1], third, contact.organisation, contact.position, contact.phone]
        writer.writerow([_safe_cell(value) for value in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
