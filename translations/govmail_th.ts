<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th" sourcelanguage="en">
    <context>
        <name>AccountItemsDialog</name>
        <message>
            <source>Account:</source>
            <translation>บัญชี:</translation>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation>&amp;ลบ</translation>
        </message>
    </context>
    <context>
        <name>AccountPage</name>
        <message>
            <source>Your mail account</source>
            <translation>บัญชีอีเมลของท่าน</translation>
        </message>
        <message>
            <source>Enter your government e-mail address and password.</source>
            <translation>กรุณากรอกที่อยู่อีเมลราชการและรหัสผ่านของท่าน</translation>
        </message>
        <message>
            <source>E-mail address:</source>
            <translation>ที่อยู่อีเมล:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>รหัสผ่าน:</translation>
        </message>
        <message>
            <source>Your name:</source>
            <translation>ชื่อของท่าน:</translation>
        </message>
        <message>
            <source>Shown to the people you write to</source>
            <translation>ชื่อที่ผู้รับจดหมายจะเห็น</translation>
        </message>
        <message>
            <source>Ask for the password each session (do not save it)</source>
            <translation>ถามรหัสผ่านทุกครั้งที่เปิดโปรแกรม (ไม่บันทึกรหัสผ่าน)</translation>
        </message>
        <message>
            <source>Own mail servers (advanced)</source>
            <translation>เซิร์ฟเวอร์อีเมลของหน่วยงานเอง (ขั้นสูง)</translation>
        </message>
        <message>
            <source>Login name:</source>
            <translation>ชื่อผู้ใช้สำหรับเข้าสู่ระบบ:</translation>
        </message>
        <message>
            <source>Same as the e-mail address</source>
            <translation>เหมือนกับที่อยู่อีเมล</translation>
        </message>
        <message>
            <source>Incoming mail (IMAP):</source>
            <translation>จดหมายเข้า (IMAP):</translation>
        </message>
        <message>
            <source>Outgoing mail (SMTP):</source>
            <translation>จดหมายออก (SMTP):</translation>
        </message>
        <message>
            <source>Server</source>
            <translation>เซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>พอร์ต</translation>
        </message>
        <message>
            <source>Encryption</source>
            <translation>การเข้ารหัส</translation>
        </message>
        <message>
            <source>Automatic</source>
            <translation>อัตโนมัติ</translation>
        </message>
        <message>
            <source>Automatic: try ports 465, 587 and 25 and use the first that works.</source>
            <translation>อัตโนมัติ: ลองพอร์ต 465, 587 และ 25 ตามลำดับ แล้วใช้พอร์ตแรกที่ใช้งานได้</translation>
        </message>
        <message>
            <source>TLS: encrypted from the start. STARTTLS: encrypted right after connecting. Unencrypted connections are not possible.</source>
            <translation>TLS: เข้ารหัสตั้งแต่เริ่มการเชื่อมต่อ STARTTLS: เข้ารหัสทันทีหลังเชื่อมต่อ ไม่สามารถใช้การเชื่อมต่อที่ไม่เข้ารหัสได้</translation>
        </message>
        <message>
            <source>Set by your agency's policy</source>
            <translation>กำหนดโดยนโยบายของหน่วยงาน</translation>
        </message>
        <message>
            <source>Some server settings are set by your agency's policy and cannot be changed.</source>
            <translation>การตั้งค่าเซิร์ฟเวอร์บางรายการกำหนดโดยนโยบายของหน่วยงาน และไม่สามารถเปลี่ยนแปลงได้</translation>
        </message>
        <message>
            <source>Service: {name}</source>
            <translation>บริการ: {name}</translation>
        </message>
        <message>
            <source>This address is not on the mail.go.th service. Please enter your agency's mail servers under "Own mail servers".</source>
            <translation>ที่อยู่นี้ไม่ได้ใช้บริการ mail.go.th กรุณากรอกเซิร์ฟเวอร์อีเมลของหน่วยงานในส่วน "เซิร์ฟเวอร์อีเมลของหน่วยงานเอง"</translation>
        </message>
        <message>
            <source>Please enter your password.</source>
            <translation>กรุณากรอกรหัสผ่าน</translation>
        </message>
    </context>
    <context>
        <name>AccountSetupService</name>
        <message>
            <source>Checking the address against the agency's policy…</source>
            <extracomment>The OS keyring (None: no keyring for this run, passwords live in memory only). Where accounts are saved (None: a check only, nothing can be committed).</extracomment>
            <translation>กำลังตรวจสอบที่อยู่อีเมลตามนโยบายของหน่วยงาน…</translation>
        </message>
        <message>
            <source>Checking the password store (keyring)…</source>
            <translation>กำลังตรวจสอบที่เก็บรหัสผ่าน (keyring)…</translation>
        </message>
        <message>
            <source>Signing in to the incoming mail server (IMAP) and the outgoing mail server (SMTP)…</source>
            <translation>กำลังเข้าสู่ระบบเซิร์ฟเวอร์จดหมายเข้า (IMAP) และเซิร์ฟเวอร์จดหมายออก (SMTP)…</translation>
        </message>
        <message>
            <source>Saving the password in the password store (keyring)…</source>
            <translation>กำลังบันทึกรหัสผ่านลงในที่เก็บรหัสผ่าน (keyring)…</translation>
        </message>
    </context>
    <context>
        <name>Accounts</name>
        <message>
            <source>The account settings are not valid.</source>
            <extracomment>The folder the policy sets for a role on every account (``account.folder_trash`` ...), by role key (``core.folder_roles.ROLE_KEYS``); a folder the server does not have is ignored. The special folders' Thai names, for the settings' Thai descriptions (THAI-TERMS.md). Longest folder name accepted in a choice (IMAP names are far shorter in practice).</extracomment>
            <translation>การตั้งค่าบัญชีไม่ถูกต้อง</translation>
        </message>
        <message>
            <source>Please enter a valid e-mail address, for example name@agency.go.th.</source>
            <translation>กรุณากรอกที่อยู่อีเมลให้ถูกต้อง เช่น name@agency.go.th</translation>
        </message>
        <message>
            <source>Please enter a valid server name, for example imap.agency.go.th.</source>
            <translation>กรุณากรอกชื่อเซิร์ฟเวอร์ให้ถูกต้อง เช่น imap.agency.go.th</translation>
        </message>
        <message>
            <source>The port must be a number from 1 to 65535.</source>
            <translation>พอร์ตต้องเป็นตัวเลขตั้งแต่ 1 ถึง 65535</translation>
        </message>
        <message>
            <source>Connections must be encrypted: choose TLS or STARTTLS.</source>
            <translation>การเชื่อมต่อต้องเข้ารหัสเสมอ กรุณาเลือก TLS หรือ STARTTLS</translation>
        </message>
        <message>
            <source>The name must not contain line breaks or control characters.</source>
            <extracomment>Validation of the account keys a policy may lock, in the shape of ``core.settings.SCHEMA`` so the policy schema can check them the same way (``ACCOUNT_LOCK_SETTINGS.get(key)`` next to ``SCHEMA.get(key)``). mail.go.th's SMTP ports in the order to try them (public configurations show only port 25 with STARTTLS; 465 and 587 are usual for Zimbra). The user's own choice of special folders: ((role key, folder name), ...), e.g. (("trash", "INBOX.Trash"),); roles not listed are detected (core/folder_roles.py).</extracomment>
            <translation>ชื่อต้องไม่มีการขึ้นบรรทัดใหม่หรืออักขระควบคุม</translation>
        </message>
        <message>
            <source>The login name must not contain spaces or control characters.</source>
            <translation>ชื่อผู้ใช้ต้องไม่มีช่องว่างหรืออักขระควบคุม</translation>
        </message>
        <message>
            <source>MailGoThai government e-mail (mail.go.th)</source>
            <translation>ระบบอีเมลภาครัฐ MailGoThai (mail.go.th)</translation>
        </message>
        <message>
            <source>This address is not on the mail.go.th service. Please enter your agency's mail servers under "Own mail servers".</source>
            <extracomment>``None`` = probe the usual ports (465 → 587 → 25).</extracomment>
            <translation>ที่อยู่นี้ไม่ได้ใช้บริการ mail.go.th กรุณากรอกเซิร์ฟเวอร์อีเมลของหน่วยงานในส่วน "เซิร์ฟเวอร์อีเมลของหน่วยงานเอง"</translation>
        </message>
        <message>
            <source>An account with this e-mail address already exists.</source>
            <translation>มีบัญชีของที่อยู่อีเมลนี้อยู่แล้ว</translation>
        </message>
    </context>
    <context>
        <name>AdminCheckServer</name>
        <message>
            <source>Check whether the app may connect to a mail server, as the app would.</source>
            <translation>ตรวจสอบว่าโปรแกรมจะเชื่อมต่อกับเซิร์ฟเวอร์อีเมลได้หรือไม่ โดยใช้การตรวจสอบเดียวกับที่โปรแกรมใช้</translation>
        </message>
        <message>
            <source>Server host name or IP address.</source>
            <translation>ชื่อโฮสต์หรือหมายเลข IP ของเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>Port (default: 993 for IMAP; with --smtp, try 465, 587, 25).</source>
            <translation>พอร์ต (ค่าเริ่มต้น: 993 สำหรับ IMAP; เมื่อใช้ --smtp จะลอง 465, 587, 25)</translation>
        </message>
        <message>
            <source>Check the mail-sending (SMTP submission) server instead of IMAP.</source>
            <translation>ตรวจสอบเซิร์ฟเวอร์ส่งอีเมล (SMTP) แทน IMAP</translation>
        </message>
        <message>
            <source>How TLS starts on --port (default: from the port number).</source>
            <translation>วิธีเริ่ม TLS บนพอร์ตที่ระบุด้วย --port (ค่าเริ่มต้น: ตามหมายเลขพอร์ต)</translation>
        </message>
        <message>
            <source>Use this policy file instead of the machine policy.</source>
            <translation>ใช้ไฟล์นโยบายนี้แทนนโยบายของเครื่อง</translation>
        </message>
        <message>
            <source>Also trust the CA certificates in FILE (PEM).</source>
            <translation>เชื่อถือใบรับรอง CA ในไฟล์ FILE (PEM) เพิ่มเติม</translation>
        </message>
        <message>
            <source>Give up on a step after this many seconds (default 10).</source>
            <translation>เลิกรอแต่ละขั้นตอนเมื่อครบจำนวนวินาทีนี้ (ค่าเริ่มต้น 10)</translation>
        </message>
        <message>
            <source>Machine-readable output (JSON).</source>
            <translation>แสดงผลในรูปแบบที่โปรแกรมอ่านได้ (JSON)</translation>
        </message>
        <message>
            <source>Invalid --resolve value: {value} (expected HOST:IP, HOST:PORT:IP or HOST:[IPv6])</source>
            <extracomment>one per failed attempt, same order as ``attempts`` ``--user``: who logged in (never the password), and how it went (no effect on the exit code). The IMAP capabilities the server listed after login (the list the app works with).</extracomment>
            <translation>ค่า --resolve ไม่ถูกต้อง: {value} (ต้องอยู่ในรูป HOST:IP, HOST:PORT:IP หรือ HOST:[IPv6])</translation>
        </message>
        <message>
            <source>Invalid --resolve value: {value} ({host} is not a server name)</source>
            <translation>ค่า --resolve ไม่ถูกต้อง: {value} ({host} ไม่ใช่ชื่อเซิร์ฟเวอร์)</translation>
        </message>
        <message>
            <source>Ambiguous --resolve value: {value} (put IPv6 addresses in brackets: {as_address} or {as_port})</source>
            <translation>ค่า --resolve อ่านได้มากกว่าหนึ่งแบบ: {value} (กรุณาเขียนหมายเลข IPv6 ในวงเล็บเหลี่ยม: {as_address} หรือ {as_port})</translation>
        </message>
        <message>
            <source>The --resolve value {value} is for {name}, but the server checked is {host}</source>
            <translation>ค่า --resolve {value} ใช้สำหรับ {name} แต่เซิร์ฟเวอร์ที่ตรวจคือ {host}</translation>
        </message>
        <message>
            <source>The --resolve value {value} is for port {port}, but this check connects to port {ports}</source>
            <translation>ค่า --resolve {value} ใช้สำหรับพอร์ต {port} แต่การตรวจนี้เชื่อมต่อกับพอร์ต {ports}</translation>
        </message>
        <message>
            <source>Use IP for HOST (the server checked) instead of DNS; also HOST:PORT:IP, IPv6 as [IP] (may be repeated).</source>
            <translation>ใช้หมายเลข IP ที่ระบุสำหรับ HOST (เซิร์ฟเวอร์ที่ตรวจ) แทนการค้นหา DNS ใช้รูปแบบ HOST:PORT:IP ได้ และเขียน IPv6 ในวงเล็บเหลี่ยม [IP] (ระบุได้หลายครั้ง)</translation>
        </message>
        <message>
            <source>IMAP only: also log in as NAME, over the verified TLS connection, to see the capabilities the server offers after login (the password is asked for, or read from the first line of standard input). Without it no credentials are sent.</source>
            <translation>เฉพาะ IMAP: เข้าสู่ระบบเป็น NAME ด้วย ผ่านการเชื่อมต่อ TLS ที่ตรวจสอบแล้ว เพื่อดูความสามารถที่เซิร์ฟเวอร์มีหลังเข้าสู่ระบบ (โปรแกรมจะถามรหัสผ่าน หรืออ่านจากบรรทัดแรกของ standard input) ถ้าไม่ระบุตัวเลือกนี้จะไม่ส่งข้อมูลบัญชีใด ๆ</translation>
        </message>
        <message>
            <source>--user is for IMAP checks only (an SMTP server shows its capabilities before login).</source>
            <translation>--user ใช้กับการตรวจ IMAP เท่านั้น (เซิร์ฟเวอร์ SMTP แสดงความสามารถก่อนเข้าสู่ระบบอยู่แล้ว)</translation>
        </message>
        <message>
            <source>No password for {user}: type it when asked, or give it on the first line of standard input.</source>
            <translation>ไม่มีรหัสผ่านสำหรับ {user}: กรุณาพิมพ์เมื่อโปรแกรมถาม หรือใส่ไว้ในบรรทัดแรกของ standard input</translation>
        </message>
        <message>
            <source>Password for {user}: </source>
            <translation>รหัสผ่านของ {user}: </translation>
        </message>
        <message>
            <source>implicit TLS</source>
            <translation>TLS ตั้งแต่เริ่มเชื่อมต่อ</translation>
        </message>
        <message>
            <source>STARTTLS</source>
            <translation>STARTTLS</translation>
        </message>
        <message>
            <source>Policy: the machine policy</source>
            <translation>นโยบาย: นโยบายของเครื่อง</translation>
        </message>
        <message>
            <source>Policy: {file}</source>
            <translation>นโยบาย: {file}</translation>
        </message>
        <message>
            <source>SMTP server {host} port {port} ({security})</source>
            <translation>เซิร์ฟเวอร์ SMTP {host} พอร์ต {port} ({security})</translation>
        </message>
        <message>
            <source>IMAP server {host} port {port} ({security})</source>
            <translation>เซิร์ฟเวอร์ IMAP {host} พอร์ต {port} ({security})</translation>
        </message>
        <message>
            <source>Host name: allowed by the policy</source>
            <translation>ชื่อโฮสต์: นโยบายอนุญาต</translation>
        </message>
        <message>
            <source>Host name: REFUSED by the policy</source>
            <translation>ชื่อโฮสต์: นโยบายไม่อนุญาต</translation>
        </message>
        <message>
            <source>Address {ip}: allowed ({reason})</source>
            <translation>หมายเลข {ip}: อนุญาต ({reason})</translation>
        </message>
        <message>
            <source>Address {ip}: REFUSED ({reason})</source>
            <translation>หมายเลข {ip}: ไม่อนุญาต ({reason})</translation>
        </message>
        <message>
            <source>Connected to {ip}</source>
            <translation>เชื่อมต่อกับ {ip} แล้ว</translation>
        </message>
        <message>
            <source>Warning: the server sent {count} bytes after its STARTTLS reply (discarded)</source>
            <translation>คำเตือน: เซิร์ฟเวอร์ส่งข้อมูล {count} ไบต์หลังคำตอบ STARTTLS (ทิ้งข้อมูลนั้นแล้ว)</translation>
        </message>
        <message>
            <source>TLS: {version}, cipher {cipher}</source>
            <translation>TLS: {version} การเข้ารหัส {cipher}</translation>
        </message>
        <message>
            <source>Certificate:</source>
            <translation>ใบรับรอง:</translation>
        </message>
        <message>
            <source>Subject: {value}</source>
            <translation>ผู้ถือใบรับรอง: {value}</translation>
        </message>
        <message>
            <source>Issuer: {value}</source>
            <translation>ผู้ออกใบรับรอง: {value}</translation>
        </message>
        <message>
            <source>Valid from {start} until {end}</source>
            <translation>ใช้ได้ตั้งแต่ {start} ถึง {end}</translation>
        </message>
        <message>
            <source>Names: {value}</source>
            <translation>ชื่อที่รับรอง: {value}</translation>
        </message>
        <message>
            <source>SPKI pin (SHA-256): {value}</source>
            <translation>ค่า SPKI pin (SHA-256): {value}</translation>
        </message>
        <message>
            <source>Capabilities (over TLS): {value}</source>
            <translation>ความสามารถของเซิร์ฟเวอร์ (ผ่าน TLS): {value}</translation>
        </message>
        <message>
            <source>Result: {code}: {text}</source>
            <translation>ผล: {code}: {text}</translation>
        </message>
        <message>
            <source>Verdict: ALLOWED. The app would use {host} port {port} ({security}).</source>
            <translation>สรุป: อนุญาต โปรแกรมจะใช้ {host} พอร์ต {port} ({security})</translation>
        </message>
        <message>
            <source>Verdict: REFUSED ({code}).</source>
            <translation>สรุป: ไม่อนุญาต ({code})</translation>
        </message>
        <message>
            <source>Verdict: COULD NOT CHECK ({code}).</source>
            <translation>สรุป: ตรวจสอบไม่ได้ ({code})</translation>
        </message>
        <message>
            <source>Login as {user}: accepted</source>
            <translation>เข้าสู่ระบบเป็น {user}: สำเร็จ</translation>
        </message>
        <message>
            <source>Capabilities after login: {value}</source>
            <translation>ความสามารถของเซิร์ฟเวอร์หลังเข้าสู่ระบบ: {value}</translation>
        </message>
        <message>
            <source>Login as {user}: failed ({code}): {text}</source>
            <translation>เข้าสู่ระบบเป็น {user}: ไม่สำเร็จ ({code}): {text}</translation>
        </message>
        <message>
            <source>What the capabilities advertised before login mean for the app (+ offered, - not advertised):</source>
            <translation>ความสามารถที่เซิร์ฟเวอร์แจ้งก่อนเข้าสู่ระบบมีผลต่อโปรแกรมอย่างไร (+ มี, - ไม่ได้แจ้ง):</translation>
        </message>
        <message>
            <source>What the server's capabilities mean for the app (+ offered, - not offered):</source>
            <translation>ความสามารถของเซิร์ฟเวอร์มีผลต่อโปรแกรมอย่างไร (+ มี, - ไม่มี):</translation>
        </message>
        <message>
            <source>Many servers (Dovecot, Cyrus) list more after login: check again with --user NAME to see what the app works with.</source>
            <translation>เซิร์ฟเวอร์หลายแบบ (Dovecot, Cyrus) แจ้งความสามารถเพิ่มเติมหลังเข้าสู่ระบบ กรุณาตรวจอีกครั้งด้วย --user NAME เพื่อดูรายการที่โปรแกรมจะใช้จริง</translation>
        </message>
        <message>
            <source>Special folders (Sent, Drafts, Trash, Junk, Archive) are the ones the server marks; well-known names fill in the rest.</source>
            <extracomment>How often the Inbox is asked for news on a server without IDLE (IdleLoop's own default). The IMAP extensions whose presence changes what the app does, in the order they are shown. The SMTP (EHLO) extensions shown.</extracomment>
            <translation>โฟลเดอร์พิเศษ (จดหมายที่ส่งแล้ว ร่างจดหมาย ถังขยะ จดหมายขยะ เก็บถาวร) คือโฟลเดอร์ที่เซิร์ฟเวอร์ระบุไว้ ส่วนที่ไม่ได้ระบุจะหาจากชื่อที่ใช้กันทั่วไป</translation>
        </message>
        <message>
            <source>Not offered: special folders come from XLIST, and from their well-known names where XLIST marks none.</source>
            <translation>ไม่มี: โฟลเดอร์พิเศษจะได้จาก XLIST และหาจากชื่อที่ใช้กันทั่วไปสำหรับโฟลเดอร์ที่ XLIST ไม่ได้ระบุ</translation>
        </message>
        <message>
            <source>Not offered: special folders are found by their well-known English or Thai names (Sent, Drafts, Trash, Junk, Archive ...); others can be chosen in the account settings or by the policy.</source>
            <translation>ไม่มี: โฟลเดอร์พิเศษจะหาจากชื่อที่ใช้กันทั่วไปทั้งภาษาอังกฤษและภาษาไทย (Sent, Drafts, Trash, Junk, Archive ...) โฟลเดอร์ชื่ออื่นเลือกได้ในการตั้งค่าบัญชีหรือกำหนดโดยนโยบาย</translation>
        </message>
        <message>
            <source>Not used: the app takes the special folders from SPECIAL-USE.</source>
            <translation>ไม่ใช้: โปรแกรมใช้โฟลเดอร์พิเศษตาม SPECIAL-USE</translation>
        </message>
        <message>
            <source>Special folders come from XLIST (Spam is Junk, Starred is Flagged, AllMail is All Mail).</source>
            <translation>โฟลเดอร์พิเศษได้จาก XLIST (Spam คือจดหมายขยะ, Starred คือติดธง, AllMail คือจดหมายทั้งหมด)</translation>
        </message>
        <message>
            <source>Not offered (not needed: SPECIAL-USE is offered).</source>
            <translation>ไม่มี (ไม่จำเป็น เพราะมี SPECIAL-USE)</translation>
        </message>
        <message>
            <source>Not offered: special folders are found by their names only.</source>
            <translation>ไม่มี: โฟลเดอร์พิเศษจะหาจากชื่อเท่านั้น</translation>
        </message>
        <message>
            <source>A special folder the app creates (a missing Trash) is marked as such on the server too.</source>
            <translation>โฟลเดอร์พิเศษที่โปรแกรมสร้างให้ (เช่น ถังขยะที่ยังไม่มี) จะถูกระบุบนเซิร์ฟเวอร์ด้วย</translation>
        </message>
        <message>
            <source>Not offered: a special folder the app creates (a missing Trash) is known by its name only.</source>
            <translation>ไม่มี: โฟลเดอร์พิเศษที่โปรแกรมสร้างให้ (เช่น ถังขยะที่ยังไม่มี) จะรู้จักได้จากชื่อเท่านั้น</translation>
        </message>
        <message>
            <source>Quick resync: one round trip tells which messages were expunged and which flags changed.</source>
            <translation>ซิงค์ข้อมูลซ้ำได้เร็ว: ถามเซิร์ฟเวอร์ครั้งเดียวก็รู้ว่าจดหมายใดถูกลบออกไปและสถานะใดเปลี่ยน</translation>
        </message>
        <message>
            <source>Cannot be turned on (the server does not offer ENABLE): resync as without QRESYNC.</source>
            <translation>เปิดใช้ไม่ได้ (เซิร์ฟเวอร์ไม่มี ENABLE): ซิงค์ข้อมูลซ้ำแบบเดียวกับเมื่อไม่มี QRESYNC</translation>
        </message>
        <message>
            <source>Not offered: a resync takes several round trips instead of one (see CONDSTORE).</source>
            <translation>ไม่มี: การซิงค์ข้อมูลซ้ำต้องถามเซิร์ฟเวอร์หลายรอบแทนรอบเดียว (ดู CONDSTORE)</translation>
        </message>
        <message>
            <source>Offered (QRESYNC builds on it).</source>
            <translation>มี (QRESYNC ทำงานต่อยอดจากส่วนนี้)</translation>
        </message>
        <message>
            <source>A resync fetches only the flags changed since the last one; all UIDs are compared only when the message count differs.</source>
            <translation>การซิงค์ข้อมูลซ้ำดึงเฉพาะสถานะที่เปลี่ยนตั้งแต่ครั้งก่อน และเทียบ UID ทั้งหมดเฉพาะเมื่อจำนวนจดหมายไม่ตรงกัน</translation>
        </message>
        <message>
            <source>Not offered: every resync fetches the flags of all messages and compares all UIDs: slower on big folders.</source>
            <translation>ไม่มี: การซิงค์ข้อมูลซ้ำทุกครั้งต้องดึงสถานะของจดหมายทุกฉบับและเทียบ UID ทั้งหมด จึงช้าในโฟลเดอร์ที่มีจดหมายมาก</translation>
        </message>
        <message>
            <source>New mail in the Inbox shows within seconds: the server tells the app at once.</source>
            <translation>จดหมายใหม่ในกล่องจดหมายเข้าแสดงภายในไม่กี่วินาที เพราะเซิร์ฟเวอร์แจ้งโปรแกรมทันที</translation>
        </message>
        <message>
            <source>Not offered: new mail in the Inbox is found by asking the server every {seconds} seconds; all folders are still checked as often as the setting sync.check_minutes says.</source>
            <translation>ไม่มี: โปรแกรมจะรู้ว่ามีจดหมายใหม่ในกล่องจดหมายเข้าโดยถามเซิร์ฟเวอร์ทุก {seconds} วินาที ส่วนทุกโฟลเดอร์ยังตรวจตามความถี่ในการตั้งค่า sync.check_minutes เช่นเดิม</translation>
        </message>
        <message>
            <source>Moving, and deleting to the Trash, is one command (UID MOVE).</source>
            <translation>การย้ายจดหมายและการลบไปที่ถังขยะใช้คำสั่งเดียว (UID MOVE)</translation>
        </message>
        <message>
            <source>Not offered: moving, and deleting to the Trash, copies the messages, marks them deleted and expunges only those (UID EXPUNGE).</source>
            <translation>ไม่มี: การย้ายจดหมายและการลบไปที่ถังขยะจะคัดลอกจดหมาย ทำเครื่องหมายว่าลบ แล้วลบออกจากเซิร์ฟเวอร์เฉพาะจดหมายเหล่านั้น (UID EXPUNGE)</translation>
        </message>
        <message>
            <source>Not offered: moving, and deleting to the Trash, copies the messages, marks them deleted and expunges (see UIDPLUS).</source>
            <translation>ไม่มี: การย้ายจดหมายและการลบไปที่ถังขยะจะคัดลอกจดหมาย ทำเครื่องหมายว่าลบ แล้วลบออกจากเซิร์ฟเวอร์ (ดู UIDPLUS)</translation>
        </message>
        <message>
            <source>An expunge removes only the messages the app names (UID EXPUNGE).</source>
            <translation>การลบออกจากเซิร์ฟเวอร์ (expunge) ลบเฉพาะจดหมายที่โปรแกรมระบุ (UID EXPUNGE)</translation>
        </message>
        <message>
            <source>Not offered: around each expunge the app takes the deleted mark off messages other programs marked, and puts it back after (a connection lost in between leaves them unmarked, never erased).</source>
            <translation>ไม่มี: ทุกครั้งที่ลบออกจากเซิร์ฟเวอร์ (expunge) โปรแกรมจะเอาเครื่องหมายว่าลบออกจากจดหมายที่โปรแกรมอื่นทำเครื่องหมายไว้ก่อน แล้วใส่คืนภายหลัง (ถ้าการเชื่อมต่อหลุดระหว่างนั้น จดหมายเหล่านั้นจะไม่มีเครื่องหมาย แต่ไม่ถูกลบ)</translation>
        </message>
        <message>
            <source>The folder list brings the message counts of every folder in one command.</source>
            <translation>รายการโฟลเดอร์ได้จำนวนจดหมายของทุกโฟลเดอร์มาในคำสั่งเดียว</translation>
        </message>
        <message>
            <source>Not offered: one STATUS command per folder for the counts (none with more than {limit} folders).</source>
            <translation>ไม่มี: ต้องใช้คำสั่ง STATUS หนึ่งครั้งต่อโฟลเดอร์เพื่อดูจำนวนจดหมาย (ไม่แสดงจำนวนเมื่อมีมากกว่า {limit} โฟลเดอร์)</translation>
        </message>
        <message>
            <source>A folder's UID list comes in compact form.</source>
            <translation>รายการ UID ของโฟลเดอร์ได้มาในรูปแบบย่อ</translation>
        </message>
        <message>
            <source>Not offered: a folder's UID list comes as one number per message (more data on big folders).</source>
            <translation>ไม่มี: รายการ UID ของโฟลเดอร์ได้มาทีละหมายเลขต่อจดหมายหนึ่งฉบับ (ข้อมูลมากขึ้นในโฟลเดอร์ที่มีจดหมายมาก)</translation>
        </message>
        <message>
            <source>Sign-in over TLS works, also with a user name or password in Thai characters (AUTH PLAIN).</source>
            <translation>เข้าสู่ระบบผ่าน TLS ได้ รวมถึงชื่อผู้ใช้หรือรหัสผ่านที่มีอักษรไทย (AUTH PLAIN)</translation>
        </message>
        <message>
            <source>Sign-in over TLS works, but not with a user name or password in Thai characters (that needs AUTH PLAIN).</source>
            <translation>เข้าสู่ระบบผ่าน TLS ได้ แต่ใช้ชื่อผู้ใช้หรือรหัสผ่านที่มีอักษรไทยไม่ได้ (ต้องมี AUTH PLAIN)</translation>
        </message>
        <message>
            <source>Not offered over TLS: the app cannot send mail through this server.</source>
            <translation>ไม่มีผ่าน TLS: โปรแกรมส่งจดหมายผ่านเซิร์ฟเวอร์นี้ไม่ได้</translation>
        </message>
        <message>
            <source>The server refuses messages larger than {size} MB (attachments grow by about a third when sent).</source>
            <translation>เซิร์ฟเวอร์ไม่รับจดหมายที่ใหญ่กว่า {size} MB (ไฟล์แนบจะใหญ่ขึ้นประมาณหนึ่งในสามเมื่อส่ง)</translation>
        </message>
        <message>
            <source>The server announces no size limit.</source>
            <translation>เซิร์ฟเวอร์ไม่ได้แจ้งขนาดจดหมายสูงสุด</translation>
        </message>
        <message>
            <source>The server announces a size limit that cannot be read.</source>
            <translation>เซิร์ฟเวอร์แจ้งขนาดจดหมายสูงสุดในรูปแบบที่อ่านไม่ได้</translation>
        </message>
        <message>
            <source>Not announced: a message too large for the server is refused only after it was sent in full.</source>
            <translation>ไม่ได้แจ้ง: จดหมายที่ใหญ่เกินกว่าที่เซิร์ฟเวอร์รับจะถูกปฏิเสธหลังจากส่งไปทั้งฉบับแล้วเท่านั้น</translation>
        </message>
        <message>
            <source>The server takes 8-bit message text (Thai in UTF-8 as it is).</source>
            <translation>เซิร์ฟเวอร์รับเนื้อหาจดหมายแบบ 8 บิต (ภาษาไทยแบบ UTF-8 ได้โดยตรง)</translation>
        </message>
        <message>
            <source>Not offered: message text must be 7-bit (Thai text encoded as base64 or quoted-printable).</source>
            <translation>ไม่มี: เนื้อหาจดหมายต้องเป็นแบบ 7 บิต (ข้อความภาษาไทยต้องเข้ารหัสแบบ base64 หรือ quoted-printable)</translation>
        </message>
        <message>
            <source>The server takes addresses with Thai characters before the @.</source>
            <translation>เซิร์ฟเวอร์รับที่อยู่อีเมลที่มีอักษรไทยหน้า @</translation>
        </message>
        <message>
            <source>Not offered: addresses with Thai characters before the @ cannot be used through this server (Thai domain names work in their xn-- form).</source>
            <translation>ไม่มี: ที่อยู่อีเมลที่มีอักษรไทยหน้า @ ใช้กับเซิร์ฟเวอร์นี้ไม่ได้ (ชื่อโดเมนภาษาไทยใช้ได้ในรูปแบบ xn--)</translation>
        </message>
    </context>
    <context>
        <name>AdminCli</name>
        <message>
            <source>GovMail Desktop tools for IT staff.</source>
            <translation>เครื่องมือ GovMail Desktop สำหรับเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>Language of the output (default: from the locale).</source>
            <translation>ภาษาของผลลัพธ์ (ค่าเริ่มต้น: ตาม locale ของระบบ)</translation>
        </message>
        <message>
            <source>govmail-admin stopped on an unexpected error ({error}). Details are in {log}.</source>
            <extracomment>Exit code of an unexpected error (as "could not check" in check-server). Exit code after Ctrl+C.</extracomment>
            <translation>govmail-admin หยุดทำงานเนื่องจากเกิดข้อผิดพลาดที่ไม่คาดคิด ({error}) ดูรายละเอียดได้ในไฟล์บันทึกการทำงาน {log}</translation>
        </message>
        <message>
            <source>govmail-admin stopped on an unexpected error ({error}). The log {log} could not be written.</source>
            <translation>govmail-admin หยุดทำงานเนื่องจากเกิดข้อผิดพลาดที่ไม่คาดคิด ({error}) และเขียนไฟล์บันทึกการทำงาน {log} ไม่ได้</translation>
        </message>
    </context>
    <context>
        <name>AdminDoctor</name>
        <message>
            <source>GovMail Desktop {version} (installed bundle, Python {python})</source>
            <extracomment>The app's own icon: without it there is no window or menu icon. The compiled Thai catalogues: pure-code texts (govmail-admin, errors), the Qt texts, Qt's own. more lines under it: messages, or text already worded (policy problems, server errors) where the package data were looked for (shown), and the names found there</extracomment>
            <translation>GovMail Desktop {version} (ชุดโปรแกรมที่ติดตั้ง, Python {python})</translation>
        </message>
        <message>
            <source>GovMail Desktop {version} (from Python {python} packages)</source>
            <translation>GovMail Desktop {version} (จากแพ็กเกจ Python {python})</translation>
        </message>
        <message>
            <source>Icons: {count} found in {folder}</source>
            <translation>ไอคอน: พบ {count} ไฟล์ใน {folder}</translation>
        </message>
        <message>
            <source>Icons: the app icon {name} is missing from {folder} (reinstall the package)</source>
            <translation>ไอคอน: ไม่พบไอคอนของโปรแกรม {name} ใน {folder} (ติดตั้งแพ็กเกจใหม่)</translation>
        </message>
        <message>
            <source>Thai translations: {files} in {folder}</source>
            <translation>คำแปลภาษาไทย: {files} ใน {folder}</translation>
        </message>
        <message>
            <source>Thai translations: {files} missing from {folder} (the app would show English; reinstall)</source>
            <translation>คำแปลภาษาไทย: ไม่พบ {files} ใน {folder} (โปรแกรมจะแสดงเป็นภาษาอังกฤษ ติดตั้งใหม่)</translation>
        </message>
        <message>
            <source>Thai font Sarabun: {count} file(s) in {folder}</source>
            <extracomment>the bundled Sarabun files the app registers (the app's own lookup): names, and where Thai-capable families fontconfig knows (``fc-list :lang=th``); None: not asked (not Linux, or fc-list not installed)</extracomment>
            <translation>แบบอักษรไทย Sarabun: {count} ไฟล์ใน {folder}</translation>
        </message>
        <message>
            <source>Thai font Sarabun: not found; the app falls back to the system's Thai fonts (reinstall the package to get it back)</source>
            <translation>แบบอักษรไทย Sarabun: ไม่พบ โปรแกรมจะใช้แบบอักษรไทยของระบบแทน (ติดตั้งแพ็กเกจใหม่เพื่อให้กลับมา)</translation>
        </message>
        <message>
            <source>Thai font Sarabun: not found, and no other Thai font is known: Thai would show as boxes (reinstall the package)</source>
            <translation>แบบอักษรไทย Sarabun: ไม่พบ และไม่มีแบบอักษรไทยอื่นในระบบ ภาษาไทยจะแสดงเป็นกล่องสี่เหลี่ยม (ติดตั้งแพ็กเกจใหม่)</translation>
        </message>
        <message>
            <source>Thai fonts known to fontconfig: {families}</source>
            <translation>แบบอักษรไทยที่ fontconfig รู้จัก: {families}</translation>
        </message>
        <message>
            <source>No Thai font is known to fontconfig: other programs (and printing from them) may show Thai as boxes; install fonts-thai-tlwg</source>
            <translation>fontconfig ไม่รู้จักแบบอักษรไทยใดเลย โปรแกรมอื่น (และการพิมพ์จากโปรแกรมเหล่านั้น) อาจแสดงภาษาไทยเป็นกล่องสี่เหลี่ยม ให้ติดตั้ง fonts-thai-tlwg</translation>
        </message>
        <message>
            <source>Thai fonts known to the system: not checked (fontconfig's fc-list is not available)</source>
            <translation>แบบอักษรไทยของระบบ: ไม่ได้ตรวจ (ไม่มีคำสั่ง fc-list ของ fontconfig)</translation>
        </message>
        <message>
            <source>{families} and {count} more</source>
            <extracomment>Families named in the report (the rest are counted).</extracomment>
            <translation>{families} และอีก {count} แบบ</translation>
        </message>
        <message>
            <source>Password store (keyring): {backend}; passwords can be saved</source>
            <extracomment>the backend ``keyring`` picks (``module.Class``; a chainer's backends joined), "" if none loaded the OS keyring the app would use, None when there is none why it cannot be used (a CredentialsError's code and user text), None when it can the probe did not return within the timeout (a locked keyring waiting for an unlock prompt)</extracomment>
            <translation>ที่เก็บรหัสผ่าน (keyring): {backend} บันทึกรหัสผ่านได้</translation>
        </message>
        <message>
            <source>keyring's choice: {backend}</source>
            <translation>keyring เลือก: {backend}</translation>
        </message>
        <message>
            <source>Password store (keyring) not usable ({code}): users will type their password each session</source>
            <translation>ใช้ที่เก็บรหัสผ่าน (keyring) ไม่ได้ ({code}) ผู้ใช้ต้องพิมพ์รหัสผ่านทุกครั้งที่เปิดโปรแกรม</translation>
        </message>
        <message>
            <source>Password store (keyring) {backend} did not answer within {seconds} s (locked, waiting for an unlock?): users may have to type their password each session</source>
            <translation>ที่เก็บรหัสผ่าน (keyring) {backend} ไม่ตอบภายใน {seconds} วินาที (ถูกล็อกอยู่และรอการปลดล็อกหรือไม่) ผู้ใช้อาจต้องพิมพ์รหัสผ่านทุกครั้งที่เปิดโปรแกรม</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(ไม่มี)</translation>
        </message>
        <message>
            <source>Policy source: {sources}</source>
            <extracomment>the machine policy file this platform reads (or the --policy FILE) True with ``--policy FILE``: a file given on the command line, not the machine policy who may change ``path`` (policy.sources.posix_file_problems / windows_file_problems): None no file; [] only administrators; else the problems. Not asked with --policy.</extracomment>
            <translation>ที่มาของนโยบาย: {sources}</translation>
        </message>
        <message>
            <source>Policy source: {file} (given with --policy, not the machine policy)</source>
            <translation>ที่มาของนโยบาย: {file} (ระบุด้วย --policy ไม่ใช่นโยบายของเครื่อง)</translation>
        </message>
        <message>
            <source>Policy source: no machine policy at {file}; the built-in default applies (mail.go.th only)</source>
            <translation>ที่มาของนโยบาย: ไม่มีนโยบายของเครื่องที่ {file} จึงใช้ค่าเริ่มต้นในตัวโปรแกรม (mail.go.th เท่านั้น)</translation>
        </message>
        <message>
            <source>The policy is valid (schema version {version})</source>
            <translation>นโยบายถูกต้อง (schema รุ่น {version})</translation>
        </message>
        <message>
            <source>The policy is INVALID: the app connects to no server until it is fixed</source>
            <translation>นโยบายไม่ถูกต้อง โปรแกรมจะไม่เชื่อมต่อเซิร์ฟเวอร์ใดจนกว่าจะแก้ไข</translation>
        </message>
        <message>
            <source>Only administrators can change {file}</source>
            <translation>เฉพาะผู้ดูแลระบบเท่านั้นที่แก้ไข {file} ได้</translation>
        </message>
        <message>
            <source>Users could change {file}: it is not applied and the policy fails closed</source>
            <translation>ผู้ใช้ทั่วไปอาจแก้ไข {file} ได้ จึงไม่นำไฟล์นี้มาใช้ และนโยบายปิดการเชื่อมต่อทั้งหมด</translation>
        </message>
        <message>
            <source>Permissions: no machine policy file at {file}</source>
            <translation>สิทธิ์: ไม่มีไฟล์นโยบายของเครื่องที่ {file}</translation>
        </message>
        <message>
            <source>Permissions: not checked for a file given with --policy</source>
            <translation>สิทธิ์: ไม่ได้ตรวจสำหรับไฟล์ที่ระบุด้วย --policy</translation>
        </message>
        <message>
            <source>Servers: not checked (--offline)</source>
            <extracomment>"policy" (locked or provisioned by the machine policy) or the account's address check_server's result for each target, same order; empty when not checked problems reading the user's accounts (settings file broken ...)</extracomment>
            <translation>เซิร์ฟเวอร์: ไม่ได้ตรวจ (--offline)</translation>
        </message>
        <message>
            <source>Servers: none configured yet (no account, and the policy provisions none)</source>
            <translation>เซิร์ฟเวอร์: ยังไม่ได้ตั้งค่า (ไม่มีบัญชี และนโยบายไม่ได้กำหนดบัญชีให้)</translation>
        </message>
        <message>
            <source>the policy</source>
            <translation>นโยบาย</translation>
        </message>
        <message>
            <source>{protocol} server {host} port {port} (set by {origin}): allowed and answering, {tls}</source>
            <translation>เซิร์ฟเวอร์ {protocol} {host} พอร์ต {port} (กำหนดโดย {origin}): อนุญาตและตอบสนอง, {tls}</translation>
        </message>
        <message>
            <source>{protocol} server {host} (set by {origin}): REFUSED ({code})</source>
            <translation>เซิร์ฟเวอร์ {protocol} {host} (กำหนดโดย {origin}): ไม่อนุญาต ({code})</translation>
        </message>
        <message>
            <source>{protocol} server {host} (set by {origin}): could not be checked ({code})</source>
            <translation>เซิร์ฟเวอร์ {protocol} {host} (กำหนดโดย {origin}): ตรวจสอบไม่ได้ ({code})</translation>
        </message>
        <message>
            <source>The user's account settings have problems; those accounts are not checked</source>
            <translation>การตั้งค่าบัญชีของผู้ใช้มีปัญหา จึงไม่ได้ตรวจบัญชีเหล่านั้น</translation>
        </message>
        <message>
            <source>GovMail Desktop doctor: version {version}</source>
            <translation>ตรวจสุขภาพ GovMail Desktop: รุ่น {version}</translation>
        </message>
        <message>
            <source>Installation</source>
            <translation>การติดตั้ง</translation>
        </message>
        <message>
            <source>Fonts</source>
            <translation>แบบอักษร</translation>
        </message>
        <message>
            <source>Password store</source>
            <translation>ที่เก็บรหัสผ่าน</translation>
        </message>
        <message>
            <source>Policy</source>
            <translation>นโยบาย</translation>
        </message>
        <message>
            <source>Servers</source>
            <translation>เซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>ผ่าน</translation>
        </message>
        <message>
            <source>WARNING</source>
            <translation>คำเตือน</translation>
        </message>
        <message>
            <source>FAILED</source>
            <translation>ไม่ผ่าน</translation>
        </message>
        <message>
            <source>SKIPPED</source>
            <translation>ข้าม</translation>
        </message>
        <message>
            <source>Result: {ok} passed, {warn} warning(s), {fail} failure(s), {skip} skipped (exit code {code})</source>
            <translation>ผลรวม: ผ่าน {ok} รายการ, คำเตือน {warn} รายการ, ไม่ผ่าน {fail} รายการ, ข้าม {skip} รายการ (รหัสออก {code})</translation>
        </message>
        <message>
            <source>Check this computer's installation, fonts, password store, policy and mail servers in one report (exit 0 all good, 1 warnings, 2 failures).</source>
            <translation>ตรวจการติดตั้ง แบบอักษร ที่เก็บรหัสผ่าน นโยบาย และเซิร์ฟเวอร์อีเมลของเครื่องนี้ในรายงานเดียว (รหัสออก 0 ผ่านทั้งหมด, 1 มีคำเตือน, 2 มีรายการไม่ผ่าน)</translation>
        </message>
        <message>
            <source>Machine-readable output (JSON).</source>
            <translation>แสดงผลในรูปแบบที่โปรแกรมอ่านได้ (JSON)</translation>
        </message>
        <message>
            <source>Do not connect to the mail servers.</source>
            <translation>ไม่ต้องเชื่อมต่อเซิร์ฟเวอร์อีเมล</translation>
        </message>
        <message>
            <source>Use this policy file instead of the machine policy.</source>
            <translation>ใช้ไฟล์นโยบายนี้แทนนโยบายของเครื่อง</translation>
        </message>
        <message>
            <source>Give up on a server or the password store after this many seconds (default 10).</source>
            <translation>เลิกรอเซิร์ฟเวอร์หรือที่เก็บรหัสผ่านเมื่อครบจำนวนวินาทีนี้ (ค่าเริ่มต้น 10)</translation>
        </message>
    </context>
    <context>
        <name>AdminInspect</name>
        <message>
            <source>sender</source>
            <translation>ผู้ส่ง</translation>
        </message>
        <message>
            <source>link</source>
            <translation>ลิงก์</translation>
        </message>
        <message>
            <source>remote content</source>
            <translation>เนื้อหาจากภายนอก</translation>
        </message>
        <message>
            <source>attachment</source>
            <translation>ไฟล์แนบ</translation>
        </message>
        <message>
            <source>structure</source>
            <translation>โครงสร้าง</translation>
        </message>
        <message>
            <source>plain text</source>
            <translation>ข้อความธรรมดา</translation>
        </message>
        <message>
            <source>from the formatted (HTML) part</source>
            <translation>จากส่วนที่จัดรูปแบบ (HTML)</translation>
        </message>
        <message>
            <source>plain text and formatted (HTML) parts</source>
            <translation>ข้อความธรรมดาและส่วนที่จัดรูปแบบ (HTML)</translation>
        </message>
        <message>
            <source>no text</source>
            <translation>ไม่มีข้อความ</translation>
        </message>
        <message>
            <source>Take a reported message (.eml) apart and flag what is risky in it.</source>
            <translation>แยกส่วนประกอบของจดหมายที่ได้รับแจ้ง (.eml) และชี้จุดที่มีความเสี่ยง</translation>
        </message>
        <message>
            <source>The message file (.eml); - reads standard input.</source>
            <translation>ไฟล์จดหมาย (.eml) ใช้ - เพื่ออ่านจาก standard input</translation>
        </message>
        <message>
            <source>Machine-readable output (JSON).</source>
            <translation>ผลลัพธ์สำหรับโปรแกรมอื่น (JSON)</translation>
        </message>
        <message>
            <source>Use this policy file instead of the machine policy.</source>
            <translation>ใช้ไฟล์นโยบายนี้แทนนโยบายของเครื่อง</translation>
        </message>
        <message>
            <source>{file}: the file does not exist.</source>
            <translation>{file}: ไม่มีไฟล์นี้</translation>
        </message>
        <message>
            <source>it is a folder</source>
            <translation>เป็นโฟลเดอร์</translation>
        </message>
        <message>
            <source>{file}: the file cannot be read ({reason}).</source>
            <translation>{file}: อ่านไฟล์ไม่ได้ ({reason})</translation>
        </message>
        <message>
            <source>{file} is not an e-mail message: {reason}</source>
            <translation>{file} ไม่ใช่จดหมายอิเล็กทรอนิกส์: {reason}</translation>
        </message>
        <message>
            <source>{n} bytes</source>
            <translation>{n} ไบต์</translation>
        </message>
        <message>
            <source>{n} KB</source>
            <translation>{n} กิโลไบต์</translation>
        </message>
        <message>
            <source>{n} MB</source>
            <translation>{n} เมกะไบต์</translation>
        </message>
        <message>
            <source>charset {charset} (read as {codec})</source>
            <translation>ชุดอักขระ {charset} (อ่านเป็น {codec})</translation>
        </message>
        <message>
            <source>charset {charset}</source>
            <translation>ชุดอักขระ {charset}</translation>
        </message>
        <message>
            <source>message</source>
            <translation>จดหมาย</translation>
        </message>
        <message>
            <source>File: {file}</source>
            <translation>ไฟล์: {file}</translation>
        </message>
        <message>
            <source>the machine policy</source>
            <translation>นโยบายของเครื่อง</translation>
        </message>
        <message>
            <source>Checked with: {policy}</source>
            <translation>ตรวจตาม: {policy}</translation>
        </message>
        <message>
            <source>Checked with: {policy} — INVALID ({problem}); the values that could be read were used, the built-in default for the rest.</source>
            <translation>ตรวจตาม: {policy} — นโยบายไม่ถูกต้อง ({problem}) ใช้ค่าที่อ่านได้ ส่วนที่เหลือใช้ค่าเริ่มต้นของโปรแกรม</translation>
        </message>
        <message>
            <source>Result: {count} finding(s) — treat this message with care.</source>
            <translation>ผลการตรวจ: พบสิ่งที่ต้องระวัง {count} รายการ โปรดจัดการจดหมายนี้ด้วยความระมัดระวัง</translation>
        </message>
        <message>
            <source>Result: nothing was flagged.</source>
            <translation>ผลการตรวจ: ไม่พบสิ่งที่ต้องระวัง</translation>
        </message>
        <message>
            <source>The message is very large: only its beginning was examined.</source>
            <translation>จดหมายนี้มีขนาดใหญ่มาก ตรวจได้เพียงส่วนต้น</translation>
        </message>
        <message>
            <source>Findings</source>
            <translation>สิ่งที่ต้องระวัง</translation>
        </message>
        <message>
            <source>Nothing was flagged.</source>
            <translation>ไม่พบสิ่งที่ต้องระวัง</translation>
        </message>
        <message>
            <source>(part {part})</source>
            <translation>(ส่วนที่ {part})</translation>
        </message>
        <message>
            <source>Header</source>
            <translation>ส่วนหัวจดหมาย</translation>
        </message>
        <message>
            <source>Sender as the app shows it: {sender}</source>
            <translation>ผู้ส่งตามที่โปรแกรมแสดง: {sender}</translation>
        </message>
        <message>
            <source>Replies go to: {addresses}</source>
            <translation>การตอบกลับจะส่งไปที่: {addresses}</translation>
        </message>
        <message>
            <source>Structure (MIME parts)</source>
            <translation>โครงสร้าง (ส่วนประกอบ MIME)</translation>
        </message>
        <message>
            <source>Too many nested parts to show the structure.</source>
            <translation>มีส่วนประกอบซ้อนกันมากเกินกว่าจะแสดงโครงสร้างได้</translation>
        </message>
        <message>
            <source>Remote content the app would block ({count})</source>
            <translation>เนื้อหาจากภายนอกที่โปรแกรมจะปิดกั้น ({count})</translation>
        </message>
        <message>
            <source>None.</source>
            <translation>ไม่มี</translation>
        </message>
        <message>
            <source>Links ({count})</source>
            <translation>ลิงก์ ({count})</translation>
        </message>
        <message>
            <source>Text ({source})</source>
            <translation>เนื้อความ ({source})</translation>
        </message>
        <message>
            <source>the file is empty.</source>
            <extracomment>Bytes of the file looked at to decide whether it is a message at all. Bytes of the file read: what the parser looks at, plus one to know that it was cut. Fields of which at least one must be in the header block of a message.</extracomment>
            <translation>ไฟล์ว่างเปล่า</translation>
        </message>
        <message>
            <source>the file is binary (its beginning holds control bytes no message header has).</source>
            <translation>ไฟล์เป็นข้อมูลไบนารี (ส่วนต้นมีไบต์ควบคุมที่ส่วนหัวจดหมายไม่มี)</translation>
        </message>
        <message>
            <source>the file does not begin with the header of a message (From:, To:, Subject:, Date: …).</source>
            <translation>ไฟล์ไม่ได้ขึ้นต้นด้วยส่วนหัวของจดหมาย (From:, To:, Subject:, Date: …)</translation>
        </message>
        <message>
            <source>{count} remote image(s) or other remote content: the app blocks them by default; loading them tells the sender that the message was opened, and from where.</source>
            <extracomment>Findings are listed in this order of categories.</extracomment>
            <translation>มีรูปภาพหรือเนื้อหาจากภายนอก {count} รายการ โปรแกรมปิดกั้นไว้โดยค่าเริ่มต้น หากโหลด ผู้ส่งจะรู้ว่าจดหมายถูกเปิดแล้วและเปิดจากที่ใด</translation>
        </message>
        <message>
            <source>The message has too many parts or is nested too deeply; not all of its structure is shown.</source>
            <translation>จดหมายนี้มีส่วนประกอบมากเกินไปหรือซ้อนกันลึกเกินไป จึงแสดงโครงสร้างได้ไม่ครบ</translation>
        </message>
    </context>
    <context>
        <name>AdminPolicy</name>
        <message>
            <source>Show or check the agency's mail policy.</source>
            <translation>แสดงหรือตรวจสอบนโยบายอีเมลของหน่วยงาน</translation>
        </message>
        <message>
            <source>Show the policy in force and where each value comes from.</source>
            <translation>แสดงนโยบายที่ใช้อยู่และแหล่งที่มาของแต่ละค่า</translation>
        </message>
        <message>
            <source>Machine-readable output (JSON).</source>
            <translation>แสดงผลสำหรับโปรแกรมอื่น (JSON)</translation>
        </message>
        <message>
            <source>Show the policy as it would be with FILE as the machine policy file.</source>
            <translation>แสดงนโยบายที่จะได้ หากใช้ FILE เป็นไฟล์นโยบายของเครื่อง</translation>
        </message>
        <message>
            <source>Check a policy file before installing it.</source>
            <translation>ตรวจสอบไฟล์นโยบายก่อนติดตั้ง</translation>
        </message>
        <message>
            <source>The policy file to check.</source>
            <translation>ไฟล์นโยบายที่จะตรวจสอบ</translation>
        </message>
        <message>
            <source>(not set)</source>
            <translation>(ไม่ได้กำหนด)</translation>
        </message>
        <message>
            <source>(empty list)</source>
            <translation>(รายการว่าง)</translation>
        </message>
        <message>
            <source>Effective mail policy (schema version {version})</source>
            <translation>นโยบายอีเมลที่ใช้อยู่ (schema รุ่น {version})</translation>
        </message>
        <message>
            <source>Status: valid</source>
            <translation>สถานะ: ถูกต้อง</translation>
        </message>
        <message>
            <source>Status: INVALID — the app will connect to no server until this is fixed:</source>
            <translation>สถานะ: ไม่ถูกต้อง — โปรแกรมจะไม่เชื่อมต่อเซิร์ฟเวอร์ใดจนกว่าจะแก้ไขปัญหาต่อไปนี้:</translation>
        </message>
        <message>
            <source>Ignored, not applied (the policy in force does not change):</source>
            <translation>ค่าที่ไม่นำมาใช้ (นโยบายที่ใช้อยู่ไม่เปลี่ยนแปลง):</translation>
        </message>
        <message>
            <source>Policy source: {sources}</source>
            <translation>ที่มาของนโยบาย: {sources}</translation>
        </message>
        <message>
            <source>source: {source}</source>
            <translation>แหล่งที่มา: {source}</translation>
        </message>
        <message>
            <source>(no settings are locked)</source>
            <translation>(ไม่มีการตั้งค่าที่ถูกล็อก)</translation>
        </message>
        <message>
            <source>{file}: the policy is valid.</source>
            <translation>{file}: นโยบายถูกต้อง</translation>
        </message>
        <message>
            <source>{file}: {count} problem(s) found:</source>
            <translation>{file}: พบปัญหา {count} ข้อ:</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>GovMail Desktop: e-mail for Thai government officials.</source>
            <translation>GovMail Desktop: อีเมลสำหรับเจ้าหน้าที่ภาครัฐไทย</translation>
        </message>
        <message>
            <source>Show the version number and exit.</source>
            <translation>แสดงหมายเลขรุ่นของโปรแกรมแล้วออก</translation>
        </message>
        <message>
            <source>Language of the user interface for this run (th or en).</source>
            <translation>ภาษาของหน้าจอโปรแกรมสำหรับการเปิดครั้งนี้ (th หรือ en)</translation>
        </message>
        <message>
            <source>Write detailed logs, also to the terminal.</source>
            <translation>บันทึกล็อกแบบละเอียด และแสดงในเทอร์มินัลด้วย</translation>
        </message>
        <message>
            <source>Start, show the main window, report the font and icons found, and exit (0: all found; for installers and their tests).</source>
            <translation>เริ่มโปรแกรม แสดงหน้าต่างหลัก รายงานแบบอักษรและไอคอนที่พบ แล้วออก (รหัส 0: พบครบ สำหรับโปรแกรมติดตั้งและการทดสอบ)</translation>
        </message>
        <message>
            <source>Open a new message (in the program if it is already running).</source>
            <translation>เปิดหน้าต่างเขียนจดหมายใหม่ (ในโปรแกรมที่เปิดอยู่แล้ว ถ้ามี)</translation>
        </message>
        <message>
            <source>FILE</source>
            <translation>ไฟล์</translation>
        </message>
        <message>
            <source>Attach this file to the new message; give it once for each file.</source>
            <translation>แนบไฟล์นี้ไปกับจดหมายใหม่ ระบุหนึ่งครั้งต่อหนึ่งไฟล์</translation>
        </message>
        <message>
            <source>An e-mail link (mailto:) to write a message from, as a web page gives it.</source>
            <translation>ลิงก์อีเมล (mailto:) ที่จะใช้เขียนจดหมาย เช่น ลิงก์จากหน้าเว็บ</translation>
        </message>
        <message>
            <source>Some settings could not be read and were reset to their defaults. Details are in the log file.</source>
            <translation>อ่านการตั้งค่าบางรายการไม่ได้ จึงคืนค่าเป็นค่าเริ่มต้นแล้ว ดูรายละเอียดได้ในไฟล์บันทึกการทำงาน (log)</translation>
        </message>
        <message>
            <source>GovMail Desktop is already running, but this start could not pass the request to it safely. Please switch to its window.</source>
            <translation>GovMail Desktop เปิดอยู่แล้ว แต่การเปิดครั้งนี้ส่งคำขอไปยังโปรแกรมที่เปิดอยู่อย่างปลอดภัยไม่ได้ กรุณาสลับไปที่หน้าต่างของโปรแกรม</translation>
        </message>
        <message>
            <source>GovMail Desktop is already running but does not answer. Please switch to its window, or close it and try again.</source>
            <translation>GovMail Desktop เปิดอยู่แล้วแต่ไม่ตอบสนอง กรุณาสลับไปที่หน้าต่างของโปรแกรม หรือปิดโปรแกรมแล้วลองใหม่</translation>
        </message>
        <message>
            <source>GovMail Desktop is already running but did not accept the request (it may be another version). Please close it and try again.</source>
            <translation>GovMail Desktop เปิดอยู่แล้วแต่ไม่รับคำขอ (อาจเป็นรุ่นอื่น) กรุณาปิดโปรแกรมแล้วลองใหม่</translation>
        </message>
        <message>
            <source>Set up an account first to write a message.</source>
            <translation>กรุณาตั้งค่าบัญชีก่อนเขียนจดหมาย</translation>
        </message>
        <message>
            <source>Preparing the saved mail of {account} for this version of the app; it appears when ready…</source>
            <translation>กำลังเตรียมจดหมายที่บันทึกไว้ของ {account} สำหรับแอปรุ่นนี้ จะแสดงเมื่อพร้อม…</translation>
        </message>
        <message>
            <source>The saved mail of {account} is ready.</source>
            <translation>จดหมายที่บันทึกไว้ของ {account} พร้อมแล้ว</translation>
        </message>
    </context>
    <context>
        <name>ArgParse</name>
        <message>
            <source>usage: </source>
            <extracomment>Context of argparse's own texts in the catalog.</extracomment>
            <translation>รูปแบบคำสั่ง: </translation>
        </message>
        <message>
            <source>positional arguments</source>
            <translation>ค่าที่ระบุตามลำดับ</translation>
        </message>
        <message>
            <source>options</source>
            <translation>ตัวเลือก</translation>
        </message>
        <message>
            <source>show this help message and exit</source>
            <translation>แสดงวิธีใช้นี้แล้วออก</translation>
        </message>
        <message>
            <source>%(prog)s: error: %(message)s
</source>
            <translation>%(prog)s: ข้อผิดพลาด: %(message)s
</translation>
        </message>
        <message>
            <source>argument %(argument_name)s: %(message)s</source>
            <translation>ตัวเลือก %(argument_name)s: %(message)s</translation>
        </message>
        <message>
            <source>unrecognized arguments: %s</source>
            <translation>ไม่รู้จักตัวเลือกหรือค่าต่อไปนี้: %s</translation>
        </message>
        <message>
            <source>ambiguous option: %(option)s could match %(matches)s</source>
            <translation>ตัวเลือก %(option)s กำกวม อาจหมายถึง %(matches)s</translation>
        </message>
        <message>
            <source>invalid choice: %(value)r (choose from %(choices)s)</source>
            <translation>ค่า %(value)r ใช้ไม่ได้ (เลือกจาก %(choices)s)</translation>
        </message>
        <message>
            <source>can't open '%(filename)s': %(error)s</source>
            <translation>เปิดไฟล์ '%(filename)s' ไม่ได้: %(error)s</translation>
        </message>
        <message>
            <source>expected one argument</source>
            <translation>ต้องระบุค่าหนึ่งค่า</translation>
        </message>
        <message>
            <source>expected at most one argument</source>
            <translation>ระบุค่าได้ไม่เกินหนึ่งค่า</translation>
        </message>
        <message>
            <source>expected at least one argument</source>
            <translation>ต้องระบุค่าอย่างน้อยหนึ่งค่า</translation>
        </message>
        <message>
            <source>expected %s argument</source>
            <translation>ต้องระบุค่า %s ค่า</translation>
        </message>
        <message>
            <source>expected %s arguments</source>
            <translation>ต้องระบุค่า %s ค่า</translation>
        </message>
        <message>
            <source>invalid %(type)s value: %(value)r</source>
            <translation>ค่า %(value)r ไม่ใช่ค่าแบบ %(type)s ที่ถูกต้อง</translation>
        </message>
        <message>
            <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
            <translation>ไม่รู้จักคำสั่ง %(parser_name)r (เลือกจาก: %(choices)s)</translation>
        </message>
        <message>
            <source>the following arguments are required: %s</source>
            <translation>ต้องระบุค่าต่อไปนี้: %s</translation>
        </message>
        <message>
            <source>one of the arguments %s is required</source>
            <translation>ต้องระบุตัวเลือกใดตัวเลือกหนึ่งใน %s</translation>
        </message>
        <message>
            <source>not allowed with argument %s</source>
            <translation>ใช้ร่วมกับ %s ไม่ได้</translation>
        </message>
        <message>
            <source>ignored explicit argument %r</source>
            <translation>ตัวเลือกนี้ไม่รับค่า %r</translation>
        </message>
        <message>
            <source>unexpected option string: %s</source>
            <translation>ไม่คาดว่าจะมีตัวเลือก %s</translation>
        </message>
        <message>
            <source>argument "-" with mode %r</source>
            <translation>ใช้ "-" กับโหมด %r ไม่ได้</translation>
        </message>
        <message>
            <source>show program's version number and exit</source>
            <translation>แสดงหมายเลขรุ่นของโปรแกรมแล้วออก</translation>
        </message>
    </context>
    <context>
        <name>AttachmentList</name>
        <message>
            <source>Remove</source>
            <translation>นำออก</translation>
        </message>
        <message>
            <source>Remove the selected attachment (Delete)</source>
            <translation>นำไฟล์แนบที่เลือกออก (Delete)</translation>
        </message>
        <message>
            <source>Attachments: {total}</source>
            <translation>ไฟล์แนบ: {total}</translation>
        </message>
        <message>
            <source>Attachments: {total} of at most {limit}</source>
            <translation>ไฟล์แนบ: {total} จากที่ส่งได้ไม่เกิน {limit}</translation>
        </message>
        <message>
            <source>too large to send; remove some files</source>
            <translation>ใหญ่เกินกว่าจะส่งได้ กรุณานำไฟล์บางไฟล์ออก</translation>
        </message>
    </context>
    <context>
        <name>AttachmentPanel</name>
        <message>
            <source>Open</source>
            <extracomment>Text colour of a risky attachment's row (the preview's warning colour). Rows shown before the list scrolls. Characters of an attached message's subject shown in the list. A job still running after this long shows the busy bar (a quick local save shows nothing). A row's item data: its index in the attachments shown. (folder id, uid) of the message shown (None, None: one not in a folder) → where its parts come from; None: not available. Set by :func:`attach_attachment_panels`. Show an attached message: (raw bytes, title). Hand a file to the system (QDesktopServices.openUrl; tests replace it). The dialog open now (tests answer it). False once the widget is gone (its window closed): a job ending later is not shown.</extracomment>
            <translation>เปิด</translation>
        </message>
        <message>
            <source>Open the attachment with the program for its type (Enter)</source>
            <translation>เปิดไฟล์แนบด้วยโปรแกรมสำหรับไฟล์ชนิดนี้ (Enter)</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>บันทึก…</translation>
        </message>
        <message>
            <source>Save All…</source>
            <translation>บันทึกทั้งหมด…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>ยกเลิก</translation>
        </message>
        <message>
            <source>Attachments</source>
            <translation>ไฟล์แนบ</translation>
        </message>
        <message>
            <source>Attachments: {files}</source>
            <translation>ไฟล์แนบ: {files}</translation>
        </message>
        <message>
            <source>Attachments ({count})</source>
            <translation>ไฟล์แนบ ({count})</translation>
        </message>
        <message>
            <source>(unnamed)</source>
            <translation>(ไม่มีชื่อ)</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
        <message>
            <source>message “{subject}” ({name}, {size})</source>
            <translation>จดหมาย “{subject}” ({name}, {size})</translation>
        </message>
        <message>
            <source>message “{subject}” ({size})</source>
            <translation>จดหมาย “{subject}” ({size})</translation>
        </message>
        <message>
            <source>Type: {type}</source>
            <translation>ชนิด: {type}</translation>
        </message>
        <message>
            <source>Size: {size}</source>
            <translation>ขนาด: {size}</translation>
        </message>
        <message>
            <source>Subject: {subject}</source>
            <translation>เรื่อง: {subject}</translation>
        </message>
        <message>
            <source>Not downloaded yet: it is fetched from the server when you open or save it.</source>
            <translation>ยังไม่ได้ดาวน์โหลด จะดึงจากเซิร์ฟเวอร์เมื่อเปิดหรือบันทึก</translation>
        </message>
        <message>
            <source>Your agency's policy does not allow opening this file here; it can be saved.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตให้เปิดไฟล์นี้จากโปรแกรมนี้ แต่บันทึกได้</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>ยกเลิกแล้ว</translation>
        </message>
        <message>
            <source>Downloading {done} of {total}</source>
            <translation>กำลังดาวน์โหลด {done} จาก {total}</translation>
        </message>
        <message>
            <source>The attachments of this message are not available on this computer.</source>
            <translation>ไม่มีไฟล์แนบของจดหมายนี้ในเครื่องนี้</translation>
        </message>
        <message>
            <source>Opening “{name}”…</source>
            <translation>กำลังเปิด “{name}”…</translation>
        </message>
        <message>
            <source>Opened a read-only copy of “{name}”.</source>
            <translation>เปิดสำเนาแบบอ่านอย่างเดียวของ “{name}” แล้ว</translation>
        </message>
        <message>
            <source>No program on this computer opens “{name}”. You can save it instead.</source>
            <translation>ไม่มีโปรแกรมในเครื่องนี้ที่เปิด “{name}” ได้ บันทึกไฟล์ไว้แทนได้</translation>
        </message>
        <message>
            <source>Opening not allowed</source>
            <translation>ไม่อนุญาตให้เปิด</translation>
        </message>
        <message>
            <source>Open a risky file?</source>
            <translation>เปิดไฟล์ที่อาจเป็นอันตรายหรือไม่</translation>
        </message>
        <message>
            <source>Do you still want to open “{name}”?</source>
            <translation>ยังต้องการเปิด “{name}” หรือไม่</translation>
        </message>
        <message>
            <source>Open Anyway</source>
            <translation>เปิดต่อไป</translation>
        </message>
        <message>
            <source>The attached message could not be shown. You can save it instead.</source>
            <translation>แสดงจดหมายที่แนบมาไม่ได้ บันทึกไว้แทนได้</translation>
        </message>
        <message>
            <source>Save Attachment</source>
            <translation>บันทึกไฟล์แนบ</translation>
        </message>
        <message>
            <source>Saving “{name}”…</source>
            <translation>กำลังบันทึก “{name}”…</translation>
        </message>
        <message>
            <source>Saved as “{path}”.</source>
            <translation>บันทึกเป็น “{path}” แล้ว</translation>
        </message>
        <message>
            <source>Save All Attachments to Folder</source>
            <translation>บันทึกไฟล์แนบทั้งหมดลงโฟลเดอร์</translation>
        </message>
        <message>
            <source>Saving {count} attachments…</source>
            <translation>กำลังบันทึกไฟล์แนบ {count} ไฟล์…</translation>
        </message>
        <message>
            <source>Saved {count} files to “{folder}”.</source>
            <translation>บันทึก {count} ไฟล์ลงใน “{folder}” แล้ว</translation>
        </message>
        <message>
            <source>“{sent}” was saved as “{saved}”.</source>
            <translation>“{sent}” บันทึกเป็น “{saved}”</translation>
        </message>
    </context>
    <context>
        <name>Attachments</name>
        <message>
            <source>attachment</source>
            <extracomment>The whole cached message is stored under this part name (services.mailbox_types.BODY_PART). Folder name of the opened copies under the cache directory. The policy value that forbids opening blocked types from the app.</extracomment>
            <translation>ไฟล์แนบ</translation>
        </message>
        <message>
            <source>message</source>
            <translation>จดหมาย</translation>
        </message>
        <message>
            <source>Opening it may run a program that can damage this computer or spread to the agency's network. Open it only if you know the sender sent it and you expected it.</source>
            <translation>การเปิดไฟล์นี้อาจเรียกใช้โปรแกรมที่ทำความเสียหายแก่เครื่องนี้หรือแพร่ไปยังเครือข่ายของหน่วยงานได้ เปิดเฉพาะเมื่อแน่ใจว่าผู้ส่งส่งมาจริงและคุณรอไฟล์นี้อยู่</translation>
        </message>
        <message>
            <source>The attachment “{name}” is not on this computer.</source>
            <translation>ไม่มีไฟล์แนบ “{name}” ในเครื่องนี้</translation>
        </message>
        <message>
            <source>Connect to the mail server and try again once the message has been downloaded.</source>
            <translation>กรุณาเชื่อมต่อเซิร์ฟเวอร์อีเมล แล้วลองอีกครั้งเมื่อดาวน์โหลดจดหมายแล้ว</translation>
        </message>
        <message>
            <source>Your agency's policy does not allow opening “{name}” from the mail program.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตให้เปิด “{name}” จากโปรแกรมอีเมล</translation>
        </message>
        <message>
            <source>You can still save it; ask your IT staff to check it before you open it.</source>
            <translation>ยังบันทึกไฟล์ได้ กรุณาให้เจ้าหน้าที่ไอทีตรวจสอบก่อนเปิด</translation>
        </message>
        <message>
            <source>“{name}” is opened only after you confirm it.</source>
            <translation>จะเปิด “{name}” ได้เมื่อคุณยืนยันแล้วเท่านั้น</translation>
        </message>
    </context>
    <context>
        <name>BodyDownload</name>
        <message>
            <source>Little disk space is left, so no more messages are downloaded for search.</source>
            <extracomment>Messages per batch (one operation of the connection worker). The download stops when less than this would be left free on the cache's disk. Folders never downloaded: unwanted and deleted mail, and virtual folders of copies. Cache parts that hold a message's text already (BODY_PART of services/mailbox.py is "").</extracomment>
            <translation>พื้นที่ว่างในดิสก์เหลือน้อย จึงหยุดดาวน์โหลดจดหมายไว้สำหรับค้นหา</translation>
        </message>
        <message>
            <source>Please free some disk space; the download goes on at the next start.</source>
            <translation>กรุณาเพิ่มพื้นที่ว่างในดิสก์ การดาวน์โหลดจะทำต่อเมื่อเปิดโปรแกรมครั้งต่อไป</translation>
        </message>
        <message>
            <source>Downloading messages for search</source>
            <extracomment>Pause between two batches (milliseconds). Wait after new mail or a reconnect before looking for work (the sync usually goes on). States (``state``), for the tests and the log. STOPPED: the user cancelled (again after new mail); FULL: the disk is (nearly) full (again only when the setting changes or at the next start). (folder id, uid) whose structure could not be used; folders the server refused.</extracomment>
            <translation>กำลังดาวน์โหลดจดหมายไว้สำหรับค้นหา</translation>
        </message>
    </context>
    <context>
        <name>CheckPage</name>
        <message>
            <source>Checking the connection</source>
            <translation>ตรวจสอบการเชื่อมต่อ</translation>
        </message>
        <message>
            <source>Signing in to your mail servers through the agency's policy.</source>
            <translation>กำลังเข้าสู่ระบบเซิร์ฟเวอร์อีเมลของท่านตามนโยบายของหน่วยงาน</translation>
        </message>
        <message>
            <source>Cancel the check</source>
            <translation>ยกเลิกการตรวจสอบ</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>ลองใหม่อีกครั้ง</translation>
        </message>
        <message>
            <source>Change the details</source>
            <translation>แก้ไขข้อมูล</translation>
        </message>
        <message>
            <source>Ask for the password each session</source>
            <translation>ถามรหัสผ่านทุกครั้งที่เปิดโปรแกรม</translation>
        </message>
        <message>
            <source>Account set up</source>
            <translation>ตั้งค่าบัญชีเรียบร้อยแล้ว</translation>
        </message>
        <message>
            <source>Not allowed by the agency's policy</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาต</translation>
        </message>
        <message>
            <source>The agency's mail policy does not allow this account or its servers.</source>
            <translation>นโยบายอีเมลของหน่วยงานไม่อนุญาตบัญชีนี้หรือเซิร์ฟเวอร์ของบัญชีนี้</translation>
        </message>
        <message>
            <source>The connection check failed</source>
            <translation>ตรวจสอบการเชื่อมต่อไม่สำเร็จ</translation>
        </message>
        <message>
            <source>You can try again, or change the details.</source>
            <translation>ท่านสามารถลองใหม่อีกครั้ง หรือแก้ไขข้อมูลได้</translation>
        </message>
        <message>
            <source>The check was cancelled</source>
            <translation>ยกเลิกการตรวจสอบแล้ว</translation>
        </message>
        <message>
            <source>The password cannot be saved</source>
            <translation>ไม่สามารถบันทึกรหัสผ่านได้</translation>
        </message>
        <message>
            <source>The connection works, but this computer has no usable password store.</source>
            <translation>เชื่อมต่อได้แล้ว แต่เครื่องนี้ไม่มีที่เก็บรหัสผ่านที่ใช้งานได้</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>กำลังเริ่ม…</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>กำลังยกเลิก…</translation>
        </message>
        <message>
            <source>Trying again will not help. If {host} is your agency's mail server, your IT staff must add it to the servers the policy allows (servers.allow).</source>
            <translation>ลองใหม่อีกครั้งก็จะไม่สำเร็จ หาก {host} เป็นเซิร์ฟเวอร์อีเมลของหน่วยงาน เจ้าหน้าที่ไอทีต้องเพิ่มเซิร์ฟเวอร์นี้ในรายการเซิร์ฟเวอร์ที่นโยบายอนุญาต (servers.allow)</translation>
        </message>
        <message>
            <source>Trying again will not help: the policy blocks this mail service for official mail (servers.deny). Please set up your agency's e-mail account instead.</source>
            <translation>ลองใหม่อีกครั้งก็จะไม่สำเร็จ เพราะนโยบายห้ามใช้บริการอีเมลนี้กับอีเมลราชการ (servers.deny) กรุณาตั้งค่าบัญชีอีเมลของหน่วยงานแทน</translation>
        </message>
        <message>
            <source>Trying again will not help. If {host} is your agency's mail server, your IT staff must add its address range to the policy (addresses.allow_cidrs).</source>
            <translation>ลองใหม่อีกครั้งก็จะไม่สำเร็จ หาก {host} เป็นเซิร์ฟเวอร์อีเมลของหน่วยงาน เจ้าหน้าที่ไอทีต้องเพิ่มช่วงที่อยู่ไอพีของเซิร์ฟเวอร์นี้ในนโยบาย (addresses.allow_cidrs)</translation>
        </message>
        <message>
            <source>Trying again will not help. If {domain} is your agency's mail domain, your IT staff must add it to the domains the policy allows for accounts (accounts.allowed_domains).</source>
            <translation>ลองใหม่อีกครั้งก็จะไม่สำเร็จ หาก {domain} เป็นโดเมนอีเมลของหน่วยงาน เจ้าหน้าที่ไอทีต้องเพิ่มโดเมนนี้ในรายการโดเมนที่นโยบายอนุญาตให้ใช้เป็นบัญชี (accounts.allowed_domains)</translation>
        </message>
        <message>
            <source>Trying again will not help: please correct the server name (Change the details).</source>
            <translation>ลองใหม่อีกครั้งก็จะไม่สำเร็จ กรุณาแก้ไขชื่อเซิร์ฟเวอร์ (แก้ไขข้อมูล)</translation>
        </message>
        <message>
            <source>Trying again will not help: your IT staff must first correct the policy file (govmail-admin policy validate shows what is wrong).</source>
            <translation>ลองใหม่อีกครั้งก็จะไม่สำเร็จ เจ้าหน้าที่ไอทีต้องแก้ไขไฟล์นโยบายก่อน (คำสั่ง govmail-admin policy validate แสดงสิ่งที่ผิด)</translation>
        </message>
        <message>
            <source>Trying again will not help: the agency's mail policy refused this. Please contact your IT staff.</source>
            <translation>ลองใหม่อีกครั้งก็จะไม่สำเร็จ เพราะนโยบายอีเมลของหน่วยงานไม่อนุญาต กรุณาติดต่อเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The check was cancelled.</source>
            <translation>ยกเลิกการตรวจสอบแล้ว</translation>
        </message>
        <message>
            <source>{host}, port {port}, encrypted ({security})</source>
            <translation>{host} พอร์ต {port} เข้ารหัสแบบ {security}</translation>
        </message>
        <message>
            <source>Your account is ready.</source>
            <translation>บัญชีของท่านพร้อมใช้งานแล้ว</translation>
        </message>
        <message>
            <source>Incoming mail (IMAP): {server}</source>
            <translation>จดหมายเข้า (IMAP): {server}</translation>
        </message>
        <message>
            <source>Outgoing mail (SMTP): {server}</source>
            <translation>จดหมายออก (SMTP): {server}</translation>
        </message>
        <message>
            <source>You will be asked for the password each time you start GovMail Desktop.</source>
            <translation>โปรแกรมจะถามรหัสผ่านทุกครั้งที่เปิด GovMail Desktop</translation>
        </message>
        <message>
            <source>The password is saved in the system password store (keyring).</source>
            <translation>บันทึกรหัสผ่านไว้ในที่เก็บรหัสผ่านของระบบ (keyring) แล้ว</translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <source>The warnings changed after you confirmed them; please check the message again.</source>
            <extracomment>Autosave interval when the settings say nothing else (seconds). The mailbox as typed ("สมชาย &lt;a@x.go.th&gt;"), and its bare address. Why (the policy's words), in the current language; "" when OK. A ``saraban@`` address: official documents (หนังสือราชการ) go there. The pre-send check over a draft (``check_before_send`` with the policy's rules bound).</extracomment>
            <translation>คำเตือนเปลี่ยนไปหลังจากที่คุณยืนยัน กรุณาตรวจสอบจดหมายอีกครั้ง</translation>
        </message>
        <message>
            <source>Messages cannot be sent from this account now. The message is kept in Drafts.</source>
            <translation>ขณะนี้ส่งจดหมายจากบัญชีนี้ไม่ได้ จดหมายถูกเก็บไว้ในร่างจดหมายแล้ว</translation>
        </message>
        <message>
            <source>Files are still being attached. Please send again in a moment.</source>
            <translation>กำลังแนบไฟล์อยู่ กรุณากดส่งอีกครั้งในอีกสักครู่</translation>
        </message>
        <message>
            <source>The message has not been downloaded yet. It is being fetched; please try again in a moment.</source>
            <translation>จดหมายนี้ยังไม่ได้ดาวน์โหลด กำลังดาวน์โหลดอยู่ กรุณาลองอีกครั้งในอีกสักครู่</translation>
        </message>
        <message>
            <source>The message is no longer in this folder.</source>
            <translation>จดหมายนี้ไม่อยู่ในโฟลเดอร์นี้แล้ว</translation>
        </message>
    </context>
    <context>
        <name>ComposerWindow</name>
        <message>
            <source>Send</source>
            <extracomment>The body is handed to the session once typing rests this long (ms); before saving, sending or closing it is handed over at once. Pictures a rich body shows when dropped into it (others, and bigger ones, are attached).</extracomment>
            <translation>ส่ง</translation>
        </message>
        <message>
            <source>Send the message (Ctrl+Enter)</source>
            <translation>ส่งจดหมาย (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Save Draft</source>
            <translation>บันทึกร่าง</translation>
        </message>
        <message>
            <source>Save the message in Drafts (Ctrl+S)</source>
            <translation>บันทึกจดหมายไว้ในร่างจดหมาย (Ctrl+S)</translation>
        </message>
        <message>
            <source>Attach File…</source>
            <translation>แนบไฟล์…</translation>
        </message>
        <message>
            <source>Attach files (Ctrl+Shift+A); you can also drop or paste them</source>
            <translation>แนบไฟล์ (Ctrl+Shift+A) หรือลากไฟล์มาวาง หรือวางจากคลิปบอร์ดก็ได้</translation>
        </message>
        <message>
            <source>Formatting</source>
            <translation>จัดรูปแบบ</translation>
        </message>
        <message>
            <source>Write with formatting (bold, lists, links); off: plain text</source>
            <translation>เขียนแบบจัดรูปแบบ (ตัวหนา รายการ ลิงก์) ถ้าปิดจะเป็นข้อความธรรมดา</translation>
        </message>
        <message>
            <source>Signature</source>
            <translation>ลายเซ็น</translation>
        </message>
        <message>
            <source>Insert one of your signatures</source>
            <translation>แทรกลายเซ็นของคุณ</translation>
        </message>
        <message>
            <source>Composer Toolbar</source>
            <translation>แถบเครื่องมือเขียนจดหมาย</translation>
        </message>
        <message>
            <source>&amp;From:</source>
            <translation>&amp;จาก:</translation>
        </message>
        <message>
            <source>&amp;To:</source>
            <translation>&amp;ถึง:</translation>
        </message>
        <message>
            <source>&amp;Cc:</source>
            <translation>สำเนา&amp;ถึง:</translation>
        </message>
        <message>
            <source>&amp;Bcc:</source>
            <translation>สำเนา&amp;ลับถึง:</translation>
        </message>
        <message>
            <source>S&amp;ubject:</source>
            <translation>เ&amp;รื่อง:</translation>
        </message>
        <message>
            <source>U&amp;rgency:</source>
            <translation>ชั้นความเ&amp;ร็ว:</translation>
        </message>
        <message>
            <source>Secre&amp;cy:</source>
            <translation>ชั้นความ&amp;ลับ:</translation>
        </message>
        <message>
            <source>Hidden from the other recipients</source>
            <translation>ผู้รับคนอื่นจะไม่เห็นที่อยู่เหล่านี้</translation>
        </message>
        <message>
            <source>Addresses separated by commas</source>
            <translation>ที่อยู่อีเมล คั่นด้วยจุลภาค (,)</translation>
        </message>
        <message>
            <source>Normal</source>
            <translation>ปกติ</translation>
        </message>
        <message>
            <source>Not classified</source>
            <translation>ไม่มีชั้นความลับ</translation>
        </message>
        <message>
            <source>Urgency class of official mail (ชั้นความเร็ว)</source>
            <translation>ชั้นความเร็วของหนังสือราชการ</translation>
        </message>
        <message>
            <source>Secrecy class of official mail (ชั้นความลับ)</source>
            <translation>ชั้นความลับของหนังสือราชการ</translation>
        </message>
        <message>
            <source>Write Message</source>
            <translation>เขียนจดหมาย</translation>
        </message>
        <message>
            <source>Recipients will see the subject: {subject}</source>
            <translation>ผู้รับจะเห็นเรื่องเป็น: {subject}</translation>
        </message>
        <message>
            <source>No signatures yet (Edit → Signatures…)</source>
            <translation>ยังไม่มีลายเซ็น (แก้ไข → ลายเซ็น…)</translation>
        </message>
        <message>
            <source>Attach Files</source>
            <translation>แนบไฟล์</translation>
        </message>
        <message>
            <source>picture.png</source>
            <translation>รูปภาพ.png</translation>
        </message>
        <message>
            <source>Draft saved at {time}</source>
            <translation>บันทึกร่างแล้วเมื่อ {time} น.</translation>
        </message>
        <message>
            <source>Close the Message</source>
            <translation>ปิดจดหมาย</translation>
        </message>
        <message>
            <source>Keep this message in Drafts to finish it later?</source>
            <translation>ต้องการเก็บจดหมายนี้ไว้ในร่างจดหมายเพื่อเขียนต่อภายหลังหรือไม่</translation>
        </message>
        <message>
            <source>Keep in Drafts</source>
            <translation>เก็บไว้ในร่างจดหมาย</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>ทิ้ง</translation>
        </message>
        <message>
            <source>Go On Writing</source>
            <translation>เขียนต่อ</translation>
        </message>
    </context>
    <context>
        <name>ContactEditDialog</name>
        <message>
            <source>New Contact</source>
            <extracomment>How many skipped entries the import report lists by name (the rest are counted).</extracomment>
            <translation>ผู้ติดต่อใหม่</translation>
        </message>
        <message>
            <source>Edit Contact</source>
            <translation>แก้ไขผู้ติดต่อ</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>ชื่อ(&amp;N):</translation>
        </message>
        <message>
            <source>&amp;E-mail:</source>
            <translation>อีเมล(&amp;E):</translation>
        </message>
        <message>
            <source>&amp;Other e-mail addresses:</source>
            <translation>อีเมลอื่น(&amp;O):</translation>
        </message>
        <message>
            <source>O&amp;rganisation:</source>
            <translation>หน่วยงาน(&amp;R):</translation>
        </message>
        <message>
            <source>&amp;Position:</source>
            <translation>ตำแหน่ง(&amp;P):</translation>
        </message>
        <message>
            <source>P&amp;hone:</source>
            <translation>โทรศัพท์(&amp;H):</translation>
        </message>
        <message>
            <source>Separate several addresses with commas</source>
            <translation>คั่นที่อยู่อีเมลหลายรายการด้วยเครื่องหมายจุลภาค (,)</translation>
        </message>
    </context>
    <context>
        <name>Contacts</name>
        <message>
            <source>The file could not be read as contacts.</source>
            <extracomment>Bigger files are refused before reading (a directory export of 100,000 people is ~30 MB).</extracomment>
            <translation>ไม่สามารถอ่านไฟล์นี้เป็นรายชื่อผู้ติดต่อได้</translation>
        </message>
        <message>
            <source>The file is too large to import ({size} MB; at most {limit} MB).</source>
            <translation>ไฟล์มีขนาดใหญ่เกินกว่าจะนำเข้าได้ ({size} MB สูงสุด {limit} MB)</translation>
        </message>
        <message>
            <source>The file is not a text file; please choose a vCard (.vcf) or CSV file.</source>
            <translation>ไฟล์นี้ไม่ใช่ไฟล์ข้อความ กรุณาเลือกไฟล์ vCard (.vcf) หรือไฟล์ CSV</translation>
        </message>
        <message>
            <source>The file is empty.</source>
            <translation>ไฟล์ว่างเปล่า</translation>
        </message>
        <message>
            <source>The file {path} could not be opened.</source>
            <translation>ไม่สามารถเปิดไฟล์ {path} ได้</translation>
        </message>
        <message>
            <source>The file {path} could not be written.</source>
            <translation>ไม่สามารถบันทึกไฟล์ {path} ได้</translation>
        </message>
        <message>
            <source>The CSV file is damaged and could not be read.</source>
            <translation>ไฟล์ CSV เสียหาย ไม่สามารถอ่านได้</translation>
        </message>
        <message>
            <source>No vCard was found in the file (it has no BEGIN:VCARD line).</source>
            <translation>ไม่พบข้อมูล vCard ในไฟล์ (ไม่มีบรรทัด BEGIN:VCARD)</translation>
        </message>
        <message>
            <source>No e-mail address column was found in the CSV file. Columns found: {columns}</source>
            <translation>ไม่พบคอลัมน์ที่อยู่อีเมลในไฟล์ CSV คอลัมน์ที่พบ: {columns}</translation>
        </message>
        <message>
            <source>no e-mail address</source>
            <translation>ไม่มีที่อยู่อีเมล</translation>
        </message>
        <message>
            <source>invalid e-mail address "{address}"</source>
            <translation>ที่อยู่อีเมล "{address}" ไม่ถูกต้อง</translation>
        </message>
        <message>
            <source>the card has no END:VCARD line; it was read up to where it stops</source>
            <translation>รายการนี้ไม่มีบรรทัด END:VCARD ได้อ่านข้อมูลเท่าที่มีแล้ว</translation>
        </message>
        <message>
            <source>already in your contacts ({name})</source>
            <translation>มีอยู่ในรายชื่อผู้ติดต่อแล้ว ({name})</translation>
        </message>
        <message>
            <source>card {number} (line {line})</source>
            <translation>รายการที่ {number} (บรรทัด {line})</translation>
        </message>
        <message>
            <source>row {number}</source>
            <translation>แถวที่ {number}</translation>
        </message>
        <message>
            <source>The file is not UTF-8; it was read as Thai Windows text (code page 874).</source>
            <translation>ไฟล์นี้ไม่ใช่ UTF-8 จึงอ่านเป็นข้อความภาษาไทยของ Windows (โค้ดเพจ 874)</translation>
        </message>
        <message>
            <source>Some characters could not be read and are shown as �; please check the names.</source>
            <translation>อ่านอักขระบางตัวไม่ได้และแสดงเป็น � กรุณาตรวจสอบชื่อ</translation>
        </message>
        <message>
            <source>The contact could not be saved.</source>
            <extracomment>Longest text kept in a contact field (a pasted essay is not a name).</extracomment>
            <translation>ไม่สามารถบันทึกผู้ติดต่อได้</translation>
        </message>
        <message>
            <source>Please enter an e-mail address for the contact.</source>
            <translation>กรุณากรอกที่อยู่อีเมลของผู้ติดต่อ</translation>
        </message>
        <message>
            <source>"{address}" is not a valid e-mail address (for example name@agency.go.th).</source>
            <translation>"{address}" ไม่ใช่ที่อยู่อีเมลที่ถูกต้อง (ตัวอย่าง name@agency.go.th)</translation>
        </message>
        <message>
            <source>{address} is already in your contacts ({name}).</source>
            <translation>{address} มีอยู่ในรายชื่อผู้ติดต่อแล้ว ({name})</translation>
        </message>
        <message>
            <source>The contact no longer exists.</source>
            <translation>ไม่พบผู้ติดต่อนี้แล้ว</translation>
        </message>
    </context>
    <context>
        <name>ContactsDialog</name>
        <message>
            <source>Delete Contacts</source>
            <extracomment>The box or dialog open now (a question, a report, an editor, a file chooser).</extracomment>
            <translation>ลบผู้ติดต่อ</translation>
        </message>
        <message>
            <source>Delete the contact {name}?</source>
            <translation>ต้องการลบผู้ติดต่อ {name} หรือไม่</translation>
        </message>
        <message>
            <source>Delete {count} contacts?</source>
            <translation>ต้องการลบผู้ติดต่อ {count} รายการหรือไม่</translation>
        </message>
        <message>
            <source>Import Contacts</source>
            <translation>นำเข้ารายชื่อผู้ติดต่อ</translation>
        </message>
        <message>
            <source>Contacts (*.vcf *.vcard *.csv)</source>
            <translation>รายชื่อผู้ติดต่อ (*.vcf *.vcard *.csv)</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>ทุกไฟล์ (*)</translation>
        </message>
        <message>
            <source>Export Contacts</source>
            <translation>ส่งออกรายชื่อผู้ติดต่อ</translation>
        </message>
        <message>
            <source>vCard 3.0 (*.vcf)</source>
            <translation>ไฟล์ vCard 3.0 (*.vcf)</translation>
        </message>
        <message>
            <source>vCard 4.0 (*.vcf)</source>
            <translation>ไฟล์ vCard 4.0 (*.vcf)</translation>
        </message>
        <message>
            <source>CSV for Outlook, Thunderbird, Google and Excel (*.csv)</source>
            <translation>ไฟล์ CSV สำหรับ Outlook, Thunderbird, Google และ Excel (*.csv)</translation>
        </message>
        <message>
            <source>Imported {count} contacts.</source>
            <translation>นำเข้าผู้ติดต่อแล้ว {count} รายการ</translation>
        </message>
        <message>
            <source>{count} entries were not imported:</source>
            <translation>ไม่ได้นำเข้า {count} รายการ:</translation>
        </message>
        <message>
            <source>…and {count} more.</source>
            <translation>…และอีก {count} รายการ</translation>
        </message>
        <message>
            <source>Contacts</source>
            <translation>รายชื่อผู้ติดต่อ</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>ชื่อ</translation>
        </message>
        <message>
            <source>E-mail</source>
            <translation>อีเมล</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>หน่วยงาน</translation>
        </message>
        <message>
            <source>Position</source>
            <translation>ตำแหน่ง</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>โทรศัพท์</translation>
        </message>
        <message>
            <source>Search contacts</source>
            <translation>ค้นหาผู้ติดต่อ</translation>
        </message>
        <message>
            <source>&amp;Add…</source>
            <translation>เพิ่ม(&amp;A)…</translation>
        </message>
        <message>
            <source>&amp;Edit…</source>
            <translation>แก้ไข(&amp;E)…</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>ลบ(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Import…</source>
            <translation>นำเข้า(&amp;I)…</translation>
        </message>
        <message>
            <source>E&amp;xport…</source>
            <translation>ส่งออก(&amp;X)…</translation>
        </message>
        <message>
            <source>The contacts file was damaged and has been set aside; the list starts empty. Your IT staff can recover the old file from the data folder.</source>
            <translation>ไฟล์รายชื่อผู้ติดต่อเสียหาย จึงเก็บแยกไว้และเริ่มรายชื่อใหม่ที่ว่างเปล่า เจ้าหน้าที่ไอทีสามารถกู้ไฟล์เดิมได้จากโฟลเดอร์ข้อมูล</translation>
        </message>
    </context>
    <context>
        <name>Credentials</name>
        <message>
            <source>The password store (keyring) is locked.</source>
            <extracomment>The keyring "service" under which every account's password is filed. Backends that are the operating system's own encrypted password store.</extracomment>
            <translation>ที่เก็บรหัสผ่าน (keyring) ถูกล็อกอยู่</translation>
        </message>
        <message>
            <source>Please unlock it (for example, sign out of the desktop and sign in again), or enter your password each session instead; it will not be saved.</source>
            <translation>กรุณาปลดล็อก (เช่น ออกจากระบบเดสก์ท็อปแล้วเข้าสู่ระบบใหม่) หรือกรอกรหัสผ่านทุกครั้งที่เปิดโปรแกรมแทน โดยรหัสผ่านจะไม่ถูกบันทึก</translation>
        </message>
        <message>
            <source>The password store on this computer keeps passwords unprotected in a file, so GovMail Desktop will not use it.</source>
            <translation>ที่เก็บรหัสผ่านในเครื่องนี้เก็บรหัสผ่านไว้ในไฟล์โดยไม่มีการป้องกัน GovMail Desktop จึงไม่ใช้ที่เก็บนี้</translation>
        </message>
        <message>
            <source>You can enter your password each session instead; it will not be saved. IT staff can install a system password store (GNOME Keyring or KWallet).</source>
            <translation>ท่านสามารถกรอกรหัสผ่านทุกครั้งที่เปิดโปรแกรมแทนได้ โดยรหัสผ่านจะไม่ถูกบันทึก เจ้าหน้าที่ไอทีสามารถติดตั้งที่เก็บรหัสผ่านของระบบ (GNOME Keyring หรือ KWallet) ได้</translation>
        </message>
        <message>
            <source>You can enter your password each session instead; it will not be saved. IT staff can check that Windows Credential Manager may keep passwords on this computer (a Group Policy can forbid it).</source>
            <translation>ท่านสามารถกรอกรหัสผ่านทุกครั้งที่เปิดโปรแกรมแทนได้ โดยรหัสผ่านจะไม่ถูกบันทึก เจ้าหน้าที่ไอทีสามารถตรวจสอบว่า Windows Credential Manager ได้รับอนุญาตให้เก็บรหัสผ่านบนเครื่องนี้หรือไม่ (Group Policy อาจห้ามไว้)</translation>
        </message>
        <message>
            <source>The password could not be saved in the password store (keyring).</source>
            <translation>ไม่สามารถบันทึกรหัสผ่านลงในที่เก็บรหัสผ่าน (keyring) ได้</translation>
        </message>
        <message>
            <source>The password could not be read from the password store (keyring).</source>
            <translation>ไม่สามารถอ่านรหัสผ่านจากที่เก็บรหัสผ่าน (keyring) ได้</translation>
        </message>
        <message>
            <source>The password is too long for Windows Credential Manager ({size} bytes; it keeps at most {limit} bytes, about {chars} characters).</source>
            <translation>รหัสผ่านยาวเกินกว่าที่ Windows Credential Manager จะเก็บได้ ({size} ไบต์ เก็บได้ไม่เกิน {limit} ไบต์ หรือประมาณ {chars} ตัวอักษร)</translation>
        </message>
        <message>
            <source>Please use a shorter password, or enter it each session instead; it will not be saved.</source>
            <translation>โปรดใช้รหัสผ่านที่สั้นลง หรือกรอกรหัสผ่านทุกครั้งที่เปิดโปรแกรมแทน โดยรหัสผ่านจะไม่ถูกบันทึก</translation>
        </message>
    </context>
    <context>
        <name>DraftRecoveryDialog</name>
        <message>
            <source>Unsent drafts</source>
            <translation>ร่างจดหมายที่ยังไม่ได้ส่ง</translation>
        </message>
        <message>
            <source>GovMail was closed before these messages were sent. They were kept on this computer. Open them to continue writing?</source>
            <translation>โปรแกรม GovMail ถูกปิดก่อนที่จดหมายเหล่านี้จะถูกส่ง ร่างจดหมายจึงเก็บไว้ในเครื่องคอมพิวเตอร์นี้ ต้องการเปิดเพื่อเขียนต่อหรือไม่</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>เปิด</translation>
        </message>
        <message>
            <source>Later</source>
            <translation>ไว้ภายหลัง</translation>
        </message>
        <message>
            <source>Discard…</source>
            <translation>ทิ้ง…</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
        <message>
            <source>(no recipients)</source>
            <translation>(ไม่มีผู้รับ)</translation>
        </message>
        <message>
            <source>{subject} — to {to} — {when}</source>
            <translation>{subject} — ถึง {to} — {when}</translation>
        </message>
        <message>
            <source>Discard drafts</source>
            <translation>ทิ้งร่างจดหมาย</translation>
        </message>
        <message>
            <source>Discard {count} draft(s) for good? They cannot be brought back.</source>
            <translation>ต้องการทิ้งร่างจดหมาย {count} ฉบับอย่างถาวรหรือไม่ จะไม่สามารถนำกลับมาได้อีก</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>ทิ้ง</translation>
        </message>
        <message>
            <source>Keep</source>
            <translation>เก็บไว้</translation>
        </message>
    </context>
    <context>
        <name>Drafts</name>
        <message>
            <source>The draft could not be found on this computer.</source>
            <extracomment>A draft id is a directory name: letters, digits and '-' only (Draft.new makes uuid hex). What :meth:`DraftStore.add_attachment` names files: never a path, never draft.json. Copying a source file is done in pieces of this size (never the whole file in memory).</extracomment>
            <translation>ไม่พบร่างจดหมายนี้ในเครื่องคอมพิวเตอร์</translation>
        </message>
        <message>
            <source>It may have been sent or discarded already.</source>
            <translation>ร่างจดหมายนี้อาจถูกส่งหรือถูกทิ้งไปแล้ว</translation>
        </message>
        <message>
            <source>A saved draft could not be read. It was set aside in {path} and not deleted.</source>
            <translation>ไม่สามารถอ่านร่างจดหมายที่บันทึกไว้ได้ จึงย้ายไปเก็บไว้ที่ {path} โดยไม่ได้ลบทิ้ง</translation>
        </message>
        <message>
            <source>Please tell your IT staff if the draft is needed.</source>
            <translation>หากต้องการร่างจดหมายนี้ กรุณาแจ้งเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The file {name} could not be read, so it was not attached.</source>
            <translation>ไม่สามารถอ่านไฟล์ {name} ได้ จึงไม่ได้แนบไฟล์นี้</translation>
        </message>
        <message>
            <source>Please check that the file still exists and that you may open it.</source>
            <translation>กรุณาตรวจสอบว่าไฟล์ยังอยู่และคุณมีสิทธิ์เปิดไฟล์นั้น</translation>
        </message>
        <message>
            <source>The draft could not be saved in the server's Drafts folder.</source>
            <extracomment>A Drafts copy bigger than this is not fetched to be opened.</extracomment>
            <translation>ไม่สามารถบันทึกร่างจดหมายลงในโฟลเดอร์ร่างจดหมายบนเซิร์ฟเวอร์ได้</translation>
        </message>
        <message>
            <source>The draft is still kept on this computer.</source>
            <translation>ร่างจดหมายยังคงเก็บไว้ในเครื่องคอมพิวเตอร์นี้</translation>
        </message>
        <message>
            <source>This draft is no longer on the server.</source>
            <translation>ไม่พบร่างจดหมายนี้บนเซิร์ฟเวอร์แล้ว</translation>
        </message>
        <message>
            <source>It may have been sent or deleted by another mail program.</source>
            <translation>ร่างจดหมายนี้อาจถูกส่งหรือถูกลบโดยโปรแกรมอีเมลอื่นแล้ว</translation>
        </message>
        <message>
            <source>This draft is too big or too complex to be opened.</source>
            <translation>ร่างจดหมายนี้มีขนาดใหญ่หรือซับซ้อนเกินกว่าจะเปิดได้</translation>
        </message>
        <message>
            <source>The draft is kept on this computer; it cannot be saved on the server of this account now.</source>
            <extracomment>How often the composer hands its draft over while the user types (milliseconds).</extracomment>
            <translation>ร่างจดหมายเก็บไว้ในเครื่องคอมพิวเตอร์นี้แล้ว แต่ขณะนี้ไม่สามารถบันทึกลงเซิร์ฟเวอร์ของบัญชีนี้ได้</translation>
        </message>
        <message>
            <source>The account has no Drafts folder on the server.</source>
            <translation>บัญชีนี้ไม่มีโฟลเดอร์ร่างจดหมายบนเซิร์ฟเวอร์</translation>
        </message>
    </context>
    <context>
        <name>DraftsService</name>
        <message>
            <source>Saving a draft</source>
            <extracomment>The account's own address: From of a draft whose sender is not (yet) usable. {role: folder name} the user or the policy chose (core/folder_roles.py). The newest draft handed in, written or not (what a server save sends).</extracomment>
            <translation>กำลังบันทึกร่างจดหมาย</translation>
        </message>
        <message>
            <source>Removing a draft</source>
            <translation>กำลังลบร่างจดหมาย</translation>
        </message>
        <message>
            <source>Opening a draft</source>
            <translation>กำลังเปิดร่างจดหมาย</translation>
        </message>
    </context>
    <context>
        <name>Errors</name>
        <message>
            <source>Something went wrong.</source>
            <extracomment>Environment problems are the user's/admin's to fix; bugs are ours.</extracomment>
            <translation>เกิดข้อผิดพลาด</translation>
        </message>
        <message>
            <source>The agency's mail policy could not be used.</source>
            <translation>ไม่สามารถใช้นโยบายจดหมายของหน่วยงานได้</translation>
        </message>
        <message>
            <source>No connections will be made until the IT staff fix the policy. Please contact your IT staff.</source>
            <translation>โปรแกรมจะไม่เชื่อมต่อกับเซิร์ฟเวอร์ใดจนกว่าเจ้าหน้าที่ไอทีจะแก้ไขนโยบาย กรุณาติดต่อเจ้าหน้าที่ไอทีของหน่วยงาน</translation>
        </message>
        <message>
            <source>Refused by the agency's mail policy.</source>
            <translation>ถูกปฏิเสธตามนโยบายจดหมายของหน่วยงาน</translation>
        </message>
        <message>
            <source>Cannot connect to the server.</source>
            <translation>ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้</translation>
        </message>
        <message>
            <source>Please check the network connection and try again.</source>
            <translation>กรุณาตรวจสอบการเชื่อมต่อเครือข่ายแล้วลองใหม่อีกครั้ง</translation>
        </message>
        <message>
            <source>The secure connection to the server failed.</source>
            <translation>การเชื่อมต่อแบบปลอดภัยกับเซิร์ฟเวอร์ล้มเหลว</translation>
        </message>
        <message>
            <source>The server's certificate could not be verified. Please contact your IT staff.</source>
            <translation>ไม่สามารถตรวจสอบใบรับรองของเซิร์ฟเวอร์ได้ กรุณาติดต่อเจ้าหน้าที่ไอทีของหน่วยงาน</translation>
        </message>
        <message>
            <source>The e-mail address or password is incorrect.</source>
            <translation>ที่อยู่อีเมลหรือรหัสผ่านไม่ถูกต้อง</translation>
        </message>
        <message>
            <source>Please check your password and try again.</source>
            <translation>กรุณาตรวจสอบรหัสผ่านแล้วลองใหม่อีกครั้ง</translation>
        </message>
        <message>
            <source>The password of this account is needed to connect.</source>
            <translation>ต้องใส่รหัสผ่านของบัญชีนี้ก่อนจึงจะเชื่อมต่อได้</translation>
        </message>
        <message>
            <source>The server reported an error.</source>
            <translation>เซิร์ฟเวอร์แจ้งข้อผิดพลาด</translation>
        </message>
        <message>
            <source>Could not save data on this computer.</source>
            <translation>ไม่สามารถบันทึกข้อมูลลงในเครื่องคอมพิวเตอร์นี้ได้</translation>
        </message>
        <message>
            <source>Please check that the disk has free space and that you may write to it.</source>
            <translation>กรุณาตรวจสอบว่าดิสก์มีพื้นที่ว่าง และท่านมีสิทธิ์เขียนข้อมูลลงดิสก์</translation>
        </message>
        <message>
            <source>No usable password store (keyring) was found.</source>
            <translation>ไม่พบที่เก็บรหัสผ่าน (keyring) ที่ใช้งานได้</translation>
        </message>
        <message>
            <source>You can enter your password each session instead; it will not be saved.</source>
            <translation>ท่านสามารถกรอกรหัสผ่านทุกครั้งที่เปิดโปรแกรมแทนได้ โดยรหัสผ่านจะไม่ถูกบันทึก</translation>
        </message>
        <message>
            <source>The settings file could not be read.</source>
            <translation>ไม่สามารถอ่านไฟล์การตั้งค่าได้</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>ยกเลิกแล้ว</translation>
        </message>
        <message>
            <source>An unexpected error occurred.</source>
            <translation>เกิดข้อผิดพลาดที่ไม่คาดคิด</translation>
        </message>
        <message>
            <source>Details were written to the log file. Please report this to your IT staff.</source>
            <translation>รายละเอียดถูกบันทึกไว้ในไฟล์บันทึกการทำงาน (log) แล้ว กรุณาแจ้งเจ้าหน้าที่ไอทีของหน่วยงาน</translation>
        </message>
        <message>
            <source>The message cannot be sent: the field {field} contains characters that are not allowed.</source>
            <translation>ส่งจดหมายไม่ได้: ช่อง {field} มีอักขระที่ไม่อนุญาต</translation>
        </message>
        <message>
            <source>Please remove line breaks and control characters from it.</source>
            <translation>โปรดลบการขึ้นบรรทัดใหม่และอักขระควบคุมออกจากช่องนั้น</translation>
        </message>
        <message>
            <source>The address {address} can only be sent through a server that supports international addresses.</source>
            <translation>ส่งถึงที่อยู่ {address} ได้เฉพาะผ่านเซิร์ฟเวอร์ที่รองรับที่อยู่อีเมลแบบสากลเท่านั้น</translation>
        </message>
        <message>
            <source>This setting is locked by the agency's policy.</source>
            <extracomment>For text: the whole value must match this regular expression. For whole numbers: the smallest and largest value allowed. The description in Thai (the policy reference and the Group Policy templates show it). Defaults set by the agency's policy (the user may still change them). Problems found while loading (shown to the user, never fatal).</extracomment>
            <translation>การตั้งค่านี้ถูกล็อกไว้ตามนโยบายของหน่วยงาน</translation>
        </message>
    </context>
    <context>
        <name>Files</name>
        <message>
            <source>The folder “{folder}” cannot be written to.</source>
            <extracomment>An extension longer than this (bytes, with the dot) is treated as part of the name. Collisions numbered at most up to this before giving up. Windows device names: a file named so (with any extension, trailing spaces ignored) is the device, not a file. Characters Windows refuses in a name, plus both path separators. NTFS's designator of a file's unnamed (default) stream, at the end of a name. Unicode categories dropped: control (C0, C1, NUL), format (bidi overrides and isolates, zero-width characters, BOM), surrogates, unassigned. Thai vowels written before their consonant: a name is not cut right after one. ':' and the characters NFKC folds to it (full width U+FF1A, small U+FE55, vertical U+FE13): NTFS reads ``name:stream`` as a stream of the file ``name``. '/' and '\' and the characters NFKC folds to them: what ends a folder part of a name.</extracomment>
            <translation>บันทึกลงโฟลเดอร์ “{folder}” ไม่ได้</translation>
        </message>
        <message>
            <source>Nothing was saved. Choose another folder, or ask your IT staff for permission to write there.</source>
            <translation>ไม่ได้บันทึกสิ่งใด กรุณาเลือกโฟลเดอร์อื่น หรือขอสิทธิ์บันทึกในโฟลเดอร์นี้จากเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>There is not enough free space on the disk to save “{name}”.</source>
            <translation>พื้นที่ว่างในดิสก์ไม่พอสำหรับบันทึก “{name}”</translation>
        </message>
        <message>
            <source>Nothing was saved. Free some space, or save to another drive or folder.</source>
            <translation>ไม่ได้บันทึกสิ่งใด กรุณาลบไฟล์ที่ไม่ใช้เพื่อเพิ่มพื้นที่ หรือบันทึกลงไดรฟ์หรือโฟลเดอร์อื่น</translation>
        </message>
        <message>
            <source>“{name}” could not be written to “{folder}”.</source>
            <translation>บันทึก “{name}” ลงใน “{folder}” ไม่ได้</translation>
        </message>
        <message>
            <source>Nothing was saved. Please try again or choose another folder.</source>
            <translation>ไม่ได้บันทึกสิ่งใด กรุณาลองอีกครั้งหรือเลือกโฟลเดอร์อื่น</translation>
        </message>
    </context>
    <context>
        <name>FindBar</name>
        <message>
            <source>Find:</source>
            <translation>ค้นหา:</translation>
        </message>
        <message>
            <source>Find in this message</source>
            <translation>ค้นหาในจดหมายนี้</translation>
        </message>
        <message>
            <source>Previous match (Shift+Enter)</source>
            <translation>คำที่พบก่อนหน้า (Shift+Enter)</translation>
        </message>
        <message>
            <source>Next match (Enter)</source>
            <translation>คำที่พบถัดไป (Enter)</translation>
        </message>
        <message>
            <source>Close (Esc)</source>
            <translation>ปิด (Esc)</translation>
        </message>
        <message>
            <source>Not found</source>
            <translation>ไม่พบ</translation>
        </message>
        <message>
            <source>{current} of {total}</source>
            <translation>{current} จาก {total}</translation>
        </message>
    </context>
    <context>
        <name>FolderPane</name>
        <message>
            <source>Inbox</source>
            <extracomment>Special-use folders shown (offline) until the folder tree model exists: (role key, display name, icon).</extracomment>
            <translation>กล่องจดหมายเข้า</translation>
        </message>
        <message>
            <source>Drafts</source>
            <translation>ร่างจดหมาย</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>จดหมายที่ส่งแล้ว</translation>
        </message>
        <message>
            <source>Trash</source>
            <translation>ถังขยะ</translation>
        </message>
        <message>
            <source>Junk</source>
            <translation>จดหมายขยะ</translation>
        </message>
    </context>
    <context>
        <name>FolderTreeModel</name>
        <message>
            <source>Inbox</source>
            <extracomment>The roles a user (or the policy) may assign, by the key used in settings. What the folder tree calls the special folders (and messages about them), in any language.</extracomment>
            <translation>กล่องจดหมายเข้า</translation>
        </message>
        <message>
            <source>Drafts</source>
            <translation>ร่างจดหมาย</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>จดหมายที่ส่งแล้ว</translation>
        </message>
        <message>
            <source>Archive</source>
            <translation>เก็บถาวร</translation>
        </message>
        <message>
            <source>Junk</source>
            <translation>จดหมายขยะ</translation>
        </message>
        <message>
            <source>Trash</source>
            <translation>ถังขยะ</translation>
        </message>
        <message>
            <source>Outbox</source>
            <extracomment>The role of the local Outbox node (messages waiting to be sent; not a server folder). The "Saved Searches" node (last in the tree) and each saved search under it: virtual folders whose messages are the search's results (ui/search_controller.py runs the search). A saved search's query (its tooltip) and id. The view's icons by special use (None: a user folder); set by the UI. Messages in the account's outbox (shown as the Outbox folder when not 0). Saved searches shown under "Saved Searches": (id, name, query).</extracomment>
            <translation>กล่องจดหมายออก</translation>
        </message>
        <message>
            <source>Saved Searches</source>
            <translation>การค้นหาที่บันทึกไว้</translation>
        </message>
        <message>
            <source>Folders</source>
            <translation>โฟลเดอร์</translation>
        </message>
        <message>
            <source>{count} message(s) waiting to be sent</source>
            <translation>จดหมาย {count} ฉบับรอส่ง</translation>
        </message>
        <message>
            <source>Saved search: {query}</source>
            <translation>การค้นหาที่บันทึกไว้: {query}</translation>
        </message>
        <message>
            <source>Searches you saved; each shows what the mail holds now</source>
            <translation>การค้นหาที่คุณบันทึกไว้ แต่ละรายการแสดงจดหมายที่ตรงกับเงื่อนไขในขณะนี้</translation>
        </message>
        <message>
            <source>{name}: {count} unread</source>
            <translation>{name}: ยังไม่ได้อ่าน {count} ฉบับ</translation>
        </message>
    </context>
    <context>
        <name>FormatToolbar</name>
        <message>
            <source>Formatting</source>
            <extracomment>The official documents' typeface, used when the PC has it. TH Sarabun New is small for its size: documents use 16 pt. A picture wider than this is shown (and sent) scaled to this width (px). The bytes of a ``cid:`` picture of a saved draft (set by the window), or None.</extracomment>
            <translation>จัดรูปแบบ</translation>
        </message>
        <message>
            <source>B</source>
            <translation>ห</translation>
        </message>
        <message>
            <source>Bold (Ctrl+B)</source>
            <translation>ตัวหนา (Ctrl+B)</translation>
        </message>
        <message>
            <source>I</source>
            <translation>อ</translation>
        </message>
        <message>
            <source>Italic (Ctrl+I)</source>
            <translation>ตัวเอียง (Ctrl+I)</translation>
        </message>
        <message>
            <source>U</source>
            <translation>ข</translation>
        </message>
        <message>
            <source>Underline (Ctrl+U)</source>
            <translation>ขีดเส้นใต้ (Ctrl+U)</translation>
        </message>
        <message>
            <source>• List</source>
            <translation>• รายการ</translation>
        </message>
        <message>
            <source>Bulleted list</source>
            <translation>รายการแบบสัญลักษณ์</translation>
        </message>
        <message>
            <source>1. List</source>
            <translation>1. รายการ</translation>
        </message>
        <message>
            <source>Numbered list</source>
            <translation>รายการแบบลำดับเลข</translation>
        </message>
        <message>
            <source>Link…</source>
            <translation>ลิงก์…</translation>
        </message>
        <message>
            <source>Insert a link (Ctrl+K)</source>
            <translation>แทรกลิงก์ (Ctrl+K)</translation>
        </message>
        <message>
            <source>Font size (points)</source>
            <translation>ขนาดตัวอักษร (พอยต์)</translation>
        </message>
        <message>
            <source>Insert Link</source>
            <translation>แทรกลิงก์</translation>
        </message>
        <message>
            <source>Web address:</source>
            <translation>ที่อยู่เว็บ:</translation>
        </message>
    </context>
    <context>
        <name>IdentityEditor</name>
        <message>
            <source>Identities</source>
            <extracomment>``check_address(address) -&gt; address`` as the policy takes it (domain normalised), or raises a GovMailError saying why not (``EffectivePolicy.check_account_address``).</extracomment>
            <translation>ตัวตนผู้ส่ง</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;ชื่อ:</translation>
        </message>
        <message>
            <source>E-mail &amp;address:</source>
            <translation>&amp;ที่อยู่อีเมล:</translation>
        </message>
        <message>
            <source>&amp;New Identity</source>
            <translation>เพิ่มตัวตน&amp;ใหม่</translation>
        </message>
        <message>
            <source>e.g. Central Records Unit</source>
            <translation>เช่น งานสารบรรณกลาง</translation>
        </message>
        <message>
            <source>e.g. saraban@agency.go.th</source>
            <translation>เช่น saraban@agency.go.th</translation>
        </message>
        <message>
            <source>Another address you may send from, e.g. your unit's official-document (saraban) address. It must be an address of your agency that the policy allows for accounts.</source>
            <translation>ที่อยู่อื่นที่คุณใช้ส่งจดหมายได้ เช่น ที่อยู่สารบรรณ (saraban) ของหน่วยงาน ต้องเป็นที่อยู่ของหน่วยงานที่นโยบายอนุญาตให้ใช้เป็นบัญชี</translation>
        </message>
        <message>
            <source>Always available: {address} (the account's own address)</source>
            <translation>ใช้ได้เสมอ: {address} (ที่อยู่ของบัญชีนี้เอง)</translation>
        </message>
        <message>
            <source>Type the e-mail address of this identity.</source>
            <translation>กรุณาพิมพ์ที่อยู่อีเมลของตัวตนนี้</translation>
        </message>
        <message>
            <source>{address} is already an address of this account.</source>
            <translation>{address} เป็นที่อยู่ของบัญชีนี้อยู่แล้ว</translation>
        </message>
        <message>
            <source>The identities could not be saved: {reason}</source>
            <translation>บันทึกตัวตนผู้ส่งไม่ได้: {reason}</translation>
        </message>
    </context>
    <context>
        <name>Launch</name>
        <message>
            <source>The file to attach was not found: {path}</source>
            <extracomment>Version of the message a second launch sends; a running instance accepts only this one. Files one command line may attach. Longest path accepted in a message (characters). Largest message (bytes after the length): the longest link and paths, escaped, fit.</extracomment>
            <translation>ไม่พบไฟล์ที่จะแนบ: {path}</translation>
        </message>
        <message>
            <source>Only files can be attached; this is a folder or a device, not a file: {path}</source>
            <translation>แนบได้เฉพาะไฟล์ รายการนี้เป็นโฟลเดอร์หรืออุปกรณ์ ไม่ใช่ไฟล์: {path}</translation>
        </message>
        <message>
            <source>The file to attach cannot be read: {path}</source>
            <translation>อ่านไฟล์ที่จะแนบไม่ได้: {path}</translation>
        </message>
        <message>
            <source>At most {limit} files can be attached at once; none of the {count} files given was attached.</source>
            <translation>แนบไฟล์ได้ครั้งละไม่เกิน {limit} ไฟล์ จึงไม่ได้แนบไฟล์ใดเลยจากทั้งหมด {count} ไฟล์</translation>
        </message>
        <message>
            <source>The other files were attached. Please attach this one in the new message.</source>
            <translation>ไฟล์อื่นแนบแล้ว กรุณาแนบไฟล์นี้ในจดหมายใหม่เอง</translation>
        </message>
        <message>
            <source>Please attach them in the new message, or send them in several messages.</source>
            <translation>กรุณาแนบไฟล์ในจดหมายใหม่เอง หรือแบ่งส่งเป็นหลายฉบับ</translation>
        </message>
        <message>
            <source>A message from another start of the program was not understood.</source>
            <translation>ไม่เข้าใจคำขอที่ส่งมาจากการเปิดโปรแกรมอีกครั้ง</translation>
        </message>
    </context>
    <context>
        <name>LinkCheck</name>
        <message>
            <source>The link's text shows {shown}, but the link leads to {host}.</source>
            <extracomment>Kinds that open nothing without asking the user first. The internal (government) domain every installation knows, whatever the policy says. Domains phishing imitates most (sign-in pages, banks, the government's own services): look-alikes of these in letters of another alphabet, or with digits for letters, are flagged. Schemes that are never opened, even if the user says yes: they run code or carry a page (ms-msdt: "Follina", CVE-2022-30190; search-ms: and ms-search: open a remote folder in the file manager, used to make people run a file; ms-officecmd: launches Office apps with arguments, shown exploitable in 2021). Longest destination shown (the link itself is opened whole).</extracomment>
            <translation>ข้อความของลิงก์แสดงเป็น {shown} แต่ลิงก์นี้พาไปที่ {host}</translation>
        </message>
        <message>
            <source>The link leads to {host}, which only looks like {known}: its name uses look-alike letters or spelling.</source>
            <translation>ลิงก์นี้พาไปที่ {host} ซึ่งเพียงดูคล้าย {known} เพราะชื่อใช้ตัวอักษรหรือการสะกดที่หน้าตาคล้ายกัน</translation>
        </message>
        <message>
            <source>The link's address {host} mixes look-alike letters of different alphabets.</source>
            <translation>ที่อยู่ของลิงก์ {host} ใช้ตัวอักษรหน้าตาคล้ายกันจากอักษรต่างภาษาปนกัน</translation>
        </message>
        <message>
            <source>The link leads to a bare IP address ({ip}) instead of a named site; genuine sites rarely do this.</source>
            <translation>ลิงก์นี้พาไปที่หมายเลขไอพี ({ip}) แทนชื่อเว็บไซต์ ซึ่งเว็บไซต์จริงแทบไม่เคยทำเช่นนี้</translation>
        </message>
        <message>
            <source>The link is written to hide where it leads (with “@” or “\” in its address); it really leads to {host}.</source>
            <translation>ลิงก์นี้เขียนให้ปิดบังปลายทาง (มี “@” หรือ “\” ในที่อยู่) ปลายทางจริงคือ {host}</translation>
        </message>
        <message>
            <source>This is not a web link ({scheme}:); it may open a file, a shared folder or a program on this computer or network.</source>
            <translation>ลิงก์นี้ไม่ใช่ลิงก์เว็บ ({scheme}:) อาจเปิดไฟล์ โฟลเดอร์ที่แชร์ หรือโปรแกรมในเครื่องนี้หรือในเครือข่าย</translation>
        </message>
        <message>
            <source>This link ({scheme}:) would run code or show a page hidden in the link; it is never opened.</source>
            <translation>ลิงก์นี้ ({scheme}:) จะเรียกใช้โค้ดหรือแสดงหน้าที่ซ่อนอยู่ในลิงก์ จึงไม่เปิดให้ในทุกกรณี</translation>
        </message>
        <message>
            <source>The link is incomplete or damaged and cannot be opened.</source>
            <translation>ลิงก์นี้ไม่สมบูรณ์หรือเสียหาย จึงเปิดไม่ได้</translation>
        </message>
    </context>
    <context>
        <name>LinkGuard</name>
        <message>
            <source>Write to: {address}</source>
            <extracomment>Opens a URL with the desktop (a seam for tests: they record, never open). Opens the composer with fields (to, cc, bcc, subject, text); None when there is no account. The status bar of each view's window (views and their windows go together).</extracomment>
            <translation>เขียนจดหมายถึง: {address}</translation>
        </message>
        <message>
            <source>E-mail link</source>
            <translation>ลิงก์อีเมล</translation>
        </message>
        <message>
            <source>Set up an account first to write a message.</source>
            <translation>กรุณาตั้งค่าบัญชีก่อนเขียนจดหมาย</translation>
        </message>
        <message>
            <source>The link:</source>
            <translation>ลิงก์:</translation>
        </message>
        <message>
            <source>Link not opened</source>
            <translation>ไม่ได้เปิดลิงก์</translation>
        </message>
        <message>
            <source>Open this link?</source>
            <translation>เปิดลิงก์นี้หรือไม่</translation>
        </message>
        <message>
            <source>It really leads to:</source>
            <translation>ปลายทางจริงของลิงก์:</translation>
        </message>
        <message>
            <source>Open it only if you trust the sender and expected this link.</source>
            <translation>เปิดเฉพาะเมื่อท่านเชื่อถือผู้ส่งและกำลังรอลิงก์นี้อยู่</translation>
        </message>
        <message>
            <source>Open link</source>
            <translation>เปิดลิงก์</translation>
        </message>
    </context>
    <context>
        <name>MailTray</name>
        <message>
            <source>Show GovMail</source>
            <translation>แสดงหน้าต่าง GovMail</translation>
        </message>
        <message>
            <source>{count} unread</source>
            <translation>ยังไม่ได้อ่าน {count} ฉบับ</translation>
        </message>
        <message>
            <source>no unread mail</source>
            <translation>ไม่มีจดหมายที่ยังไม่ได้อ่าน</translation>
        </message>
        <message>
            <source>{count} new message(s)</source>
            <translation>จดหมายใหม่ {count} ฉบับ</translation>
        </message>
        <message>
            <source>and {count} more</source>
            <translation>และอีก {count} ฉบับ</translation>
        </message>
    </context>
    <context>
        <name>Mailbox</name>
        <message>
            <source>Could not mark the messages as read; the change was undone.</source>
            <extracomment>The cache part under which a whole fetched message is kept (``BODY.PEEK[]``). The special use of the message's folder (``SpecialUse.JUNK``: remote content stays blocked). The UIDs that arrived (what the sync reported, not a guess from the cache). The newest few of them, for the notification text.</extracomment>
            <translation>ไม่สามารถทำเครื่องหมายว่าอ่านแล้วได้ จึงคืนค่าเดิมแล้ว</translation>
        </message>
        <message>
            <source>Could not mark the messages as unread; the change was undone.</source>
            <translation>ไม่สามารถทำเครื่องหมายว่ายังไม่ได้อ่านได้ จึงคืนค่าเดิมแล้ว</translation>
        </message>
        <message>
            <source>Could not flag the messages; the change was undone.</source>
            <translation>ไม่สามารถติดธงจดหมายได้ จึงคืนค่าเดิมแล้ว</translation>
        </message>
        <message>
            <source>Could not remove the flag; the change was undone.</source>
            <translation>ไม่สามารถเอาธงออกได้ จึงคืนค่าเดิมแล้ว</translation>
        </message>
        <message>
            <source>Could not change the messages; the change was undone.</source>
            <translation>ไม่สามารถเปลี่ยนแปลงจดหมายได้ จึงคืนค่าเดิมแล้ว</translation>
        </message>
        <message>
            <source>Could not move the messages to {folder}; they are back where they were.</source>
            <translation>ไม่สามารถย้ายจดหมายไปที่ {folder} ได้ จดหมายกลับไปอยู่ที่เดิมแล้ว</translation>
        </message>
        <message>
            <source>Could not copy the messages to {folder}.</source>
            <translation>ไม่สามารถคัดลอกจดหมายไปที่ {folder} ได้</translation>
        </message>
        <message>
            <source>Could not archive the messages; they are back where they were.</source>
            <translation>ไม่สามารถเก็บถาวรจดหมายได้ จดหมายกลับไปอยู่ที่เดิมแล้ว</translation>
        </message>
        <message>
            <source>Could not delete the messages; they are back where they were.</source>
            <translation>ไม่สามารถลบจดหมายได้ จดหมายกลับไปอยู่ที่เดิมแล้ว</translation>
        </message>
        <message>
            <source>The action was cancelled and undone.</source>
            <translation>ยกเลิกการดำเนินการและคืนค่าเดิมแล้ว</translation>
        </message>
        <message>
            <source>This account has no Archive folder on the server, so nothing was archived.</source>
            <translation>บัญชีนี้ไม่มีโฟลเดอร์เก็บถาวรบนเซิร์ฟเวอร์ จึงไม่ได้เก็บถาวรจดหมาย</translation>
        </message>
        <message>
            <source>This account has no Trash folder, so nothing was deleted.</source>
            <translation>บัญชีนี้ไม่มีโฟลเดอร์ถังขยะ จึงไม่ได้ลบจดหมาย</translation>
        </message>
        <message>
            <source>The Trash folder was created on the server.</source>
            <translation>สร้างโฟลเดอร์ถังขยะบนเซิร์ฟเวอร์แล้ว</translation>
        </message>
        <message>
            <source>Could not create the Trash folder, so nothing was deleted.</source>
            <translation>ไม่สามารถสร้างโฟลเดอร์ถังขยะได้ จึงไม่ได้ลบจดหมาย</translation>
        </message>
        <message>
            <source>A Trash folder can only be created while connected to the server; nothing was deleted.</source>
            <translation>สร้างโฟลเดอร์ถังขยะได้เฉพาะเมื่อเชื่อมต่อกับเซิร์ฟเวอร์อยู่ จึงยังไม่ได้ลบจดหมาย</translation>
        </message>
        <message>
            <source>Not connected: the change is kept on this computer and sent when the connection returns.</source>
            <translation>ออฟไลน์อยู่ การเปลี่ยนแปลงถูกบันทึกไว้ในเครื่องนี้ และจะส่งไปยังเซิร์ฟเวอร์เมื่อเชื่อมต่อได้อีกครั้ง</translation>
        </message>
        <message>
            <source>{count} messages in {folder} could not be read from the server; they are not shown.</source>
            <translation>อ่านจดหมาย {count} ฉบับในโฟลเดอร์ {folder} จากเซิร์ฟเวอร์ไม่ได้ จึงไม่แสดงในรายการ</translation>
        </message>
        <message>
            <source>This message has not been downloaded yet. It will be shown once connected.</source>
            <translation>จดหมายฉบับนี้ยังไม่ได้ดาวน์โหลด จะแสดงเมื่อเชื่อมต่อเซิร์ฟเวอร์ได้</translation>
        </message>
    </context>
    <context>
        <name>MailboxController</name>
        <message>
            <source>No Trash Folder</source>
            <extracomment>The preview loads once the selection rests this long (arrow-key scrolling through a list does not parse every message passed over). Selected rows whose flags decide what M and S say (enough for any real choice). Selections remembered across a model reset.</extracomment>
            <translation>ไม่มีโฟลเดอร์ถังขยะ</translation>
        </message>
        <message>
            <source>This account has no Trash folder, so deleted messages cannot be kept there.</source>
            <translation>บัญชีนี้ไม่มีโฟลเดอร์ถังขยะ จึงเก็บจดหมายที่ลบไว้ในถังขยะไม่ได้</translation>
        </message>
        <message>
            <source>Create a Trash folder on the server and move the {count} message(s) there, or delete them permanently? Permanently deleted messages cannot be recovered.</source>
            <translation>ต้องการสร้างโฟลเดอร์ถังขยะบนเซิร์ฟเวอร์แล้วย้ายจดหมาย {count} ฉบับไปไว้ในนั้น หรือลบถาวรหรือไม่ จดหมายที่ลบถาวรแล้วจะกู้คืนไม่ได้</translation>
        </message>
        <message>
            <source>&amp;Create Trash Folder</source>
            <translation>สร้างโฟลเดอร์ถังขยะ(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Delete Permanently</source>
            <translation>ลบถาวร(&amp;D)</translation>
        </message>
        <message>
            <source>Delete Permanently</source>
            <translation>ลบถาวร</translation>
        </message>
        <message>
            <source>Delete {count} message(s) permanently? They cannot be recovered.</source>
            <translation>ลบจดหมาย {count} ฉบับอย่างถาวรหรือไม่ จดหมายที่ลบแล้วจะกู้คืนไม่ได้</translation>
        </message>
    </context>
    <context>
        <name>Mailto</name>
        <message>
            <source>This is not an e-mail link (it does not start with mailto:).</source>
            <extracomment>Longest link accepted (characters); browsers cut far earlier, so this is generous. Everything a mailto: link may set; nothing else (attach, from, ...) is honoured.</extracomment>
            <translation>นี่ไม่ใช่ลิงก์อีเมล (ไม่ได้ขึ้นต้นด้วย mailto:)</translation>
        </message>
        <message>
            <source>The e-mail link is too long (more than {limit} characters).</source>
            <translation>ลิงก์อีเมลยาวเกินไป (เกิน {limit} ตัวอักษร)</translation>
        </message>
        <message>
            <source>The e-mail link is damaged: it contains an invalid % code.</source>
            <translation>ลิงก์อีเมลเสียหาย: มีรหัส % ที่ไม่ถูกต้อง</translation>
        </message>
        <message>
            <source>The e-mail link is damaged: its text is not in the UTF-8 encoding that links must use.</source>
            <translation>ลิงก์อีเมลเสียหาย: ข้อความในลิงก์ไม่ได้เข้ารหัสแบบ UTF-8 ตามที่ลิงก์ต้องใช้</translation>
        </message>
        <message>
            <source>The e-mail link names more than {limit} recipients in one field.</source>
            <translation>ลิงก์อีเมลระบุผู้รับเกิน {limit} รายในช่องเดียว</translation>
        </message>
        <message>
            <source>The e-mail link's list of recipients is too long.</source>
            <translation>รายชื่อผู้รับในลิงก์อีเมลยาวเกินไป</translation>
        </message>
        <message>
            <source>No message was opened from it. Please ask whoever made the link for a correct one.</source>
            <translation>จึงไม่ได้เปิดข้อความจากลิงก์นี้ กรุณาขอลิงก์ที่ถูกต้องจากผู้ที่สร้างลิงก์</translation>
        </message>
        <message>
            <source>The e-mail link also asked for {fields}; links may not set that, so it was ignored.</source>
            <extracomment>For the composer: what a link asked for and did not get.</extracomment>
            <translation>ลิงก์อีเมลขอ {fields} ด้วย ซึ่งลิงก์ไม่มีสิทธิ์กำหนด จึงไม่ได้นำมาใช้</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Select a message first</source>
            <extracomment>How long an information notice stays in the status bar (errors stay). Why an action is disabled: its tooltip says so, and so does the status bar when its shortcut is pressed.</extracomment>
            <translation>กรุณาเลือกจดหมายก่อน</translation>
        </message>
        <message>
            <source>Set up an account first</source>
            <translation>กรุณาตั้งค่าบัญชีก่อน</translation>
        </message>
        <message>
            <source>Add an e-mail account first: mail is written and sent from an account</source>
            <translation>เพิ่มบัญชีอีเมลก่อน: การเขียนและส่งจดหมายต้องทำจากบัญชี</translation>
        </message>
        <message>
            <source>The contacts list could not be opened; the log says why</source>
            <translation>เปิดรายชื่อผู้ติดต่อไม่ได้ ดูสาเหตุได้ในบันทึกการทำงาน (log)</translation>
        </message>
        <message>
            <source>Select one message to reply to or forward</source>
            <translation>เลือกข้อความเดียวเพื่อตอบกลับหรือส่งต่อ</translation>
        </message>
        <message>
            <source>Search is not available: the search index could not be opened; the log says why</source>
            <translation>ค้นหาไม่ได้ เปิดดัชนีการค้นหาไม่ได้ ดูสาเหตุได้ในบันทึกการทำงาน (log)</translation>
        </message>
        <message>
            <source>Open a message first</source>
            <translation>กรุณาเปิดจดหมายก่อน</translation>
        </message>
        <message>
            <source>This account has no Archive folder (choose one in File → Special Folders)</source>
            <translation>บัญชีนี้ไม่มีโฟลเดอร์เก็บถาวร (เลือกได้ที่ ไฟล์ → โฟลเดอร์พิเศษ)</translation>
        </message>
        <message>
            <source>The selected messages are already in the Archive folder</source>
            <translation>จดหมายที่เลือกอยู่ในโฟลเดอร์เก็บถาวรแล้ว</translation>
        </message>
        <message>
            <source>Adding an account is not available in this window</source>
            <translation>เพิ่มบัญชีจากหน้าต่างนี้ไม่ได้</translation>
        </message>
        <message>
            <source>GovMail Desktop — government e-mail</source>
            <extracomment>Tooltips, reasons for being disabled, and the shortcuts that say them. The window's size, place and pane sizes (it sets the comfortable size now). Where the machine policy came from (EffectivePolicy.origins) and whether it is valid. What needs exactly one selected message; the composer launcher answers them.</extracomment>
            <translation>GovMail Desktop — อีเมลภาครัฐ</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>ไฟล์(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>แก้ไข(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>มุมมอง(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Message</source>
            <translation>จดหมาย(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>วิธีใช้(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>ภาษา(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Add Account…</source>
            <translation>เพิ่มบัญชี(&amp;A)…</translation>
        </message>
        <message>
            <source>Special &amp;Folders…</source>
            <translation>โฟลเดอร์พิเศษ(&amp;F)…</translation>
        </message>
        <message>
            <source>Choose which folders of the account are Sent, Drafts, Trash, Junk and Archive</source>
            <translation>เลือกว่าโฟลเดอร์ใดของบัญชีเป็นจดหมายที่ส่งแล้ว ร่างจดหมาย ถังขยะ จดหมายขยะ และเก็บถาวร</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>ออกจากโปรแกรม(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Search…</source>
            <translation>ค้นหา(&amp;S)…</translation>
        </message>
        <message>
            <source>Search the mail of every folder and account (Ctrl+K)</source>
            <translation>ค้นหาจดหมายในทุกโฟลเดอร์และทุกบัญชี (Ctrl+K)</translation>
        </message>
        <message>
            <source>&amp;Quick Filter</source>
            <translation>ตัวกรองด่วน(&amp;Q)</translation>
        </message>
        <message>
            <source>Show only the messages of this folder that match (Ctrl+Shift+K)</source>
            <translation>แสดงเฉพาะจดหมายในโฟลเดอร์นี้ที่ตรงกับเงื่อนไข (Ctrl+Shift+K)</translation>
        </message>
        <message>
            <source>&amp;Find in This Message…</source>
            <translation>ค้นหาในจดหมายนี้(&amp;F)…</translation>
        </message>
        <message>
            <source>Find text in the message shown (Ctrl+F)</source>
            <translation>ค้นหาข้อความในจดหมายที่เปิดอยู่ (Ctrl+F)</translation>
        </message>
        <message>
            <source>Search all mail (Ctrl+K)</source>
            <translation>ค้นหาจดหมายทั้งหมด (Ctrl+K)</translation>
        </message>
        <message>
            <source>Type words, "a phrase", from:, subject:, after:1/10/2568 … and press Enter</source>
            <translation>พิมพ์คำ "วลี" from: subject: after:1/10/2568 … แล้วกด Enter</translation>
        </message>
        <message>
            <source>Se&amp;ttings…</source>
            <translation>การตั้งค่า(&amp;T)…</translation>
        </message>
        <message>
            <source>&amp;Preview Pane</source>
            <translation>บานหน้าต่างอ่านจดหมาย(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;About GovMail Desktop</source>
            <translation>เกี่ยวกับ GovMail Desktop(&amp;A)</translation>
        </message>
        <message>
            <source>Write</source>
            <translation>เขียนจดหมาย</translation>
        </message>
        <message>
            <source>Write a new message (Ctrl+N)</source>
            <translation>เขียนจดหมายใหม่ (Ctrl+N)</translation>
        </message>
        <message>
            <source>Reply</source>
            <translation>ตอบกลับ</translation>
        </message>
        <message>
            <source>Reply to the sender (Ctrl+R)</source>
            <translation>ตอบกลับผู้ส่ง (Ctrl+R)</translation>
        </message>
        <message>
            <source>Reply All</source>
            <translation>ตอบกลับทั้งหมด</translation>
        </message>
        <message>
            <source>Reply to the sender and every recipient (Ctrl+Shift+R)</source>
            <translation>ตอบกลับผู้ส่งและผู้รับทุกคน (Ctrl+Shift+R)</translation>
        </message>
        <message>
            <source>Forward</source>
            <translation>ส่งต่อ</translation>
        </message>
        <message>
            <source>Forward the message in the text of a new one (Ctrl+L)</source>
            <translation>ส่งต่อจดหมายโดยใส่เนื้อหาในจดหมายใหม่ (Ctrl+L)</translation>
        </message>
        <message>
            <source>Forward as Attachment</source>
            <translation>ส่งต่อเป็นไฟล์แนบ</translation>
        </message>
        <message>
            <source>Forward the whole message as an attached file</source>
            <translation>ส่งต่อจดหมายทั้งฉบับเป็นไฟล์แนบ</translation>
        </message>
        <message>
            <source>Edit as New Message</source>
            <translation>แก้ไขเป็นจดหมายใหม่</translation>
        </message>
        <message>
            <source>Start a new message from this one</source>
            <translation>เริ่มจดหมายใหม่จากจดหมายฉบับนี้</translation>
        </message>
        <message>
            <source>&amp;Contacts…</source>
            <translation>&amp;รายชื่อผู้ติดต่อ…</translation>
        </message>
        <message>
            <source>Your contacts: add, edit, import and export (vCard, CSV)</source>
            <translation>รายชื่อผู้ติดต่อของคุณ: เพิ่ม แก้ไข นำเข้า และส่งออก (vCard, CSV)</translation>
        </message>
        <message>
            <source>Si&amp;gnatures…</source>
            <translation>&amp;ลายเซ็น…</translation>
        </message>
        <message>
            <source>Your signatures: name, position, agency and phone</source>
            <translation>ลายเซ็นของคุณ: ชื่อ ตำแหน่ง หน่วยงาน และโทรศัพท์</translation>
        </message>
        <message>
            <source>&amp;Identities…</source>
            <translation>&amp;ตัวตนผู้ส่ง…</translation>
        </message>
        <message>
            <source>Other addresses you send from, e.g. your unit's saraban address</source>
            <translation>ที่อยู่อื่นที่คุณใช้ส่งจดหมาย เช่น ที่อยู่สารบรรณของหน่วยงาน</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>ลบ</translation>
        </message>
        <message>
            <source>Move the selected messages to the Trash (Delete)</source>
            <translation>ย้ายจดหมายที่เลือกไปที่ถังขยะ (Delete)</translation>
        </message>
        <message>
            <source>Delete Permanently</source>
            <translation>ลบถาวร</translation>
        </message>
        <message>
            <source>Archive</source>
            <translation>เก็บถาวร</translation>
        </message>
        <message>
            <source>Move the selected messages to the Archive folder (A)</source>
            <translation>ย้ายจดหมายที่เลือกไปที่โฟลเดอร์เก็บถาวร (A)</translation>
        </message>
        <message>
            <source>Move To Folder…</source>
            <translation>ย้ายไปที่โฟลเดอร์…</translation>
        </message>
        <message>
            <source>Move To</source>
            <translation>ย้ายไปที่</translation>
        </message>
        <message>
            <source>Get Messages</source>
            <translation>รับจดหมาย</translation>
        </message>
        <message>
            <source>Check the server for new mail now (F5)</source>
            <translation>ตรวจสอบจดหมายใหม่ที่เซิร์ฟเวอร์ทันที (F5)</translation>
        </message>
        <message>
            <source>Group by &amp;Conversation</source>
            <translation>จัดกลุ่มตามการสนทนา(&amp;C)</translation>
        </message>
        <message>
            <source>Go to Folder List</source>
            <translation>ไปที่รายการโฟลเดอร์</translation>
        </message>
        <message>
            <source>Go to Message List</source>
            <translation>ไปที่รายการจดหมาย</translation>
        </message>
        <message>
            <source>Go to Message Text</source>
            <translation>ไปที่เนื้อหาจดหมาย</translation>
        </message>
        <message>
            <source>Account whose folders are shown</source>
            <translation>บัญชีที่กำลังแสดงโฟลเดอร์</translation>
        </message>
        <message>
            <source>Main Toolbar</source>
            <translation>แถบเครื่องมือหลัก</translation>
        </message>
        <message>
            <source>Folders (offline)</source>
            <translation>โฟลเดอร์ (ออฟไลน์)</translation>
        </message>
        <message>
            <source>Not connected: folders appear here once an account is set up and synchronised.</source>
            <translation>ยังไม่ได้เชื่อมต่อ: โฟลเดอร์จะแสดงที่นี่เมื่อตั้งค่าบัญชีและซิงค์ข้อมูลแล้ว</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>เรื่อง</translation>
        </message>
        <message>
            <source>From</source>
            <translation>จาก</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>วันที่</translation>
        </message>
        <message>
            <source>No messages to show. Mail appears here once an account is set up.</source>
            <translation>ไม่มีจดหมายที่จะแสดง จดหมายจะแสดงที่นี่เมื่อตั้งค่าบัญชีแล้ว</translation>
        </message>
        <message>
            <source>Building conversations…</source>
            <translation>กำลังจัดกลุ่มตามการสนทนา…</translation>
        </message>
        <message>
            <source>There are no messages in this folder.</source>
            <translation>ไม่มีจดหมายในโฟลเดอร์นี้</translation>
        </message>
        <message>
            <source>Select a message to read it here.</source>
            <translation>เลือกจดหมายเพื่ออ่านที่นี่</translation>
        </message>
        <message>
            <source>Outbox: {count}</source>
            <translation>กล่องจดหมายออก: {count}</translation>
        </message>
        <message>
            <source>{count} message(s) in the outbox</source>
            <translation>จดหมาย {count} ฉบับในกล่องจดหมายออก</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>ออฟไลน์</translation>
        </message>
        <message>
            <source>Not connected to a mail server.</source>
            <translation>ยังไม่ได้เชื่อมต่อกับเซิร์ฟเวอร์จดหมาย</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>กำลังเชื่อมต่อ…</translation>
        </message>
        <message>
            <source>Connecting to the mail server.</source>
            <translation>กำลังเชื่อมต่อเซิร์ฟเวอร์อีเมล</translation>
        </message>
        <message>
            <source>Synchronizing…</source>
            <translation>กำลังซิงค์ข้อมูล…</translation>
        </message>
        <message>
            <source>Connected; bringing the folders up to date.</source>
            <translation>เชื่อมต่อแล้ว กำลังปรับปรุงข้อมูลในโฟลเดอร์ให้เป็นปัจจุบัน</translation>
        </message>
        <message>
            <source>Connected</source>
            <translation>เชื่อมต่อแล้ว</translation>
        </message>
        <message>
            <source>Connected to the mail server; new mail appears by itself.</source>
            <translation>เชื่อมต่อเซิร์ฟเวอร์อีเมลแล้ว จดหมายใหม่จะแสดงขึ้นเอง</translation>
        </message>
        <message>
            <source>Mark as Read</source>
            <translation>ทำเครื่องหมายว่าอ่านแล้ว</translation>
        </message>
        <message>
            <source>Mark as Unread</source>
            <translation>ทำเครื่องหมายว่ายังไม่ได้อ่าน</translation>
        </message>
        <message>
            <source>Flag</source>
            <translation>ติดธง</translation>
        </message>
        <message>
            <source>Remove Flag</source>
            <translation>เอาธงออก</translation>
        </message>
        <message>
            <source>About GovMail Desktop</source>
            <translation>เกี่ยวกับ GovMail Desktop</translation>
        </message>
        <message>
            <source>Version {version}</source>
            <translation>เวอร์ชัน {version}</translation>
        </message>
        <message>
            <source>This program connects only to mail servers in Thailand that your agency allows, following the Cabinet resolution of 18 December 2007 on the use of domestic government e-mail servers (domestic-server policy).</source>
            <translation>โปรแกรมนี้เชื่อมต่อเฉพาะเซิร์ฟเวอร์จดหมายในประเทศไทยที่หน่วยงานของท่านอนุญาต ตามมติคณะรัฐมนตรีเมื่อวันที่ 18 ธันวาคม 2550 เรื่องการใช้เซิร์ฟเวอร์จดหมายอิเล็กทรอนิกส์ภาครัฐที่ตั้งอยู่ในประเทศ (นโยบายใช้เซิร์ฟเวอร์ในประเทศ)</translation>
        </message>
        <message>
            <source>Policy source: {sources}</source>
            <translation>ที่มาของนโยบาย: {sources}</translation>
        </message>
        <message>
            <source>The policy is invalid: the program connects to no mail server until your IT staff fix it.</source>
            <translation>นโยบายไม่ถูกต้อง: โปรแกรมจะไม่เชื่อมต่อเซิร์ฟเวอร์อีเมลใดเลยจนกว่าเจ้าหน้าที่ไอทีจะแก้ไข</translation>
        </message>
        <message>
            <source>Updates come from your agency's IT staff. The program does not update itself and sends no usage data.</source>
            <translation>เวอร์ชันใหม่ของโปรแกรมมาจากเจ้าหน้าที่ไอทีของหน่วยงาน โปรแกรมไม่อัปเดตตัวเองและไม่ส่งข้อมูลการใช้งานออกไป</translation>
        </message>
        <message>
            <source>Thai font: Sarabun (SIL Open Font License).</source>
            <translation>แบบอักษรไทย: สารบรรณ (Sarabun, สัญญาอนุญาต SIL Open Font License)</translation>
        </message>
    </context>
    <context>
        <name>MarkingBadge</name>
        <message>
            <source>Most urgent</source>
            <translation>ด่วนที่สุด</translation>
        </message>
        <message>
            <source>Very urgent</source>
            <translation>ด่วนมาก</translation>
        </message>
        <message>
            <source>Urgent</source>
            <translation>ด่วน</translation>
        </message>
        <message>
            <source>Top secret</source>
            <translation>ลับที่สุด</translation>
        </message>
        <message>
            <source>Secret</source>
            <translation>ลับมาก</translation>
        </message>
        <message>
            <source>Confidential</source>
            <translation>ลับ</translation>
        </message>
        <message>
            <source>Urgency: {level}</source>
            <translation>ชั้นความเร็ว: {level}</translation>
        </message>
        <message>
            <source>Secrecy: {level}</source>
            <translation>ชั้นความลับ: {level}</translation>
        </message>
    </context>
    <context>
        <name>Markings</name>
        <message>
            <source>urgent</source>
            <translation>ด่วน</translation>
        </message>
        <message>
            <source>very urgent</source>
            <translation>ด่วนมาก</translation>
        </message>
        <message>
            <source>most urgent</source>
            <translation>ด่วนที่สุด</translation>
        </message>
    </context>
    <context>
        <name>MessageListModel</name>
        <message>
            <source>Subject</source>
            <extracomment>Sent and Drafts: the correspondent column shows the recipients (To). Conversation view: nothing to show until the worker has built an order. The order asked for and not answered yet (folder, sort, descending). The cache changed (or the sort did) while an order was being built. Inside a model reset the request waits until the reset has ended.</extracomment>
            <translation>เรื่อง</translation>
        </message>
        <message>
            <source>From</source>
            <translation>จาก</translation>
        </message>
        <message>
            <source>To</source>
            <translation>ถึง</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>วันที่</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>ขนาด</translation>
        </message>
        <message>
            <source>Flag and attachment</source>
            <translation>ติดธงและไฟล์แนบ</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
        <message>
            <source>(no recipients)</source>
            <translation>(ไม่มีผู้รับ)</translation>
        </message>
        <message>
            <source>(unknown sender)</source>
            <translation>(ไม่ทราบผู้ส่ง)</translation>
        </message>
        <message>
            <source>{size} bytes</source>
            <translation>{size} ไบต์</translation>
        </message>
        <message>
            <source>Flagged</source>
            <translation>ติดธงแล้ว</translation>
        </message>
        <message>
            <source>Has attachments</source>
            <translation>มีไฟล์แนบ</translation>
        </message>
    </context>
    <context>
        <name>MessageWindow</name>
        <message>
            <source>&amp;Reply</source>
            <extracomment>The window's size when it opens. The message's bytes as cached (None while they are not here). Set by the controller for a message of the list: the account's MailboxModels. Asks where to save (caption, suggested name, filter) → a path or "" (a seam for tests). Printers being painted on the worker (kept referenced until done).</extracomment>
            <translation>ตอบกลับ(&amp;R)</translation>
        </message>
        <message>
            <source>Reply to the sender (Ctrl+R)</source>
            <translation>ตอบกลับผู้ส่ง (Ctrl+R)</translation>
        </message>
        <message>
            <source>Reply &amp;All</source>
            <translation>ตอบกลับทั้งหมด(&amp;A)</translation>
        </message>
        <message>
            <source>Reply to the sender and all recipients</source>
            <translation>ตอบกลับผู้ส่งและผู้รับทั้งหมด</translation>
        </message>
        <message>
            <source>&amp;Forward</source>
            <translation>ส่งต่อ(&amp;F)</translation>
        </message>
        <message>
            <source>Forward this message (Ctrl+L)</source>
            <translation>ส่งต่อจดหมายฉบับนี้ (Ctrl+L)</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>ลบ(&amp;D)</translation>
        </message>
        <message>
            <source>Delete this message (Delete)</source>
            <translation>ลบจดหมายฉบับนี้ (Delete)</translation>
        </message>
        <message>
            <source>&amp;Previous</source>
            <translation>ก่อนหน้า(&amp;P)</translation>
        </message>
        <message>
            <source>The message above in the list (B)</source>
            <translation>จดหมายฉบับก่อนหน้าในรายการ (B)</translation>
        </message>
        <message>
            <source>&amp;Next</source>
            <translation>ถัดไป(&amp;N)</translation>
        </message>
        <message>
            <source>The message below in the list (F)</source>
            <translation>จดหมายฉบับถัดไปในรายการ (F)</translation>
        </message>
        <message>
            <source>&amp;Print…</source>
            <translation>พิมพ์(&amp;P)…</translation>
        </message>
        <message>
            <source>Print this message (Ctrl+P)</source>
            <translation>พิมพ์จดหมายฉบับนี้ (Ctrl+P)</translation>
        </message>
        <message>
            <source>Export to P&amp;DF…</source>
            <translation>ส่งออกเป็น PDF(&amp;D)…</translation>
        </message>
        <message>
            <source>Save this message as a PDF file</source>
            <translation>บันทึกจดหมายฉบับนี้เป็นไฟล์ PDF</translation>
        </message>
        <message>
            <source>&amp;Save as .eml…</source>
            <translation>บันทึกเป็นไฟล์ .eml(&amp;S)…</translation>
        </message>
        <message>
            <source>Save the whole message as an .eml file (Ctrl+S)</source>
            <translation>บันทึกจดหมายทั้งฉบับเป็นไฟล์ .eml (Ctrl+S)</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>ต้นฉบับ</translation>
        </message>
        <message>
            <source>Show the message's source (Ctrl+U)</source>
            <translation>แสดงต้นฉบับของจดหมาย (Ctrl+U)</translation>
        </message>
        <message>
            <source>Headers</source>
            <translation>ส่วนหัว</translation>
        </message>
        <message>
            <source>Show every header field of the message</source>
            <translation>แสดงส่วนหัวของจดหมายทุกรายการ</translation>
        </message>
        <message>
            <source>&amp;Find…</source>
            <translation>ค้นหา(&amp;F)…</translation>
        </message>
        <message>
            <source>Find text in this message (Ctrl+F)</source>
            <translation>ค้นหาข้อความในจดหมายนี้ (Ctrl+F)</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>ปิด</translation>
        </message>
        <message>
            <source>Close this window (Esc)</source>
            <translation>ปิดหน้าต่างนี้ (Esc)</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>จดหมาย</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>ไฟล์(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>มุมมอง(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Message</source>
            <translation>จดหมาย(&amp;M)</translation>
        </message>
        <message>
            <source>{subject} — Message</source>
            <translation>{subject} — จดหมาย</translation>
        </message>
        <message>
            <source>Save Message</source>
            <translation>บันทึกจดหมาย</translation>
        </message>
        <message>
            <source>E-mail messages (*.eml)</source>
            <translation>ไฟล์จดหมาย (*.eml)</translation>
        </message>
        <message>
            <source>The message could not be saved: {reason}</source>
            <translation>บันทึกจดหมายไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>Export to PDF</source>
            <translation>ส่งออกเป็น PDF</translation>
        </message>
        <message>
            <source>PDF files (*.pdf)</source>
            <translation>ไฟล์ PDF (*.pdf)</translation>
        </message>
        <message>
            <source>The PDF could not be written: {reason}</source>
            <translation>สร้างไฟล์ PDF ไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>Print Message</source>
            <translation>พิมพ์จดหมาย</translation>
        </message>
        <message>
            <source>The message could not be printed: {reason}</source>
            <translation>พิมพ์จดหมายไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>From:</source>
            <translation>จาก:</translation>
        </message>
        <message>
            <source>To:</source>
            <translation>ถึง:</translation>
        </message>
        <message>
            <source>Cc:</source>
            <translation>สำเนาถึง:</translation>
        </message>
        <message>
            <source>and {count} more</source>
            <translation>และอีก {count} รายการ</translation>
        </message>
        <message>
            <source>Date:</source>
            <translation>วันที่:</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
        <message>
            <source>Attachments: {files}</source>
            <translation>ไฟล์แนบ: {files}</translation>
        </message>
        <message>
            <source>Saved: {path}</source>
            <translation>บันทึกแล้ว: {path}</translation>
        </message>
        <message>
            <source>The source could not be shown: {reason}</source>
            <translation>แสดงต้นฉบับไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>Only the first {shown} of {total} are shown. Save the message as .eml to see all of it.</source>
            <translation>แสดงเฉพาะ {shown} แรกจากทั้งหมด {total} หากต้องการดูทั้งหมด กรุณาบันทึกจดหมายเป็นไฟล์ .eml</translation>
        </message>
        <message>
            <source>Source — {subject}</source>
            <translation>ต้นฉบับ — {subject}</translation>
        </message>
        <message>
            <source>The headers could not be shown: {reason}</source>
            <translation>แสดงส่วนหัวไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>The header is very long; only its beginning is shown.</source>
            <translation>ส่วนหัวยาวมาก แสดงเฉพาะส่วนต้น</translation>
        </message>
        <message>
            <source>Headers — {subject}</source>
            <translation>ส่วนหัว — {subject}</translation>
        </message>
    </context>
    <context>
        <name>MessageWindowController</name>
        <message>
            <source>&amp;Open Message…</source>
            <extracomment>Largest .eml file File → Open Message… reads. Per window: the read it waits for (a newer one makes older answers stale). Per window: the message to show once its own has left the list after Delete. Asks which .eml to open ("" = none); a seam for tests.</extracomment>
            <translation>เปิดจดหมาย(&amp;O)…</translation>
        </message>
        <message>
            <source>Open a saved message (.eml file) in its own window</source>
            <translation>เปิดจดหมายที่บันทึกไว้ (ไฟล์ .eml) ในหน้าต่างของตัวเอง</translation>
        </message>
        <message>
            <source>Open Message</source>
            <translation>เปิดจดหมาย</translation>
        </message>
        <message>
            <source>E-mail messages (*.eml);;All files (*)</source>
            <translation>ไฟล์จดหมาย (*.eml);;ไฟล์ทั้งหมด (*)</translation>
        </message>
        <message>
            <source>The file {name} is too large to open as a message.</source>
            <translation>ไฟล์ {name} มีขนาดใหญ่เกินกว่าจะเปิดเป็นจดหมายได้</translation>
        </message>
        <message>
            <source>The file {name} could not be opened: {reason}</source>
            <translation>เปิดไฟล์ {name} ไม่ได้: {reason}</translation>
        </message>
    </context>
    <context>
        <name>MimeParse</name>
        <message>
            <source>This message names several senders; check the addresses carefully.</source>
            <translation>จดหมายฉบับนี้ระบุผู้ส่งหลายราย กรุณาตรวจสอบที่อยู่อีเมลให้ดี</translation>
        </message>
        <message>
            <source>This message has more than one sender line; the sender may be forged. Check with the sender through a phone number or address you know before acting on it.</source>
            <extracomment>Warnings that mean "the sender may not be who the name says" (shown prominently).</extracomment>
            <translation>จดหมายฉบับนี้มีบรรทัดผู้ส่งมากกว่าหนึ่งบรรทัด ผู้ส่งอาจถูกปลอมแปลง กรุณาตรวจสอบกับผู้ส่งทางหมายเลขโทรศัพท์หรือที่อยู่ที่ท่านรู้จักก่อนดำเนินการตามจดหมาย</translation>
        </message>
        <message>
            <source>This message does not say who sent it. Do not open its links or attachments unless you expected it.</source>
            <translation>จดหมายฉบับนี้ไม่ระบุผู้ส่ง อย่าเปิดลิงก์หรือไฟล์แนบหากท่านไม่ได้รอรับจดหมายนี้</translation>
        </message>
        <message>
            <source>The sender's address is malformed; the sender may be forged. Check with the sender through a phone number or address you know before acting on it.</source>
            <translation>ที่อยู่อีเมลของผู้ส่งผิดรูปแบบ ผู้ส่งอาจถูกปลอมแปลง กรุณาตรวจสอบกับผู้ส่งทางหมายเลขโทรศัพท์หรือที่อยู่ที่ท่านรู้จักก่อนดำเนินการตามจดหมาย</translation>
        </message>
        <message>
            <source>The sender's name looks like a different e-mail address than the real one; the sender may be forged. Trust the address in angle brackets, not the name; if in doubt, check with the sender by phone.</source>
            <translation>ชื่อผู้ส่งดูเหมือนที่อยู่อีเมลอื่นซึ่งไม่ใช่ที่อยู่จริง ผู้ส่งอาจถูกปลอมแปลง ให้ยึดที่อยู่ในวงเล็บ &lt; &gt; ไม่ใช่ชื่อ หากสงสัยกรุณาโทรศัพท์ตรวจสอบกับผู้ส่ง</translation>
        </message>
        <message>
            <source>The sender's domain imitates a government domain with look-alike letters from another alphabet; its real form (xn--…) is shown. This message is not from a government address: do not reply, open its links or attachments, and report it to your IT staff.</source>
            <translation>โดเมนของผู้ส่งเลียนแบบโดเมนของหน่วยงานราชการด้วยตัวอักษรหน้าตาคล้ายกันจากอักษรภาษาอื่น จึงแสดงในรูปแบบจริง (xn--…) จดหมายฉบับนี้ไม่ได้มาจากที่อยู่อีเมลของหน่วยงานราชการ อย่าตอบกลับ อย่าเปิดลิงก์หรือไฟล์แนบ และแจ้งเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The sender's domain uses look-alike letters from another alphabet; its real form (xn--…) is shown. The sender may be forged: check the address carefully before replying or opening links or attachments.</source>
            <translation>โดเมนของผู้ส่งใช้ตัวอักษรหน้าตาคล้ายกันจากอักษรภาษาอื่น จึงแสดงในรูปแบบจริง (xn--…) ผู้ส่งอาจถูกปลอมแปลง กรุณาตรวจสอบที่อยู่ให้ดีก่อนตอบกลับหรือเปิดลิงก์หรือไฟล์แนบ</translation>
        </message>
        <message>
            <source>The sender's domain is spelled to look like a government domain (for example go-th.com instead of go.th), but it is not one. Do not reply, open its links or attachments; report it to your IT staff.</source>
            <translation>โดเมนของผู้ส่งสะกดให้ดูเหมือนโดเมนของหน่วยงานราชการ (เช่น go-th.com แทน go.th) แต่ไม่ใช่โดเมนราชการ อย่าตอบกลับ อย่าเปิดลิงก์หรือไฟล์แนบ และแจ้งเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The sender's name looks like a government agency or its official-document (saraban) address, but the message comes from outside the government domains. Do not act on it or open its links or attachments before checking with the agency through a phone number or address you know.</source>
            <translation>ชื่อผู้ส่งดูเหมือนหน่วยงานราชการหรือที่อยู่อีเมลสารบรรณ แต่จดหมายมาจากนอกโดเมนของหน่วยงานราชการ อย่าดำเนินการตามจดหมาย อย่าเปิดลิงก์หรือไฟล์แนบ จนกว่าจะตรวจสอบกับหน่วยงานทางหมายเลขโทรศัพท์หรือที่อยู่ที่ท่านรู้จัก</translation>
        </message>
        <message>
            <source>Replies to this message go to another domain than the sender's (see “Reply to”). Check that address before replying; do not send documents or passwords to an address you do not know.</source>
            <translation>การตอบกลับจดหมายฉบับนี้จะส่งไปยังโดเมนอื่นที่ไม่ใช่ของผู้ส่ง (ดูที่ “ตอบกลับไปที่”) กรุณาตรวจสอบที่อยู่นั้นก่อนตอบกลับ อย่าส่งเอกสารหรือรหัสผ่านไปยังที่อยู่ที่ท่านไม่รู้จัก</translation>
        </message>
        <message>
            <source>Hidden control or text-direction characters were removed from the sender's name.</source>
            <translation>ได้ลบอักขระควบคุมหรืออักขระกำหนดทิศทางข้อความที่ซ่อนอยู่ออกจากชื่อผู้ส่งแล้ว</translation>
        </message>
        <message>
            <source>This message is very large; only its beginning is shown.</source>
            <translation>จดหมายฉบับนี้มีขนาดใหญ่มาก จึงแสดงเฉพาะส่วนต้น</translation>
        </message>
        <message>
            <source>This message is nested too deeply; some of its parts are not shown.</source>
            <translation>จดหมายฉบับนี้ซ้อนกันหลายชั้นเกินไป บางส่วนจึงไม่ได้แสดง</translation>
        </message>
        <message>
            <source>This message has too many parts; some are not shown.</source>
            <translation>จดหมายฉบับนี้มีหลายส่วนเกินไป บางส่วนจึงไม่ได้แสดง</translation>
        </message>
        <message>
            <source>The formatted (HTML) text was shown as plain text; remote content was not loaded.</source>
            <translation>แสดงเนื้อหาแบบจัดรูปแบบ (HTML) เป็นข้อความธรรมดา และปิดกั้นเนื้อหาจากภายนอกแล้ว</translation>
        </message>
        <message>
            <source>An attachment's name hides its real type. Do not open it unless you are sure.</source>
            <translation>ชื่อไฟล์แนบปิดบังชนิดไฟล์ที่แท้จริง อย่าเปิดไฟล์นี้หากไม่แน่ใจ</translation>
        </message>
        <message>
            <source>Forwarded message</source>
            <extracomment>Nesting depth walked; deeper parts are skipped and said to be. Parts walked at most. Encoded bytes of one text part that are decoded. Characters of preview text in all. Decoded bytes of inline (``cid:``) images kept for the formatted view, in all. An attached message (message/rfc822): its own Subject, decoded ("" if it has none); None for every other attachment. False: the body is not in the cache (a large message kept as a skeleton, mime/skeleton.py): ``size`` is the server's, estimated; fetch it with ``services.part_fetch.PartFetcher``. The message IDs ("&lt;...&gt;") of In-Reply-To and References, in order (for replies). The header fields official markings are read from (:data:`mime.markings.MARKING_FIELDS`), as (lower-case name, value) pairs. Where the text came from: "plain", "html", "mixed" or "none". The formatted view's source: the decoded HTML of the chosen text/html part(s) (the HTML alternative where the plain view takes text/plain), with the other parts shown beside them as text (:func:`mime.html_view.text_to_html`), joined by :data:`mime.html_view.PART_BREAK`; not yet cleaned (:func:`mime.html_view.render_html` does that), bounded. "" without HTML. Inline parts that ``cid:`` URLs can name: (Content-ID as :func:`mime.html_view.cid_key` writes it, IMAP part number). The decoded bytes of the inline images (Content-ID, bytes), at most :data:`MAX_INLINE_BYTES` in all; only when the message has HTML. Bytes of a line break in the raw message (CRLF as IMAP serves it, LF in files). A skeleton's token (mime/skeleton.py): parts marked with it were left out. The formatted view's segments: ("html", decoded source) or ("text", plain text). Which view a part is walked for: both, the plain view only, the formatted view only.</extracomment>
            <translation>จดหมายที่ส่งต่อ</translation>
        </message>
        <message>
            <source>From</source>
            <translation>จาก</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>วันที่</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>เรื่อง</translation>
        </message>
        <message>
            <source>To</source>
            <translation>ถึง</translation>
        </message>
        <message>
            <source>This message is unusual.</source>
            <translation>จดหมายฉบับนี้มีลักษณะผิดปกติ</translation>
        </message>
    </context>
    <context>
        <name>Net</name>
        <message>
            <source>The server name {host} could not be found.</source>
            <translation>ไม่พบชื่อเซิร์ฟเวอร์ {host}</translation>
        </message>
        <message>
            <source>Please check the server name and the network connection.</source>
            <translation>กรุณาตรวจสอบชื่อเซิร์ฟเวอร์และการเชื่อมต่อเครือข่าย</translation>
        </message>
        <message>
            <source>The server {host} refused the connection on port {port}.</source>
            <translation>เซิร์ฟเวอร์ {host} ปฏิเสธการเชื่อมต่อที่พอร์ต {port}</translation>
        </message>
        <message>
            <source>Please check the port number, or ask your IT staff whether the server is running.</source>
            <translation>กรุณาตรวจสอบหมายเลขพอร์ต หรือสอบถามเจ้าหน้าที่ไอทีว่าเซิร์ฟเวอร์ทำงานอยู่หรือไม่</translation>
        </message>
        <message>
            <source>The server {host} did not answer in time.</source>
            <translation>เซิร์ฟเวอร์ {host} ไม่ตอบสนองภายในเวลาที่กำหนด</translation>
        </message>
        <message>
            <source>Please check the network connection and try again.</source>
            <translation>กรุณาตรวจสอบการเชื่อมต่อเครือข่ายแล้วลองอีกครั้ง</translation>
        </message>
        <message>
            <source>The server {host} cannot be reached from this network.</source>
            <translation>ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ {host} จากเครือข่ายนี้ได้</translation>
        </message>
        <message>
            <source>The server {host} closed the connection unexpectedly.</source>
            <translation>เซิร์ฟเวอร์ {host} ปิดการเชื่อมต่อโดยไม่คาดคิด</translation>
        </message>
        <message>
            <source>Please try again later.</source>
            <translation>กรุณาลองใหม่ภายหลัง</translation>
        </message>
        <message>
            <source>The connection was stopped to protect your password. Please contact your IT staff.</source>
            <translation>ได้หยุดการเชื่อมต่อเพื่อปกป้องรหัสผ่านของท่าน กรุณาติดต่อเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The server {host} does not offer a secure (TLS) connection on port {port}.</source>
            <translation>เซิร์ฟเวอร์ {host} ไม่มีการเชื่อมต่อแบบปลอดภัย (TLS) ที่พอร์ต {port}</translation>
        </message>
        <message>
            <source>GovMail never sends a password or mail without encryption. Please ask your IT staff for the server's secure port.</source>
            <translation>GovMail จะไม่ส่งรหัสผ่านหรืออีเมลโดยไม่เข้ารหัส กรุณาสอบถามเจ้าหน้าที่ไอทีถึงพอร์ตที่ปลอดภัยของเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>The server {host} offers only a TLS version older than the agency's policy allows (minimum {minimum}).</source>
            <translation>เซิร์ฟเวอร์ {host} รองรับเฉพาะ TLS รุ่นที่เก่ากว่าที่นโยบายของหน่วยงานอนุญาต (ขั้นต่ำ {minimum})</translation>
        </message>
        <message>
            <source>Please ask your IT staff to update the server's TLS settings.</source>
            <translation>กรุณาแจ้งเจ้าหน้าที่ไอทีให้ปรับปรุงการตั้งค่า TLS ของเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>The certificate of the server {host} is not trusted.</source>
            <translation>ใบรับรองของเซิร์ฟเวอร์ {host} ไม่น่าเชื่อถือ</translation>
        </message>
        <message>
            <source>The certificate presented by the server is not issued for {host}.</source>
            <translation>ใบรับรองที่เซิร์ฟเวอร์แสดงไม่ได้ออกให้กับ {host}</translation>
        </message>
        <message>
            <source>Please check the server name. If it is correct, the connection may be intercepted: contact your IT staff.</source>
            <translation>กรุณาตรวจสอบชื่อเซิร์ฟเวอร์ หากถูกต้อง การเชื่อมต่ออาจถูกดักฟัง กรุณาติดต่อเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The certificate of the server {host} has expired or is not yet valid.</source>
            <translation>ใบรับรองของเซิร์ฟเวอร์ {host} หมดอายุแล้วหรือยังไม่ถึงวันที่เริ่มใช้ได้</translation>
        </message>
        <message>
            <source>Please check this computer's date and time; if they are right, contact your IT staff.</source>
            <translation>กรุณาตรวจสอบวันที่และเวลาของเครื่องนี้ หากถูกต้องแล้ว กรุณาติดต่อเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The key of the server {host} is not the one the agency's policy expects (pin mismatch).</source>
            <translation>กุญแจของเซิร์ฟเวอร์ {host} ไม่ตรงกับที่นโยบายของหน่วยงานกำหนด (pin ไม่ตรงกัน)</translation>
        </message>
        <message>
            <source>A secure connection to the server {host} could not be established.</source>
            <translation>ไม่สามารถสร้างการเชื่อมต่อแบบปลอดภัยกับเซิร์ฟเวอร์ {host} ได้</translation>
        </message>
        <message>
            <source>The server {host} did not accept the connection.</source>
            <translation>เซิร์ฟเวอร์ {host} ไม่รับการเชื่อมต่อ</translation>
        </message>
        <message>
            <source>The server {host} sent an answer that could not be understood.</source>
            <translation>เซิร์ฟเวอร์ {host} ตอบกลับในรูปแบบที่ไม่เข้าใจ</translation>
        </message>
        <message>
            <source>Please check the server name and port with your IT staff.</source>
            <translation>กรุณาตรวจสอบชื่อเซิร์ฟเวอร์และพอร์ตกับเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The mail-sending server {host} does not offer sign-in over a secure connection on port {port}.</source>
            <translation>เซิร์ฟเวอร์ส่งอีเมล {host} ไม่มีการลงชื่อเข้าใช้ผ่านการเชื่อมต่อแบบปลอดภัยที่พอร์ต {port}</translation>
        </message>
        <message>
            <source>Please ask your IT staff which port to use for sending mail.</source>
            <translation>กรุณาสอบถามเจ้าหน้าที่ไอทีว่าต้องใช้พอร์ตใดในการส่งอีเมล</translation>
        </message>
        <message>
            <source>The mail-sending server {host} refused the message.</source>
            <translation>เซิร์ฟเวอร์ส่งอีเมล {host} ไม่รับจดหมายนี้</translation>
        </message>
        <message>
            <source>The server {host} sent more data than a mail server would, so the connection was closed.</source>
            <translation>เซิร์ฟเวอร์ {host} ส่งข้อมูลมามากเกินกว่าที่เซิร์ฟเวอร์อีเมลจะส่ง จึงตัดการเชื่อมต่อแล้ว</translation>
        </message>
        <message>
            <source>This is a fault (or an attack) on the server's side, not a problem with your password. Please contact your IT staff.</source>
            <translation>เป็นความผิดปกติ (หรือการโจมตี) จากฝั่งเซิร์ฟเวอร์ ไม่ใช่ปัญหาที่รหัสผ่านของท่าน กรุณาติดต่อเจ้าหน้าที่ไอทีของหน่วยงาน</translation>
        </message>
        <message>
            <source>The server {host} did not accept the login name or password.</source>
            <translation>เซิร์ฟเวอร์ {host} ไม่ยอมรับชื่อผู้ใช้หรือรหัสผ่าน</translation>
        </message>
        <message>
            <source>Please check your e-mail address and password and try again.</source>
            <translation>กรุณาตรวจสอบที่อยู่อีเมลและรหัสผ่านแล้วลองอีกครั้ง</translation>
        </message>
        <message>
            <source>The CA certificate file named by the policy cannot be used: {path}</source>
            <extracomment>Never go below this whatever the policy says (OpenSSL's own floor today).</extracomment>
            <translation>ไม่สามารถใช้ไฟล์ใบรับรอง CA ที่นโยบายกำหนดได้: {path}</translation>
        </message>
        <message>
            <source>The CA certificate file cannot be used: {path}</source>
            <translation>ไม่สามารถใช้ไฟล์ใบรับรอง CA ได้: {path}</translation>
        </message>
    </context>
    <context>
        <name>Outbox</name>
        <message>
            <source>“{address}” in the {field} field is not a valid e-mail address.</source>
            <extracomment>What a finding is about.</extracomment>
            <translation>“{address}” ในช่อง {field} ไม่ใช่ที่อยู่อีเมลที่ถูกต้อง</translation>
        </message>
        <message>
            <source>The sender “{address}” is not one valid e-mail address.</source>
            <translation>ผู้ส่ง “{address}” ไม่ใช่ที่อยู่อีเมลที่ถูกต้องหนึ่งที่อยู่</translation>
        </message>
        <message>
            <source>The message has no recipient: fill in To, Cc or Bcc.</source>
            <translation>จดหมายยังไม่มีผู้รับ กรุณากรอกช่อง ถึง สำเนาถึง หรือสำเนาลับถึง</translation>
        </message>
        <message>
            <source>The {field} field names {count} addresses; at most {limit} can be sent in one message.</source>
            <translation>ช่อง {field} มี {count} ที่อยู่ ส่งได้ไม่เกิน {limit} ที่อยู่ต่อจดหมายหนึ่งฉบับ</translation>
        </message>
        <message>
            <source>From</source>
            <translation>จาก</translation>
        </message>
        <message>
            <source>To</source>
            <translation>ถึง</translation>
        </message>
        <message>
            <source>Cc</source>
            <translation>สำเนาถึง</translation>
        </message>
        <message>
            <source>Bcc</source>
            <translation>สำเนาลับถึง</translation>
        </message>
        <message>
            <source>Please correct the address and send again.</source>
            <translation>กรุณาแก้ไขที่อยู่แล้วส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>Waiting to be sent</source>
            <translation>รอส่ง</translation>
        </message>
        <message>
            <source>Sending</source>
            <translation>กำลังส่ง</translation>
        </message>
        <message>
            <source>Sent; saving the copy in Sent</source>
            <translation>ส่งแล้ว กำลังบันทึกสำเนาในจดหมายที่ส่งแล้ว</translation>
        </message>
        <message>
            <source>Sent; marking the original message</source>
            <translation>ส่งแล้ว กำลังทำเครื่องหมายจดหมายต้นฉบับ</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>ส่งแล้ว</translation>
        </message>
        <message>
            <source>Not sent</source>
            <translation>ส่งไม่สำเร็จ</translation>
        </message>
        <message>
            <source>May have been sent</source>
            <translation>อาจส่งไปแล้ว</translation>
        </message>
        <message>
            <source>Delivered to {delivered} of {total} recipients ({waiting} to be tried again, {refused} refused).</source>
            <extracomment>Which state may follow which (anything else is a bug, refused by :meth:`OutboxStore.update`). States in which the message may still leave by SMTP (by itself or by the user's word). How far a message got, recipient by recipient (:attr:`OutboxEntry.progress`).</extracomment>
            <translation>ส่งถึงผู้รับแล้ว {delivered} จาก {total} ราย (รอส่งใหม่ {waiting} ราย ถูกปฏิเสธ {refused} ราย)</translation>
        </message>
        <message>
            <source>Not sent: the agency's policy does not allow it. {reason}</source>
            <extracomment>Seconds a closing connection waits for the server's answer to QUIT. StorageError codes that mean this computer's disk refuses every write for now (not one damaged entry): a run stops at the first and the outbox waits for room. Seconds before the n-th retry of a temporary failure (then the last one, again and again). A message still not sent this long after Send (4 hours) is flagged ``overdue`` and the user told once; it stays queued and is still tried every 30 minutes. Why 4 hours: the backoff has made about ten attempts by then, so a server restart, a greylisting delay or a short network outage has passed without bothering anyone; yet official letters (ด่วน, ด่วนมาก, ด่วนที่สุด) must not wait silently past the same working day — with 24 hours a letter sent in the morning would be reported only the next day, too late to phone or fax it.</extracomment>
            <translation>ไม่ได้ส่ง: นโยบายของหน่วยงานไม่อนุญาต {reason}</translation>
        </message>
        <message>
            <source>Not sent: the message is {size} MB; the server takes at most {limit} MB. Remove or shrink attachments and send again.</source>
            <translation>ไม่ได้ส่ง: จดหมายมีขนาด {size} MB แต่เซิร์ฟเวอร์รับได้ไม่เกิน {limit} MB กรุณาเอาไฟล์แนบออกหรือลดขนาดแล้วส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>Not sent: the server says the message is too big ({answer}). Remove or shrink attachments and send again.</source>
            <translation>ไม่ได้ส่ง: เซิร์ฟเวอร์แจ้งว่าจดหมายมีขนาดใหญ่เกินไป ({answer}) กรุณาเอาไฟล์แนบออกหรือลดขนาดแล้วส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>Not sent: the server refused the sender {address} ({answer}).</source>
            <translation>ไม่ได้ส่ง: เซิร์ฟเวอร์ไม่รับผู้ส่ง {address} ({answer})</translation>
        </message>
        <message>
            <source>Not sent: the server refused every recipient. {answers}</source>
            <translation>ไม่ได้ส่ง: เซิร์ฟเวอร์ไม่รับผู้รับทุกราย {answers}</translation>
        </message>
        <message>
            <source>Not sent: the server refused the message ({answer}).</source>
            <translation>ไม่ได้ส่ง: เซิร์ฟเวอร์ไม่รับจดหมายนี้ ({answer})</translation>
        </message>
        <message>
            <source>The server could not take the message now ({answer}); it will be sent again automatically.</source>
            <translation>ขณะนี้เซิร์ฟเวอร์ยังรับจดหมายไม่ได้ ({answer}) โปรแกรมจะส่งอีกครั้งโดยอัตโนมัติ</translation>
        </message>
        <message>
            <source>Waiting to be sent: {problem} It will be sent when the connection returns.</source>
            <translation>รอส่ง: {problem} จดหมายจะถูกส่งเมื่อเชื่อมต่อได้อีกครั้ง</translation>
        </message>
        <message>
            <source>Waiting to be sent: {problem}</source>
            <translation>รอส่ง: {problem}</translation>
        </message>
        <message>
            <source>Sent, but not to: {answers}</source>
            <translation>ส่งแล้ว แต่ไม่ถึงผู้รับต่อไปนี้: {answers}</translation>
        </message>
        <message>
            <source>Sent to {delivered} of {total} recipients; {waiting} will be tried again automatically. Not delivered yet: {answers}</source>
            <translation>ส่งถึงผู้รับแล้ว {delivered} จาก {total} ราย โปรแกรมจะส่งถึงอีก {waiting} รายใหม่โดยอัตโนมัติ ยังส่งไม่ถึง: {answers}</translation>
        </message>
        <message>
            <source>Not sent yet after {hours} hours: {problem} It is still tried automatically; if it is urgent, tell the recipients another way.</source>
            <translation>ยังส่งไม่ได้หลังผ่านไป {hours} ชั่วโมง: {problem} โปรแกรมยังคงพยายามส่งโดยอัตโนมัติ หากเป็นเรื่องด่วน กรุณาแจ้งผู้รับด้วยช่องทางอื่น</translation>
        </message>
        <message>
            <source>The connection ended while the server was taking the message: it may have been sent. Check with the recipients, then choose Send again or Mark as sent.</source>
            <translation>การเชื่อมต่อขาดขณะที่เซิร์ฟเวอร์กำลังรับจดหมาย จดหมายอาจส่งไปแล้ว กรุณาสอบถามผู้รับ แล้วเลือก ส่งอีกครั้ง หรือ ทำเครื่องหมายว่าส่งแล้ว</translation>
        </message>
        <message>
            <source>Not sent: it could not be sent because of an error in the program. The message is kept: choose Try again or Edit and send again. The details are in the log.</source>
            <translation>ไม่ได้ส่ง: ส่งไม่ได้เพราะเกิดข้อผิดพลาดในโปรแกรม จดหมายยังเก็บไว้ครบถ้วน กรุณาเลือก ลองส่งอีกครั้ง หรือ แก้ไขแล้วส่งอีกครั้ง รายละเอียดอยู่ในบันทึกการทำงาน (log)</translation>
        </message>
        <message>
            <source>An error in the program stopped the sending after the message was handed to the server: it may have been sent. The message is kept; the details are in the log. Check with the recipients, then choose Send again or Mark as sent.</source>
            <translation>เกิดข้อผิดพลาดในโปรแกรมหลังจากส่งจดหมายให้เซิร์ฟเวอร์แล้ว จดหมายอาจส่งไปแล้ว จดหมายยังเก็บไว้ครบถ้วน รายละเอียดอยู่ในบันทึกการทำงาน (log) กรุณาสอบถามผู้รับ แล้วเลือก ส่งอีกครั้ง หรือ ทำเครื่องหมายว่าส่งแล้ว</translation>
        </message>
        <message>
            <source>Sent, but an error in the program stopped saving the copy in the Sent folder or marking the original message; it is tried again later. The details are in the log.</source>
            <translation>ส่งแล้ว แต่เกิดข้อผิดพลาดในโปรแกรมระหว่างบันทึกสำเนาในโฟลเดอร์จดหมายที่ส่งแล้วหรือทำเครื่องหมายจดหมายต้นฉบับ โปรแกรมจะลองอีกครั้งภายหลัง รายละเอียดอยู่ในบันทึกการทำงาน (log)</translation>
        </message>
        <message>
            <source>Sent, but the copy could not be saved in the Sent folder ({answer}).</source>
            <extracomment>A kept IMAP connection quiet this long (seconds) is checked (NOOP) before it is used again.</extracomment>
            <translation>ส่งแล้ว แต่บันทึกสำเนาในโฟลเดอร์จดหมายที่ส่งแล้วไม่ได้ ({answer})</translation>
        </message>
        <message>
            <source>The message cannot be sent as it is.</source>
            <extracomment>How the bytes of an entry with UTF-8 header fields are built (``OutboxEntry.transfer``): with an 8-bit body (the server offers 8BITMIME too), or a 7-bit one (it does not).</extracomment>
            <translation>ยังส่งจดหมายนี้ไม่ได้</translation>
        </message>
        <message>
            <source>“{subject}” was not deleted: it had already been sent. Its copy goes to the Sent folder as usual.</source>
            <extracomment>States in which Delete / Remove takes a message out of the outbox when the worker gets to it: not started, refused, "may have been sent", or finished. Never one being sent or one the server has taken whose Sent copy and original's mark are still to come. How many messages the worker remembers having finished (Delete that arrives late is told so). Seconds the SMTP (and IMAP) connection stays open after the outbox emptied: the next Send within that time needs no new connection, TLS handshake and AUTH. Then it is closed cleanly (QUIT, LOGOUT) — also when the account goes offline or the app quits. Seconds the outbox waits after this computer's disk refused a write (full, read-only) before it tries again by itself; Send, Try again and going online try at once.</extracomment>
            <translation>ไม่ได้ลบ “{subject}” เพราะจดหมายส่งไปแล้ว สำเนาจะบันทึกในโฟลเดอร์จดหมายที่ส่งแล้วตามปกติ</translation>
        </message>
    </context>
    <context>
        <name>OutboxController</name>
        <message>
            <source>“{subject}”: {notice}</source>
            <extracomment>The notice keys (one per account): a later notice about the same outbox replaces it. The outbox shown (None: the message list is shown). What each entry was when last seen, by (account id, entry id): notices on a change. Entries being taken back to the composer (a second click waits for the first).</extracomment>
            <translation>“{subject}”: {notice}</translation>
        </message>
        <message>
            <source>“{subject}” was sent, but not to every recipient: see the Outbox.</source>
            <translation>“{subject}” ส่งแล้ว แต่ไม่ถึงผู้รับบางราย ดูรายละเอียดในกล่องจดหมายออก</translation>
        </message>
        <message>
            <source>“{subject}” may have been sent: open the Outbox to send it again or mark it as sent.</source>
            <translation>“{subject}” อาจส่งไปแล้ว เปิดกล่องจดหมายออกเพื่อส่งอีกครั้งหรือทำเครื่องหมายว่าส่งแล้ว</translation>
        </message>
        <message>
            <source>{count} messages may have been sent: open the Outbox to send them again or mark them as sent.</source>
            <translation>จดหมาย {count} ฉบับอาจส่งไปแล้ว เปิดกล่องจดหมายออกเพื่อส่งอีกครั้งหรือทำเครื่องหมายว่าส่งแล้ว</translation>
        </message>
        <message>
            <source>“{subject}” was not sent: open the Outbox to see the server's answer and send it again.</source>
            <translation>“{subject}” ส่งไม่สำเร็จ เปิดกล่องจดหมายออกเพื่อดูคำตอบจากเซิร์ฟเวอร์และส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>{count} messages were not sent: open the Outbox to see the server's answers.</source>
            <translation>จดหมาย {count} ฉบับส่งไม่สำเร็จ เปิดกล่องจดหมายออกเพื่อดูคำตอบจากเซิร์ฟเวอร์</translation>
        </message>
    </context>
    <context>
        <name>OutboxModel</name>
        <message>
            <source>Sent, but not to every recipient</source>
            <extracomment>Text colours of the states that need the user (as the marking badges: red = act now).</extracomment>
            <translation>ส่งแล้ว แต่ไม่ถึงผู้รับบางราย</translation>
        </message>
        <message>
            <source>Waiting to be sent again</source>
            <translation>รอส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>State</source>
            <translation>สถานะ</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>เรื่อง</translation>
        </message>
        <message>
            <source>Recipients</source>
            <translation>ผู้รับ</translation>
        </message>
        <message>
            <source>Send pressed</source>
            <translation>เวลาที่กดส่ง</translation>
        </message>
        <message>
            <source>Server's answer</source>
            <translation>คำตอบจากเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
    </context>
    <context>
        <name>OutboxView</name>
        <message>
            <source>Select a message to see what the server answered.</source>
            <extracomment>Which buttons each state shows, in order. The confirmation open now (tests answer it), or None.</extracomment>
            <translation>เลือกจดหมายเพื่อดูคำตอบจากเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
        <message>
            <source>{state} · Send pressed {time}</source>
            <translation>{state} · กดส่งเมื่อ {time}</translation>
        </message>
        <message>
            <source>attempts: {count}</source>
            <translation>พยายามส่ง {count} ครั้ง</translation>
        </message>
        <message>
            <source>Accepted</source>
            <translation>รับแล้ว</translation>
        </message>
        <message>
            <source>Not known</source>
            <translation>ไม่ทราบ</translation>
        </message>
        <message>
            <source>Not tried yet</source>
            <translation>ยังไม่ได้ส่ง</translation>
        </message>
        <message>
            <source>No answer</source>
            <translation>ไม่มีคำตอบ</translation>
        </message>
        <message>
            <source>Later (temporary)</source>
            <translation>ขัดข้องชั่วคราว (จะลองใหม่)</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>ถูกปฏิเสธ</translation>
        </message>
        <message>
            <source>Send this message again?</source>
            <translation>ส่งจดหมายนี้อีกครั้งหรือไม่</translation>
        </message>
        <message>
            <source>“{subject}” may already have been sent: the connection ended while the server was taking it. If it was, every recipient gets it twice. Check with the recipients or in the Sent folder first when you can.</source>
            <translation>“{subject}” อาจส่งไปแล้ว เพราะการเชื่อมต่อขาดขณะที่เซิร์ฟเวอร์กำลังรับจดหมาย หากส่งไปแล้ว ผู้รับทุกคนจะได้รับจดหมายฉบับนี้ซ้ำสองครั้ง หากทำได้ กรุณาสอบถามผู้รับหรือตรวจดูในจดหมายที่ส่งแล้วก่อน</translation>
        </message>
        <message>
            <source>Send again</source>
            <translation>ส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>Delete this message from the outbox?</source>
            <translation>ลบจดหมายนี้ออกจากกล่องจดหมายออกหรือไม่</translation>
        </message>
        <message>
            <source>“{subject}” will not be sent. This cannot be undone.</source>
            <translation>“{subject}” จะไม่ถูกส่ง และไม่สามารถเรียกคืนได้</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>ลบ</translation>
        </message>
        <message>
            <source>Edit and send again?</source>
            <translation>แก้ไขแล้วส่งอีกครั้งหรือไม่</translation>
        </message>
        <message>
            <source>{count} recipient(s) already have “{subject}”: {addresses}. The new message leaves them out, so they do not get it twice; add them back in the new window if they should.</source>
            <translation>ผู้รับ {count} รายได้รับ “{subject}” แล้ว: {addresses} จดหมายใหม่จะไม่ส่งถึงผู้รับเหล่านี้เพื่อไม่ให้ได้รับซ้ำ หากต้องการส่งถึงอีกครั้ง กรุณาเพิ่มกลับในหน้าต่างใหม่</translation>
        </message>
        <message>
            <source>Edit without them</source>
            <translation>แก้ไขโดยไม่รวมผู้รับเหล่านี้</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>ยกเลิก</translation>
        </message>
        <message>
            <source>Outbox</source>
            <translation>กล่องจดหมายออก</translation>
        </message>
        <message>
            <source>The outbox is empty: every message has been sent.</source>
            <translation>กล่องจดหมายออกว่าง จดหมายทุกฉบับส่งแล้ว</translation>
        </message>
        <message>
            <source>Recipient</source>
            <translation>ผู้รับ</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>ผล</translation>
        </message>
        <message>
            <source>Server's answer</source>
            <translation>คำตอบจากเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>Edit and send again</source>
            <translation>แก้ไขแล้วส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>Open the message in a new window to correct it</source>
            <translation>เปิดจดหมายในหน้าต่างใหม่เพื่อแก้ไข</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>ลองส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>Send the message again as it is</source>
            <translation>ส่งจดหมายอีกครั้งโดยไม่แก้ไข</translation>
        </message>
        <message>
            <source>Take the message out of the outbox; it will not be sent</source>
            <translation>นำจดหมายออกจากกล่องจดหมายออก จดหมายจะไม่ถูกส่ง</translation>
        </message>
        <message>
            <source>Send now</source>
            <translation>ส่งทันที</translation>
        </message>
        <message>
            <source>Try to send the message now</source>
            <translation>ลองส่งจดหมายทันที</translation>
        </message>
        <message>
            <source>Send again: the recipients may get it twice</source>
            <translation>ส่งอีกครั้ง: ผู้รับอาจได้รับจดหมายซ้ำ</translation>
        </message>
        <message>
            <source>Mark as sent</source>
            <translation>ทำเครื่องหมายว่าส่งแล้ว</translation>
        </message>
        <message>
            <source>It was sent: keep a copy in the Sent folder and never send it again</source>
            <translation>จดหมายส่งแล้ว: เก็บสำเนาไว้ในจดหมายที่ส่งแล้ว และจะไม่ส่งซ้ำ</translation>
        </message>
        <message>
            <source>Remove from the list</source>
            <translation>นำออกจากรายการ</translation>
        </message>
        <message>
            <source>The message was sent; forget what went wrong</source>
            <translation>จดหมายส่งแล้ว นำข้อผิดพลาดออกจากรายการ</translation>
        </message>
    </context>
    <context>
        <name>PartFetch</name>
        <message>
            <source>This attachment could not be downloaded: the message is no longer on the server.</source>
            <extracomment>Messages larger than this (RFC822.SIZE) are kept as a skeleton; smaller ones whole. Parts up to this size (as sent) come with the skeleton whatever they are. Images of an HTML body (parts of a multipart/related) come with it up to this size. Attached messages (message/rfc822) come whole up to this size; bigger: their header only. Bytes (as sent) of one text part fetched: what the preview decodes at most, base64 included. Sections asked for in one FETCH (keeps each command line short for any server). Bytes asked for per command when a part is downloaded (progress and cancel step).</extracomment>
            <translation>ดาวน์โหลดไฟล์แนบนี้ไม่ได้ เพราะจดหมายฉบับนี้ไม่อยู่บนเซิร์ฟเวอร์แล้ว</translation>
        </message>
        <message>
            <source>Refresh the folder and open the message again.</source>
            <translation>โปรดซิงค์โฟลเดอร์อีกครั้ง แล้วเปิดจดหมายฉบับนี้ใหม่</translation>
        </message>
        <message>
            <source>The connection to the server was lost while downloading the attachment. Nothing was kept.</source>
            <extracomment>Connections one download may use (a connection lost after some progress is replaced). How often a waiting caller asks ``cancelled()`` while the download is still queued. Finished operations remembered for callers that asked after the end (race guard).</extracomment>
            <translation>การเชื่อมต่อกับเซิร์ฟเวอร์ขาดหายระหว่างดาวน์โหลดไฟล์แนบ จึงไม่ได้เก็บไฟล์ใดไว้</translation>
        </message>
        <message>
            <source>Check the network connection and try again.</source>
            <translation>โปรดตรวจสอบการเชื่อมต่อเครือข่าย แล้วลองอีกครั้ง</translation>
        </message>
        <message>
            <source>Downloading an attachment</source>
            <translation>กำลังดาวน์โหลดไฟล์แนบ</translation>
        </message>
    </context>
    <context>
        <name>PasswordPrompt</name>
        <message>
            <source>Password</source>
            <translation>รหัสผ่าน</translation>
        </message>
        <message>
            <source>Please enter the password of {address}.</source>
            <translation>กรุณาใส่รหัสผ่านของบัญชี {address}</translation>
        </message>
        <message>
            <source>Remember the password in the system's password store (keyring)</source>
            <translation>จำรหัสผ่านไว้ในที่เก็บรหัสผ่านของระบบ (keyring)</translation>
        </message>
    </context>
    <context>
        <name>Policy</name>
        <message>
            <source>“{host}” is not a valid server name.</source>
            <translation>“{host}” ไม่ใช่ชื่อเซิร์ฟเวอร์ที่ถูกต้อง</translation>
        </message>
        <message>
            <source>Please check the server name in the account settings.</source>
            <translation>กรุณาตรวจสอบชื่อเซิร์ฟเวอร์ในการตั้งค่าบัญชี</translation>
        </message>
        <message>
            <source>The server {host} is not on the list of servers your agency allows.</source>
            <translation>เซิร์ฟเวอร์ {host} ไม่อยู่ในรายการเซิร์ฟเวอร์ที่หน่วยงานอนุญาต</translation>
        </message>
        <message>
            <source>Please use your agency's mail server, or contact your IT staff if this server should be allowed.</source>
            <translation>กรุณาใช้เซิร์ฟเวอร์อีเมลของหน่วยงาน หรือติดต่อเจ้าหน้าที่ไอทีหากควรอนุญาตเซิร์ฟเวอร์นี้</translation>
        </message>
        <message>
            <source>The server {host} belongs to a mail service that official mail may not use ({rule}).</source>
            <translation>เซิร์ฟเวอร์ {host} เป็นของบริการอีเมลที่ไม่อนุญาตให้ใช้กับอีเมลราชการ ({rule})</translation>
        </message>
        <message>
            <source>Official mail must stay on government servers in Thailand (Cabinet resolution of 18 December 2007). Please use your agency's e-mail account.</source>
            <translation>อีเมลราชการต้องอยู่บนเซิร์ฟเวอร์ของภาครัฐในประเทศไทย (มติคณะรัฐมนตรี 18 ธ.ค. 2550) กรุณาใช้บัญชีอีเมลของหน่วยงาน</translation>
        </message>
        <message>
            <source>“{ip}” is not a valid network address for the server {host}.</source>
            <translation>“{ip}” ไม่ใช่ที่อยู่เครือข่ายที่ถูกต้องของเซิร์ฟเวอร์ {host}</translation>
        </message>
        <message>
            <source>The server {host} is at the address {ip}, which is registered outside Thailand ({country}).</source>
            <translation>เซิร์ฟเวอร์ {host} อยู่ที่หมายเลข {ip} ซึ่งจดทะเบียนนอกประเทศไทย ({country})</translation>
        </message>
        <message>
            <source>Official mail must stay on servers in Thailand. If this server is correct, please contact your IT staff; they can list its address range in the policy.</source>
            <translation>อีเมลราชการต้องอยู่บนเซิร์ฟเวอร์ในประเทศไทย หากเซิร์ฟเวอร์นี้ถูกต้อง กรุณาติดต่อเจ้าหน้าที่ไอที ซึ่งสามารถเพิ่มช่วงหมายเลขของเซิร์ฟเวอร์ในนโยบายได้</translation>
        </message>
        <message>
            <source>The server {host} is at a local or private address ({ip}) that the policy does not allow.</source>
            <translation>เซิร์ฟเวอร์ {host} อยู่ที่หมายเลขภายในหรือหมายเลขส่วนตัว ({ip}) ซึ่งนโยบายไม่อนุญาต</translation>
        </message>
        <message>
            <source>If this is your agency's internal server, your IT staff can list its address range in the policy.</source>
            <translation>หากเป็นเซิร์ฟเวอร์ภายในของหน่วยงาน เจ้าหน้าที่ไอทีสามารถเพิ่มช่วงหมายเลขของเซิร์ฟเวอร์ในนโยบายได้</translation>
        </message>
        <message>
            <source>It is not known in which country the address {ip} of the server {host} is registered.</source>
            <translation>ไม่ทราบว่าหมายเลข {ip} ของเซิร์ฟเวอร์ {host} จดทะเบียนในประเทศใด</translation>
        </message>
        <message>
            <source>Please contact your IT staff to correct the policy (govmail-admin policy validate).</source>
            <translation>กรุณาติดต่อเจ้าหน้าที่ไอทีเพื่อแก้ไขนโยบาย (govmail-admin policy validate)</translation>
        </message>
        <message>
            <source>“{address}” is not a valid e-mail address.</source>
            <translation>“{address}” ไม่ใช่ที่อยู่อีเมลที่ถูกต้อง</translation>
        </message>
        <message>
            <source>The address {address} is not in a domain your agency allows for mail accounts.</source>
            <translation>ที่อยู่ {address} ไม่อยู่ในโดเมนที่หน่วยงานอนุญาตให้ใช้เป็นบัญชีอีเมล</translation>
        </message>
        <message>
            <source>Please use your government e-mail address (for example name@agency.go.th), or contact your IT staff.</source>
            <translation>กรุณาใช้ที่อยู่อีเมลราชการของท่าน (เช่น name@agency.go.th) หรือติดต่อเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>The address {address} belongs to a mail service that official mail may not use.</source>
            <translation>ที่อยู่ {address} เป็นของบริการอีเมลที่ไม่อนุญาตให้ใช้กับอีเมลราชการ</translation>
        </message>
        <message>
            <source>No connection was made because the agency's mail policy is invalid: {problem}.</source>
            <translation>ไม่ได้เชื่อมต่อ เนื่องจากนโยบายอีเมลของหน่วยงานไม่ถูกต้อง: {problem}</translation>
        </message>
        <message>
            <source>The agency's mail policy is invalid: {problem}.</source>
            <translation>นโยบายอีเมลของหน่วยงานไม่ถูกต้อง: {problem}</translation>
        </message>
        <message>
            <source>No connections will be made until the IT staff correct the policy. Please contact your IT staff.</source>
            <translation>โปรแกรมจะไม่เชื่อมต่อเซิร์ฟเวอร์ใดจนกว่าเจ้าหน้าที่ไอทีจะแก้ไขนโยบาย กรุณาติดต่อเจ้าหน้าที่ไอที</translation>
        </message>
        <message>
            <source>{source}, key {key}: {problem}</source>
            <translation>{source} คีย์ {key}: {problem}</translation>
        </message>
        <message>
            <source>{source}: {problem}</source>
            <translation>{source}: {problem}</translation>
        </message>
        <message>
            <source>built-in default</source>
            <translation>ค่าเริ่มต้นของโปรแกรม</translation>
        </message>
        <message>
            <source>unknown key (known keys: {known})</source>
            <translation>ไม่รู้จักคีย์นี้ (คีย์ที่ใช้ได้: {known})</translation>
        </message>
        <message>
            <source>the key “{name}” appears more than once</source>
            <translation>คีย์ “{name}” ปรากฏมากกว่าหนึ่งครั้ง</translation>
        </message>
        <message>
            <source>expected {expected}, found {found}</source>
            <translation>ต้องเป็น{expected} แต่พบ{found}</translation>
        </message>
        <message>
            <source>“{value}” is not one of: {choices}</source>
            <translation>“{value}” ไม่ใช่ค่าที่ใช้ได้ ({choices})</translation>
        </message>
        <message>
            <source>{value} is out of range ({minimum} to {maximum})</source>
            <translation>{value} อยู่นอกช่วงที่ใช้ได้ ({minimum} ถึง {maximum})</translation>
        </message>
        <message>
            <source>“{value}” is not a valid host name or pattern ({reason})</source>
            <translation>“{value}” ไม่ใช่ชื่อโฮสต์หรือรูปแบบที่ถูกต้อง ({reason})</translation>
        </message>
        <message>
            <source>“{value}” is not a valid domain or pattern ({reason})</source>
            <translation>“{value}” ไม่ใช่โดเมนหรือรูปแบบที่ถูกต้อง ({reason})</translation>
        </message>
        <message>
            <source>“{value}” is not a valid address range such as 10.20.0.0/16</source>
            <translation>“{value}” ไม่ใช่ช่วงหมายเลขที่ถูกต้อง (ตัวอย่าง 10.20.0.0/16)</translation>
        </message>
        <message>
            <source>“{value}” has host bits set; did you mean {suggestion}?</source>
            <translation>“{value}” ระบุบิตของโฮสต์ไว้ด้วย ต้องการระบุ {suggestion} ใช่หรือไม่</translation>
        </message>
        <message>
            <source>“{value}” is too broad (shorter than /{minimum}); it would switch off the Thailand check</source>
            <translation>“{value}” กว้างเกินไป (สั้นกว่า /{minimum}) จะทำให้การตรวจสอบว่าอยู่ในประเทศไทยไม่มีผล</translation>
        </message>
        <message>
            <source>“{value}” is not a base64 SHA-256 pin of a public key (44 characters ending in =)</source>
            <translation>“{value}” ไม่ใช่ค่า pin แบบ SHA-256 ของกุญแจสาธารณะในรูป base64 (44 ตัวอักษร ลงท้ายด้วย =)</translation>
        </message>
        <message>
            <source>“{value}” is not a file extension such as .exe</source>
            <translation>“{value}” ไม่ใช่นามสกุลไฟล์ (ตัวอย่าง .exe)</translation>
        </message>
        <message>
            <source>must not be empty</source>
            <translation>ต้องไม่เว้นว่าง</translation>
        </message>
        <message>
            <source>the CA file {path} does not exist or is not a file</source>
            <translation>ไม่พบไฟล์ CA {path} หรือไม่ใช่ไฟล์</translation>
        </message>
        <message>
            <source>the CA file must be an absolute path here: {path}</source>
            <translation>ไฟล์ CA ต้องระบุเป็นพาธเต็ม: {path}</translation>
        </message>
        <message>
            <source>schema_version is missing (this version understands {supported})</source>
            <translation>ไม่มี schema_version (โปรแกรมรุ่นนี้รองรับรุ่น {supported})</translation>
        </message>
        <message>
            <source>schema version {found} is not supported (this version of GovMail understands {supported})</source>
            <translation>ไม่รองรับ schema รุ่น {found} (GovMail รุ่นนี้รองรับรุ่น {supported})</translation>
        </message>
        <message>
            <source>not valid JSON at line {line}, column {column}: {reason}</source>
            <translation>รูปแบบ JSON ไม่ถูกต้องที่บรรทัด {line} คอลัมน์ {column}: {reason}</translation>
        </message>
        <message>
            <source>the file must contain one JSON object {{ … }}</source>
            <translation>ไฟล์ต้องมีออบเจ็กต์ JSON หนึ่งชุด {{ … }}</translation>
        </message>
        <message>
            <source>the file cannot be read: {reason}</source>
            <translation>ไม่สามารถอ่านไฟล์ได้: {reason}</translation>
        </message>
        <message>
            <source>the file is not UTF-8 text</source>
            <translation>ไฟล์ไม่ใช่ข้อความ UTF-8</translation>
        </message>
        <message>
            <source>the file can be changed by users other than the administrator (owner uid {uid}, mode {mode}); it must be owned by root and writable only by root</source>
            <translation>ผู้ใช้อื่นที่ไม่ใช่ผู้ดูแลระบบสามารถแก้ไขไฟล์นี้ได้ (uid เจ้าของ {uid}, สิทธิ์ {mode}) ไฟล์ต้องเป็นของ root และให้ root เขียนได้เท่านั้น</translation>
        </message>
        <message>
            <source>unknown setting (known settings: {known})</source>
            <translation>ไม่รู้จักการตั้งค่านี้ (การตั้งค่าที่ใช้ได้: {known})</translation>
        </message>
        <message>
            <source>{value} is not a valid value for this setting ({reason})</source>
            <translation>{value} ไม่ใช่ค่าที่ใช้ได้สำหรับการตั้งค่านี้ ({reason})</translation>
        </message>
        <message>
            <source>the locked server {host} is refused by this policy's own server rules ({reason})</source>
            <translation>เซิร์ฟเวอร์ {host} ที่ล็อกไว้ถูกปฏิเสธโดยกฎเซิร์ฟเวอร์ของนโยบายนี้เอง ({reason})</translation>
        </message>
        <message>
            <source>the file is larger than {maximum} KiB (a policy file is a few kilobytes)</source>
            <translation>ไฟล์มีขนาดใหญ่กว่า {maximum} KiB (ไฟล์นโยบายปกติมีขนาดเพียงไม่กี่กิโลไบต์)</translation>
        </message>
        <message>
            <source>not a regular file</source>
            <translation>ไม่ใช่ไฟล์ปกติ</translation>
        </message>
        <message>
            <source>values are nested more than {maximum} levels deep</source>
            <translation>ค่าซ้อนกันลึกเกิน {maximum} ชั้น</translation>
        </message>
        <message>
            <source>a number has more than {maximum} digits</source>
            <translation>มีตัวเลขที่ยาวเกิน {maximum} หลัก</translation>
        </message>
        <message>
            <source>contains text that is not valid Unicode (an unpaired surrogate escape)</source>
            <translation>มีข้อความที่ไม่ใช่ Unicode ที่ถูกต้อง (รหัส surrogate ที่ไม่มีคู่)</translation>
        </message>
        <message>
            <source>the list has {count} entries; at most {maximum} are allowed</source>
            <translation>รายการนี้มี {count} รายการ แต่ใส่ได้ไม่เกิน {maximum} รายการ</translation>
        </message>
        <message>
            <source>“{value}” overlaps {prefix} ({kind}), whose addresses lead to IPv4 addresses; list the IPv4 range itself instead</source>
            <translation>“{value}” ซ้อนทับกับ {prefix} ({kind}) ซึ่งหมายเลขในช่วงนี้นำไปสู่หมายเลข IPv4 กรุณาระบุช่วงหมายเลข IPv4 นั้นโดยตรงแทน</translation>
        </message>
        <message>
            <source>the {family} ranges together cover more addresses outside local and private networks than one /{minimum} range; that would switch off the Thailand check</source>
            <translation>ช่วงหมายเลข {family} ทั้งหมดรวมกันครอบคลุมหมายเลขนอกเครือข่ายภายในและเครือข่ายส่วนตัวมากกว่าหนึ่งช่วง /{minimum} จะทำให้การตรวจสอบว่าอยู่ในประเทศไทยไม่มีผล</translation>
        </message>
        <message>
            <source>{count} more problems (fix the ones above first)</source>
            <translation>ยังมีปัญหาอีก {count} รายการ (กรุณาแก้ไขรายการข้างต้นก่อน)</translation>
        </message>
        <message>
            <source>the policy could not be checked ({reason})</source>
            <translation>ไม่สามารถตรวจสอบนโยบายได้ ({reason})</translation>
        </message>
        <message>
            <source>the registry value has type {found}; expected {expected}</source>
            <translation>ค่าในรีจิสทรีมีชนิด {found} แต่ต้องเป็น {expected}</translation>
        </message>
        <message>
            <source>the registry key cannot be read: {reason}</source>
            <translation>ไม่สามารถอ่านคีย์รีจิสทรีได้: {reason}</translation>
        </message>
        <message>
            <source>ignored: {value} is in the user's policy (HKCU), but this key may be set only for the whole machine (HKLM or the machine policy file)</source>
            <translation>ไม่นำมาใช้: {value} อยู่ในนโยบายของผู้ใช้ (HKCU) แต่คีย์นี้กำหนดได้เฉพาะสำหรับทั้งเครื่องเท่านั้น (HKLM หรือไฟล์นโยบายของเครื่อง)</translation>
        </message>
        <message>
            <source>“{value}” uses {variable}, which is not a system folder; a REG_EXPAND_SZ value may use only {known}</source>
            <translation>“{value}” ใช้ {variable} ซึ่งไม่ใช่โฟลเดอร์ของระบบ ค่าชนิด REG_EXPAND_SZ ใช้ได้เฉพาะ {known}</translation>
        </message>
        <message>
            <source>the CA file must be on this computer's own disk, not a network or device path: {path}</source>
            <translation>ไฟล์ CA ต้องอยู่บนดิสก์ของเครื่องนี้เอง ไม่ใช่พาธเครือข่ายหรือพาธอุปกรณ์: {path}</translation>
        </message>
        <message>
            <source>the folder {path} can be changed by users other than the administrator (owner uid {uid}, mode {mode}); every folder above the policy file must be owned by root and writable only by root</source>
            <translation>ผู้ใช้อื่นที่ไม่ใช่ผู้ดูแลระบบสามารถแก้ไขโฟลเดอร์ {path} ได้ (uid เจ้าของ {uid}, สิทธิ์ {mode}) ทุกโฟลเดอร์ที่อยู่เหนือไฟล์นโยบายต้องเป็นของ root และให้ root เขียนได้เท่านั้น</translation>
        </message>
        <message>
            <source>{path} is owned by {owner}; it must be owned by Administrators or SYSTEM</source>
            <translation>{path} เป็นของ {owner} แต่ต้องเป็นของ Administrators หรือ SYSTEM</translation>
        </message>
        <message>
            <source>{who} may change {path} (rights {rights}); only Administrators and SYSTEM may change the policy</source>
            <translation>{who} แก้ไข {path} ได้ (สิทธิ์ {rights}) ต้องให้เฉพาะ Administrators และ SYSTEM แก้ไขนโยบายได้</translation>
        </message>
        <message>
            <source>{path} has no access list (a NULL DACL), so everyone may change it</source>
            <translation>{path} ไม่มีรายการสิทธิ์การเข้าถึง (NULL DACL) ทุกคนจึงแก้ไขได้</translation>
        </message>
        <message>
            <source>{path} is a link (reparse point); the policy folder and file must be real ones</source>
            <translation>{path} เป็นลิงก์ (reparse point) โฟลเดอร์และไฟล์นโยบายต้องเป็นของจริง ไม่ใช่ลิงก์</translation>
        </message>
        <message>
            <source>the owner and permissions of {path} cannot be read ({reason}), so the policy is not trusted</source>
            <translation>ไม่สามารถอ่านเจ้าของและสิทธิ์ของ {path} ได้ ({reason}) จึงไม่เชื่อถือนโยบายนี้</translation>
        </message>
        <message>
            <source>the CA file {path} is not protected: a user who could change or replace it could make the app trust a certificate authority of their own ({reason})</source>
            <translation>ไฟล์ CA {path} ไม่ได้รับการป้องกัน ผู้ใช้ที่แก้ไขหรือแทนที่ไฟล์นี้ได้จะทำให้โปรแกรมเชื่อถือผู้ออกใบรับรอง (CA) ของตนเองได้ ({reason})</translation>
        </message>
        <message>
            <source>the folder {path} can be changed by users other than the administrator (owner uid {uid}, mode {mode}); every folder above the CA file must be owned by root and writable only by root</source>
            <translation>ผู้ใช้อื่นที่ไม่ใช่ผู้ดูแลระบบสามารถแก้ไขโฟลเดอร์ {path} ได้ (uid เจ้าของ {uid}, สิทธิ์ {mode}) ทุกโฟลเดอร์ที่อยู่เหนือไฟล์ CA ต้องเป็นของ root และให้ root เขียนได้เท่านั้น</translation>
        </message>
        <message>
            <source>an unknown account</source>
            <translation>บัญชีที่ไม่ทราบชื่อ</translation>
        </message>
        <message>
            <source>an object {{ … }}</source>
            <translation>ออบเจ็กต์ {{ … }}</translation>
        </message>
        <message>
            <source>text</source>
            <translation>ข้อความ</translation>
        </message>
        <message>
            <source>text or null</source>
            <translation>ข้อความหรือ null</translation>
        </message>
        <message>
            <source>a whole number</source>
            <translation>จำนวนเต็ม</translation>
        </message>
        <message>
            <source>a list of text values [ … ]</source>
            <translation>รายการข้อความ [ … ]</translation>
        </message>
        <message>
            <source>true or false</source>
            <translation>true หรือ false</translation>
        </message>
        <message>
            <source>null</source>
            <translation>ค่าว่าง (null)</translation>
        </message>
        <message>
            <source>a list</source>
            <translation>รายการ</translation>
        </message>
        <message>
            <source>another kind of value</source>
            <translation>ค่าชนิดอื่น</translation>
        </message>
        <message>
            <source>“{value}” is not an e-mail address or an address pattern such as %USERNAME%@agency.go.th</source>
            <translation>“{value}” ไม่ใช่ที่อยู่อีเมลหรือรูปแบบที่อยู่ เช่น %USERNAME%@agency.go.th</translation>
        </message>
        <message>
            <source>“{value}”: the domain after @ must be written out (only the part before @ may use %USERNAME%)</source>
            <translation>“{value}”: ต้องเขียนโดเมนหลัง @ เต็ม (ใช้ %USERNAME% ได้เฉพาะส่วนหน้า @)</translation>
        </message>
        <message>
            <source>“{value}”: unknown placeholder {placeholder} (allowed here: {allowed})</source>
            <translation>“{value}”: ไม่รู้จักตัวแทน {placeholder} (ใช้ได้ที่นี่: {allowed})</translation>
        </message>
        <message>
            <source>“{value}”: a % sign that is not part of a placeholder ({allowed})</source>
            <translation>“{value}”: มีเครื่องหมาย % ที่ไม่ได้เป็นส่วนหนึ่งของตัวแทน ({allowed})</translation>
        </message>
        <message>
            <source>“{value}” is not a login name pattern (no spaces or control characters; placeholders {allowed})</source>
            <translation>“{value}” ไม่ใช่รูปแบบชื่อเข้าระบบ (ห้ามมีช่องว่างหรืออักขระควบคุม ตัวแทนที่ใช้ได้ {allowed})</translation>
        </message>
        <message>
            <source>“{value}” is not a server host name</source>
            <translation>“{value}” ไม่ใช่ชื่อเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>“{value}”: a signature line may use only the placeholders {{name}} and {{address}} (no other braces), at most {maximum} characters</source>
            <translation>“{value}”: บรรทัดของลายเซ็นใช้ได้เฉพาะตัวแทน {{name}} และ {{address}} (ห้ามวงเล็บปีกกาอื่น) ยาวไม่เกิน {maximum} อักขระ</translation>
        </message>
        <message>
            <source>the signature has {count} lines; at most {maximum} are allowed</source>
            <translation>ลายเซ็นมี {count} บรรทัด ใช้ได้ไม่เกิน {maximum} บรรทัด</translation>
        </message>
        <message>
            <source>provisioning.address is set, so provisioning.{key} must name the server too</source>
            <translation>กำหนด provisioning.address ไว้ จึงต้องระบุเซิร์ฟเวอร์ใน provisioning.{key} ด้วย</translation>
        </message>
        <message>
            <source>the provisioned {what} {value} is refused by this policy's own rules ({reason})</source>
            <translation>{what} {value} ของบัญชีที่กำหนดให้ ถูกปฏิเสธโดยกฎของนโยบายนี้เอง ({reason})</translation>
        </message>
        <message>
            <source>address domain</source>
            <translation>โดเมนของที่อยู่</translation>
        </message>
        <message>
            <source>server</source>
            <translation>เซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>Your agency's policy sets up your mail account, but it cannot be set up for you: {reason}</source>
            <translation>นโยบายของหน่วยงานกำหนดบัญชีอีเมลให้คุณ แต่ตั้งค่าบัญชีให้ไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>Please contact your IT staff: they can give a fixed address in the policy (provisioning.address).</source>
            <translation>โปรดติดต่อเจ้าหน้าที่ไอที ซึ่งกำหนดที่อยู่แบบตายตัวในนโยบายได้ (provisioning.address)</translation>
        </message>
        <message>
            <source>the policy's provisioning section is incomplete.</source>
            <translation>ส่วนการกำหนดบัญชีในนโยบายไม่ครบถ้วน</translation>
        </message>
        <message>
            <source>the computer did not say who is logged in.</source>
            <translation>ระบบไม่ได้แจ้งว่าใครเข้าสู่ระบบอยู่</translation>
        </message>
        <message>
            <source>your login name “{name}” cannot be part of an e-mail address (only the letters a–z, digits, dot, hyphen, underscore and plus are possible).</source>
            <translation>ชื่อผู้ใช้ “{name}” ของคุณใช้เป็นส่วนหนึ่งของที่อยู่อีเมลไม่ได้ (ใช้ได้เฉพาะตัวอักษร a–z ตัวเลข จุด ขีดกลาง ขีดล่าง และเครื่องหมายบวก)</translation>
        </message>
        <message>
            <source>the address {address} is not on a domain the policy allows for accounts.</source>
            <translation>ที่อยู่ {address} ไม่อยู่ในโดเมนที่นโยบายอนุญาตให้ตั้งเป็นบัญชี</translation>
        </message>
        <message>
            <source>Your IT staff updated the agency's mail policy; the new rules apply now.</source>
            <translation>เจ้าหน้าที่ไอทีได้ปรับปรุงนโยบายจดหมายของหน่วยงานแล้ว กฎใหม่มีผลทันที</translation>
        </message>
        <message>
            <source>Your IT staff updated the agency's mail policy; the new rules apply now, except these, which apply after GovMail is restarted: {keys}</source>
            <translation>เจ้าหน้าที่ไอทีได้ปรับปรุงนโยบายจดหมายของหน่วยงานแล้ว กฎใหม่มีผลทันที ยกเว้นค่าต่อไปนี้ซึ่งจะมีผลเมื่อเริ่ม GovMail ใหม่: {keys}</translation>
        </message>
        <message>
            <source>Your IT staff fixed the agency's mail policy. Please restart GovMail to connect again.</source>
            <translation>เจ้าหน้าที่ไอทีได้แก้ไขนโยบายจดหมายของหน่วยงานแล้ว กรุณาเริ่ม GovMail ใหม่เพื่อเชื่อมต่ออีกครั้ง</translation>
        </message>
        <message>
            <source>Your IT staff changed the agency's mail policy, but the new policy cannot be used, so no connections are made and no mail is sent until it is fixed: {problem}</source>
            <translation>เจ้าหน้าที่ไอทีได้เปลี่ยนนโยบายจดหมายของหน่วยงาน แต่ไม่สามารถใช้นโยบายใหม่ได้ โปรแกรมจึงจะไม่เชื่อมต่อและไม่ส่งจดหมายจนกว่าจะแก้ไข: {problem}</translation>
        </message>
        <message>
            <source>“{name}” is a {extension} file, a type that can run programs. Your agency's policy blocks it.</source>
            <extracomment>Characters that reorder or hide text (bidi controls, zero-width and other format characters): the shared table of :mod:`govmail_desktop.core.hidden_chars`. Extensions people trust, used as decoys before a dangerous one.</extracomment>
            <translation>“{name}” เป็นไฟล์ {extension} ซึ่งเป็นชนิดที่เรียกใช้โปรแกรมได้ นโยบายของหน่วยงานไม่อนุญาตไฟล์ชนิดนี้</translation>
        </message>
        <message>
            <source>“{name}” looks like a {decoy} file but is really a {extension} file.</source>
            <translation>“{name}” ดูเหมือนไฟล์ {decoy} แต่ที่จริงเป็นไฟล์ {extension}</translation>
        </message>
        <message>
            <source>The name of “{name}” contains hidden characters that change how it is displayed; its real type is {extension}.</source>
            <translation>ชื่อไฟล์ “{name}” มีอักขระแฝงที่ทำให้ชื่อแสดงผลผิดไปจากจริง ชนิดไฟล์ที่แท้จริงคือ {extension}</translation>
        </message>
        <message>
            <source>The attachments are {size} MB; your agency's limit is {limit} MB.</source>
            <translation>ไฟล์แนบมีขนาด {size} MB เกินขนาดที่หน่วยงานกำหนด ({limit} MB)</translation>
        </message>
        <message>
            <source>{address} is outside the government domains. Please check that this recipient should receive official mail.</source>
            <translation>{address} อยู่นอกโดเมนของภาครัฐ กรุณาตรวจสอบว่าผู้รับนี้ควรได้รับอีเมลราชการ</translation>
        </message>
        <message>
            <source>{address} is outside the government domains; your agency's policy does not allow sending official mail to it.</source>
            <translation>{address} อยู่นอกโดเมนของภาครัฐ นโยบายของหน่วยงานไม่อนุญาตให้ส่งอีเมลราชการถึงผู้รับนี้</translation>
        </message>
        <message>
            <source>{address} is a free e-mail service ({domain}), not a government address. Please check before sending official mail.</source>
            <translation>{address} เป็นบริการอีเมลฟรี ({domain}) ไม่ใช่ที่อยู่ของภาครัฐ กรุณาตรวจสอบก่อนส่งอีเมลราชการ</translation>
        </message>
        <message>
            <source>{address} is a free e-mail service ({domain}); your agency's policy does not allow sending official mail to it.</source>
            <translation>{address} เป็นบริการอีเมลฟรี ({domain}) นโยบายของหน่วยงานไม่อนุญาตให้ส่งอีเมลราชการถึงผู้รับนี้</translation>
        </message>
        <message>
            <source>{address} is outside the government domains; mail classified “{secrecy}” may only be sent to internal recipients.</source>
            <translation>{address} อยู่นอกโดเมนของภาครัฐ จดหมายชั้นความลับ “{secrecy}” ส่งได้เฉพาะผู้รับภายในเท่านั้น</translation>
        </message>
        <message>
            <source>Your agency's policy does not allow mail classified “{secrecy}” to be sent by e-mail.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตให้ส่งจดหมายชั้นความลับ “{secrecy}” ทางอีเมล</translation>
        </message>
        <message>
            <source>Sending is blocked because the agency's mail policy is invalid: {problem}.</source>
            <translation>ไม่สามารถส่งได้ เนื่องจากนโยบายอีเมลของหน่วยงานไม่ถูกต้อง: {problem}</translation>
        </message>
        <message>
            <source>confidential</source>
            <extracomment>Version of the JSON form; :meth:`Draft.from_json` reads this and older ones.</extracomment>
            <translation>ลับ</translation>
        </message>
        <message>
            <source>secret</source>
            <translation>ลับมาก</translation>
        </message>
        <message>
            <source>top secret</source>
            <translation>ลับที่สุด</translation>
        </message>
    </context>
    <context>
        <name>PreSendDialog</name>
        <message>
            <source>Blocked</source>
            <extracomment>What the confirmation is about: the warned addresses and files, by name.</extracomment>
            <translation>ส่งไม่ได้</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>คำเตือน</translation>
        </message>
        <message>
            <source>This message cannot be sent</source>
            <translation>ส่งจดหมายฉบับนี้ไม่ได้</translation>
        </message>
        <message>
            <source>Your agency's policy does not allow this message to be sent as it is. Change what is listed below, then send again.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตให้ส่งจดหมายฉบับนี้ตามที่เป็นอยู่ กรุณาแก้ไขรายการด้านล่าง แล้วส่งอีกครั้ง</translation>
        </message>
        <message>
            <source>Back to the Message</source>
            <translation>กลับไปแก้ไขจดหมาย</translation>
        </message>
        <message>
            <source>Check before sending</source>
            <translation>ตรวจสอบก่อนส่ง</translation>
        </message>
        <message>
            <source>Please check the following before the message is sent.</source>
            <translation>กรุณาตรวจสอบรายการต่อไปนี้ก่อนส่งจดหมาย</translation>
        </message>
        <message>
            <source>I have checked these and want to send the message anyway:</source>
            <translation>ฉันได้ตรวจสอบแล้ว และยืนยันจะส่งจดหมายถึงรายการต่อไปนี้:</translation>
        </message>
        <message>
            <source>Send Anyway</source>
            <translation>ยืนยันส่ง</translation>
        </message>
    </context>
    <context>
        <name>PreviewPane</name>
        <message>
            <source>From:</source>
            <extracomment>Addresses listed in the To/Cc lines before "and N more". The headers take at most this share of the pane's height when the text needs room. The policy's ``recipients.internal_domains`` for the sender checks (None: the built-in policy's). The user's choice (``mail.prefer_plain_text``) and the policy's ``content.force_plain_text``. Keeps the user's choice when the toggle changes it (None: not kept, e.g. locked). Name, type icon and size of each attachment, with Open / Save… / Save All…, under the text (ui/attachment_panel.py). Bars shown between the headers and the text (the format bar; the remote-content bar). Search matches marked in the text (the search view's terms; Ctrl+F's find bar).</extracomment>
            <translation>จาก:</translation>
        </message>
        <message>
            <source>Reply to:</source>
            <translation>ตอบกลับไปที่:</translation>
        </message>
        <message>
            <source>To:</source>
            <translation>ถึง:</translation>
        </message>
        <message>
            <source>Cc:</source>
            <translation>สำเนาถึง:</translation>
        </message>
        <message>
            <source>Date:</source>
            <translation>วันที่:</translation>
        </message>
        <message>
            <source>This message could not be shown.</source>
            <translation>ไม่สามารถแสดงจดหมายฉบับนี้ได้</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
        <message>
            <source>(unknown sender)</source>
            <translation>(ไม่ทราบผู้ส่ง)</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>กำลังโหลด…</translation>
        </message>
        <message>
            <source>This message is formatted (HTML). It is shown as plain text because your agency's policy allows plain text only.</source>
            <translation>จดหมายฉบับนี้จัดรูปแบบไว้ (HTML) แต่แสดงเป็นข้อความธรรมดา เพราะนโยบายของหน่วยงานอนุญาตให้แสดงเฉพาะข้อความธรรมดา</translation>
        </message>
        <message>
            <source>This message is formatted (HTML); remote content is not loaded.</source>
            <translation>จดหมายฉบับนี้จัดรูปแบบไว้ (HTML) และไม่ได้โหลดเนื้อหาจากภายนอก</translation>
        </message>
        <message>
            <source>This formatted (HTML) message is shown as plain text.</source>
            <translation>จดหมายที่จัดรูปแบบไว้ (HTML) ฉบับนี้แสดงเป็นข้อความธรรมดา</translation>
        </message>
        <message>
            <source>Show formatted</source>
            <translation>แสดงแบบจัดรูปแบบ</translation>
        </message>
        <message>
            <source>Show plain text</source>
            <translation>แสดงเป็นข้อความธรรมดา</translation>
        </message>
        <message>
            <source>Official-document address (saraban) of a government agency: {addresses}</source>
            <translation>ที่อยู่รับส่งหนังสือราชการ (สารบรรณ) ของหน่วยงานราชการ: {addresses}</translation>
        </message>
        <message>
            <source>and {count} more</source>
            <translation>และอีก {count} รายการ</translation>
        </message>
    </context>
    <context>
        <name>ProvisionedPage</name>
        <message>
            <source>Your mail account</source>
            <translation>บัญชีอีเมลของท่าน</translation>
        </message>
        <message>
            <source>Your agency has set up your e-mail account. Enter your password.</source>
            <translation>หน่วยงานของท่านตั้งค่าบัญชีอีเมลไว้ให้แล้ว กรุณากรอกรหัสผ่าน</translation>
        </message>
        <message>
            <source>E-mail address:</source>
            <translation>ที่อยู่อีเมล:</translation>
        </message>
        <message>
            <source>Incoming mail (IMAP):</source>
            <translation>จดหมายเข้า (IMAP):</translation>
        </message>
        <message>
            <source>Outgoing mail (SMTP):</source>
            <translation>จดหมายออก (SMTP):</translation>
        </message>
        <message>
            <source>Your name:</source>
            <translation>ชื่อของท่าน:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>รหัสผ่าน:</translation>
        </message>
        <message>
            <source>Shown to the people you write to</source>
            <translation>ชื่อที่ผู้รับจดหมายจะเห็น</translation>
        </message>
        <message>
            <source>The address and the mail servers are set by your agency's policy and cannot be changed.</source>
            <translation>ที่อยู่อีเมลและเซิร์ฟเวอร์อีเมลกำหนดโดยนโยบายของหน่วยงาน และไม่สามารถเปลี่ยนแปลงได้</translation>
        </message>
        <message>
            <source>Your agency's policy does not let the password be saved: you will be asked for it each time you start GovMail Desktop.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตให้บันทึกรหัสผ่าน โปรแกรมจะถามรหัสผ่านทุกครั้งที่เปิด GovMail Desktop</translation>
        </message>
        <message>
            <source>Set by your agency's policy</source>
            <translation>กำหนดโดยนโยบายของหน่วยงาน</translation>
        </message>
        <message>
            <source>{host}, port {port}, encrypted ({security})</source>
            <translation>{host} พอร์ต {port} เข้ารหัสแบบ {security}</translation>
        </message>
        <message>
            <source>Please enter your password.</source>
            <translation>กรุณากรอกรหัสผ่าน</translation>
        </message>
    </context>
    <context>
        <name>QuickFilterBar</name>
        <message>
            <source>Unread</source>
            <extracomment>The text is searched once typing rests this long.</extracomment>
            <translation>ยังไม่ได้อ่าน</translation>
        </message>
        <message>
            <source>Only messages not read yet</source>
            <translation>เฉพาะจดหมายที่ยังไม่ได้อ่าน</translation>
        </message>
        <message>
            <source>Flagged</source>
            <translation>ติดธง</translation>
        </message>
        <message>
            <source>Only flagged messages</source>
            <translation>เฉพาะจดหมายที่ติดธง</translation>
        </message>
        <message>
            <source>Attachment</source>
            <translation>ไฟล์แนบ</translation>
        </message>
        <message>
            <source>Only messages with attached files</source>
            <translation>เฉพาะจดหมายที่มีไฟล์แนบ</translation>
        </message>
        <message>
            <source>Contact</source>
            <translation>ผู้ติดต่อ</translation>
        </message>
        <message>
            <source>Only messages from people in your contacts</source>
            <translation>เฉพาะจดหมายจากบุคคลในรายชื่อผู้ติดต่อ</translation>
        </message>
        <message>
            <source>Filter these messages &lt;Ctrl+Shift+K&gt;</source>
            <translation>กรองจดหมายในโฟลเดอร์นี้ &lt;Ctrl+Shift+K&gt;</translation>
        </message>
        <message>
            <source>Keeps the messages whose subject, sender, recipients or text contain these words</source>
            <translation>แสดงเฉพาะจดหมายที่มีคำเหล่านี้ในเรื่อง ผู้ส่ง ผู้รับ หรือเนื้อความ</translation>
        </message>
        <message>
            <source>Clear the filter and close the bar (Esc)</source>
            <translation>ล้างตัวกรองและปิดแถบ (Esc)</translation>
        </message>
    </context>
    <context>
        <name>QuickFilterController</name>
        <message>
            <source>Filtering by text needs the search index, which could not be opened; the log says why</source>
            <extracomment>What the pending text search is for: (models, folder id, state). The engine answered its most (SEARCH_LIMIT): only the newest matches are shown. The folders' message totals ("N of total"), counted off the GUI thread (a 1,000,000-message folder takes 30-50 ms) per account: {id(models): counter}, the last totals {(id(models), folder id): total} and the count awaited (id(models), ticket).</extracomment>
            <translation>การกรองด้วยข้อความต้องใช้ดัชนีการค้นหา ซึ่งเปิดไม่ได้ ดูสาเหตุได้ในบันทึกการทำงาน (log)</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>กำลังค้นหา…</translation>
        </message>
        <message>
            <source>{shown} of {total} (the newest {limit} matches)</source>
            <translation>{shown} จาก {total} (เฉพาะ {limit} ฉบับล่าสุดที่ตรงกัน)</translation>
        </message>
        <message>
            <source>{shown} of {total}</source>
            <translation>{shown} จาก {total}</translation>
        </message>
    </context>
    <context>
        <name>RecipientField</name>
        <message>
            <source>Cannot be sent: {reason}</source>
            <extracomment>Marks are refreshed once typing rests this long (ms).</extracomment>
            <translation>ส่งไม่ได้: {reason}</translation>
        </message>
        <message>
            <source>Please check: {reason}</source>
            <translation>โปรดตรวจสอบ: {reason}</translation>
        </message>
        <message>
            <source>{address} is an official-document address (saraban) of a government agency.</source>
            <translation>{address} เป็นที่อยู่สารบรรณสำหรับรับหนังสือราชการของหน่วยงาน</translation>
        </message>
    </context>
    <context>
        <name>RemoteBar</name>
        <message>
            <source>Show once</source>
            <translation>แสดงครั้งนี้</translation>
        </message>
        <message>
            <source>Load this message's remote images this time only</source>
            <translation>แสดงรูปภาพจากภายนอกของจดหมายฉบับนี้เฉพาะครั้งนี้</translation>
        </message>
        <message>
            <source>Always for this sender</source>
            <translation>แสดงเสมอสำหรับผู้ส่งนี้</translation>
        </message>
        <message>
            <source>Load remote images from this sender from now on (you can remove the sender in Settings)</source>
            <translation>แสดงรูปภาพจากภายนอกของผู้ส่งนี้ตั้งแต่นี้ไป (ลบผู้ส่งออกได้ในการตั้งค่า)</translation>
        </message>
    </context>
    <context>
        <name>RemoteContent</name>
        <message>
            <source>The list of senders whose remote images are always shown could not be read; it starts empty. Details are in the log file.</source>
            <extracomment>The bar's states. Milliseconds images may gather before the view lays out again.</extracomment>
            <translation>อ่านรายชื่อผู้ส่งที่แสดงรูปภาพจากภายนอกเสมอไม่ได้ จึงเริ่มต้นด้วยรายชื่อว่าง ดูรายละเอียดได้ในไฟล์บันทึกการทำงาน (log)</translation>
        </message>
        <message>
            <source>Remote images blocked ({count})</source>
            <extracomment>Keeps a new ``mail.remote_content`` chosen in Settings (None: not kept, e.g. locked). The policy locks ``mail.remote_content``. The message "Show once" was pressed for: while no other is shown, it stays allowed (shown as plain text and formatted again, its body arriving again).</extracomment>
            <translation>ปิดกั้นรูปภาพจากภายนอกแล้ว ({count})</translation>
        </message>
        <message>
            <source>Your agency's policy does not allow remote content, so these images are not loaded.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตเนื้อหาจากภายนอก จึงไม่แสดงรูปภาพเหล่านี้</translation>
        </message>
        <message>
            <source>Remote content stays blocked in Junk. Move the message out of Junk only if you trust it.</source>
            <translation>เนื้อหาจากภายนอกในจดหมายขยะจะถูกปิดกั้นเสมอ ย้ายจดหมายออกจากจดหมายขยะเฉพาะเมื่อเชื่อถือผู้ส่งเท่านั้น</translation>
        </message>
        <message>
            <source>Loading them can tell the sender that you opened this message.</source>
            <translation>การแสดงรูปภาพเหล่านี้อาจทำให้ผู้ส่งรู้ว่าคุณเปิดอ่านจดหมายฉบับนี้แล้ว</translation>
        </message>
        <message>
            <source>The sender's address may be forged, so it cannot be allowed always.</source>
            <translation>ที่อยู่ผู้ส่งอาจถูกปลอมแปลง จึงไม่สามารถอนุญาตให้แสดงเสมอได้</translation>
        </message>
        <message>
            <source>Loading remote images…</source>
            <translation>กำลังโหลดรูปภาพจากภายนอก…</translation>
        </message>
        <message>
            <source>{failed} of {count} remote images were not loaded: {reasons}.</source>
            <translation>ไม่ได้แสดงรูปภาพจากภายนอก {failed} จาก {count} รูป: {reasons}</translation>
        </message>
        <message>
            <source>only secure (HTTPS) addresses are allowed</source>
            <translation>อนุญาตเฉพาะที่อยู่แบบปลอดภัย (HTTPS)</translation>
        </message>
        <message>
            <source>the host is not allowed by your agency</source>
            <translation>หน่วยงานไม่อนุญาตเซิร์ฟเวอร์ต้นทาง</translation>
        </message>
        <message>
            <source>not allowed by your agency</source>
            <translation>หน่วยงานไม่อนุญาต</translation>
        </message>
        <message>
            <source>too large</source>
            <translation>ขนาดใหญ่เกินไป</translation>
        </message>
        <message>
            <source>too large in all</source>
            <translation>ขนาดรวมใหญ่เกินไป</translation>
        </message>
        <message>
            <source>too many images</source>
            <translation>มีรูปภาพมากเกินไป</translation>
        </message>
        <message>
            <source>took too long</source>
            <translation>ใช้เวลานานเกินไป</translation>
        </message>
        <message>
            <source>not an image</source>
            <translation>ไม่ใช่รูปภาพ</translation>
        </message>
        <message>
            <source>not available</source>
            <translation>ไม่พบบนเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>could not be reached</source>
            <translation>เชื่อมต่อไม่ได้</translation>
        </message>
    </context>
    <context>
        <name>Reply</name>
        <message>
            <source>On {date} at {time}, {name} wrote:</source>
            <extracomment>At most this many IDs in a reply's References (the thread's root and the newest ones). Characters of an attachment name made from a subject (before ".eml"). Characters that make a display name need quotes in an address field (RFC 5322 specials).</extracomment>
            <translation>เมื่อ {date} เวลา {time} น. {name} เขียนว่า:</translation>
        </message>
        <message>
            <source>{name} wrote:</source>
            <translation>{name} เขียนว่า:</translation>
        </message>
        <message>
            <source>Forwarded message</source>
            <translation>จดหมายที่ส่งต่อ</translation>
        </message>
        <message>
            <source>From</source>
            <translation>จาก</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>วันที่</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>เรื่อง</translation>
        </message>
        <message>
            <source>To</source>
            <translation>ถึง</translation>
        </message>
        <message>
            <source>Cc</source>
            <translation>สำเนาถึง</translation>
        </message>
        <message>
            <source>message</source>
            <translation>จดหมาย</translation>
        </message>
    </context>
    <context>
        <name>SearchController</name>
        <message>
            <source>Searching…</source>
            <extracomment>Opens a message in its own window (MessageWindowController.open_message), if there is one. What the server part said (offline, a refusal, too many found): after the count. Local hits of the request shown (the engine answers at most SEARCH_LIMIT). The saved search shown (its id), or None.</extracomment>
            <translation>กำลังค้นหา…</translation>
        </message>
        <message>
            <source>{count} found so far; still searching (also on the servers)…</source>
            <translation>พบแล้ว {count} ฉบับ กำลังค้นหาต่อ (รวมถึงบนเซิร์ฟเวอร์)…</translation>
        </message>
        <message>
            <source>No messages found.</source>
            <translation>ไม่พบจดหมาย</translation>
        </message>
        <message>
            <source>{count} message(s) found, {server} of them on the server (☁).</source>
            <translation>พบจดหมาย {count} ฉบับ อยู่บนเซิร์ฟเวอร์ {server} ฉบับ (☁)</translation>
        </message>
        <message>
            <source>{count} message(s) found.</source>
            <translation>พบจดหมาย {count} ฉบับ</translation>
        </message>
        <message>
            <source>Only the {limit} best matches are shown; add words to narrow the search.</source>
            <translation>แสดงเฉพาะ {limit} ฉบับที่ตรงที่สุด เพิ่มคำค้นเพื่อให้แคบลง</translation>
        </message>
        <message>
            <source>Only the newest {limit} are shown; add words to narrow the search.</source>
            <translation>แสดงเฉพาะ {limit} ฉบับล่าสุด เพิ่มคำค้นเพื่อให้แคบลง</translation>
        </message>
        <message>
            <source>Open in New Window</source>
            <translation>เปิดในหน้าต่างใหม่</translation>
        </message>
        <message>
            <source>Show in Folder</source>
            <translation>แสดงในโฟลเดอร์</translation>
        </message>
        <message>
            <source>Save Search</source>
            <translation>บันทึกการค้นหา</translation>
        </message>
        <message>
            <source>Name of the saved search:</source>
            <translation>ชื่อการค้นหาที่บันทึกไว้:</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>เปิด</translation>
        </message>
        <message>
            <source>Rename…</source>
            <translation>เปลี่ยนชื่อ…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>นำออก</translation>
        </message>
        <message>
            <source>Rename Saved Search</source>
            <translation>เปลี่ยนชื่อการค้นหาที่บันทึกไว้</translation>
        </message>
        <message>
            <source>New name:</source>
            <translation>ชื่อใหม่:</translation>
        </message>
        <message>
            <source>Remove Saved Search</source>
            <translation>นำการค้นหาที่บันทึกไว้ออก</translation>
        </message>
        <message>
            <source>Remove the saved search “{name}”? No message is deleted.</source>
            <translation>นำการค้นหาที่บันทึกไว้ “{name}” ออกหรือไม่ ไม่มีจดหมายใดถูกลบ</translation>
        </message>
    </context>
    <context>
        <name>SearchHelpDialog</name>
        <message>
            <source>several words</source>
            <translation>หลายคำ</translation>
        </message>
        <message>
            <source>Search Help</source>
            <translation>วิธีใช้การค้นหา</translation>
        </message>
        <message>
            <source>Messages whose text is not on this computer yet are also searched on the server; they are marked ☁ in the results.</source>
            <translation>จดหมายที่เนื้อความยังไม่อยู่ในเครื่องนี้จะค้นหาบนเซิร์ฟเวอร์ด้วย และมีเครื่องหมาย ☁ ในผลการค้นหา</translation>
        </message>
        <message>
            <source>a word</source>
            <extracomment>The example links' scheme (never a real URL: the browser opens nothing).</extracomment>
            <translation>คำ</translation>
        </message>
        <message>
            <source>the word anywhere: subject, sender, recipients or text</source>
            <translation>คำนั้นที่ใดก็ได้: เรื่อง ผู้ส่ง ผู้รับ หรือเนื้อความ</translation>
        </message>
        <message>
            <source>messages with all of the words, in any order</source>
            <translation>จดหมายที่มีทุกคำ ในลำดับใดก็ได้</translation>
        </message>
        <message>
            <source>the words together, in this order (a phrase)</source>
            <translation>คำที่อยู่ติดกันตามลำดับนี้ (วลี)</translation>
        </message>
        <message>
            <source>the sender's name or address contains the text</source>
            <translation>ชื่อหรือที่อยู่ของผู้ส่งมีข้อความนี้</translation>
        </message>
        <message>
            <source>a recipient (To) contains the text</source>
            <translation>ผู้รับ (ถึง) มีข้อความนี้</translation>
        </message>
        <message>
            <source>a copy recipient (Cc) contains the text</source>
            <translation>ผู้รับสำเนา (สำเนาถึง) มีข้อความนี้</translation>
        </message>
        <message>
            <source>the subject contains the text</source>
            <translation>เรื่องมีข้อความนี้</translation>
        </message>
        <message>
            <source>messages with attached files</source>
            <translation>จดหมายที่มีไฟล์แนบ</translation>
        </message>
        <message>
            <source>messages not read yet / already read</source>
            <translation>จดหมายที่ยังไม่ได้อ่าน / อ่านแล้ว</translation>
        </message>
        <message>
            <source>flagged messages (is:starred is the same)</source>
            <translation>จดหมายที่ติดธง (is:starred ก็ได้)</translation>
        </message>
        <message>
            <source>urgent messages (ด่วน, ด่วนมาก, ด่วนที่สุด)</source>
            <translation>จดหมายด่วน (ด่วน ด่วนมาก ด่วนที่สุด)</translation>
        </message>
        <message>
            <source>secret messages (ลับ, ลับมาก, ลับที่สุด)</source>
            <translation>จดหมายลับ (ลับ ลับมาก ลับที่สุด)</translation>
        </message>
        <message>
            <source>only in this folder (its name or path)</source>
            <translation>เฉพาะในโฟลเดอร์นี้ (ชื่อหรือเส้นทางของโฟลเดอร์)</translation>
        </message>
        <message>
            <source>on or after this day (or the first day of this month or year)</source>
            <translation>ตั้งแต่วันนี้เป็นต้นไป (หรือตั้งแต่วันแรกของเดือนหรือปีนั้น)</translation>
        </message>
        <message>
            <source>before this day (or before this month or year)</source>
            <translation>ก่อนวันนี้ (หรือก่อนเดือนหรือปีนั้น)</translation>
        </message>
        <message>
            <source>on this day, in this month, in this year</source>
            <translation>ในวันนี้ ในเดือนนี้ หรือในปีนี้</translation>
        </message>
        <message>
            <source>put - in front of any part to find messages without it</source>
            <translation>ใส่ - หน้าส่วนใดก็ได้ เพื่อหาจดหมายที่ไม่มีส่วนนั้น</translation>
        </message>
        <message>
            <source>A message is found when all the parts of the query hold: 'งบ from:สมชาย after:1/10/2568' finds messages with งบ, from สมชาย, since 1 October 2568. Thai words of any length are found inside running text.</source>
            <translation>ระบบจะแสดงจดหมายที่ตรงกับทุกส่วนของคำค้น: 'งบ from:สมชาย after:1/10/2568' ค้นหาจดหมายที่มีคำว่า งบ จากสมชาย ตั้งแต่วันที่ 1 ตุลาคม 2568 คำภาษาไทยทุกความยาวค้นพบได้แม้อยู่กลางข้อความที่ไม่มีการเว้นวรรค</translation>
        </message>
        <message>
            <source>Upper and lower case and accents do not matter; Thai digits and Arabic digits find each other (๒๕๖๘ = 2568); sara am typed as ํ + า finds ำ and the other way round.</source>
            <translation>ตัวพิมพ์ใหญ่-เล็กและเครื่องหมายเน้นเสียงของอักษรละตินไม่มีผล เลขไทยกับเลขอารบิกค้นพบกันและกัน (๒๕๖๘ = 2568) และสระอำที่พิมพ์เป็น ํ + า ก็ค้นพบ ำ ได้เช่นกัน</translation>
        </message>
        <message>
            <source>Operators are written with a colon and no space after it, in any case (FROM: = from:). A value with spaces goes in quotes: from:"สมชาย ใจดี", date:"1 ตุลาคม 2568".</source>
            <translation>ตัวดำเนินการเขียนต่อด้วยเครื่องหมายทวิภาค (:) โดยไม่เว้นวรรคหลังเครื่องหมาย และพิมพ์ตัวพิมพ์ใหญ่หรือเล็กก็ได้ (FROM: = from:) ค่าที่มีช่องว่างให้ใส่ในเครื่องหมายอัญประกาศ: from:"สมชาย ใจดี", date:"1 ตุลาคม 2568"</translation>
        </message>
        <message>
            <source>Dates: day/month/year with /, - or . ; a year of 2400 or more is a Buddhist-era year (2568), any other a Christian-era year (2025); write the year in full. Thai month names, short or full (ต.ค.2568, ตุลาคม2568), English ones (Oct2025), or month/year (10/2568); today / วันนี้, yesterday / เมื่อวาน.</source>
            <translation>วันที่: วัน/เดือน/ปี คั่นด้วย / - หรือ . ปีตั้งแต่ 2400 ขึ้นไปถือเป็นปีพุทธศักราช (2568) ปีอื่นถือเป็นคริสต์ศักราช (2025) ต้องเขียนปีเต็ม ใช้ชื่อเดือนภาษาไทยแบบย่อหรือเต็ม (ต.ค.2568, ตุลาคม2568) ชื่อเดือนภาษาอังกฤษ (Oct2025) หรือ เดือน/ปี (10/2568) ได้ และใช้ วันนี้ / today, เมื่อวาน / yesterday ได้</translation>
        </message>
        <message>
            <source>after: includes its day, before: does not: 'after:1/10/2568 before:1/11/2568' is all of October 2568, the same as date:ต.ค.2568.</source>
            <translation>after: นับรวมวันนั้นด้วย ส่วน before: ไม่นับรวม: 'after:1/10/2568 before:1/11/2568' คือทั้งเดือนตุลาคม 2568 เหมือนกับ date:ต.ค.2568</translation>
        </message>
        <message>
            <source>A query that cannot be read is not run: the mistake is said under the search box and its part underlined. To search for text with a colon, such as foo:bar, put it in quotes.</source>
            <translation>คำค้นที่อ่านไม่ได้จะไม่ถูกนำไปค้นหา ข้อผิดพลาดจะแสดงใต้ช่องค้นหาและขีดเส้นใต้ส่วนนั้น หากต้องการค้นหาข้อความที่มีทวิภาค เช่น foo:bar ให้ใส่ในอัญประกาศ</translation>
        </message>
        <message>
            <source>Click an example to put it into the search box. The same help, with more detail, is in docs/search.md.</source>
            <translation>คลิกตัวอย่างเพื่อใส่ลงในช่องค้นหา วิธีใช้นี้พร้อมรายละเอียดเพิ่มเติมอยู่ใน docs/search.md</translation>
        </message>
        <message>
            <source>Searching your mail</source>
            <translation>การค้นหาจดหมาย</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>พิมพ์</translation>
        </message>
        <message>
            <source>Example</source>
            <translation>ตัวอย่าง</translation>
        </message>
        <message>
            <source>Finds</source>
            <translation>ค้นพบ</translation>
        </message>
    </context>
    <context>
        <name>SearchQuery</name>
        <message>
            <source>A quotation mark is not closed: add the closing ".</source>
            <translation>เครื่องหมายอัญประกาศยังไม่ได้ปิด: ใส่ " ปิดท้าย</translation>
        </message>
        <message>
            <source>There is nothing between the quotation marks.</source>
            <translation>ไม่มีข้อความอยู่ระหว่างเครื่องหมายอัญประกาศ</translation>
        </message>
        <message>
            <source>A minus sign must be followed by the word or operator to exclude (for example -ประชุม).</source>
            <translation>หลังเครื่องหมายลบต้องตามด้วยคำหรือตัวดำเนินการที่ต้องการยกเว้น (เช่น -ประชุม)</translation>
        </message>
        <message>
            <source>Unknown search operator "{operator}:". Known operators: from: to: cc: subject: has: is: folder: after: before: date:. To search for the text itself, put it in quotation marks.</source>
            <translation>ไม่รู้จักตัวดำเนินการค้นหา "{operator}:" ตัวดำเนินการที่ใช้ได้: from: to: cc: subject: has: is: folder: after: before: date: หากต้องการค้นหาข้อความนี้เอง ให้ใส่ไว้ในเครื่องหมายอัญประกาศ</translation>
        </message>
        <message>
            <source>"{operator}:" needs a value right after the colon, for example {example}.</source>
            <translation>"{operator}:" ต้องมีค่าต่อท้ายเครื่องหมายทวิภาคทันที เช่น {example}</translation>
        </message>
        <message>
            <source>"has:{value}" is not known. Use has:attachment.</source>
            <translation>ไม่รู้จัก "has:{value}" ใช้ has:attachment</translation>
        </message>
        <message>
            <source>"is:{value}" is not known. Use is:unread, is:read, is:flagged, is:urgent or is:secret.</source>
            <translation>ไม่รู้จัก "is:{value}" ใช้ is:unread, is:read, is:flagged, is:urgent หรือ is:secret</translation>
        </message>
        <message>
            <source>"{value}" is not a date. Write for example 1/10/2568, 2025-10-01, ต.ค.2568, "1 ตุลาคม 2568", Oct 2025 or 2568.</source>
            <translation>"{value}" ไม่ใช่วันที่ เขียนได้ เช่น 1/10/2568, 2025-10-01, ต.ค.2568, "1 ตุลาคม 2568", Oct 2025 หรือ 2568</translation>
        </message>
        <message>
            <source>There is no such day: "{value}".</source>
            <translation>ไม่มีวันที่นี้: "{value}"</translation>
        </message>
        <message>
            <source>Write the year in full in "{value}" (for example 2568 or 2025, not 68 or 25).</source>
            <translation>เขียนปีให้เต็มใน "{value}" (เช่น 2568 หรือ 2025 ไม่ใช่ 68 หรือ 25)</translation>
        </message>
        <message>
            <source>The year in "{value}" is out of range: years from 2400 are Buddhist era (พ.ศ.), earlier ones Christian era (ค.ศ.).</source>
            <translation>ปีใน "{value}" อยู่นอกช่วงที่ใช้ได้: ปีตั้งแต่ 2400 ขึ้นไปถือเป็นปีพุทธศักราช (พ.ศ.) ปีที่น้อยกว่านั้นถือเป็นคริสต์ศักราช (ค.ศ.)</translation>
        </message>
        <message>
            <source>The search has too many terms: at most {limit}. Remove some words or operators.</source>
            <translation>คำค้นหามีเงื่อนไขมากเกินไป: ได้ไม่เกิน {limit} เงื่อนไข ลบคำหรือตัวดำเนินการออกบางส่วน</translation>
        </message>
    </context>
    <context>
        <name>SearchResultsModel</name>
        <message>
            <source>Date</source>
            <extracomment>The hit of a row (any column). True for a hit found by the server's search (the text is not on this computer). Made at the first date shown (its month names load the locale's data; the main window's first paint does not wait for them). (account id, folder name) → what the folder tree calls it.</extracomment>
            <translation>วันที่</translation>
        </message>
        <message>
            <source>From</source>
            <translation>จาก</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>เรื่อง</translation>
        </message>
        <message>
            <source>Folder</source>
            <translation>โฟลเดอร์</translation>
        </message>
        <message>
            <source>Found on the server (the message's text is not on this computer yet)</source>
            <translation>พบบนเซิร์ฟเวอร์ (เนื้อความของจดหมายยังไม่อยู่ในเครื่องนี้)</translation>
        </message>
        <message>
            <source>(unknown sender)</source>
            <translation>(ไม่ทราบผู้ส่ง)</translation>
        </message>
        <message>
            <source>(no subject)</source>
            <translation>(ไม่มีเรื่อง)</translation>
        </message>
        <message>
            <source>Found on the server</source>
            <translation>พบบนเซิร์ฟเวอร์</translation>
        </message>
    </context>
    <context>
        <name>SearchService</name>
        <message>
            <source>The search could not be run: {detail}</source>
            <translation>ค้นหาไม่สำเร็จ: {detail}</translation>
        </message>
    </context>
    <context>
        <name>SearchView</name>
        <message>
            <source>Search: words, "a phrase", from:, subject:, has:attachment, after:1/10/2568 …</source>
            <translation>ค้นหา: คำ "วลี" from: subject: has:attachment after:1/10/2568 …</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>ค้นหา</translation>
        </message>
        <message>
            <source>Newest first</source>
            <translation>ใหม่สุดก่อน</translation>
        </message>
        <message>
            <source>Best match first</source>
            <translation>ตรงที่สุดก่อน</translation>
        </message>
        <message>
            <source>Order of the results</source>
            <translation>ลำดับของผลการค้นหา</translation>
        </message>
        <message>
            <source>How to search: every operator with an example</source>
            <translation>วิธีค้นหา: เงื่อนไขทั้งหมดพร้อมตัวอย่าง</translation>
        </message>
        <message>
            <source>Save Search…</source>
            <translation>บันทึกการค้นหา…</translation>
        </message>
        <message>
            <source>Keep this search as a folder in the folder list</source>
            <translation>เก็บการค้นหานี้เป็นโฟลเดอร์ในรายการโฟลเดอร์</translation>
        </message>
        <message>
            <source>Close the search and go back to the folder</source>
            <translation>ปิดการค้นหาและกลับไปยังโฟลเดอร์</translation>
        </message>
    </context>
    <context>
        <name>SelfTest</name>
        <message>
            <source>Self-test: main window shown ({width}×{height}, Qt platform {platform})</source>
            <extracomment>Longest wait for the first paint; a window never painted is a failure, not a hang. Thai text the check draws (consonants, vowels above and below, tone marks). A public address registered to Thailand in the RIR data iptocc carries (APNIC, in TOT's 1.0.128.0/17): looked up offline, no connection is made. What the log lines of the report start with (tools/windows_smoke.py looks for it).</extracomment>
            <translation>ทดสอบตัวเอง: แสดงหน้าต่างหลักแล้ว ({width}×{height} แพลตฟอร์ม Qt {platform})</translation>
        </message>
        <message>
            <source>User interface font: {family}</source>
            <translation>แบบอักษรของหน้าจอโปรแกรม: {family}</translation>
        </message>
        <message>
            <source>Thai text drawn with: {families}; missing letters: {missing}</source>
            <translation>ข้อความภาษาไทยแสดงด้วยแบบอักษร: {families} ตัวอักษรที่แสดงไม่ได้: {missing}</translation>
        </message>
        <message>
            <source>Icons found: {found} of {total}</source>
            <translation>พบไอคอน {found} จาก {total}</translation>
        </message>
        <message>
            <source>Self-test passed.</source>
            <translation>ทดสอบตัวเองผ่าน</translation>
        </message>
        <message>
            <source>Self-test failed: {reasons}</source>
            <translation>ทดสอบตัวเองไม่ผ่าน: {reasons}</translation>
        </message>
        <message>
            <source>the bundled Thai font (Sarabun) was not found</source>
            <translation>ไม่พบแบบอักษรไทยที่มากับโปรแกรม (Sarabun)</translation>
        </message>
        <message>
            <source>Thai letters would show as boxes</source>
            <translation>ตัวอักษรไทยจะแสดงเป็นกล่องสี่เหลี่ยม</translation>
        </message>
        <message>
            <source>icons that cannot be drawn: {names}</source>
            <translation>ไอคอนที่แสดงไม่ได้: {names}</translation>
        </message>
        <message>
            <source>no icons were found</source>
            <translation>ไม่พบไอคอนเลย</translation>
        </message>
        <message>
            <source>the main window was not drawn within {seconds} seconds</source>
            <translation>หน้าต่างหลักไม่แสดงผลภายใน {seconds} วินาที</translation>
        </message>
        <message>
            <source>Password store (keyring backend): {backend}</source>
            <translation>ที่เก็บรหัสผ่าน (keyring backend): {backend}</translation>
        </message>
        <message>
            <source>Country of {address} (offline lookup): {country}</source>
            <translation>ประเทศของ {address} (ค้นหาในเครื่องโดยไม่เชื่อมต่อ): {country}</translation>
        </message>
        <message>
            <source>passwords cannot be kept in the system's password store ({detail})</source>
            <translation>ไม่สามารถเก็บรหัสผ่านไว้ในที่เก็บรหัสผ่านของระบบได้ ({detail})</translation>
        </message>
        <message>
            <source>the offline country lookup gives {country} for a Thai address, not {expected}</source>
            <translation>การค้นหาประเทศในเครื่องให้ผลเป็น {country} สำหรับที่อยู่ในประเทศไทย ไม่ใช่ {expected}</translation>
        </message>
    </context>
    <context>
        <name>ServerSearch</name>
        <message>
            <source>Offline: the server was not searched, only the messages on this computer.</source>
            <extracomment>(account id, folder) searched on a server. Accounts whose server part was skipped: offline, or no connection allowed. Translated texts of the servers' refusals (a server that cannot search Thai...). Hits sent through ``results``. Some folder matched more messages than were kept (the newest were).</extracomment>
            <translation>ออฟไลน์: ไม่ได้ค้นหาบนเซิร์ฟเวอร์ ค้นหาเฉพาะจดหมายในเครื่องนี้</translation>
        </message>
        <message>
            <source>The server found more messages than can be shown; the newest are shown.</source>
            <translation>เซิร์ฟเวอร์พบจดหมายมากกว่าที่แสดงได้ จึงแสดงเฉพาะฉบับล่าสุด</translation>
        </message>
        <message>
            <source>Searching on the server</source>
            <extracomment>(request id, list[Hit]) — hits found on a server, folder by folder (``on_server`` True). (request id, ServerSearchOutcome) — the server part of the request is over. Worker → GUI thread: (request id, account id, list[Hit], FolderSearch, the folder's refusal or "").</extracomment>
            <translation>กำลังค้นหาบนเซิร์ฟเวอร์</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <extracomment>Each language is named in itself, so a user who cannot read the current UI language still finds their own (a common convention; deliberately not tr()). Longest interval offered between checks of every folder (a day). The choices offered: "ask" shows the same bar as "block", so it is shown as "block".</extracomment>
            <translation>การตั้งค่า</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>ภาษา(&amp;L):</translation>
        </message>
        <message>
            <source>&amp;Check all folders every:</source>
            <translation>ตรวจจดหมายใหม่ทุกโฟลเดอร์ทุก(&amp;C):</translation>
        </message>
        <message>
            <source> min</source>
            <translation> นาที</translation>
        </message>
        <message>
            <source>Only when asked (F5)</source>
            <translation>เฉพาะเมื่อสั่ง (F5)</translation>
        </message>
        <message>
            <source>Show a &amp;notification when new mail arrives</source>
            <translation>แสดงการแจ้งเตือนเมื่อมีจดหมายใหม่(&amp;N)</translation>
        </message>
        <message>
            <source>Set by your agency's policy</source>
            <translation>กำหนดโดยนโยบายของหน่วยงาน</translation>
        </message>
        <message>
            <source>Show formatted (HTML) messages as &amp;plain text</source>
            <translation>แสดงจดหมายที่จัดรูปแบบ (HTML) เป็นข้อความธรรมดา(&amp;P)</translation>
        </message>
        <message>
            <source>Your agency's policy shows every message as plain text.</source>
            <translation>นโยบายของหน่วยงานกำหนดให้แสดงจดหมายทุกฉบับเป็นข้อความธรรมดา</translation>
        </message>
        <message>
            <source>Plain text shows no pictures or layout; the toggle above a message still switches that message.</source>
            <translation>ข้อความธรรมดาไม่แสดงรูปภาพและการจัดหน้า ปุ่มสลับเหนือจดหมายยังใช้เปลี่ยนการแสดงจดหมายฉบับนั้นได้</translation>
        </message>
        <message>
            <source>&amp;Download messages for offline search from the last:</source>
            <translation>ดาวน์โหลดจดหมายไว้ค้นหาแบบออฟไลน์ย้อนหลัง(&amp;D):</translation>
        </message>
        <message>
            <source> days</source>
            <translation> วัน</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>ปิด</translation>
        </message>
        <message>
            <source>Your agency's policy does not allow downloading messages for search.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตให้ดาวน์โหลดจดหมายไว้สำหรับค้นหา</translation>
        </message>
        <message>
            <source>The text of recent messages (not their attachments) in every folder except Junk and Trash is downloaded in the background, so that search finds it without the server.</source>
            <translation>โปรแกรมจะดาวน์โหลดเนื้อความของจดหมายล่าสุด (ไม่รวมไฟล์แนบ) ในทุกโฟลเดอร์ ยกเว้นจดหมายขยะและถังขยะ ไว้เบื้องหลัง เพื่อให้ค้นหาเจอได้โดยไม่ต้องใช้เซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>Your agency's policy allows at most {days} days.</source>
            <translation>นโยบายของหน่วยงานอนุญาตได้ไม่เกิน {days} วัน</translation>
        </message>
        <message>
            <source>The new language is used at once and saved for the next start.</source>
            <translation>ภาษาใหม่จะใช้ทันที และบันทึกไว้สำหรับการเปิดโปรแกรมครั้งต่อไป</translation>
        </message>
        <message>
            <source>Remote images</source>
            <translation>รูปภาพจากภายนอก</translation>
        </message>
        <message>
            <source>Senders whose remote images are always shown:</source>
            <translation>ผู้ส่งที่แสดงรูปภาพจากภายนอกเสมอ:</translation>
        </message>
        <message>
            <source>No senders yet (“Always for this sender” adds them).</source>
            <translation>ยังไม่มีผู้ส่ง (เพิ่มได้ด้วยปุ่ม “แสดงเสมอสำหรับผู้ส่งนี้”)</translation>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation>ลบ(&amp;R)</translation>
        </message>
        <message>
            <source>Remote &amp;images in messages:</source>
            <translation>รูปภาพจากภายนอกในจดหมาย(&amp;I):</translation>
        </message>
        <message>
            <source>Blocked, with a bar to show them</source>
            <translation>ปิดกั้นไว้ มีแถบให้เลือกแสดง</translation>
        </message>
        <message>
            <source>Always shown</source>
            <translation>แสดงเสมอ</translation>
        </message>
        <message>
            <source>Your agency's policy does not allow remote content.</source>
            <translation>นโยบายของหน่วยงานไม่อนุญาตเนื้อหาจากภายนอก</translation>
        </message>
        <message>
            <source>Images from the Internet can tell the sender that you opened a message.</source>
            <translation>รูปภาพจากอินเทอร์เน็ตอาจทำให้ผู้ส่งรู้ว่าคุณเปิดอ่านจดหมายแล้ว</translation>
        </message>
    </context>
    <context>
        <name>SetupWizard</name>
        <message>
            <source>Set up GovMail Desktop</source>
            <translation>ตั้งค่า GovMail Desktop</translation>
        </message>
    </context>
    <context>
        <name>Signature</name>
        <message>
            <source>Tel. {phone}</source>
            <extracomment>Longest text of one signature field (a name, an agency's full name). The usual signature separator ("-- " and a line break), so replies can leave it out. "" for the account's own address (not stored in the section). The identity's address this signature is for ("": every identity of the account). The lines of a signature the machine policy sets (provisioning.signature): it is the account's only one, never stored nor edited. () for the user's own signatures.</extracomment>
            <translation>โทร. {phone}</translation>
        </message>
        <message>
            <source>Set by your agency's policy</source>
            <extracomment>account id -&gt; the signature the machine policy sets for it (None: the user's own)</extracomment>
            <translation>กำหนดโดยนโยบายของหน่วยงาน</translation>
        </message>
    </context>
    <context>
        <name>SignatureEditor</name>
        <message>
            <source>Signatures</source>
            <translation>ลายเซ็น</translation>
        </message>
        <message>
            <source>Signature &amp;name:</source>
            <translation>&amp;ชื่อลายเซ็น:</translation>
        </message>
        <message>
            <source>Your n&amp;ame:</source>
            <translation>ชื่อ-&amp;นามสกุล:</translation>
        </message>
        <message>
            <source>&amp;Position:</source>
            <translation>&amp;ตำแหน่ง:</translation>
        </message>
        <message>
            <source>A&amp;gency:</source>
            <translation>&amp;หน่วยงาน:</translation>
        </message>
        <message>
            <source>P&amp;hone:</source>
            <translation>โ&amp;ทรศัพท์:</translation>
        </message>
        <message>
            <source>&amp;Used with:</source>
            <translation>&amp;ใช้กับ:</translation>
        </message>
        <message>
            <source>As it appears:</source>
            <translation>ตัวอย่าง:</translation>
        </message>
        <message>
            <source>Put it in every new message, reply and forward</source>
            <translation>ใส่ในจดหมายใหม่ การตอบกลับ และการส่งต่อทุกฉบับ</translation>
        </message>
        <message>
            <source>&amp;New Signature</source>
            <translation>ลายเซ็น&amp;ใหม่</translation>
        </message>
        <message>
            <source>e.g. Official, Short</source>
            <translation>เช่น ทางการ, แบบสั้น</translation>
        </message>
        <message>
            <source>e.g. Computer Technical Officer</source>
            <translation>เช่น นักวิชาการคอมพิวเตอร์ชำนาญการ</translation>
        </message>
        <message>
            <source>Any of this account's addresses</source>
            <translation>ทุกที่อยู่ของบัญชีนี้</translation>
        </message>
        <message>
            <source>Set by your agency's policy</source>
            <translation>กำหนดโดยนโยบายของหน่วยงาน</translation>
        </message>
        <message>
            <source>Signature {n}</source>
            <translation>ลายเซ็น {n}</translation>
        </message>
    </context>
    <context>
        <name>SpecialFoldersDialog</name>
        <message>
            <source>Special Folders</source>
            <extracomment>Role keys (core.folder_roles.ROLE_KEYS) in the order shown.</extracomment>
            <translation>โฟลเดอร์พิเศษ</translation>
        </message>
        <message>
            <source>Choose the folders of {account} that are used as Sent, Drafts, Trash, Junk and Archive. "Detect automatically" uses what the server says, or the usual folder names.</source>
            <translation>เลือกโฟลเดอร์ของ {account} ที่ใช้เป็นจดหมายที่ส่งแล้ว ร่างจดหมาย ถังขยะ จดหมายขยะ และเก็บถาวร "ตรวจหาอัตโนมัติ" จะใช้ข้อมูลจากเซิร์ฟเวอร์ หรือชื่อโฟลเดอร์ที่ใช้กันทั่วไป</translation>
        </message>
        <message>
            <source>&amp;Sent:</source>
            <translation>จดหมายที่ส่งแล้ว(&amp;S):</translation>
        </message>
        <message>
            <source>&amp;Drafts:</source>
            <translation>ร่างจดหมาย(&amp;D):</translation>
        </message>
        <message>
            <source>&amp;Trash:</source>
            <translation>ถังขยะ(&amp;T):</translation>
        </message>
        <message>
            <source>&amp;Junk:</source>
            <translation>จดหมายขยะ(&amp;J):</translation>
        </message>
        <message>
            <source>A&amp;rchive:</source>
            <translation>เก็บถาวร(&amp;R):</translation>
        </message>
        <message>
            <source>Set by your agency's policy</source>
            <translation>กำหนดโดยนโยบายของหน่วยงาน</translation>
        </message>
        <message>
            <source>Detect automatically (now: {folder})</source>
            <translation>ตรวจหาอัตโนมัติ (ขณะนี้: {folder})</translation>
        </message>
        <message>
            <source>Detect automatically (none found)</source>
            <translation>ตรวจหาอัตโนมัติ (ยังไม่พบ)</translation>
        </message>
    </context>
    <context>
        <name>Storage</name>
        <message>
            <source>The disk is full, so mail could not be saved on this computer.</source>
            <translation>ดิสก์เต็ม จึงไม่สามารถบันทึกจดหมายลงในเครื่องนี้ได้</translation>
        </message>
        <message>
            <source>Please free some disk space. Mail already shown stays available.</source>
            <translation>กรุณาเพิ่มพื้นที่ว่างในดิสก์ จดหมายที่แสดงอยู่แล้วยังใช้งานได้ตามปกติ</translation>
        </message>
        <message>
            <source>GovMail may not write to its data folder {path}.</source>
            <translation>GovMail ไม่มีสิทธิ์เขียนข้อมูลลงในโฟลเดอร์ข้อมูล {path}</translation>
        </message>
        <message>
            <source>Please ask your IT staff to give your user account write access to this folder.</source>
            <translation>กรุณาติดต่อเจ้าหน้าที่ไอทีเพื่อให้บัญชีผู้ใช้ของคุณมีสิทธิ์เขียนในโฟลเดอร์นี้</translation>
        </message>
        <message>
            <source>The mail cache on this computer is damaged.</source>
            <translation>ข้อมูลจดหมายที่เก็บไว้ในเครื่องนี้เสียหาย</translation>
        </message>
        <message>
            <source>It will be rebuilt from the server automatically. No mail on the server is lost.</source>
            <translation>ระบบจะสร้างขึ้นใหม่จากเซิร์ฟเวอร์โดยอัตโนมัติ จดหมายบนเซิร์ฟเวอร์ไม่สูญหาย</translation>
        </message>
        <message>
            <source>The mail cache is in use by another program.</source>
            <translation>ข้อมูลจดหมายในเครื่องกำลังถูกใช้งานโดยโปรแกรมอื่น</translation>
        </message>
        <message>
            <source>Please close other copies of GovMail and try again.</source>
            <translation>กรุณาปิดโปรแกรม GovMail ที่เปิดซ้อนอยู่ แล้วลองอีกครั้ง</translation>
        </message>
        <message>
            <source>Reading or writing the mail cache failed.</source>
            <translation>ไม่สามารถอ่านหรือเขียนข้อมูลจดหมายในเครื่องได้</translation>
        </message>
        <message>
            <source>The file {path} is in use by another program, so GovMail could not replace it.</source>
            <extracomment>Tries in all, and the pause between them: half a second at most. ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: another process has the file open. ERROR_ACCESS_DENIED: also what replacing a held target gives (or a real permission problem).</extracomment>
            <translation>ไฟล์ {path} กำลังถูกใช้งานโดยโปรแกรมอื่น GovMail จึงแทนที่ไฟล์นี้ไม่ได้</translation>
        </message>
        <message>
            <source>Please close the program that has it open (for example a document viewer, a backup or file sync program, or another copy of GovMail) and try again.</source>
            <translation>โปรดปิดโปรแกรมที่เปิดไฟล์นี้อยู่ (เช่น โปรแกรมเปิดดูเอกสาร โปรแกรมสำรองข้อมูลหรือซิงก์ไฟล์ หรือ GovMail อีกหน้าต่างหนึ่ง) แล้วลองอีกครั้ง</translation>
        </message>
    </context>
    <context>
        <name>Sync</name>
        <message>
            <source>The server {host} could not carry out the request.</source>
            <translation>เซิร์ฟเวอร์ {host} ไม่สามารถดำเนินการตามคำขอได้</translation>
        </message>
        <message>
            <source>The server {host} cannot search for Thai or other non-English text (it does not accept UTF-8 searches).</source>
            <extracomment>RFC 5530 response code, e.g. "NONEXISTENT", "TRYCREATE", "ALREADYEXISTS".</extracomment>
            <translation>เซิร์ฟเวอร์ {host} ค้นหาข้อความภาษาไทยหรือภาษาอื่นที่ไม่ใช่ภาษาอังกฤษไม่ได้ (ไม่รับการค้นหาแบบ UTF-8)</translation>
        </message>
        <message>
            <source>Messages on this computer were still searched. Search for English words or numbers to also search the server.</source>
            <translation>ยังค้นหาข้อความในเครื่องนี้ได้ตามปกติ หากต้องการค้นหาบนเซิร์ฟเวอร์ด้วย ให้ค้นหาด้วยคำภาษาอังกฤษหรือตัวเลข</translation>
        </message>
        <message>
            <source>The server did not accept the change of marks in the folder {folder}; the messages show the server's state again.</source>
            <extracomment>Server answers worth trying again later (RFC 5530); any other NO is final.</extracomment>
            <translation>เซิร์ฟเวอร์ไม่ยอมรับการเปลี่ยนเครื่องหมายในโฟลเดอร์ {folder} จดหมายจึงแสดงตามสถานะบนเซิร์ฟเวอร์อีกครั้ง</translation>
        </message>
        <message>
            <source>The server did not move the messages from {folder} to {target}; they are back in {folder}.</source>
            <translation>เซิร์ฟเวอร์ไม่ได้ย้ายจดหมายจาก {folder} ไปที่ {target} จดหมายจึงกลับมาอยู่ใน {folder} ตามเดิม</translation>
        </message>
        <message>
            <source>The server did not copy the messages from {folder} to {target}.</source>
            <translation>เซิร์ฟเวอร์ไม่ได้คัดลอกจดหมายจาก {folder} ไปที่ {target}</translation>
        </message>
        <message>
            <source>The server did not delete the messages in {folder}; they are back in the folder.</source>
            <translation>เซิร์ฟเวอร์ไม่ได้ลบจดหมายใน {folder} จดหมายจึงกลับมาอยู่ในโฟลเดอร์ตามเดิม</translation>
        </message>
        <message>
            <source>The messages in {folder} were not deleted: this account has no Trash folder. They are back in {folder}.</source>
            <translation>ไม่ได้ลบจดหมายใน {folder} เพราะบัญชีนี้ไม่มีโฟลเดอร์ถังขยะ จดหมายกลับไปอยู่ใน {folder} แล้ว</translation>
        </message>
        <message>
            <source>An action made offline in the folder {folder} was not sent: the folder was rebuilt on the server.</source>
            <translation>การดำเนินการที่ทำไว้ขณะออฟไลน์ในโฟลเดอร์ {folder} ไม่ได้ส่งไปยังเซิร์ฟเวอร์ เนื่องจากโฟลเดอร์นี้ถูกสร้างใหม่บนเซิร์ฟเวอร์</translation>
        </message>
    </context>
    <context>
        <name>SyncProgress</name>
        <message>
            <source>Cancel</source>
            <translation>ยกเลิก</translation>
        </message>
        <message>
            <source>Stop synchronising now</source>
            <translation>หยุดการซิงค์ข้อมูลทันที</translation>
        </message>
    </context>
    <context>
        <name>SyncService</name>
        <message>
            <source>Offline. Reconnecting in {seconds} s…</source>
            <extracomment>The open connection goes where a changed policy refuses (set by recheck(); taken by this thread). The policy last given to recheck(), and how many times: a connect under way during a change is judged again when it is made (it was checked under the rules before).</extracomment>
            <translation>ออฟไลน์ จะเชื่อมต่อใหม่ในอีก {seconds} วินาที…</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>กำลังเชื่อมต่อ…</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>ออฟไลน์</translation>
        </message>
        <message>
            <source>Updating the folder list</source>
            <extracomment>Progress signals at most this often per operation (a 100,000-row sync must not flood the GUI). New rows are announced to the models at most this often (see _RelayListener). The first screen is announced at once; later batches (older mail, usually below the visible rows) need no faster updates, and each costs a model update and a repaint (measured: 1 s instead of 0.3 s makes the full sync of 100,000 ~0.1 s faster). Longest pause of the worker while the GUI thread applies announced rows and repaints. Turns of the GUI event loop after an announcement of new rows before the worker goes on (the model's change, the view's re-layout, its repaint: see SyncService._after_inserted). Interpreter lock handover interval while the service runs (see SyncService.start). {role: folder name} the user or the policy picked (core/folder_roles.py); replaced, never changed. Set by the GUI thread once announced rows are applied and painted (see _RelayListener). Why a changed policy refuses this account's server (None: it does not), and how the connection it closed was made (judged again at the next change).</extracomment>
            <translation>กำลังปรับปรุงรายการโฟลเดอร์</translation>
        </message>
        <message>
            <source>Synchronizing {folder}</source>
            <translation>กำลังซิงค์ข้อมูล {folder}</translation>
        </message>
        <message>
            <source>Synchronizing all folders</source>
            <translation>กำลังซิงค์ข้อมูลทุกโฟลเดอร์</translation>
        </message>
        <message>
            <source>Sending your changes to the server</source>
            <translation>กำลังส่งการเปลี่ยนแปลงของคุณไปยังเซิร์ฟเวอร์</translation>
        </message>
        <message>
            <source>Applying the choice of special folders</source>
            <translation>กำลังใช้โฟลเดอร์พิเศษที่เลือกไว้</translation>
        </message>
        <message>
            <source>Creating the Trash folder</source>
            <translation>กำลังสร้างโฟลเดอร์ถังขยะ</translation>
        </message>
        <message>
            <source>Creating a folder</source>
            <translation>กำลังสร้างโฟลเดอร์</translation>
        </message>
        <message>
            <source>Downloading a message</source>
            <translation>กำลังดาวน์โหลดจดหมาย</translation>
        </message>
        <message>
            <source>Inbox</source>
            <translation>กล่องจดหมายเข้า</translation>
        </message>
    </context>
    <context>
        <name>ThaiDates</name>
        <message>
            <source>Today</source>
            <translation>วันนี้</translation>
        </message>
        <message>
            <source>Yesterday</source>
            <translation>เมื่อวาน</translation>
        </message>
    </context>
</TS>
