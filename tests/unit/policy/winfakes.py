r"""An injected Windows platform layer for the policy tests (they run on Linux).

:class:`FakeWindows` answers the two questions the loader asks the system —
where ``ProgramData`` is (known-folder API) and who owns / may change a file
or folder (owner SID and DACL) — from dicts. A path without an entry that
exists on disk gets the security of an administrator-made file (Administrators
owner; SYSTEM and Administrators full control; Users read), so tests of other
things can load a policy file from a temp dir as they did before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from govmail_desktop.policy.winsec import (
    ADMINISTRATORS,
    SYSTEM,
    Ace,
    FileSecurity,
)

USERS = "S-1-5-32-545"
EVERYONE = "S-1-1-0"
AUTHENTICATED_USERS = "S-1-5-11"
A_USER = "S-1-5-21-1004336348-1177238915-682003330-1001"

FULL_CONTROL = 0x001F01FF
READ_EXECUTE = 0x001200A9

SECURE = FileSecurity(
    owner_sid=ADMINISTRATORS,
    dacl=(
        Ace(SYSTEM, FULL_CONTROL),
        Ace(ADMINISTRATORS, FULL_CONTROL),
        Ace(USERS, READ_EXECUTE),
    ),
)


@dataclass
class FakeWindows:
    #: known folder name ("ProgramData", "Windows", ...) -> path, or an exception to raise
    folders: dict[str, str | Exception] = field(default_factory=dict)
    #: str(path) -> its security, or an exception to raise
    security: dict[str, FileSecurity | Exception] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def known_folder(self, name: str) -> str:
        found = self.folders.get(name)
        if found is None:
            raise OSError(2, f"no known folder {name} in this fake")
        if isinstance(found, Exception):
            raise found
        return found

    def file_security(self, path: str) -> FileSecurity:
        self.asked.append(str(path))
        found = self.security.get(str(path))
        if isinstance(found, Exception):
            raise found
        if found is not None:
            return found
        if os.path.exists(path):
            return SECURE
        raise FileNotFoundError(2, "The system cannot find the file specified", str(path))
