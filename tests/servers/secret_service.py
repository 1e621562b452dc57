"""A private Secret Service: a D-Bus session bus plus gnome-keyring, unlocked, in a temp dir.

The `keyring` package finds the Secret Service through DBUS_SESSION_BUS_ADDRESS. This
module starts its own bus (never the user's) and its own gnome-keyring with a fresh
HOME and XDG_RUNTIME_DIR, so tests store secrets in a throw-away login keyring.
``activated()`` switches the current process to it (env vars + keyring backend) and
restores everything afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DBUS_DAEMON = "dbus-daemon"
GNOME_KEYRING_DAEMON = "gnome-keyring-daemon"
SECRETS_BUS_NAME = "org.freedesktop.secrets"

#: What ``activated()`` sets in this process (and restores): a client needs only the
#: bus address. HOME/XDG_RUNTIME_DIR stay untouched so Qt and others are not disturbed.
ACTIVATED_KEYS = ("DBUS_SESSION_BUS_ADDRESS",)


class SecretServiceError(RuntimeError):
    """The private Secret Service could not be started (missing tool, daemon died...)."""


def missing_tools() -> list[str]:
    """Programs this fixture needs that are not installed (make test installs them)."""
    return [tool for tool in (DBUS_DAEMON, GNOME_KEYRING_DAEMON) if shutil.which(tool) is None]


class SecretServiceSession:
    """dbus-daemon + gnome-keyring-daemon (secrets component), private to the tests.

    Attributes: ``env`` (the variables a client process needs), ``bus_address``,
    ``home``, ``runtime_dir``. ``start()``/``stop()``; ``activated()`` context manager.
    """

    def __init__(self, workdir: Path | str | None = None, password: str = "Keyring2569test") -> None:
        self._owns_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="govmail-secrets-"))
        self.home = self.workdir / "home"
        self.runtime_dir = self.workdir / "runtime"
        self.password = password
        self.bus_address: str | None = None
        self._dbus: subprocess.Popen[bytes] | None = None
        self._keyring: subprocess.Popen[bytes] | None = None
        self._log_file = self.workdir / "gnome-keyring.log"

    @property
    def env(self) -> dict[str, str]:
        """Variables for a child process (e.g. the app) to use this Secret Service."""
        if self.bus_address is None:
            raise SecretServiceError("Secret Service not started")
        return {
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
        }

    # -- lifecycle ---------------------------------------------------------------
    def start(self, timeout: float = 15.0) -> SecretServiceSession:
        if self._dbus is not None:
            return self
        missing = missing_tools()
        if missing:
            raise SecretServiceError(
                f"Secret Service tests need {', '.join(missing)}; install the Debian "
                "packages dbus and gnome-keyring (`make test` does this when run as root)"
            )
        for d in (self.workdir, self.home, self.runtime_dir):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, 0o700)
        try:
            self._start_bus(timeout)
            self._start_keyring(timeout)
        except Exception:
            self.stop()
            raise
        return self

    def _start_bus(self, timeout: float) -> None:
        self._dbus = subprocess.Popen(
            [DBUS_DAEMON, "--session", "--nofork", "--nopidfile", "--print-address=1",
             f"--address=unix:path={self.runtime_dir}/bus"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**self._base_env(), "HOME": str(self.home)},
            start_new_session=True,
        )
        assert self._dbus.stdout is not None
        line = self._dbus.stdout.readline().decode().strip()  # printed once listening
        if not line:
            raise SecretServiceError(f"dbus-daemon exited (code {self._dbus.wait(timeout)})")
        self.bus_address = line

    def _start_keyring(self, timeout: float) -> None:
        log = open(self._log_file, "wb")
        try:
            self._keyring = subprocess.Popen(
                [GNOME_KEYRING_DAEMON, "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**self._base_env(), **self.env, "HOME": str(self.home)},
                start_new_session=True,
            )
        finally:
            log.close()
        assert self._keyring.stdin is not None
        # --unlock reads the login keyring password from stdin (until EOF); without
        # it gnome-keyring would try a GUI prompt.
        self._keyring.stdin.write(self.password.encode())
        self._keyring.stdin.close()
        deadline = time.monotonic() + timeout
        while not self._name_has_owner(SECRETS_BUS_NAME):
            if self._keyring.poll() is not None:
                raise SecretServiceError(
                    f"gnome-keyring-daemon exited with {self._keyring.returncode}: {self.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise SecretServiceError(f"gnome-keyring-daemon did not appear on D-Bus: {self.log_tail()}")
            time.sleep(0.02)

    def _base_env(self) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "LC_CTYPE")
        return {k: os.environ[k] for k in keep if k in os.environ}

    def _name_has_owner(self, name: str) -> bool:
        proc = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
             "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
            env={**self._base_env(), **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.returncode == 0 and "boolean true" in proc.stdout

    def stop(self) -> None:
        """Stop gnome-keyring, then the bus (safe to call twice); remove own temp dir."""
        for proc in (self._keyring, self._dbus):
            if proc is None or proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        if self._dbus is not None and self._dbus.stdout is not None:
            self._dbus.stdout.close()
        self._keyring = self._dbus = None
        self.bus_address = None
        if self._owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> SecretServiceSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self._log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- using it from this process --------------------------------------------
    @contextlib.contextmanager
    def activated(self) -> Iterator[SecretServiceSession]:
        """Point this process (env vars + `keyring` backend) at this Secret Service.

        Restores the previous variables and keyring backend on exit, so tests that
        expect "no keyring" are not affected by tests that used this one.
        """
        import keyring
        import keyring.core
        from keyring.backends import SecretService

        saved_env = {k: os.environ.get(k) for k in ACTIVATED_KEYS}
        saved_backend = keyring.get_keyring()
        os.environ.update({k: self.env[k] for k in ACTIVATED_KEYS})
        try:
            backend = SecretService.Keyring()
            SecretService.Keyring.priority  # raises if the service is unusable  # noqa: B018
            keyring.core.set_keyring(backend)
            yield self
        finally:
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            keyring.core.set_keyring(saved_backend)


__all__ = ["SecretServiceError", "SecretServiceSession", "missing_tools"]
