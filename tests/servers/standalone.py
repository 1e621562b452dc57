"""The suite's servers outside pytest (``make stress``, ``python -m tests.stress.crash_kills``):
a private Dovecot and an SMTP submission server delivering into it, with their own test CA,
all stopped and removed when the block ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from tests.servers.certs import TestCertificates
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpSubmissionServer


@contextmanager
def own_servers() -> Iterator[tuple[DovecotServer, SmtpSubmissionServer]]:
    """A started Dovecot and SMTP submission server (users as DovecotServer's defaults)."""
    with ExitStack() as stack:
        certs = TestCertificates()
        stack.callback(certs.cleanup)
        dovecot = DovecotServer(certs=certs)
        stack.callback(dovecot.cleanup)
        dovecot.start()
        smtp = SmtpSubmissionServer(dovecot)
        smtp.start()
        stack.callback(smtp.stop)
        yield dovecot, smtp
