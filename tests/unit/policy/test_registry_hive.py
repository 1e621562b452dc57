"""WindowsRegistryReader reads from an injected hive and key path (the Windows tests' throw-away
key under HKEY_CURRENT_USER), and from HKLM\\SOFTWARE\\Policies\\GovMail by default."""

from __future__ import annotations

from govmail_desktop.policy.registry import REG_DWORD, REG_MULTI_SZ, WindowsRegistryReader, read_registry_policy

HKCU = 0x80000001
HKLM = 0x80000002


class RecordingWinreg:
    """winreg with one tree per hive; records which hive and path each OpenKey asked for."""

    HKEY_CURRENT_USER = HKCU
    HKEY_LOCAL_MACHINE = HKLM
    KEY_READ = 0x20019
    KEY_WOW64_64KEY = 0x0100

    def __init__(self, hives):
        self.hives = hives  # hive -> {path: {"values": [...], "keys": [...]}}
        self.opened: list[tuple[int, str]] = []

    class _Key:
        def __init__(self, node):
            self.node = node

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def OpenKey(self, hive, path, reserved, access):  # winreg's name
        self.opened.append((hive, path))
        node = self.hives.get(hive, {}).get(path)
        if node is None:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._Key(node)

    @staticmethod
    def _item(items, index):
        if index >= len(items):
            error = OSError(22, "No more data is available")
            error.winerror = 259  # ERROR_NO_MORE_ITEMS
            raise error
        return items[index]

    def EnumValue(self, key, index):
        return self._item(key.node["values"], index)

    def EnumKey(self, key, index):
        return self._item(key.node["keys"], index)


TEST_KEY = r"Software\GovMailTest-1234"
USER_TREE = {
    TEST_KEY: {"values": [("schema_version", 1, REG_DWORD)], "keys": ["servers"]},
    TEST_KEY + r"\servers": {"values": [("allow", ["mail.test.go.th"], REG_MULTI_SZ)], "keys": []},
}


def test_the_reader_reads_the_injected_hive_and_key():
    winreg = RecordingWinreg({HKCU: USER_TREE})
    reader = WindowsRegistryReader(winreg, hive=winreg.HKEY_CURRENT_USER, key_path=TEST_KEY)
    data, problems, labels = read_registry_policy(reader)
    assert problems == []
    assert data == {"schema_version": 1, "servers": {"allow": ["mail.test.go.th"]}}
    assert {hive for hive, _ in winreg.opened} == {HKCU}
    assert (HKCU, TEST_KEY + r"\servers") in winreg.opened


def test_the_default_is_the_machine_policy_key():
    winreg = RecordingWinreg({HKCU: USER_TREE})
    data, problems, _ = read_registry_policy(WindowsRegistryReader(winreg))
    assert data is None and problems == []  # nothing under HKLM: no policy key
    assert winreg.opened == [(HKLM, r"SOFTWARE\Policies\GovMail")]
