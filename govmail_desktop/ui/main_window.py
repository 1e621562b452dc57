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

Keyboard (Thunderbird's keys where it has them): arrows, PageUp/PageDown,
Home/End in the lists; Tab / Shift+Tab between folder list, message list and
message text; Ctrl+1 / Ctrl+2 / Ctrl+3 jump to them; M read/unread, S flag,
A archive, Delete to Trash, Shift+Delete delete for good, Ctrl+Shift+V move
to a folder, F5 get messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QCoreApplication,
    QEvent,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.models.plain_text import plain_label, plain_tooltip
from govmail_desktop.ui import icons
from govmail_desktop.ui.about_box import open_about_box
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

#: Special-use folders shown (offline) until the folder tree model exists:
#: (role key, display name, icon).
SPECIAL_FOLDERS: tuple[tuple[str, Msg, str], ...] = (
    ("inbox", QT_TRANSLATE_NOOP("FolderPane", "Inbox"), "folder-inbox"),
    ("drafts", QT_TRANSLATE_NOOP("FolderPane", "Drafts"), "folder-drafts"),
    ("sent", QT_TRANSLATE_NOOP("FolderPane", "Sent"), "folder-sent"),
    ("trash", QT_TRANSLATE_NOOP("FolderPane", "Trash"), "folder-trash"),
    ("junk", QT_TRANSLATE_NOOP("FolderPane", "Junk"), "folder-junk"),
)
FOLDER_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
#: Folder icons by special use (govmail_desktop/resources/icons); other folders: "folder".
FOLDER_ICONS = {
    SpecialUse.INBOX: "folder-inbox",
    SpecialUse.DRAFTS: "folder-drafts",
    SpecialUse.SENT: "folder-sent",
    SpecialUse.TRASH: "folder-trash",
    SpecialUse.JUNK: "folder-junk",
    SpecialUse.ARCHIVE: "mail-archive",
    "saved-search": "folder-saved-search",  # models.folder_tree.SAVED_SEARCH_ROLE
    "saved-searches": "edit-find",
}


def folder_icon(special_use: str | None) -> QIcon:
    return icons.icon(FOLDER_ICONS.get(special_use or "", "folder"))

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

#: A window this size fits a screen with room to spare; a smaller screen gets
#: the window maximised (1100×720 was cramped on the common 1366×768 laptop).
COMFORTABLE_SIZE = QSize(1280, 800)
#: Room left around the comfortable size before a screen counts as big enough.
SCREEN_MARGIN = QSize(80, 60)
#: Folder pane, message list and preview sizes at the first start (pixels, relative).
DEFAULT_PANE_SIZES = (240, 1040, 300, 420)
#: "folders,messages,list,preview": the two splitters' sizes as saved in the settings.
PANE_SIZES_PATTERN = re.compile(r"\d{1,5}(,\d{1,5}){3}")
#: Pane sizes are saved this long after the user stops dragging a splitter.
LAYOUT_SAVE_DELAY_MS = 800


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
        #: Base tooltips, reasons for being disabled, and shortcuts that say the reason.
        self._tips: dict[QAction, str] = {}
        self._reasons: dict[QAction, Msg] = {}
        self._explainers: dict[QAction, QShortcut] = {}
        self._create_actions()
        self._create_menus()
        self._create_toolbar()
        self._create_panes()
        self._create_status_bar()
        self.preview_action.setChecked(show_preview)
        self.preview_pane.setVisible(show_preview)
        self.set_current_language(language)
        self.resize(COMFORTABLE_SIZE)
        self._pane_sizes = list(DEFAULT_PANE_SIZES)
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(LAYOUT_SAVE_DELAY_MS)
        self._layout_timer.timeout.connect(self._emit_layout)
        self.main_splitter.splitterMoved.connect(self._on_splitter_moved)
        self.list_splitter.splitterMoved.connect(self._on_splitter_moved)
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

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.refresh_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.add_account_action)
        self.file_menu.addAction(self.special_folders_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.quick_filter_action)
        self.edit_menu.addAction(self.find_in_message_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.contacts_action)
        self.edit_menu.addAction(self.signatures_action)
        self.edit_menu.addAction(self.identities_action)
        self.edit_menu.addAction(self.settings_action)

        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.preview_action)
        self.view_menu.addAction(self.threading_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.focus_folders_action)
        self.view_menu.addAction(self.focus_messages_action)
        self.view_menu.addAction(self.focus_preview_action)
        self.view_menu.addSeparator()
        self.language_menu = QMenu(self.view_menu)
        self.language_menu.addActions(self.language_group.actions())
        self.view_menu.addMenu(self.language_menu)

        self.message_menu = bar.addMenu("")
        self.message_menu.addAction(self.compose_action)
        self.message_menu.addSeparator()
        self.message_menu.addAction(self.reply_action)
        self.message_menu.addAction(self.reply_all_action)
        self.message_menu.addAction(self.forward_action)
        self.message_menu.addAction(self.forward_attachment_action)
        self.message_menu.addAction(self.edit_as_new_action)
        self.message_menu.addSeparator()
        self.message_menu.addAction(self.toggle_read_action)
        self.message_menu.addAction(self.toggle_flag_action)
        self.message_menu.addSeparator()
        # Filled by the mailbox controller each time it opens (the folders of the account).
        self.move_menu = QMenu(self.message_menu)
        self.move_menu.setObjectName("moveMenu")
        self.move_menu.menuAction().setEnabled(False)
        self.message_menu.addMenu(self.move_menu)
        self.message_menu.addAction(self.move_action)
        self.message_menu.addAction(self.archive_action)
        self.message_menu.addAction(self.delete_action)
        self.message_menu.addAction(self.delete_permanently_action)

        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)
        for menu in (self.file_menu, self.edit_menu, self.view_menu, self.message_menu, self.help_menu):
            menu.setToolTipsVisible(True)  # a disabled item says why

    def _create_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(22, 22))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.refresh_action)
        self.toolbar.addAction(self.compose_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.reply_action)
        self.toolbar.addAction(self.reply_all_action)
        self.toolbar.addAction(self.forward_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.archive_action)
        self.toolbar.addAction(self.delete_action)
        # The search field at the right end (Enter: the search view; ui/search_controller.py).
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.search_field = QLineEdit(self.toolbar)
        self.search_field.setObjectName("toolbarSearchField")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(220)
        self.search_field.setMaximumWidth(360)
        self.search_field.setEnabled(False)
        self.toolbar.addWidget(self.search_field)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _create_panes(self) -> None:
        self.folder_view = QTreeView(self)
        self.folder_view.setObjectName("folderView")
        self.folder_view.setRootIsDecorated(False)
        self.folder_view.setUniformRowHeights(True)
        self.placeholder_folder_model = QStandardItemModel(self)
        for key, _name, icon_name in SPECIAL_FOLDERS:
            item = QStandardItem(icons.icon(icon_name), "")
            item.setData(key, FOLDER_KEY_ROLE)
            item.setEditable(False)
            self.placeholder_folder_model.appendRow(item)
        self.folder_view.setModel(self.placeholder_folder_model)
        # Several accounts: choose whose folders the pane shows (hidden with one account).
        self.account_combo = QComboBox(self)
        self.account_combo.setObjectName("accountCombo")
        self.account_combo.hide()
        self.folder_pane = QWidget(self)
        self.folder_pane.setObjectName("folderPane")
        folder_layout = QVBoxLayout(self.folder_pane)
        folder_layout.setContentsMargins(0, 0, 0, 0)
        folder_layout.setSpacing(2)
        folder_layout.addWidget(self.account_combo)
        folder_layout.addWidget(self.folder_view)

        self.message_view = MessageListView(self)  # laid out on demand (see ui/message_list_view.py)
        self.message_view.setObjectName("messageView")
        self.message_view.setAlternatingRowColors(True)
        self.message_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.marks_delegate = MarksDelegate(self.message_view)
        self.subject_delegate = SubjectDelegate(self.message_view)  # official markings as badges
        self.message_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.message_view.customContextMenuRequested.connect(self._show_message_context_menu)
        self.placeholder_message_model = QStandardItemModel(0, 3, self)
        self.message_view.setModel(self.placeholder_message_model)
        header = self.message_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the subject takes the room
        self.message_view.setColumnWidth(1, 220)
        self.message_view.setColumnWidth(2, 150)

        self.preview_pane = QWidget(self)
        self.preview_pane.setObjectName("previewPane")
        self.preview_placeholder = QLabel(self.preview_pane)
        self.preview_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_placeholder.setWordWrap(True)
        self.preview_placeholder.setEnabled(False)  # drawn greyed: nothing to read yet
        self.preview_view = PreviewPane(self.preview_pane)
        self.preview_view.hide()
        # The same minimum whatever the pane shows: showing a message never moves the splitter.
        self.preview_pane.setMinimumHeight(self.preview_view.minimumSizeHint().height())
        preview_layout = QVBoxLayout(self.preview_pane)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview_placeholder)
        preview_layout.addWidget(self.preview_view)

        # Above the preview: the folder's list under the quick filter bar, or the search view
        # (ui/quick_filter.py, ui/search_view.py; ui/search_controller.py switches them).
        self.quick_filter_bar = QuickFilterBar(self)
        self.list_page = QWidget(self)
        self.list_page.setObjectName("listPage")
        list_layout = QVBoxLayout(self.list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.quick_filter_bar)
        list_layout.addWidget(self.message_view, 1)
        self.search_view = SearchView(self)
        self.list_pages = QStackedWidget(self)
        self.list_pages.setObjectName("listPages")
        self.list_pages.addWidget(self.list_page)
        self.list_pages.addWidget(self.search_view)

        self.list_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.list_splitter.setObjectName("listSplitter")
        self.list_splitter.setChildrenCollapsible(False)
        self.list_splitter.addWidget(self.list_pages)
        self.list_splitter.addWidget(self.preview_pane)
        self.list_splitter.setStretchFactor(0, 2)
        self.list_splitter.setStretchFactor(1, 3)

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.folder_pane)
        self.main_splitter.addWidget(self.list_splitter)
        self.main_splitter.setStretchFactor(0, 0)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.setSizes(list(DEFAULT_PANE_SIZES[:2]))
        self.list_splitter.setSizes(list(DEFAULT_PANE_SIZES[2:]))
        self.setCentralWidget(self.main_splitter)
        # Tab goes folder list → message list → message text.
        QWidget.setTabOrder(self.account_combo, self.folder_view)
        QWidget.setTabOrder(self.folder_view, self.message_view)
        QWidget.setTabOrder(self.message_view, self.preview_view.body)
        self.focus_folders_action.triggered.connect(self.folder_view.setFocus)
        self.focus_messages_action.triggered.connect(self.message_view.setFocus)
        self.focus_preview_action.triggered.connect(self._focus_preview)

        self.message_context_menu = QMenu(self.message_view)
        self.message_context_menu.setObjectName("messageContextMenu")
        self.message_context_menu.setToolTipsVisible(True)
        for action in self.reply_actions:
            self.message_context_menu.addAction(action)
        self.message_context_menu.addSeparator()
        for action in (self.toggle_read_action, self.toggle_flag_action):
            self.message_context_menu.addAction(action)
        self.message_context_menu.addSeparator()
        self.message_context_menu.addMenu(self.move_menu)
        self.message_context_menu.addAction(self.archive_action)
        self.message_context_menu.addAction(self.delete_action)
        self.message_context_menu.addAction(self.delete_permanently_action)

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
            self._apply_tip(action)

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

    # -- enabled states and why ------------------------------------------------
    def _all_actions(self) -> list[QAction]:
        actions = [a for a in self.findChildren(QAction) if a.parent() is self]
        return actions + [self.move_menu.menuAction()]

    def set_action_state(self, action: QAction, enabled: bool, reason: Msg | None = None) -> None:
        """Enable an action, or disable it saying why (``reason``) in its tooltip; its
        shortcut then shows the reason in the status bar instead of doing nothing."""
        action.setEnabled(enabled)
        if enabled or reason is None:
            self._reasons.pop(action, None)
        else:
            self._reasons[action] = reason
        explainer = self._explainers.get(action)
        explain = not enabled and reason is not None and bool(action.shortcuts())
        if explain and explainer is None:
            explainer = QShortcut(self)
            explainer.setKeys(action.shortcuts())
            explainer.setContext(Qt.ShortcutContext.WindowShortcut)
            explainer.activated.connect(lambda a=action: self._explain(a))
            self._explainers[action] = explainer
        if explainer is not None:
            explainer.setEnabled(explain)
        self._apply_tip(action)

    def disabled_reason(self, action: QAction) -> str:
        """Why the action is disabled, in the current language ("" when it is enabled)."""
        reason = self._reasons.get(action)
        return _qt_text(reason) if reason is not None and not action.isEnabled() else ""

    def _set_tip(self, action: QAction, tip: str) -> None:
        self._tips[action] = tip
        self._apply_tip(action)

    def _apply_tip(self, action: QAction) -> None:
        base = self._tips.get(action) or action.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&")
        reason = self.disabled_reason(action)
        action.setToolTip(plain_tooltip(f"{base}\n{reason}" if reason else base))

    def _explain(self, action: QAction) -> None:
        reason = self.disabled_reason(action)
        if reason:
            self.show_message("info", reason)

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
        set_icons = getattr(model, "set_icon_provider", None)
        if set_icons is not None:
            set_icons(folder_icon)
        self.folder_view.setModel(model)
        self.folder_view.setRootIsDecorated(True)
        self.folder_view.setAcceptDrops(True)
        self.folder_view.setDropIndicatorShown(True)
        self.folder_view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.folder_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.folder_view.expandAll()
        self.retranslate_ui()

    def set_message_model(self, model: QAbstractItemModel) -> None:
        """Show a message list model; columns sort by a click on their header.

        The sort indicator is set to the model's own order *before* sorting is
        enabled: enabling it sorts by the indicator at once, and the matching
        order makes that a no-op instead of a re-query.
        """
        self.message_view.setModel(model)
        header = self.message_view.header()
        sort_column = getattr(model, "sort_column", None)
        if sort_column is not None:
            descending = getattr(model, "descending", True)
            header.setSortIndicator(
                sort_column(), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            )
            self.message_view.setSortingEnabled(True)
            header.setSectionsClickable(True)
            header.setStretchLastSection(False)
            if model.columnCount() >= 5:  # marks, subject, from, date, size
                self.message_view.setItemDelegateForColumn(0, self.marks_delegate)
                self.message_view.setItemDelegateForColumn(1, self.subject_delegate)
                header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
                self.message_view.setColumnWidth(0, 44)
                header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
                self.message_view.setColumnWidth(2, 200)
                self.message_view.setColumnWidth(3, 140)
                self.message_view.setColumnWidth(4, 70)
        self.message_view.setDragEnabled(True)
        self.message_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.message_view.setDefaultDropAction(Qt.DropAction.MoveAction)
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

    # -- size, place and pane sizes -----------------------------------------
    def restore_layout(self, geometry: str = "", pane_sizes: str = "", available: QRect | None = None) -> None:
        """Before the window is shown: the size, place and pane sizes the user left
        (from the settings), else a size chosen for the screen (``available`` is
        the screen's free area; tests give one)."""
        if PANE_SIZES_PATTERN.fullmatch(pane_sizes or ""):
            sizes = [int(n) for n in pane_sizes.split(",")]
            if all(sizes):
                self._pane_sizes = sizes
                self.main_splitter.setSizes(sizes[:2])
                self.list_splitter.setSizes(sizes[2:])
        if geometry and self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii"))):
            return
        if available is None:
            available = self.screen().availableGeometry()
        self.place_for_screen(available)

    def place_for_screen(self, available: QRect) -> None:
        """Maximised on a small screen; else the comfortable size, centred."""
        small = (
            available.width() < COMFORTABLE_SIZE.width() + SCREEN_MARGIN.width()
            or available.height() < COMFORTABLE_SIZE.height() + SCREEN_MARGIN.height()
        )
        if small:
            # The size it returns to when the user un-maximises it: what fits.
            self.resize(COMFORTABLE_SIZE.boundedTo(available.size() * 0.9))
            self.move(available.topLeft())
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMaximized)
        self.resize(COMFORTABLE_SIZE)
        frame = QRect(available.topLeft(), COMFORTABLE_SIZE)
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def layout_state(self) -> tuple[str, str]:
        """(geometry in base64, "folders,messages,list,preview") as they are now."""
        self._remember_pane_sizes()
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        return geometry, ",".join(str(n) for n in self._pane_sizes)

    def _remember_pane_sizes(self) -> None:
        # A hidden preview pane (F8) has no size to keep: its last one stays.
        main = self.main_splitter.sizes()
        listed = self.list_splitter.sizes() if self.preview_pane.isVisible() else self._pane_sizes[2:]
        sizes = [*main, *listed]
        if self.isVisible() and len(sizes) == 4 and all(sizes):
            self._pane_sizes = sizes

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._remember_pane_sizes()
        self._layout_timer.start()

    def _emit_layout(self) -> None:
        self.layout_changed.emit(*self.layout_state())

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's method name
        self._layout_timer.stop()
        self._emit_layout()
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
