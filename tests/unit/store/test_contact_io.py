"""Contacts import and export: vCard 2.1/3.0/4.0 and CSV as Outlook, Thunderbird, Google and
Excel write them; damaged files import what they can and say what they skipped."""

from __future__ import annotations

import codecs

import pytest

from govmail_desktop.store.addressbook import AddressBook
from govmail_desktop.store.contact_io import (
    ContactImportError,
    read_csv,
    read_vcards,
    write_csv,
    write_vcards,
)
from govmail_desktop.store.contacts import Contact

SOMCHAI = Contact("นายสมชาย ใจดี", "somchai@moph.go.th", ("s.jaidee@example.com", "somchai2@moph.go.th"),
                  "สำนักงานปลัดกระทรวงสาธารณสุข; กองกลาง, ฝ่ายสารบรรณ", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ",
                  "+66 2 590 1000")
ANAN = Contact("Anan Wong", "anan@ega.or.th", organisation="EGA", position="Director", phone="=1+2")


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


@pytest.fixture
def book(tmp_path):
    ab = AddressBook(tmp_path)
    yield ab
    ab.close()


# ---------------------------------------------------------------------- vCard


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_round_trip_keeps_thai_and_every_field(version):
    data = write_vcards([SOMCHAI, ANAN], version)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded at 75 octets
    data.decode("utf-8")  # never split inside a character
    result = read_vcards(data)
    assert result.contacts == [SOMCHAI, ANAN]
    assert result.skipped == [] and result.warnings == []


def test_vcard_3_with_folded_lines_multiple_emails_and_bom():
    card = (
        "\ufeffBEGIN:VCARD\nVERSION:3.0\nN:ใจดี;สมชาย;;นาย;\nFN:นายสมชาย \n ใจดี\n"
        "item1.EMAIL;TYPE=INTERNET:s.jaidee@example.com\n"
        "EMAIL;TYPE=INTERNET,PREF:somchai@moph.go.th\n"
        "ORG:กระทรวงสาธารณสุข;กองกลาง\nTITLE:ผู้อำนวยการ\nTEL;TYPE=CELL:081 000 0000\n"
        "TEL;TYPE=WORK,VOICE:02 590 1000\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\n AAAQABAAD\nEND:VCARD\n"
    )
    [contact] = read_vcards(crlf(card)).contacts
    assert contact == Contact("นายสมชาย ใจดี", "somchai@moph.go.th", ("s.jaidee@example.com",),
                              "กระทรวงสาธารณสุข กองกลาง", "ผู้อำนวยการ", "02 590 1000")


def test_vcard_folded_inside_a_thai_character_is_read():
    name = "นายสมชาย ใจดี".encode()
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name[:4] + b"\r\n " + name[4:] + \
        b"\r\nEMAIL:somchai@moph.go.th\r\nEND:VCARD\r\n"
    [contact] = read_vcards(data).contacts
    assert contact.name == "นายสมชาย ใจดี"


def test_vcard_2_1_quoted_printable_as_outlook_writes_it():
    qp_name = "".join(f"={b:02X}" for b in "นายสมชาย ใจดี".encode())
    qp_org = "".join(f"={b:02X}" for b in "กรมบัญชีกลาง".encode())
    card = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        f"N;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:{qp_name[:30]}=\n{qp_name[30:]};;;\n"
        f"FN;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:{qp_name[:45]}=\n{qp_name[45:]}\n"
        f"ORG;CHARSET=utf-8;QUOTED-PRINTABLE:{qp_org}\n"
        "EMAIL;PREF;INTERNET:somchai@cgd.go.th\nEMAIL;INTERNET:other@cgd.go.th\n"
        "TEL;WORK;VOICE:02-127-7000\nEND:VCARD\n"
    )
    [contact] = read_vcards(crlf(card)).contacts
    assert contact == Contact("นายสมชาย ใจดี", "somchai@cgd.go.th", ("other@cgd.go.th",), "กรมบัญชีกลาง",
                              "", "02-127-7000")


def test_vcard_2_1_in_thai_windows_code_page():
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=windows-874:ใจดี;สมชาย\r\n"
            "EMAIL;INTERNET:s@x.go.th\r\nEND:VCARD\r\n")
    result = read_vcards(card.encode("cp874"))
    assert [c.name for c in result.contacts] == ["สมชาย ใจดี"]
    assert [w.source for w in result.warnings] == [
        "The file is not UTF-8; it was read as Thai Windows text (code page 874)."]


