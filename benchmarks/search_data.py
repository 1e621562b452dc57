"""Deterministic realistic mail for the search benchmark (and tests that want a corpus).

Thai official correspondence with some English: subjects with urgency marks and
letter numbers (``ที่ มท 0808.2/ว 1234``, in Thai or Arabic digits), Thai and
English names with addresses, bodies built from the phrases of official letters
(เรียน / อ้างถึง / สิ่งที่ส่งมาด้วย / จึงเรียนมาเพื่อโปรดทราบ), budget lines, dates in
Buddhist-era years, and English paragraphs. Same seed, same messages.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

_AGENCIES = [
    ("มท", "กระทรวงมหาดไทย", "moi.go.th"), ("กค", "กระทรวงการคลัง", "mof.go.th"),
    ("ศธ", "กระทรวงศึกษาธิการ", "moe.go.th"), ("สธ", "กระทรวงสาธารณสุข", "moph.go.th"),
    ("กษ", "กระทรวงเกษตรและสหกรณ์", "moac.go.th"), ("คค", "กระทรวงคมนาคม", "mot.go.th"),
    ("พณ", "กระทรวงพาณิชย์", "moc.go.th"), ("รง", "กระทรวงแรงงาน", "mol.go.th"),
    ("ดศ", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "mdes.go.th"), ("นร", "สำนักนายกรัฐมนตรี", "opm.go.th"),
]
_FIRST = ["สมชาย", "สมศรี", "วิชัย", "สุนีย์", "ประเสริฐ", "กาญจนา", "ธนพล", "ณัฐวุฒิ", "ศิริพร", "อรุณี",
          "พรทิพย์", "สุรชัย", "วราภรณ์", "อนุชา", "ปิยะ", "จิราพร", "ชัยวัฒน์", "นงลักษณ์", "ยุทธนา", "ณ"]
_LAST = ["ใจดี", "รักชาติ", "ศรีสุข", "บุญมา", "ทองคำ", "แก้วมณี", "วงศ์ไทย", "สุขสวัสดิ์", "ณ อยุธยา",
         "ประเสริฐศักดิ์", "จันทร์เพ็ญ", "พูลสวัสดิ์"]
_EN_NAMES = ["John Smith", "Maria Garcia", "Kenji Tanaka", "Chloé Dubois", "Anna Müller", "Somchai Jaidee",
             "Budget Office", "IT Helpdesk", "Pimchanok Srisuk"]
_SUBJECTS = [
    "ขอเชิญประชุมคณะกรรมการ{x}", "ขออนุมัติงบประมาณโครงการ{x}", "แจ้งเวียนหนังสือเรื่อง{x}",
    "ขอความอนุเคราะห์ข้อมูล{x}", "รายงานผลการดำเนินงาน{x}", "ขอเชิญเข้าร่วมฝึกอบรม{x}",
    "การเบิกจ่ายงบประมาณ{x}", "ขอลาป่วย", "ขอลากิจส่วนตัว", "ประกาศผลการคัดเลือก{x}",
    "คำสั่งแต่งตั้งคณะทำงาน{x}", "ส่งสำเนาระเบียบ{x}", "ติดตามการดำเนินการตามมติคณะรัฐมนตรี",
    "Meeting minutes: {e}", "Re: budget review {e}", "Training schedule for {e}", "Fwd: {e} report",
]
_TOPICS = ["ด้านเทคโนโลยีสารสนเทศ", "ด้านความปลอดภัยไซเบอร์", "ป้องกันน้ำท่วม", "ช่วยเหลือผู้ประสบภัย",
           "พัฒนาบุคลากร", "จัดซื้อครุภัณฑ์คอมพิวเตอร์", "ส่งเสริมเกษตรกร", "ยาเสพติด", "ภัยแล้ง",
           "สารบรรณอิเล็กทรอนิกส์", "คุ้มครองข้อมูลส่วนบุคคล", "งบลงทุน", "ค่าตอบแทน", "ตรวจสุขภาพประจำปี"]
_EN_TOPICS = ["Q3 budget", "network upgrade", "data protection", "staff training", "flood relief", "procurement"]
_URGENCY = ["", "", "", "", "ด่วน ", "ด่วนมาก ", "ด่วนที่สุด ", "ลับ ", "ด่วน ลับ "]
_OPENINGS = ["เรียน ผู้อำนวยการ{a}", "เรียน อธิบดี", "เรียน ผู้ว่าราชการจังหวัดทุกจังหวัด", "เรียน หัวหน้าส่วนราชการ"]
_BODY = [
    "ตามที่{a}ได้ดำเนินโครงการ{t} ในปีงบประมาณ พ.ศ. {y} นั้น",
    "อ้างถึงหนังสือ{a} {n} ลงวันที่ {d} {m} {y}",
    "สิ่งที่ส่งมาด้วย สำเนาคำสั่ง จำนวน {k} ฉบับ",
    "ในการนี้ จึงขอเชิญท่านเข้าร่วมประชุม ในวัน{w}ที่ {d} {m} {y} เวลา {h}.00 น. ณ ห้องประชุม {k} ชั้น {k}",
    "ทั้งนี้ ขอให้ส่งรายงานผลการเบิกจ่ายงบประมาณภายในวันที่ {d} {m} {y}",
    "โดยได้รับจัดสรรงบประมาณ จำนวน {money} บาท สำหรับค่าใช้จ่ายในการ{t}",
    "จึงเรียนมาเพื่อโปรดทราบและพิจารณาดำเนินการต่อไปด้วย จะเป็นพระคุณ",
    "ขอแสดงความนับถือ",
    "ผู้ประสานงาน {name} โทร. 0 2{k}{k}{k} {k}{k}{k}{k} ต่อ {k}{k}",
    "กรณีมีข้อสงสัยกรุณาติดต่อกลุ่มงานสารบรรณ ทางอีเมลหรือระบบสารบรรณอิเล็กทรอนิกส์",
    "ขอความร่วมมือหน่วยงานในสังกัดถือปฏิบัติตามระเบียบว่าด้วยการลา การลาป่วย และการลากิจส่วนตัว",
    "เจ้าหน้าที่ได้ตรวจสอบเอกสารแล้วพบว่ายังขาดใบเสร็จรับเงินค่ายาและค่ารักษาพยาบาล",
]
_EN_BODY = [
    "Please find attached the {e} for your review before the meeting.",
    "The deadline for submissions is {dd}/{mm}/{ce}. Contact the IT helpdesk for access problems.",
    "Thank you for your cooperation. Best regards,",
    "Our café meeting about the naïve estimate moved to Room {k}.",
]
_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
           "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
_DAYS = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์"]
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
#: 2023-01-01 .. 2026-01-01 (epoch seconds): three years of mail.
DATE_FIRST, DATE_LAST = 1672531200, 1767225600


@dataclass(frozen=True)
class GeneratedMessage:
    folder: str
    uid: int
    date: int
    subject: str
    from_name: str
    from_email: str
    to: str
    cc: str
    body: str
    flags: int
    has_attachments: bool


def _digits(rng: random.Random, text: str) -> str:
    return text.translate(_THAI_DIGITS) if rng.random() < 0.4 else text


def letter_number(rng: random.Random) -> str:
    code = rng.choice(_AGENCIES)[0]
    return _digits(rng, f"ที่ {code} {rng.randint(100, 999):04d}.{rng.randint(1, 9)}/ว {rng.randint(1, 9999)}")


def _person(rng: random.Random) -> tuple[str, str]:
    agency = rng.choice(_AGENCIES)
    if rng.random() < 0.25:
        name = rng.choice(_EN_NAMES)
        local = name.lower().replace(" ", ".").replace("é", "e").replace("ü", "u")
    else:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        local = f"user{rng.randint(1, 5000)}"
    return name, f"{local}@{agency[2]}"


def _fill(rng: random.Random, template: str) -> str:
    year = rng.randint(2566, 2569)
    agency = rng.choice(_AGENCIES)[1]
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    values = {
        "a": agency, "t": rng.choice(_TOPICS), "y": _digits(rng, str(year)), "n": letter_number(rng),
        "d": _digits(rng, str(rng.randint(1, 28))), "m": rng.choice(_MONTHS), "k": str(rng.randint(1, 9)),
        "w": rng.choice(_DAYS), "h": _digits(rng, str(rng.randint(8, 16))),
        "money": _digits(rng, f"{rng.randint(10, 9_999_999):,}"), "name": f"{first} {last}",
        "e": rng.choice(_EN_TOPICS), "dd": f"{rng.randint(1, 28):02d}", "mm": f"{rng.randint(1, 12):02d}",
        "ce": str(year - 543), "x": "",
    }
    return template.format(**values)


def generate(
    count: int, seed: int = 13, folders: tuple[str, ...] = ("INBOX", "Sent", "Archive")
) -> Iterator[GeneratedMessage]:
    """``count`` messages, oldest first, UIDs per folder from 1."""
    rng = random.Random(seed)
    uids = dict.fromkeys(folders, 0)
    step = (DATE_LAST - DATE_FIRST) / max(count, 1)
    for i in range(count):
        folder = folders[0] if rng.random() < 0.7 else rng.choice(folders[1:] or folders)
        uids[folder] += 1
        date = int(DATE_FIRST + i * step + rng.random() * step)
        template = rng.choice(_SUBJECTS)
        topic = rng.choice(_TOPICS) if "{x}" in template else ""
        subject = rng.choice(_URGENCY) + _fill(rng, template.replace("{x}", topic))
        if rng.random() < 0.3:
            subject = f"{subject} {letter_number(rng)}"
        name, email = _person(rng)
        to = ", ".join(f"{n} <{e}>" for n, e in (_person(rng) for _ in range(rng.randint(1, 3))))
        cc = ", ".join(f"{n} <{e}>" for n, e in (_person(rng) for _ in range(rng.randint(0, 2))))
        lines = [_fill(rng, rng.choice(_OPENINGS))]
        for _ in range(rng.randint(3, 8)):
            # Thai running text: sentences joined without spaces, as Thai is written.
            lines.append("".join(_fill(rng, rng.choice(_BODY)) for _ in range(rng.randint(1, 2))))
        if rng.random() < 0.3:
            lines.extend(_fill(rng, rng.choice(_EN_BODY)) for _ in range(rng.randint(1, 3)))
        lines.append(f"{name}\n{email}")
        flags = (1 if rng.random() < 0.8 else 0) | (2 if rng.random() < 0.05 else 0)  # seen, flagged
        yield GeneratedMessage(folder, uids[folder], date, subject, name, email, to, cc, "\n".join(lines),
                               flags, rng.random() < 0.35)
