"""Human texts of the policy keys, in English and Thai, for the generated references.

The keys, their types, ranges, defaults and registry layout come from the model
(schema.KEYS, defaults.py, registry.py, the lockable settings); this module only holds
what a person reads about each one: a short title (Group Policy editor) and the meaning
(docs/admin.md, the ADML explain text). policy/templates.py refuses to generate when a key of
the model has no text here or a text names no key (tests/unit/policy/test_policy_templates.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyText:
    title: str
    title_th: str
    meaning: str
    meaning_th: str


#: policy key path -> its texts (Markdown: `code` for names and values)
KEY_TEXTS: dict[str, KeyText] = {
    'schema_version': KeyText(
        'Policy schema version',
        'รุ่นของรูปแบบนโยบาย',
        'Version of this format; must be 1.',
        'รุ่นของรูปแบบไฟล์ ต้องเป็น 1',
    ),
    'description': KeyText(
        'Description of the policy',
        'คำอธิบายนโยบาย',
        'Free text for admins, shown by `policy show`.',
        'ข้อความอธิบายสำหรับผู้ดูแล แสดงใน `policy show`',
    ),
    'servers.allow': KeyText(
        'Allowed mail servers',
        'เซิร์ฟเวอร์อีเมลที่อนุญาต',
        'Mail server hosts (IMAP and SMTP) the app may connect to.',
        'เซิร์ฟเวอร์อีเมล (IMAP และ SMTP) ที่โปรแกรมเชื่อมต่อได้',
    ),
    'servers.deny': KeyText(
        'Denied mail servers',
        'เซิร์ฟเวอร์อีเมลที่ห้าม',
        'Hosts never allowed, even if in `servers.allow` (foreign free mail, Microsoft 365, Google).',
        'โฮสต์ที่ห้ามเสมอ แม้อยู่ใน `servers.allow` (บริการอีเมลฟรีต่างประเทศ, Microsoft 365, Google)',
    ),
    'addresses.allow_cidrs': KeyText(
        'Additional allowed address ranges',
        'ช่วงหมายเลขที่อนุญาตเพิ่มเติม',
        'Address ranges allowed in addition to addresses registered to Thailand, e.g. the agency LAN '
        '`10.20.0.0/16` or a test server `127.0.0.0/8`. Host bits must be zero; ranges broader than /8 '
        '(IPv4) or /16 (IPv6) are refused, and so is a list whose ranges **together** cover more '
        'addresses than one /8 (IPv4) or one /16 (IPv6) outside local and private networks (10/8, '
        '172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16, `::1`, fc00::/7 and fe80::/10 do not count:'
        ' list your LANs freely). IPv6 ranges that overlap a prefix leading to IPv4 addresses are refused'
        ' — IPv4-mapped `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`, NAT64 `64:ff9b::/96` and '
        '`64:ff9b:1::/48`, 6to4 `2002::/16`, Teredo `2001::/32`: list the IPv4 range itself.',
        'ช่วงหมายเลขที่อนุญาตเพิ่มเติมจากหมายเลขที่จดทะเบียนในประเทศไทย เช่น เครือข่ายภายในหน่วยงาน '
        '`10.20.0.0/16` หรือเซิร์ฟเวอร์ทดสอบ `127.0.0.0/8` บิตของโฮสต์ต้องเป็นศูนย์ '
        'และไม่รับช่วงที่กว้างกว่า /8 (IPv4) หรือ /16 (IPv6) รวมทั้งไม่รับรายการที่ช่วงทั้งหมด **รวมกัน**'
        ' ครอบคลุมหมายเลขนอกเครือข่ายภายในและเครือข่ายส่วนตัวมากกว่าหนึ่งช่วง /8 (IPv4) หรือ /16 (IPv6) '
        '(ไม่นับ 10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16, `::1`, fc00::/7 และ fe80::/10'
        ' จึงระบุเครือข่ายภายในได้ตามต้องการ) ช่วง IPv6 ที่ซ้อนทับกับช่วงที่นำไปสู่หมายเลข IPv4 '
        'จะถูกปฏิเสธ ได้แก่ IPv4-mapped `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`, NAT64 '
        '`64:ff9b::/96` และ `64:ff9b:1::/48`, 6to4 `2002::/16`, Teredo `2001::/32` ให้ระบุช่วงหมายเลข '
        'IPv4 นั้นโดยตรงแทน',
    ),
    'tls.min_version': KeyText(
        'Lowest TLS version',
        'รุ่น TLS ต่ำสุด',
        'Lowest TLS version: `"1.2"` or `"1.3"`. TLS itself is always required and cannot be switched '
        'off.',
        'รุ่น TLS ต่ำสุด: `"1.2"` หรือ `"1.3"` ต้องใช้ TLS เสมอ ปิดไม่ได้',
    ),
    'tls.ca_file': KeyText(
        'Extra trusted CA certificates (PEM file)',
        'ไฟล์ใบรับรอง CA เพิ่มเติม (PEM)',
        "PEM file with extra trusted CA certificates (the agency's internal CA), added to the system "
        'trust store. In a file, a relative path is relative to the policy file; in the registry it must '
        'be absolute (REG_EXPAND_SZ allowed: system folders only, section 6). The file must exist on the '
        "computer's own disk: a network or device path (`\\\\server\\share\\ca.pem`) is refused.",
        'ไฟล์ PEM ของใบรับรอง CA เพิ่มเติม (CA ภายในหน่วยงาน) ใช้ร่วมกับใบรับรองของระบบ ในไฟล์นโยบาย '
        'พาธแบบสัมพัทธ์นับจากโฟลเดอร์ของไฟล์นโยบาย ในรีจิสทรีต้องเป็นพาธเต็ม (ใช้ REG_EXPAND_SZ ได้ '
        'เฉพาะโฟลเดอร์ของระบบ ดูหัวข้อ 6) ไฟล์ต้องมีอยู่จริงบนดิสก์ของเครื่องนี้ '
        'ไม่รับพาธเครือข่ายหรือพาธอุปกรณ์ (`\\\\server\\share\\ca.pem`)',
    ),
    'tls.spki_pins': KeyText(
        'Server public key pins (SPKI)',
        'ค่าแฮชกุญแจสาธารณะของเซิร์ฟเวอร์ (SPKI)',
        'base64 SHA-256 hashes of server public keys (SubjectPublicKeyInfo), optionally prefixed '
        "`sha256/`. When set, at least one certificate in the server's chain must match.",
        'ค่าแฮช SHA-256 แบบ base64 ของกุญแจสาธารณะของเซิร์ฟเวอร์ (SubjectPublicKeyInfo) จะขึ้นต้นด้วย '
        '`sha256/` ก็ได้ หากกำหนดไว้ ต้องมีใบรับรองอย่างน้อยหนึ่งใบในสายใบรับรองของเซิร์ฟเวอร์ที่ตรงกัน',
    ),
    'accounts.allowed_domains': KeyText(
        'Domains allowed for accounts',
        'โดเมนที่ตั้งเป็นบัญชีได้',
        'Domains of e-mail addresses that may be set up as accounts (e.g. add `ega.or.th`). Domains in '
        '`servers.deny` or `recipients.free_mail_domains` are always refused.',
        'โดเมนของที่อยู่อีเมลที่ตั้งเป็นบัญชีได้ (เช่น เพิ่ม `ega.or.th`) โดเมนที่อยู่ใน `servers.deny` '
        'หรือ `recipients.free_mail_domains` จะถูกปฏิเสธเสมอ',
    ),
    'recipients.internal_domains': KeyText(
        'Internal recipient domains',
        'โดเมนผู้รับภายใน',
        'Recipient domains counted as internal (government).',
        'โดเมนผู้รับที่ถือเป็นภายใน (ภาครัฐ)',
    ),
    'recipients.external': KeyText(
        'Mail to external recipients',
        'การส่งถึงผู้รับภายนอก',
        'Recipients outside the internal domains: `"allow"`, `"warn"` or `"block"`.',
        'ผู้รับนอกโดเมนภายใน: `"allow"` (อนุญาต), `"warn"` (เตือน) หรือ `"block"` (ห้าม)',
    ),
    'recipients.free_mail': KeyText(
        'Mail to free-mail recipients',
        'การส่งถึงผู้รับที่ใช้อีเมลฟรี',
        'Recipients at free-mail providers: `"warn"` or `"block"` (never looser than '
        '`recipients.external`).',
        'ผู้รับที่ใช้บริการอีเมลฟรี: `"warn"` หรือ `"block"` (ไม่หละหลวมกว่า `recipients.external`)',
    ),
    'recipients.free_mail_domains': KeyText(
        'Free-mail domains',
        'โดเมนของผู้ให้บริการอีเมลฟรี',
        'Domains of free-mail providers.',
        'โดเมนของผู้ให้บริการอีเมลฟรี',
    ),
    'recipients.classified': KeyText(
        'Classified mail',
        'จดหมายชั้นความลับ',
        'Mail marked ลับ / ลับมาก / ลับที่สุด (confidential / secret / top secret): `"internal-only"` '
        '(blocked to every external recipient) or `"block"` (never by e-mail).',
        'จดหมายชั้นความลับ ลับ / ลับมาก / ลับที่สุด: `"internal-only"` (ห้ามส่งถึงผู้รับภายนอกทุกคน) หรือ'
        ' `"block"` (ห้ามส่งทางอีเมลเลย)',
    ),
    'content.remote_content': KeyText(
        'Default for remote content',
        'ค่าเริ่มต้นของเนื้อหาจากภายนอก',
        'Default for loading remote content (images) in messages: `"block"`, `"ask"` or `"allow"`. The '
        'user may change it unless `locked_settings` locks `mail.remote_content`.',
        'ค่าเริ่มต้นของการโหลดเนื้อหาจากภายนอก (รูปภาพ) ในจดหมาย: `"block"`, `"ask"` หรือ `"allow"` '
        'ผู้ใช้เปลี่ยนได้ เว้นแต่ `locked_settings` ล็อก `mail.remote_content` ไว้',
    ),
    'content.remote_content_allowed': KeyText(
        'Remote content may be loaded',
        'อนุญาตให้โหลดเนื้อหาจากภายนอก',
        '`false`: remote content is never loaded, whatever the user chooses; the message says the policy '
        'forbids it.',
        '`false`: ไม่โหลดเนื้อหาจากภายนอกเลย ไม่ว่าผู้ใช้จะเลือกอย่างไร จดหมายจะแจ้งว่านโยบายห้ามไว้',
    ),
    'content.remote_hosts': KeyText(
        'Hosts remote content may come from',
        'โฮสต์ที่โหลดเนื้อหาจากภายนอกได้',
        'Hosts remote content may be loaded from when the user allows it (exact host or `.suffix`); '
        'empty: any host.',
        'โฮสต์ที่โหลดเนื้อหาจากภายนอกได้เมื่อผู้ใช้อนุญาต (ชื่อโฮสต์ตรงตัว หรือ `.suffix`) ว่างไว้: '
        'ทุกโฮสต์',
    ),
    'content.remote_http': KeyText(
        'Remote content over plain HTTP',
        'เนื้อหาจากภายนอกผ่าน HTTP ธรรมดา',
        '`true`: remote content may also come over plain HTTP (otherwise HTTPS only).',
        '`true`: โหลดเนื้อหาจากภายนอกผ่าน HTTP ธรรมดาได้ด้วย (มิฉะนั้นใช้ HTTPS เท่านั้น)',
    ),
    'content.force_plain_text': KeyText(
        'Always show messages as plain text',
        'แสดงจดหมายเป็นข้อความธรรมดาเสมอ',
        '`true`: messages are always shown as plain text, never in the formatted (HTML) view.',
        '`true`: แสดงจดหมายเป็นข้อความธรรมดาเสมอ ไม่แสดงแบบจัดรูปแบบ (HTML)',
    ),
    'attachments.max_size_mb': KeyText(
        'Largest attachments to send (MB)',
        'ขนาดไฟล์แนบสูงสุดที่ส่งได้ (MB)',
        'Largest total size of attachments that may be sent, in MB (1–2048).',
        'ขนาดรวมสูงสุดของไฟล์แนบที่ส่งได้ หน่วย MB (1–2048)',
    ),
    'attachments.blocked_extensions': KeyText(
        'Blocked file types',
        'ชนิดไฟล์ต้องห้าม',
        'File types that may not be sent and need an explained confirmation to open (`.exe .scr .bat .cmd'
        ' .com .pif .js .jse .vbs .vbe .wsf .wsh .hta .msi .msp .lnk .ps1 .reg .jar .cpl`, macro '
        'documents `.docm .xlsm .pptm …`, disk images `.iso .img .vhd`, …). Double extensions '
        '(`หนังสือ.pdf.exe`) and bidi control characters in names (right-to-left override) are always '
        'flagged.',
        'ชนิดไฟล์ที่ห้ามส่ง และต้องยืนยันพร้อมคำอธิบายก่อนเปิด (`.exe .scr .bat .cmd .com .pif .js .jse '
        '.vbs .vbe .wsf .wsh .hta .msi .msp .lnk .ps1 .reg .jar .cpl` เอกสารที่มีมาโคร `.docm .xlsm .pptm'
        ' …` อิมเมจดิสก์ `.iso .img .vhd` ฯลฯ) ชื่อไฟล์ที่มีนามสกุลซ้อน (`หนังสือ.pdf.exe`) '
        'หรือมีอักขระควบคุมทิศทาง (right-to-left override) จะถูกแจ้งเตือนเสมอ',
    ),
    'attachments.open_blocked': KeyText(
        'Opening blocked attachments',
        'การเปิดไฟล์แนบชนิดต้องห้าม',
        'Opening a received attachment of a blocked type: `"confirm"` (asks, saying why) or `"forbid"` '
        '(never opened from the app; it can still be saved).',
        'การเปิดไฟล์แนบที่ได้รับซึ่งเป็นชนิดต้องห้าม: `"confirm"` (ถามก่อนพร้อมบอกเหตุผล) หรือ `"forbid"`'
        ' (เปิดจากโปรแกรมไม่ได้ แต่ยังบันทึกได้)',
    ),
    'search.default_download_days': KeyText(
        'Default days downloaded for offline search',
        'ค่าเริ่มต้นของจำนวนวันที่ดาวน์โหลดไว้ค้นหาแบบออฟไลน์',
        'Default of the user setting `search.download_days`, "Download messages for offline search": the '
        'text (not the attachments) of the messages of the last N days of every folder but Junk and Trash'
        ' is downloaded in the background, so that search finds them without the server (0–3650; `0`: '
        'off). The user may change it unless `locked_settings` locks `search.download_days`.',
        'ค่าเริ่มต้นของการตั้งค่า `search.download_days` "ดาวน์โหลดจดหมายไว้สำหรับค้นหาแบบออฟไลน์": '
        'โปรแกรมจะดาวน์โหลดเนื้อความ (ไม่รวมไฟล์แนบ) ของจดหมาย N วันล่าสุดในทุกโฟลเดอร์ '
        'ยกเว้นจดหมายขยะและถังขยะ ไว้เบื้องหลัง เพื่อให้ค้นหาเจอได้โดยไม่ต้องใช้เซิร์ฟเวอร์ (0–3650; `0`:'
        ' ปิด) ผู้ใช้เปลี่ยนได้ เว้นแต่ `locked_settings` ล็อก `search.download_days` ไว้',
    ),
    'search.max_download_days': KeyText(
        'Most days downloaded for offline search',
        'จำนวนวันสูงสุดที่ดาวน์โหลดไว้ค้นหาแบบออฟไลน์',
        'The most days the user — or a lock — may choose for `search.download_days` (0–3650; `0`: the '
        'download is off for everyone and the setting is shown locked). Lower it on slow links or small '
        'disks.',
        'จำนวนวันมากที่สุดที่ผู้ใช้ หรือค่าที่ล็อกไว้ เลือกให้ `search.download_days` ได้ (0–3650; `0`: '
        'ปิดการดาวน์โหลดสำหรับทุกคน และแสดงการตั้งค่าเป็นแบบล็อก) '
        'ควรลดลงเมื่อเครือข่ายช้าหรือดิสก์มีพื้นที่น้อย',
    ),
    'provisioning.address': KeyText(
        'Provisioned account: e-mail address',
        'บัญชีที่กำหนดให้: ที่อยู่อีเมล',
        'Sets up the user\'s account from the policy: a fixed address (`somchai@agency.go.th`, one '
        'computer per person) or a pattern of the OS login name, `%USERNAME%@agency.go.th` (`AGENCY\\somchai`'
        ' and `somchai@AGENCY.GO.TH` become `somchai`; upper case is lowered; a login name with anything '
        'but `a–z 0–9 . _ + -` is refused with a message, never guessed). The domain must be written out '
        'and allowed by `accounts.allowed_domains`. With it, the first start asks only for the password '
        'and the account\'s servers and address cannot be changed. `null`: no provisioning (the setup '
        'wizard asks for everything).',
        'ตั้งค่าบัญชีของผู้ใช้จากนโยบาย: ที่อยู่ตายตัว (`somchai@agency.go.th` หนึ่งเครื่องต่อหนึ่งคน) '
        'หรือรูปแบบจากชื่อผู้ใช้ที่เข้าสู่ระบบ `%USERNAME%@agency.go.th` (`AGENCY\\somchai` และ '
        '`somchai@AGENCY.GO.TH` จะเป็น `somchai` ตัวพิมพ์ใหญ่จะเปลี่ยนเป็นตัวพิมพ์เล็ก ชื่อผู้ใช้ที่มีอักขระอื่นนอกจาก '
        '`a–z 0–9 . _ + -` จะถูกปฏิเสธพร้อมข้อความแจ้ง โปรแกรมไม่เดา) โดเมนต้องเขียนเต็ม และต้องอยู่ใน '
        '`accounts.allowed_domains` เมื่อกำหนดไว้ การเปิดโปรแกรมครั้งแรกจะถามเพียงรหัสผ่าน '
        'และผู้ใช้เปลี่ยนเซิร์ฟเวอร์และที่อยู่ของบัญชีนี้ไม่ได้ `null`: ไม่กำหนดบัญชีให้ (ตัวช่วยตั้งค่าถามทุกอย่าง)',
    ),
    'provisioning.login': KeyText(
        'Provisioned account: login name',
        'บัญชีที่กำหนดให้: ชื่อเข้าระบบ',
        'Login name of the provisioned account: `%ADDRESS%` (the full address, as mail.go.th), '
        '`%LOCALPART%` (the part before @), `%USERNAME%` (the OS login name) or a pattern of them, '
        'e.g. `AGENCY\\%USERNAME%`.',
        'ชื่อเข้าระบบของบัญชีที่กำหนดให้: `%ADDRESS%` (ที่อยู่อีเมลเต็ม แบบ mail.go.th) `%LOCALPART%` '
        '(ส่วนหน้า @) `%USERNAME%` (ชื่อผู้ใช้ที่เข้าสู่ระบบ) หรือรูปแบบที่ประกอบจากค่าเหล่านี้ เช่น '
        '`AGENCY\\%USERNAME%`',
    ),
    'provisioning.imap_host': KeyText(
        'Provisioned account: incoming mail server (IMAP)',
        'บัญชีที่กำหนดให้: เซิร์ฟเวอร์จดหมายเข้า (IMAP)',
        'IMAP server of the provisioned account (needed with `provisioning.address`). It must pass '
        '`servers.allow` / `servers.deny` and the Thailand address check like any server: provisioning '
        'never loosens the policy.',
        'เซิร์ฟเวอร์ IMAP ของบัญชีที่กำหนดให้ (ต้องระบุเมื่อกำหนด `provisioning.address`) ต้องผ่าน '
        '`servers.allow` / `servers.deny` และการตรวจหมายเลขในประเทศไทยเช่นเดียวกับเซิร์ฟเวอร์อื่น '
        'การกำหนดบัญชีไม่ทำให้นโยบายหละหลวมลง',
    ),
    'provisioning.imap_port': KeyText(
        'Provisioned account: IMAP port',
        'บัญชีที่กำหนดให้: พอร์ต IMAP',
        'IMAP port of the provisioned account (1–65535).',
        'พอร์ต IMAP ของบัญชีที่กำหนดให้ (1–65535)',
    ),
    'provisioning.imap_security': KeyText(
        'Provisioned account: IMAP encryption',
        'บัญชีที่กำหนดให้: การเข้ารหัสของ IMAP',
        'IMAP encryption: `"tls"` (from the start) or `"starttls"`. Unencrypted is not possible.',
        'การเข้ารหัสของ IMAP: `"tls"` (เข้ารหัสตั้งแต่ต้น) หรือ `"starttls"` ไม่เข้ารหัสไม่ได้',
    ),
    'provisioning.smtp_host': KeyText(
        'Provisioned account: outgoing mail server (SMTP)',
        'บัญชีที่กำหนดให้: เซิร์ฟเวอร์ส่งจดหมาย (SMTP)',
        'SMTP server of the provisioned account (needed with `provisioning.address`); checked like '
        '`provisioning.imap_host`.',
        'เซิร์ฟเวอร์ SMTP ของบัญชีที่กำหนดให้ (ต้องระบุเมื่อกำหนด `provisioning.address`) ตรวจเช่นเดียวกับ '
        '`provisioning.imap_host`',
    ),
    'provisioning.smtp_port': KeyText(
        'Provisioned account: SMTP port',
        'บัญชีที่กำหนดให้: พอร์ต SMTP',
        'SMTP port of the provisioned account (1–65535; no other port is tried).',
        'พอร์ต SMTP ของบัญชีที่กำหนดให้ (1–65535 ไม่ลองพอร์ตอื่น)',
    ),
    'provisioning.smtp_security': KeyText(
        'Provisioned account: SMTP encryption',
        'บัญชีที่กำหนดให้: การเข้ารหัสของ SMTP',
        'SMTP encryption: `"tls"` (from the start) or `"starttls"`.',
        'การเข้ารหัสของ SMTP: `"tls"` (เข้ารหัสตั้งแต่ต้น) หรือ `"starttls"`',
    ),
    'provisioning.display_name': KeyText(
        'Provisioned account: sender\'s name',
        'บัญชีที่กำหนดให้: ชื่อผู้ส่ง',
        'Where the sender\'s name comes from: `"os"` (the OS account\'s full name: the directory\'s display '
        'name on Windows, GECOS on Linux; asked when there is none), `"local_part"` (the part of the '
        'address before @) or `"ask"` (the first start asks for it).',
        'ที่มาของชื่อผู้ส่ง: `"os"` (ชื่อเต็มของบัญชีผู้ใช้ในระบบ: ชื่อที่แสดงในไดเรกทอรีบน Windows, GECOS บน '
        'Linux หากไม่มีจะถามผู้ใช้) `"local_part"` (ส่วนหน้า @ ของที่อยู่) หรือ `"ask"` (ถามเมื่อเปิดโปรแกรมครั้งแรก)',
    ),
    'provisioning.signature': KeyText(
        'Provisioned account: locked signature',
        'บัญชีที่กำหนดให้: ลายเซ็นที่ล็อกไว้',
        'Lines of the provisioned account\'s signature, with the placeholders `{name}` and `{address}` '
        '(no other braces; at most 10 lines of 200 characters). When set, it is the account\'s only '
        'signature and cannot be edited. Empty: the user writes their own.',
        'บรรทัดของลายเซ็นของบัญชีที่กำหนดให้ ใช้ตัวแทน `{name}` และ `{address}` ได้ (ห้ามวงเล็บปีกกาอื่น '
        'ไม่เกิน 10 บรรทัด บรรทัดละไม่เกิน 200 อักขระ) เมื่อกำหนดไว้ จะเป็นลายเซ็นเดียวของบัญชีและแก้ไขไม่ได้ '
        'ว่างไว้: ผู้ใช้เขียนลายเซ็นเอง',
    ),
    'provisioning.password': KeyText(
        'Provisioned account: password',
        'บัญชีที่กำหนดให้: รหัสผ่าน',
        '`"keyring"`: the first start asks for the password and keeps it in the system\'s password store. '
        '`"session"`: asked when the app first connects in each session and kept in memory only, never '
        'written to the keyring (shared computers).',
        '`"keyring"`: ถามรหัสผ่านเมื่อเปิดครั้งแรก แล้วเก็บในที่เก็บรหัสผ่านของระบบ (keyring) `"session"`: '
        'ถามเมื่อเชื่อมต่อครั้งแรกในแต่ละรอบการใช้งาน เก็บไว้ในหน่วยความจำเท่านั้น ไม่บันทึกลง keyring '
        '(เครื่องที่ใช้ร่วมกัน)',
    ),
    'locked_settings': KeyText(
        'Locked user settings',
        'การตั้งค่าของผู้ใช้ที่ล็อกไว้',
        'User settings locked to a value: `{"mail.remote_content": "block"}`; the settings that can be '
        'locked are in the table below. The special folders of every account (`account.folder_trash` …) '
        'take the server\'s folder name, e.g. `"INBOX.Trash"`: it wins over the user\'s choice in File → '
        'Special Folders and over what the server says; a name the server does not have is ignored and '
        'the folder is detected as usual (SPECIAL-USE attributes, then XLIST, then the usual English and '
        'Thai names). Locked fields are shown read-only.',
        'การตั้งค่าของผู้ใช้ที่ล็อกไว้: `{"mail.remote_content": "block"}` การตั้งค่าที่ล็อกได้อยู่ในตารางด้านล่าง '
        'โฟลเดอร์พิเศษของทุกบัญชี (`account.folder_trash` …) ใช้ชื่อโฟลเดอร์ตามที่เซิร์ฟเวอร์ใช้ เช่น `"INBOX.Trash"` '
        'มีผลเหนือการเลือกของผู้ใช้ในเมนู ไฟล์ → โฟลเดอร์พิเศษ และเหนือข้อมูลจากเซิร์ฟเวอร์ หากเซิร์ฟเวอร์ไม่มีโฟลเดอร์ชื่อนั้น '
        'โปรแกรมจะตรวจหาเองตามปกติ (แอตทริบิวต์ SPECIAL-USE แล้ว XLIST แล้วชื่อโฟลเดอร์ที่ใช้กันทั่วไปทั้งภาษาอังกฤษและภาษาไทย) '
        'ช่องที่ล็อกจะแสดงแบบอ่านอย่างเดียว',
    ),
}

#: section of the policy (schema.SECTIONS) -> (title, Thai title): the Group Policy categories
SECTION_TITLES: dict[str, tuple[str, str]] = {
    "servers": ("Mail servers", "เซิร์ฟเวอร์อีเมล"),
    "addresses": ("Server addresses", "หมายเลขของเซิร์ฟเวอร์"),
    "tls": ("Encryption (TLS)", "การเข้ารหัส (TLS)"),
    "accounts": ("Accounts", "บัญชี"),
    "recipients": ("Recipients", "ผู้รับ"),
    "content": ("Remote content and viewing", "เนื้อหาจากภายนอกและการแสดงจดหมาย"),
    "attachments": ("Attachments", "ไฟล์แนบ"),
    "search": ("Search", "ค้นหา"),
    "provisioning": ("Account provisioning", "การกำหนดบัญชีให้ผู้ใช้"),
}
