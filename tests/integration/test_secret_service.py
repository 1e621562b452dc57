"""The real Secret Service (gnome-keyring on a private D-Bus) behind the `keyring` package."""

from __future__ import annotations

import os
import uuid

import keyring
import pytest
import secretstorage
from keyring.backends import SecretService

pytestmark = pytest.mark.integration


def test_keyring_backend_is_the_real_secret_service(secret_service):
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)


def test_password_round_trip_through_gnome_keyring(secret_service):
    service = f"govmail-test-{uuid.uuid4()}"
    password = "ทดสอบPass2569"  # Thai + the mail.go.th character classes

    keyring.set_password(service, "alice@localhost", password)
    assert keyring.get_password(service, "alice@localhost") == password

    # Stored in gnome-keyring itself, not in some in-process fallback.
    connection = secretstorage.dbus_init()
    try:
        items = list(
            secretstorage.search_items(connection, {"service": service, "username": "alice@localhost"})
        )
        assert len(items) == 1
        assert items[0].get_secret().decode("utf-8") == password
    finally:
        connection.close()

    keyring.delete_password(service, "alice@localhost")
    assert keyring.get_password(service, "alice@localhost") is None


def test_activation_is_undone_after_use(secret_service_daemon, monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    before = keyring.get_keyring()
    with secret_service_daemon.activated():
        assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    assert keyring.get_keyring() is before
    assert "DBUS_SESSION_BUS_ADDRESS" not in os.environ
