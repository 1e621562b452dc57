"""The main window: lays out the panes and turns user actions into signals.

Nothing here talks to a server, reads settings or decides anything: the
composition root (``app.py``) connects the signals to the services, and the
mailbox controller (``ui/mailbox_controller.py``) connects the mail actions,
the views and the preview pane to each account's ``MailboxService``. Real
models come in through :meth:`MainWindow.set_folder_model` and
:meth:`MainWindow.set_message_model`; until then the folder pane shows the
special folders marked as offline, and the mail actions are disabled (not faked).

Every action that cannot be used now is disabled and says why in its tooltip
(:meth:`MainWindow.set_action_state`); its keyboard shortcut says it in the
status bar instead of doing nothing. The window opens maximised on a small
screen, and its size, place and pane sizes are the user's: they come back at
the next start (:meth:`MainWindow.restore_layout`, :attr:`MainWindow.layout_changed`).

Built by responsibility: menus and toolbar in ``ui/main_window_menus.py``, panes in
``ui/main_window_panes.py``, size and place in ``ui/main_window_layout.py``, why an action is
disabled in ``ui/action_reasons.py``; the actions, their texts and the signals are here.

Keyboard (Thunderbird's keys where it has them): arrows, PageUp/PageDown,
Home/End in the lists; Tab / Shift+Tab between folder list, message list and
message text; Ctrl+1 / Ctrl+2 / Ctrl+3 jump to them; M read/unread, S flag,
A archive, Delete to Trash, Shift+Delete delete for good, Ctrl+Shift+V move
to a folder, F5 get messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QEvent, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QWidget,
)

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.models.plain_text import plain_label, plain_tooltip
from govmail_desktop.ui import icons
from govmail_desktop.ui.about_box import open_about_box
from govmail_desktop.ui.action_reasons import ActionReasons
from govmail_desktop.ui.main_window_layout import COMFORTABLE_SIZE as COMFORTABLE_SIZE  # re-exported (tests)
from govmail_desktop.ui.main_window_layout import WindowLayout
from govmail_desktop.ui.main_window_menus import build_menus, build_toolbar
from govmail_desktop.ui.main_window_panes import SPECIAL_FOLDERS, build_panes, show_folder_model, show_message_model
from govmail_desktop.ui.message_delegate import MarksDelegate, SubjectDelegate
from govmail_desktop.ui.message_list_view import MessageListView
from govmail_desktop.ui.preview_pane import PreviewPane
from govmail_desktop.ui.quick_filter import QuickFilterBar
from govmail_desktop.ui.search_view import SearchView
from govmail_desktop.ui.settings_dialog import (
    LANGUAGE_AUTONYMS,
    MailSettings,
    SearchDownloadSettings,
    SettingsDialog,
)
from govmail_desktop.ui.sync_status import CONNECTING, OFFLINE, ONLINE, SYNCING, SyncProgress, state_icon

#: How long an information notice stays in the status bar (errors stay).
INFO_TIMEOUT_MS = 10_000

#: Why an action is disabled: its tooltip says so, and so does the status bar
#: when its shortcut is pressed.
REASON_NO_SELECTION = QT_TRANSLATE_NOOP("MainWindow", "Select a message first")
REASON_NO_ACCOUNT = QT_TRANSLATE_NOOP("MainWindow", "Set up an account first")
REASON_NO_COMPOSER = QT_TRANSLATE_NOOP(
    "MainWindow", "Add an e-mail account first: mail is written and sent from an account"
)
REASON_NO_CONTACTS = QT_TRANSLATE_NOOP(
    "MainWindow", "The contacts list could not be opened; the log says why"
)
REASON_ONE_MESSAGE = QT_TRANSLATE_NOOP("MainWindow", "Select one message to reply to or forward")
REASON_NO_SEARCH = QT_TRANSLATE_NOOP(
    "MainWindow", "Search is not available: the search index could not be opened; the log says why"
)
REASON_NO_MESSAGE_SHOWN = QT_TRANSLATE_NOOP("MainWindow", "Open a message first")
REASON_NO_ARCHIVE_FOLDER = QT_TRANSLATE_NOOP(
    "MainWindow", "This account has no Archive folder (choose one in File → Special Folders)"
)
REASON_IN_ARCHIVE = QT_TRANSLATE_NOOP("MainWindow", "The selected messages are already in the Archive folder")
REASON_NO_SETUP = QT_TRANSLATE_NOOP("MainWindow", "Adding an account is not available in this window")


def _qt_text(msg: Msg) -> str:
    """Render a marked message through Qt's translators (same catalogue as tr())."""
    return QCoreApplication.translate(msg.context, msg.source)


