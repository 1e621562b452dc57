"""Who official mail may go to: internal/external, free mail, classified mail.

The composer calls ``RecipientPolicy.check(recipients, secrecy)`` before
sending and shows the findings; any finding with level ``block`` stops the
send. Rules (policy keys under ``recipients``):

* ``internal_domains`` — government domains (default ``go.th`` and below);
* ``external``  — ``allow`` | ``warn`` | ``block`` for everyone else;
* ``free_mail`` — ``warn`` | ``block`` for ``free_mail_domains`` (never
  looser than ``external``, since free mail is external too);
* ``classified`` — mail marked ลับ / ลับมาก / ลับที่สุด: ``internal-only``
  (blocked to every external recipient) or ``block`` (never by e-mail).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govmail_desktop.core.compose import Secrecy, parse_secrecy
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.policy import api
from govmail_desktop.policy.hosts import InvalidHost, display_host, first_match, split_address
from govmail_desktop.policy.model import RecipientsSection

WARN = "warn"
BLOCK = "block"

# Reason codes (stable: logs, tests, the composer).
RECIPIENT_EXTERNAL = "recipient-external"
RECIPIENT_FREE_MAIL = "recipient-free-mail"
RECIPIENT_CLASSIFIED_EXTERNAL = "recipient-classified-external"
CLASSIFIED_BLOCKED = "classified-blocked"
RECIPIENT_INVALID = "recipient-invalid"

_MSG = {
    (RECIPIENT_EXTERNAL, WARN): QT_TRANSLATE_NOOP(
        "Policy",
        "{address} is outside the government domains. Please check that this recipient should receive official mail.",
    ),
    (RECIPIENT_EXTERNAL, BLOCK): QT_TRANSLATE_NOOP(
        "Policy",
        "{address} is outside the government domains; your agency's policy does not allow sending official mail to it.",
    ),
    (RECIPIENT_FREE_MAIL, WARN): QT_TRANSLATE_NOOP(
        "Policy",
        "{address} is a free e-mail service ({domain}), not a government address. "
        "Please check before sending official mail.",
    ),
    (RECIPIENT_FREE_MAIL, BLOCK): QT_TRANSLATE_NOOP(
        "Policy",
        "{address} is a free e-mail service ({domain}); "
        "your agency's policy does not allow sending official mail to it.",
    ),
    (RECIPIENT_CLASSIFIED_EXTERNAL, BLOCK): QT_TRANSLATE_NOOP(
        "Policy",
        "{address} is outside the government domains; "
        "mail classified “{secrecy}” may only be sent to internal recipients.",
    ),
    (CLASSIFIED_BLOCKED, BLOCK): QT_TRANSLATE_NOOP(
        "Policy", "Your agency's policy does not allow mail classified “{secrecy}” to be sent by e-mail."
    ),
    (RECIPIENT_INVALID, BLOCK): QT_TRANSLATE_NOOP("Policy", "“{address}” is not a valid e-mail address."),
    (api.POLICY_INVALID, BLOCK): QT_TRANSLATE_NOOP(
        "Policy", "Sending is blocked because the agency's mail policy is invalid: {problem}."
    ),
}


@dataclass(frozen=True)
class RecipientFinding:
    """One problem with one recipient (``address`` is "" for the whole message)."""

    address: str
    level: str  # WARN | BLOCK
    code: str
    message: Msg

    def text(self, lang: str | None = None) -> str:
        return self.message.text(lang)


def bare_address(recipient: str) -> str:
    """``a@b`` from ``a@b`` or ``Name <a@b>`` (the composer may pass either)."""
    text = recipient.strip()
    if text.endswith(">") and "<" in text:
        text = text[text.rindex("<") + 1 : -1].strip()
    return text


def is_blocked(findings: Iterable[RecipientFinding]) -> bool:
    return any(f.level == BLOCK for f in findings)


class RecipientPolicy:
    """The recipient rules of one effective policy."""

    def __init__(self, rules: RecipientsSection, *, error: Msg | None = None) -> None:
        self.rules = rules
        #: set when the machine policy is broken: every send is blocked
        self.error = error

    def is_internal(self, address: str) -> bool:
        try:
            _, domain = split_address(bare_address(address))
        except InvalidHost:
            return False
        return first_match(self.rules.internal_domains, domain) is not None

    def check(
        self, recipients: Iterable[str], secrecy: Secrecy | str | None = None
    ) -> list[RecipientFinding]:
        """Findings for these recipients (To, Cc and Bcc together); [] = nothing to say."""
        level_secrecy = parse_secrecy(secrecy)
        if self.error is not None:
            return [self._finding("", BLOCK, api.POLICY_INVALID, problem=self.error)]
        findings: list[RecipientFinding] = []
        if level_secrecy is not None and self.rules.classified == "block":
            findings.append(self._finding("", BLOCK, CLASSIFIED_BLOCKED, secrecy=level_secrecy.label))
        seen: set[str] = set()
        for recipient in recipients:
            key = bare_address(recipient).lower()
            if key in seen:
                continue
            seen.add(key)
            finding = self._check_one(recipient, level_secrecy)
            if finding is not None:
                findings.append(finding)
        return findings

    def _check_one(self, recipient: str, secrecy: Secrecy | None) -> RecipientFinding | None:
        text = bare_address(recipient)
        try:
            local, domain = split_address(text)
        except InvalidHost:
            return self._finding(text, BLOCK, RECIPIENT_INVALID)
        shown = f"{local}@{display_host(domain)}"
        internal = first_match(self.rules.internal_domains, domain) is not None
        free = first_match(self.rules.free_mail_domains, domain)
        if internal and free is None:
            return None
        if secrecy is not None:
            return self._finding(shown, BLOCK, RECIPIENT_CLASSIFIED_EXTERNAL, secrecy=secrecy.label)
        external_level = None if self.rules.external == "allow" else self.rules.external
        if free is not None:
            level = BLOCK if BLOCK in (self.rules.free_mail, external_level) else WARN
            return self._finding(shown, level, RECIPIENT_FREE_MAIL, domain=display_host(domain))
        if external_level is None:
            return None
        return self._finding(shown, external_level, RECIPIENT_EXTERNAL)

    @staticmethod
    def _finding(address: str, level: str, code: str, **args: object) -> RecipientFinding:
        return RecipientFinding(address, level, code, _MSG[(code, level)].format(address=address, **args))
