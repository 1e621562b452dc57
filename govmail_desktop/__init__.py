"""GovMail Desktop: a mail client for Thai government officials."""

__version__ = "0.1.0"
APP_NAME = "GovMail Desktop"
APP_ID = "govmail-desktop"