def test_vcard_2_1_quoted_printable_in_code_page_874():
    qp = "".join(f"={b:02X}" for b in "สมศรี".encode("cp874"))
    card = (f"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=windows-874;ENCODING=QUOTED-PRINTABLE:{qp}\n"
            "EMAIL:s@x.go.th\nEND:VCARD\n")
    assert [c.name for c in read_vcards(crlf(card)).contacts] == ["สมศรี"]


def test_vcard_in_utf16_with_bom():
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:สมศรี\r\nEMAIL:s@x.go.th\r\nEND:VCARD\r\n"
    assert [c.name for c in read_vcards(card.encode("utf-16")).contacts] == ["สมศรี"]


def test_vcard_name_from_n_puts_a_thai_title_against_the_name():
    card = "BEGIN:VCARD\nVERSION:3.0\nN:ใจดี;สมชาย;;นาย;\nEMAIL:s@x.go.th\nEND:VCARD\n" \
           "BEGIN:VCARD\nVERSION:3.0\nN:Wong;Anan;;Dr.;\nEMAIL:a@x.go.th\nEND:VCARD\n"
    assert [c.name for c in read_vcards(crlf(card)).contacts] == ["นายสมชาย ใจดี", "Dr. Anan Wong"]


def test_damaged_vcard_imports_what_it_can_and_reports_the_rest():
    cards = (
        "junk before the first card\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:ไม่มีอีเมล\nTEL:02 000 0000\nEND:VCARD\n"          # no e-mail
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bad Address\nEMAIL:not-an-address\nEND:VCARD\n"     # invalid
        "BEGIN:VCARD\nVERSION:3.0\nFN:Half Bad\nEMAIL:ok@x.go.th\nEMAIL:bad@@x\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good\nEMAIL:good@x.go.th\nthis line has no colon\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cut Off\nEMAIL:cut@x.go.th\n"                       # no END
    )
    result = read_vcards(crlf(cards))
    assert [c.email for c in result.contacts] == ["ok@x.go.th", "good@x.go.th", "cut@x.go.th"]
    reasons = [s.text("en") for s in result.skipped]
    assert reasons == [
        "card 1 (line 2) ไม่มีอีเมล: no e-mail address",
        'card 2 (line 7) Bad Address: invalid e-mail address "not-an-address"',
        'card 3 (line 12) Half Bad: invalid e-mail address "bad@@x"',
        "card 5 (line 24): the card has no END:VCARD line; it was read up to where it stops",
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "The file is empty."),
        (b"   \r\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
         "The file is not a text file; please choose a vCard (.vcf) or CSV file."),
        (b"Name,E-mail\r\nA,a@x.go.th\r\n", "No vCard was found in the file (it has no BEGIN:VCARD line)."),
    ],
)
def test_not_a_vcard_file_is_refused_with_thai_text(data, problem):
    with pytest.raises(ContactImportError) as caught:
        read_vcards(data)
    assert caught.value.message.text("en") == problem
    assert caught.value.message.text("th") != problem  # translated


# ---------------------------------------------------------------------- CSV

OUTLOOK_HEADER = ('"Title","First Name","Middle Name","Last Name","Suffix","Company","Department","Job Title",'
                  '"Business Street","Business Phone","Mobile Phone","E-mail Address","E-mail Type",'
                  '"E-mail Display Name","E-mail 2 Address","E-mail 3 Address","Notes"')


def test_csv_from_outlook_in_thai_windows_code_page():
    rows = OUTLOOK_HEADER + "\r\n" + (
        '"นาย","สมชาย","","ใจดี","","กรมบัญชีกลาง","กองการเงิน","นักวิชาการเงินและบัญชี","","02-127-7000",'
        '"081-000-0000","somchai@cgd.go.th","SMTP","สมชาย ใจดี (somchai@cgd.go.th)","s2@cgd.go.th","",""\r\n'
    )
    result = read_csv(rows.encode("cp874"))
    assert result.contacts == [Contact("นายสมชาย ใจดี", "somchai@cgd.go.th", ("s2@cgd.go.th",),
                                       "กรมบัญชีกลาง กองการเงิน", "นักวิชาการเงินและบัญชี", "02-127-7000")]
    assert len(result.warnings) == 1


def test_csv_from_thunderbird_with_bom():
    text = ("First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,Work Phone,"
            "Home Phone,Job Title,Department,Organization\n"
            "Anan,Wong,Anan Wong,,anan@ega.or.th,anan@example.com,,02 612 6000,,Director,IT,EGA\n")
    result = read_csv(codecs.BOM_UTF8 + text.encode())
    assert result.contacts == [Contact("Anan Wong", "anan@ega.or.th", ("anan@example.com",), "EGA IT", "Director",
                                       "02 612 6000")]


