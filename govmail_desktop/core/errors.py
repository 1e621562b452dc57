"""Typed errors raised deep down and worded for people in one place.

Every error carries:

* ``code`` — a stable machine-readable reason code (used by govmail-admin
  ``--json``, tests and logs);
* ``message`` — what went wrong, as a translatable :class:`Msg`;
* ``hint`` — what the user or the IT admin can do about it (may be ``None``);
* ``detail`` — technical detail in English for the log (never a password or a
  message body).

``user_text(lang)`` gives the sentence(s) to show; the Qt side's message bridge
is the only place that turns these into widgets.
"""

from __future__ import annotations

from typing import Any

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg


class GovMailError(Exception):
    """Base class of every error the app expects and can explain."""

    code = "error"
    #: Environment problems are the user's/admin's to fix; bugs are ours.
    is_environment = True
    default_message = QT_TRANSLATE_NOOP("Errors", "Something went wrong.")
    default_hint: Msg | None = None

    def __init__(
        self,
        message: Msg | None = None,
        *,
        hint: Msg | None = None,
        detail: str = "",
        code: str | None = None,
        **args: Any,
    ) -> None:
        self.message = (message or self.default_message).format(**args) if args else (
            message or self.default_message
        )
        self.hint = hint if hint is not None else self.default_hint
        if self.hint is not None and args:
            self.hint = self.hint.format(**args)
        self.detail = detail
        if code is not None:
            self.code = code
        super().__init__(self.message.text("en") + (f" ({detail})" if detail else ""))

    def user_text(self, lang: str | None = None) -> str:
        parts = [self.message.text(lang)]
        if self.hint is not None:
            parts.append(self.hint.text(lang))
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """Machine-readable form (govmail-admin --json)."""
        return {
            "error": type(self).__name__,
            "code": self.code,
            "message_en": self.message.text("en"),
            "message_th": self.message.text("th"),
            "hint_en": self.hint.text("en") if self.hint else None,
            "hint_th": self.hint.text("th") if self.hint else None,
            "detail": self.detail,
        }


class PolicyError(GovMailError):
    """The machine policy itself is broken: the app fails closed."""

    code = "policy-invalid"
    default_message = QT_TRANSLATE_NOOP("Errors", "The agency's mail policy could not be used.")
    default_hint = QT_TRANSLATE_NOOP(
        "Errors",
        "No connections will be made until the IT staff fix the policy. Please contact your IT staff.",
    )


class PolicyRefused(GovMailError):
    """A connection or an action was refused by the domestic-server policy."""

    code = "policy-refused"
    default_message = QT_TRANSLATE_NOOP("Errors", "Refused by the agency's mail policy.")


class NetworkError(GovMailError):
    """The server could not be reached (DNS, refused, timeout, dropped)."""

    code = "network"
    default_message = QT_TRANSLATE_NOOP("Errors", "Cannot connect to the server.")
    default_hint = QT_TRANSLATE_NOOP("Errors", "Please check the network connection and try again.")


class TlsError(GovMailError):
    """TLS could not be established or the certificate was not trusted."""

    code = "tls"
    default_message = QT_TRANSLATE_NOOP("Errors", "The secure connection to the server failed.")
    default_hint = QT_TRANSLATE_NOOP(
        "Errors", "The server's certificate could not be verified. Please contact your IT staff."
    )


class AuthError(GovMailError):
    """The server refused the login name or password."""

    code = "auth"
    default_message = QT_TRANSLATE_NOOP("Errors", "The e-mail address or password is incorrect.")
    default_hint: Msg | None = QT_TRANSLATE_NOOP("Errors", "Please check your password and try again.")


class PasswordNeeded(AuthError):
    """No password is known for the account (asked each session, or none in the keyring).

    Nothing was refused: the user is asked for it, and no connection is made until then.
    """

    code = "password-needed"
    default_message = QT_TRANSLATE_NOOP("Errors", "The password of this account is needed to connect.")
    default_hint = None


class ServerError(GovMailError):
    """The server answered with an error (NO/BAD, 4xx/5xx)."""

    code = "server"
    default_message = QT_TRANSLATE_NOOP("Errors", "The server reported an error.")


class ActionRefused(ServerError):
    """A user action the server did not carry out; the cache shows the server's state again.

    ``reason`` says why, for code (never the text): :attr:`REFUSED` (the server
    answered NO), :attr:`NO_TRASH` (a delete to the Trash, and the account has
    none: nothing was erased instead) or :attr:`FOLDER_REBUILT` (the folder was
    recreated on the server, its UIDs name other messages now: not sent).
    """

    code = "action-refused"
    REFUSED = "refused"
    NO_TRASH = "no-trash"
    FOLDER_REBUILT = "folder-rebuilt"

    def __init__(self, message: Msg, *, reason: str, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.reason = reason


class StorageError(GovMailError):
    """A local file or database could not be read or written (disk full, permissions)."""

    code = "storage"
    default_message = QT_TRANSLATE_NOOP("Errors", "Could not save data on this computer.")
    default_hint = QT_TRANSLATE_NOOP(
        "Errors", "Please check that the disk has free space and that you may write to it."
    )


class CredentialsError(GovMailError):
    """The OS keyring is missing or refused access."""

    code = "keyring"
    default_message = QT_TRANSLATE_NOOP("Errors", "No usable password store (keyring) was found.")
    default_hint = QT_TRANSLATE_NOOP(
        "Errors", "You can enter your password each session instead; it will not be saved."
    )


class ConfigError(GovMailError):
    """The user's settings file is unreadable or has bad values."""

    code = "settings"
    default_message = QT_TRANSLATE_NOOP("Errors", "The settings file could not be read.")


class Cancelled(GovMailError):
    """An operation was cancelled by the user."""

    code = "cancelled"
    default_message = QT_TRANSLATE_NOOP("Errors", "Cancelled.")


class BugError(GovMailError):
    """Wraps an unexpected exception: a traceback goes to the log."""

    code = "bug"
    is_environment = False
    default_message = QT_TRANSLATE_NOOP("Errors", "An unexpected error occurred.")
    default_hint = QT_TRANSLATE_NOOP(
        "Errors", "Details were written to the log file. Please report this to your IT staff."
    )


class UnsafeMessageField(GovMailError):
    """A header value or address of an outgoing message holds a line break, NUL or another
    character that would change the message's structure (header injection): not built."""

    code = "unsafe-field"
    default_message = QT_TRANSLATE_NOOP(
        "Errors", "The message cannot be sent: the field {field} contains characters that are not allowed."
    )
    default_hint = QT_TRANSLATE_NOOP("Errors", "Please remove line breaks and control characters from it.")


class InternationalAddressUnsupported(GovMailError):
    """An address whose local part is not ASCII, and the server does not offer SMTPUTF8."""

    code = "smtputf8-needed"
    default_message = QT_TRANSLATE_NOOP(
        "Errors", "The address {address} can only be sent through a server that supports international addresses."
    )