class MainWindow(QMainWindow):
    """Menus, toolbar, folder pane, message list, preview pane and status bar.

    Signals:
        language_requested(str): the user chose a UI language (``"th"``/``"en"``).
        mail_settings_requested(int, bool): the user changed the minutes between
            checks of every folder (0: only when asked) or the new-mail notification.
        search_download_requested(int): the user changed the days of mail downloaded
            for offline search (``search.download_days``; 0: off).
        preview_pane_toggled(bool): View → Preview pane was switched.
        retranslated(): the texts were set again after a language switch
            (the controller then retranslates the models).
        layout_changed(str, str): the window geometry (Qt's saved geometry in
            base64) and the pane sizes ("folders,messages,list,preview") the
            user left; emitted when a splitter was moved and when the window closes.

    File → Add account… is enabled once :meth:`set_add_account_handler` gives it
    something to open (the setup wizard).
    """

    language_requested = Signal(str)
    mail_settings_requested = Signal(int, bool)
    search_download_requested = Signal(int)
    preview_pane_toggled = Signal(bool)
    retranslated = Signal()
    layout_changed = Signal(str, str)

    # Laid out by ui/main_window_menus.py and ui/main_window_panes.py (build_menus, build_toolbar, build_panes).
    file_menu: QMenu
    edit_menu: QMenu
    view_menu: QMenu
    language_menu: QMenu
    message_menu: QMenu
    move_menu: QMenu
    help_menu: QMenu
    toolbar: QToolBar
    search_field: QLineEdit
    folder_view: QTreeView
    placeholder_folder_model: QStandardItemModel
    account_combo: QComboBox
    folder_pane: QWidget
    message_view: MessageListView
    marks_delegate: MarksDelegate
    subject_delegate: SubjectDelegate
    placeholder_message_model: QStandardItemModel
    preview_pane: QWidget
    preview_placeholder: QLabel
    preview_view: PreviewPane
    quick_filter_bar: QuickFilterBar
    list_page: QWidget
    search_view: SearchView
    list_pages: QStackedWidget
    list_splitter: QSplitter
    main_splitter: QSplitter
    message_context_menu: QMenu

    def __init__(
        self,
        *,
        language: str = "th",
        show_preview: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.icon(icons.APP_ICON))
        self._language = language
        self._connection_state = OFFLINE
        self._list_building = False
        #: Tooltips, reasons for being disabled, and the shortcuts that say them.
        self._action_reasons = ActionReasons(self, self.show_message)
        self._create_actions()
        build_menus(self)
        build_toolbar(self)
        build_panes(self)
        self.message_view.customContextMenuRequested.connect(self._show_message_context_menu)
        self.focus_preview_action.triggered.connect(self._focus_preview)
        self._create_status_bar()
        self.preview_action.setChecked(show_preview)
        self.preview_pane.setVisible(show_preview)
        self.set_current_language(language)
        #: The window's size, place and pane sizes (it sets the comfortable size now).
        self._window_layout = WindowLayout(self, self.main_splitter, self.list_splitter, self.preview_pane)
        self._window_layout.changed.connect(self.layout_changed)
        self._set_initial_action_states()
        self.retranslate_ui()

    # -- construction -------------------------------------------------------
    def _action(self, name: str, icon_name: str | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icons.icon(icon_name))
        return action

    def _create_actions(self) -> None:
        self.add_account_action = self._action("addAccountAction")
        self.add_account_action.setEnabled(False)
        self.add_account_action.triggered.connect(self._on_add_account)
        self._add_account_handler: Callable[[QWidget], None] | None = None
        #: Where the machine policy came from (EffectivePolicy.origins) and whether it is valid.
        self._policy_origins: tuple[str, ...] = ()
        self._policy_ok = True
        self.special_folders_action = self._action("specialFoldersAction")
        self.special_folders_action.setEnabled(False)  # the mailbox controller enables it
        self._mail_settings_source: Callable[[], MailSettings] = MailSettings
        self._search_download_source: Callable[[], SearchDownloadSettings] = SearchDownloadSettings

        self.quit_action = self._action("quitAction")
        # StandardKey.Quit is empty on Windows and on plain X11 sessions.
        self.quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        # Search (issue 13): Ctrl+K all mail (the composer's Ctrl+K for links is its own window's),
        # Ctrl+Shift+K the quick filter over the list, Ctrl+F find in the opened message.
        self.find_action = self._action("findAction")
        self.find_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_K))
        self.quick_filter_action = self._action("quickFilterAction")
        self.quick_filter_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_K))
        self.find_in_message_action = self._action("findInMessageAction")
        self.find_in_message_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_in_message_action.triggered.connect(self._find_in_message)
        self.settings_action = self._action("settingsAction")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)

        self.preview_action = self._action("previewPaneAction")
        self.preview_action.setCheckable(True)
        self.preview_action.setShortcut(QKeySequence(Qt.Key.Key_F8))
        self.preview_action.toggled.connect(self._on_preview_toggled)

        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, autonym in LANGUAGE_AUTONYMS:
            action = self._action(f"language_{code}")
            action.setText(autonym)  # a language is named in itself
            action.setCheckable(True)
            action.setData(code)
            self.language_group.addAction(action)
            self.language_actions[code] = action
        self.language_group.triggered.connect(self._on_language_action)

        # Mail actions: real work arrives with the composer and sync issues.
        self.compose_action = self._action("composeAction", "mail-compose")
        self.compose_action.setShortcut(QKeySequence.StandardKey.New)
        self.reply_action = self._action("replyAction", "mail-reply")
        self.reply_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_R))
        self.reply_all_action = self._action("replyAllAction", "mail-reply-all")
        self.reply_all_action.setShortcut(
            QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_R)
        )
        self.forward_action = self._action("forwardAction", "mail-forward")
        self.forward_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L))
        self.forward_attachment_action = self._action("forwardAttachmentAction", "mail-attachment")
        self.edit_as_new_action = self._action("editAsNewAction", "mail-compose")
        #: What needs exactly one selected message; the composer launcher answers them.
        self.reply_actions = (
            self.reply_action, self.reply_all_action, self.forward_action,
            self.forward_attachment_action, self.edit_as_new_action,
        )
        self._composer_ready = False
        self.signatures_action = self._action("signaturesAction")
        self.signatures_action.setEnabled(False)  # the composer launcher enables it
        self.identities_action = self._action("identitiesAction")  # so does it this one
        self.contacts_action = self._action("contactsAction")  # enabled when an address book is joined
        self.delete_action = self._action("deleteAction", "mail-delete")
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.mail_actions = (
            self.compose_action,
            self.reply_action,
            self.reply_all_action,
            self.forward_action,
            self.delete_action,
        )
        for action in (*self.mail_actions, self.find_action):
            action.setEnabled(False)

        # Actions on the selected messages (enabled by the controller when a selection exists).
        self.toggle_read_action = self._action("toggleReadAction", "mail-mark-read")
        self.toggle_read_action.setShortcut(QKeySequence(Qt.Key.Key_M))
        self.toggle_flag_action = self._action("toggleFlagAction", "mail-flag")
        self.toggle_flag_action.setShortcut(QKeySequence(Qt.Key.Key_S))
        self.archive_action = self._action("archiveAction", "mail-archive")
        self.archive_action.setShortcut(QKeySequence(Qt.Key.Key_A))
        self.move_action = self._action("moveAction")
        self.move_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_V))
        self.move_action.triggered.connect(self.popup_move_menu)
        self.delete_permanently_action = self._action("deletePermanentlyAction")
        self.delete_permanently_action.setShortcut(QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_Delete))
        self.message_actions = (
            self.toggle_read_action,
            self.toggle_flag_action,
            self.archive_action,
            self.move_action,
            self.delete_action,
            self.delete_permanently_action,
        )
        for action in self.message_actions:
            action.setEnabled(False)

        self.refresh_action = self._action("refreshAction", "view-refresh")
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.setEnabled(False)
        self.threading_action = self._action("threadingAction")
        self.threading_action.setCheckable(True)
        self.threading_action.setEnabled(False)
        self.focus_folders_action = self._action("focusFoldersAction")
        self.focus_folders_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_1))
        self.focus_messages_action = self._action("focusMessagesAction")
        self.focus_messages_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_2))
        self.focus_preview_action = self._action("focusPreviewAction")
        self.focus_preview_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_3))

        self.about_action = self._action("aboutAction", icons.APP_ICON)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

    def _set_initial_action_states(self) -> None:
        """Nothing works before an account is set up; writing and search not yet at all."""
        self.set_action_state(self.add_account_action, False, REASON_NO_SETUP)
        for action in (self.compose_action, *self.reply_actions, self.signatures_action, self.identities_action):
            self.set_action_state(action, False, REASON_NO_COMPOSER)
        self.set_action_state(self.contacts_action, False, REASON_NO_CONTACTS)
        self.set_action_state(self.find_action, False, REASON_NO_SEARCH)
        self.set_action_state(self.quick_filter_action, False, REASON_NO_ACCOUNT)
        for action in (*self.message_actions, self.refresh_action, self.threading_action,
                       self.special_folders_action):
            self.set_action_state(action, False, REASON_NO_ACCOUNT)
        self.set_action_state(self.move_menu.menuAction(), False, REASON_NO_ACCOUNT)

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        # Notices carry server, folder and file names: plain text.
        self.notice_label = plain_label(QLabel(status))
        self.notice_label.setObjectName("noticeLabel")
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status.addWidget(self.notice_label, 1)
        self.connection_icon = QLabel(status)
        self.connection_icon.setPixmap(icons.icon("network-offline").pixmap(QSize(16, 16)))
        self.connection_label = QLabel(status)
        self.connection_label.setObjectName("connectionLabel")
        self.sync_progress = SyncProgress(status)
        self.outbox_label = plain_label(QLabel(status))
        self.outbox_label.setObjectName("outboxLabel")
        self.outbox_label.hide()
        self._outbox_count = 0
        status.addPermanentWidget(self.outbox_label)
        status.addPermanentWidget(self.sync_progress)
        status.addPermanentWidget(self.connection_icon)
        status.addPermanentWidget(self.connection_label)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._clear_notice)
        self.notice_level = ""

    # -- texts ----------------------------------------------------------------
    def retranslate_ui(self) -> None:
        """Set every text from the current translators (start-up and language switch)."""
        self.setWindowTitle(self.tr("GovMail Desktop — government e-mail"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.message_menu.setTitle(self.tr("&Message"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.language_menu.setTitle(self.tr("&Language"))

        self.add_account_action.setText(self.tr("&Add Account…"))
        self.special_folders_action.setText(self.tr("Special &Folders…"))
        self._set_tip(
            self.special_folders_action,
            self.tr("Choose which folders of the account are Sent, Drafts, Trash, Junk and Archive"),
        )
        self.quit_action.setText(self.tr("&Quit"))
        self.find_action.setText(self.tr("&Search…"))
        self._set_tip(self.find_action, self.tr("Search the mail of every folder and account (Ctrl+K)"))
        self.quick_filter_action.setText(self.tr("&Quick Filter"))
        self._set_tip(self.quick_filter_action,
                      self.tr("Show only the messages of this folder that match (Ctrl+Shift+K)"))
        self.find_in_message_action.setText(self.tr("&Find in This Message…"))
        self._set_tip(self.find_in_message_action, self.tr("Find text in the message shown (Ctrl+F)"))
        self.search_field.setPlaceholderText(self.tr("Search all mail (Ctrl+K)"))
        self.search_field.setToolTip(
            self.tr("Type words, \"a phrase\", from:, subject:, after:1/10/2568 … and press Enter")
        )
        self.settings_action.setText(self.tr("Se&ttings…"))
        self.preview_action.setText(self.tr("&Preview Pane"))
        self.about_action.setText(self.tr("&About GovMail Desktop"))

        self.compose_action.setText(self.tr("Write"))
        self._set_tip(self.compose_action, self.tr("Write a new message (Ctrl+N)"))
        self.reply_action.setText(self.tr("Reply"))
        self._set_tip(self.reply_action, self.tr("Reply to the sender (Ctrl+R)"))
        self.reply_all_action.setText(self.tr("Reply All"))
        self._set_tip(self.reply_all_action, self.tr("Reply to the sender and every recipient (Ctrl+Shift+R)"))
        self.forward_action.setText(self.tr("Forward"))
        self._set_tip(self.forward_action, self.tr("Forward the message in the text of a new one (Ctrl+L)"))
        self.forward_attachment_action.setText(self.tr("Forward as Attachment"))
        self._set_tip(self.forward_attachment_action, self.tr("Forward the whole message as an attached file"))
        self.edit_as_new_action.setText(self.tr("Edit as New Message"))
        self._set_tip(self.edit_as_new_action, self.tr("Start a new message from this one"))
        self.contacts_action.setText(self.tr("&Contacts…"))
        self._set_tip(self.contacts_action, self.tr("Your contacts: add, edit, import and export (vCard, CSV)"))
        self.signatures_action.setText(self.tr("Si&gnatures…"))
        self._set_tip(self.signatures_action, self.tr("Your signatures: name, position, agency and phone"))
        self.identities_action.setText(self.tr("&Identities…"))
        self._set_tip(self.identities_action,
                      self.tr("Other addresses you send from, e.g. your unit's saraban address"))
        self.delete_action.setText(self.tr("Delete"))
        self._set_tip(self.delete_action, self.tr("Move the selected messages to the Trash (Delete)"))
        self.delete_permanently_action.setText(self.tr("Delete Permanently"))
        self.archive_action.setText(self.tr("Archive"))
        self._set_tip(self.archive_action, self.tr("Move the selected messages to the Archive folder (A)"))
        self.move_action.setText(self.tr("Move To Folder…"))
        self.move_menu.setTitle(self.tr("Move To"))
        self.set_toggle_texts(mark_read=True, flag=True)
        self.refresh_action.setText(self.tr("Get Messages"))
        self._set_tip(self.refresh_action, self.tr("Check the server for new mail now (F5)"))
        self.threading_action.setText(self.tr("Group by &Conversation"))
        self.focus_folders_action.setText(self.tr("Go to Folder List"))
        self.focus_messages_action.setText(self.tr("Go to Message List"))
        self.focus_preview_action.setText(self.tr("Go to Message Text"))
        self.account_combo.setToolTip(self.tr("Account whose folders are shown"))
        self.toolbar.setWindowTitle(self.tr("Main Toolbar"))

        if self.folder_view.model() is self.placeholder_folder_model:
            self.placeholder_folder_model.setHorizontalHeaderLabels([self.tr("Folders (offline)")])
            not_connected = self.tr(
                "Not connected: folders appear here once an account is set up and synchronised."
            )
            for row, (_key, name, _icon) in enumerate(SPECIAL_FOLDERS):
                item = self.placeholder_folder_model.item(row)
                item.setText(_qt_text(name))
                item.setToolTip(not_connected)
        if self.message_view.model() is self.placeholder_message_model:
            self.placeholder_message_model.setHorizontalHeaderLabels(
                [self.tr("Subject"), self.tr("From"), self.tr("Date")]
            )
            self.message_view.set_empty_text(
                self.tr("No messages to show. Mail appears here once an account is set up.")
            )
        elif self._list_building:
            self.message_view.set_empty_text(self.tr("Building conversations…"))
        else:
            self.message_view.set_empty_text(self.tr("There are no messages in this folder."))
        self.preview_placeholder.setText(self.tr("Select a message to read it here."))
        self._show_connection_state()
        self._show_outbox_count()
        for action in self._all_actions():
            self._action_reasons.apply_tip(action)

    def set_outbox_count(self, count: int) -> None:
        """Messages in the outboxes (waiting, failed, may have been sent): shown when not 0."""
        self._outbox_count = count
        self._show_outbox_count()

    def _show_outbox_count(self) -> None:
        count = self._outbox_count
        self.outbox_label.setText(self.tr("Outbox: {count}").format(count=count))
        self.outbox_label.setToolTip(plain_tooltip(self.tr("{count} message(s) in the outbox").format(count=count)))
        self.outbox_label.setVisible(count > 0)

    def _show_connection_state(self) -> None:
        texts = {
            OFFLINE: (self.tr("Offline"), self.tr("Not connected to a mail server.")),
            CONNECTING: (self.tr("Connecting…"), self.tr("Connecting to the mail server.")),
            SYNCING: (self.tr("Synchronizing…"), self.tr("Connected; bringing the folders up to date.")),
            ONLINE: (self.tr("Connected"), self.tr("Connected to the mail server; new mail appears by itself.")),
        }
        text, tip = texts.get(self._connection_state, texts[OFFLINE])
        self.connection_label.setText(text)
        self.connection_label.setToolTip(tip)
        self.connection_icon.setToolTip(tip)
        self.connection_icon.setPixmap(state_icon(self._connection_state).pixmap(QSize(16, 16)))

    def set_toggle_texts(self, *, mark_read: bool, flag: bool) -> None:
        """Say what M and S will do to the selection ("Mark as Read" or "... Unread")."""
        self.toggle_read_action.setText(self.tr("Mark as Read") if mark_read else self.tr("Mark as Unread"))
        self._set_tip(self.toggle_read_action, self.toggle_read_action.text() + " (M)")
        self.toggle_flag_action.setText(self.tr("Flag") if flag else self.tr("Remove Flag"))
        self._set_tip(self.toggle_flag_action, self.toggle_flag_action.text() + " (S)")

    # -- enabled states and why (ui/action_reasons.py) -------------------------
    def _all_actions(self) -> list[QAction]:
        actions = [a for a in self.findChildren(QAction) if a.parent() is self]
        return actions + [self.move_menu.menuAction()]

    def set_action_state(self, action: QAction, enabled: bool, reason: Msg | None = None) -> None:
        """Enable an action, or disable it saying why (``reason``) in its tooltip; its
        shortcut then shows the reason in the status bar instead of doing nothing."""
        self._action_reasons.set_state(action, enabled, reason)

    def disabled_reason(self, action: QAction) -> str:
        """Why the action is disabled, in the current language ("" when it is enabled)."""
        return self._action_reasons.reason(action)

    def _set_tip(self, action: QAction, tip: str) -> None:
        self._action_reasons.set_tip(action, tip)

    def changeEvent(self, event: QEvent) -> None:  # Qt's method name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            self.retranslated.emit()
        super().changeEvent(event)

    # -- hooks for the composition root and later issues --------------------
    def set_current_language(self, lang: str) -> None:
        """Tick the current language in View → Language."""
        self._language = lang
        action = self.language_actions.get(lang)
        if action is not None:
            action.setChecked(True)

    def set_add_account_handler(self, handler: Callable[[QWidget], None] | None) -> None:
        """What File → Add account… opens; it is called with this window as parent."""
        self._add_account_handler = handler
        self.set_action_state(self.add_account_action, handler is not None, REASON_NO_SETUP)

    def set_policy_origin(self, origins: Sequence[str], *, ok: bool) -> None:
        """What Help → About says about the policy: its sources (EffectivePolicy.origins) and
        whether it is valid (a broken policy lets the app connect nowhere)."""
        self._policy_origins = tuple(origins)
        self._policy_ok = ok

    def set_folder_model(self, model: QAbstractItemModel) -> None:
        """Show an account's folder tree; messages dragged from the list can be dropped on it."""
        show_folder_model(self, model)
        self.retranslate_ui()

    def set_message_model(self, model: QAbstractItemModel) -> None:
        """Show a message list model; columns sort by a click on their header
        (:func:`~govmail_desktop.ui.main_window_panes.show_message_model`)."""
        show_message_model(self, model)
        self.retranslate_ui()

    def set_accounts(self, names: list[str]) -> None:
        """Fill the account chooser; it shows only with more than one account."""
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        self.account_combo.addItems(names)
        self.account_combo.blockSignals(False)
        self.account_combo.setVisible(len(names) > 1)
        if self._composer_ready:
            self.set_action_state(self.compose_action, bool(names), REASON_NO_ACCOUNT)
            self.set_action_state(self.signatures_action, bool(names), REASON_NO_ACCOUNT)
            self.set_action_state(self.identities_action, bool(names), REASON_NO_ACCOUNT)
        self.set_action_state(self.refresh_action, bool(names), REASON_NO_ACCOUNT)
        self.set_action_state(self.threading_action, bool(names), REASON_NO_ACCOUNT)

    def set_composer_ready(self, has_account: bool) -> None:
        """A composer is connected: Write works once an account exists; Reply & co. follow the selection."""
        self._composer_ready = True
        self.set_action_state(self.compose_action, has_account, REASON_NO_ACCOUNT)
        self.set_action_state(self.signatures_action, has_account, REASON_NO_ACCOUNT)
        self.set_action_state(self.identities_action, has_account, REASON_NO_ACCOUNT)
        self.set_reply_actions_enabled(False, REASON_NO_SELECTION)

    def set_reply_actions_enabled(self, enabled: bool, reason: Msg | None = REASON_NO_SELECTION) -> None:
        """Reply, Reply all, Forward (inline / as attachment), Edit as new: exactly one message selected."""
        if not self._composer_ready:
            return  # nothing would answer them: they keep saying so
        for action in self.reply_actions:
            self.set_action_state(action, enabled, reason)

    def set_message_actions_enabled(self, enabled: bool, reason: Msg | None = REASON_NO_SELECTION) -> None:
        """All actions on the selected messages at once (disabled: ``reason`` says why)."""
        for action in self.message_actions:
            self.set_action_state(action, enabled, reason)
        self.set_action_state(self.move_menu.menuAction(), enabled, reason)

    def set_list_building(self, building: bool) -> None:
        """The conversation view is being built: the empty list says so."""
        self._list_building = building
        self.retranslate_ui()

    def set_connection_state(self, state: str) -> None:
        """Offline / connecting / synchronising / connected, in the status bar."""
        self._connection_state = state
        self._show_connection_state()

    @property
    def connection_state(self) -> str:
        return self._connection_state

    def show_preview_placeholder(self, placeholder: bool) -> None:
        """The "select a message" text, or the preview of a message."""
        self.preview_placeholder.setVisible(placeholder)
        self.preview_view.setVisible(not placeholder)

    @Slot()
    def _find_in_message(self) -> None:
        """Ctrl+F: the find bar over the message shown."""
        if self.preview_view.isVisible():
            self.preview_view.find_bar.open_bar()
        else:
            self.show_message("info", _qt_text(REASON_NO_MESSAGE_SHOWN))

    def _focus_preview(self) -> None:
        if not self.preview_pane.isVisible():
            self.preview_action.setChecked(True)
        self.preview_view.body.setFocus() if self.preview_view.isVisible() else self.preview_pane.setFocus()

    @Slot()
    def popup_move_menu(self) -> None:
        """Ctrl+Shift+V: the "Move To" menu at the current message (keyboard friendly)."""
        if not self.move_menu.menuAction().isEnabled():
            return
        view = self.message_view
        rect = view.visualRect(view.currentIndex()) if view.currentIndex().isValid() else view.viewport().rect()
        self.move_menu.popup(view.viewport().mapToGlobal(rect.bottomLeft()))

    def _show_message_context_menu(self, pos: Any) -> None:
        if self.message_view.indexAt(pos).isValid():
            self.message_context_menu.popup(self.message_view.viewport().mapToGlobal(pos))

    @Slot(str, str)
    def show_message(self, level: str, text: str) -> None:
        """Show a notice from the message bridge in the status bar (never a dialog)."""
        self.notice_level = level
        self.notice_label.setText(text)
        self.notice_label.setToolTip(plain_tooltip(text))
        colours = {"error": "#b71c1c", "warning": "#8a5a00"}
        self.notice_label.setStyleSheet(f"color: {colours[level]};" if level in colours else "")
        if level == "info":
            self._notice_timer.start(INFO_TIMEOUT_MS)
        else:
            self._notice_timer.stop()  # problems stay until the next notice

    def _clear_notice(self) -> None:
        self.notice_label.clear()
        self.notice_label.setToolTip("")
        self.notice_level = ""

    # -- size, place and pane sizes (ui/main_window_layout.py) -----------------
    def restore_layout(self, geometry: str = "", pane_sizes: str = "", available: QRect | None = None) -> None:
        """Before the window is shown: the size, place and pane sizes the user left
        (from the settings), else a size chosen for the screen (``available`` is
        the screen's free area; tests give one)."""
        self._window_layout.restore(geometry, pane_sizes, available)

    def place_for_screen(self, available: QRect) -> None:
        """Maximised on a small screen; else the comfortable size, centred."""
        self._window_layout.place_for_screen(available)

    def layout_state(self) -> tuple[str, str]:
        """(geometry in base64, "folders,messages,list,preview") as they are now."""
        return self._window_layout.state()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's method name
        self._window_layout.report()
        super().closeEvent(event)

    # -- user actions -------------------------------------------------------
    def _on_add_account(self) -> None:
        if self._add_account_handler is not None:
            self._add_account_handler(self)

    def _on_language_action(self, action: QAction) -> None:
        code = str(action.data())
        if code != self._language:
            self.language_requested.emit(code)

    def _on_preview_toggled(self, checked: bool) -> None:
        self.preview_pane.setVisible(checked)
        self.preview_pane_toggled.emit(checked)

    def set_search_download_source(self, source: Callable[[], SearchDownloadSettings]) -> None:
        """Where the Settings dialog reads the days of mail downloaded for search (lock, cap) from."""
        self._search_download_source = source

    def set_mail_settings_source(self, source: Callable[[], MailSettings]) -> None:
        """Where the Settings dialog reads the current mail preferences from."""
        self._mail_settings_source = source

    @Slot()
    def show_settings(self) -> None:
        dialog = SettingsDialog(
            self._language, self, mail=self._mail_settings_source(),
            remote_senders=self.preview_view.remote_content.senders,
            remote_images=self.preview_view.remote_content.images_settings(),
            formatting=self.preview_view.format_settings(),
            search_download=self._search_download_source(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Bound methods and signals, not lambdas holding the dialog: a closure over
        # an object deleted on close crashes PySide when the connection is freed.
        dialog.language_chosen.connect(self._on_settings_accepted)
        dialog.mail_settings_chosen.connect(self.mail_settings_requested)
        dialog.search_download_chosen.connect(self.search_download_requested)
        dialog.remote_mode_chosen.connect(self.preview_view.remote_content.choose_mode)
        dialog.prefer_plain_chosen.connect(self.preview_view.choose_prefer_plain)
        dialog.open()

    def _on_settings_accepted(self, lang: str) -> None:
        if lang != self._language:
            self.language_requested.emit(lang)

    @Slot()
    def show_about(self) -> None:
        open_about_box(self, self._policy_origins, self._policy_ok)