def test_csv_from_google_with_several_addresses_in_one_cell():
    text = ("Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Value,Phone 1 - Value,"
            "Organization 1 - Name,Organization 1 - Title\n"
            "สมศรี มีสุข,สมศรี,มีสุข,* Work,somsri@moph.go.th ::: somsri@example.com,s3@moph.go.th,0812345678,"
            "กรมควบคุมโรค,นักวิชาการ\n")
    [contact] = read_csv(text.encode()).contacts
    assert contact.emails == ("somsri@moph.go.th", "somsri@example.com", "s3@moph.go.th")
    assert (contact.name, contact.organisation, contact.position) == ("สมศรี มีสุข", "กรมควบคุมโรค", "นักวิชาการ")


def test_csv_from_excel_with_semicolons_and_thai_headers():
    text = "ชื่อ;นามสกุล;อีเมล;หน่วยงาน;ตำแหน่ง;โทรศัพท์\nสมชาย;ใจดี;somchai@moph.go.th;สป.สธ.;ผอ.;02\n"
    assert read_csv(text.encode()).contacts == [
        Contact("สมชาย ใจดี", "somchai@moph.go.th", (), "สป.สธ.", "ผอ.", "02")]


def test_csv_round_trip_keeps_thai_more_than_three_addresses_and_formula_like_cells():
    many = Contact("Many", "m1@x.go.th", ("m2@x.go.th", "m3@x.go.th", "m4@x.go.th"))
    data = write_csv([SOMCHAI, ANAN, many])
    assert data.startswith(codecs.BOM_UTF8)  # so that Excel shows Thai
    assert b"'=1+2" in data  # a spreadsheet does not run it
    assert read_csv(data).contacts == [SOMCHAI, ANAN, many]


def test_csv_rows_without_usable_address_are_skipped_with_row_numbers():
    text = "Name,E-mail Address\nไม่มีอีเมล,\nBad,not-an-address\n,\nGood,good@x.go.th\nShort row\n"
    result = read_csv(text.encode())
    assert [c.email for c in result.contacts] == ["good@x.go.th"]
    assert [s.text("en") for s in result.skipped] == [
        "row 2 ไม่มีอีเมล: no e-mail address",
        'row 3 Bad: invalid e-mail address "not-an-address"',
        "row 6 Short row: no e-mail address",
    ]


def test_csv_without_an_email_column_names_the_columns_it_found():
    with pytest.raises(ContactImportError) as caught:
        read_csv(b"Name,Phone\nA,1\n")
    assert caught.value.message.text("en") == (
        "No e-mail address column was found in the CSV file. Columns found: Name, Phone")
    assert "Name, Phone" in caught.value.message.text("th")


# ---------------------------------------------------------------------- through the address book


def test_import_skips_addresses_already_in_contacts_and_reports_them(book, tmp_path):
    book.add_contact(Contact("Anan (mine)", "ANAN@ega.or.th"))
    path = tmp_path / "in.vcf"
    path.write_bytes(write_vcards([SOMCHAI, ANAN, Contact("Copy", "somchai2@moph.go.th")]))
    report = book.import_vcard(path)
    assert [c.email for c in report.added] == ["somchai@moph.go.th"]
    assert [s.text("en") for s in report.skipped] == [
        "card 2 (line 15) Anan Wong: already in your contacts (Anan (mine))",
        "card 3 (line 24) Copy: already in your contacts (นายสมชาย ใจดี)",
    ]
    assert len(book.list_contacts()) == 2


def test_export_then_import_into_an_empty_book(book, tmp_path):
    book.contacts.add_many([SOMCHAI, ANAN])
    assert book.export_vcard(tmp_path / "out.vcf", "4.0") == 2
    assert book.export_csv(tmp_path / "out.csv") == 2
    for name, reader in (("out.vcf", "import_vcard"), ("out.csv", "import_csv")):
        other = AddressBook(tmp_path / name.replace(".", "_"))
        try:
            report = getattr(other, reader)(tmp_path / name)
            assert sorted(c.email for c in report.added) == sorted([SOMCHAI.email, ANAN.email])
            by_email = sorted(other.list_contacts(), key=lambda c: c.email)
            assert by_email == sorted([SOMCHAI, ANAN], key=lambda c: c.email)
        finally:
            other.close()


def test_missing_or_unwritable_file_gives_a_clear_error(book, tmp_path):
    with pytest.raises(ContactImportError) as caught:
        book.import_csv(tmp_path / "missing.csv")
    assert "missing.csv" in caught.value.message.text("en")
    with pytest.raises(ContactImportError):
        book.export_csv(tmp_path / "no-such-folder" / "out.csv")
