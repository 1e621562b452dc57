"""GovMail Desktop: a mail client for Thai government officials."""

__version__ = "0.1.0"
APP_NAME = "GovMail Desktop"
APP_ID = "govmail-desktop"
#: Windows' AppUserModelID of the app: the Start-menu shortcut the MSI installs carries it
#: (System.AppUserModel.ID), and the running app must set the same one (taskbar grouping,
#: pinning, notifications). "Company.Product", no spaces, at most 128 characters.
WINDOWS_APP_USER_MODEL_ID = "GovMail.Desktop"
