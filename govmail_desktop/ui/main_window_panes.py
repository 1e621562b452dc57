"""The main window's panes: folder pane, message list, preview pane and the splitters.

:func:`build_panes` lays them out (and sets the window's pane attributes); until
an account's models arrive, the folder pane shows the special folders marked as
offline and the list an empty placeholder. :func:`show_folder_model` and
:func:`show_message_model` set the views up for the real models
(``MainWindow.set_folder_model``, ``MainWindow.set_message_model``). Texts are set
by ``MainWindow.retranslate_ui``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from govmail_desktop.core.entities import SpecialUse
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.ui import icons
from govmail_desktop.ui.main_window_layout import DEFAULT_PANE_SIZES
from govmail_desktop.ui.message_delegate import MarksDelegate, SubjectDelegate
from govmail_desktop.ui.message_list_view import MessageListView
from govmail_desktop.ui.preview_pane import PreviewPane
from govmail_desktop.ui.quick_filter import QuickFilterBar
from govmail_desktop.ui.search_view import SearchView

if TYPE_CHECKING:
    from govmail_desktop.ui.main_window import MainWindow

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


def build_panes(window: MainWindow) -> None:
    """The folder pane | (list or search view) / preview, in two splitters, and the
    message list's context menu. Tab goes folder list → message list → message text."""
    window.folder_view = QTreeView(window)
    window.folder_view.setObjectName("folderView")
    window.folder_view.setRootIsDecorated(False)
    window.folder_view.setUniformRowHeights(True)
    window.placeholder_folder_model = QStandardItemModel(window)
    for key, _name, icon_name in SPECIAL_FOLDERS:
        item = QStandardItem(icons.icon(icon_name), "")
        item.setData(key, FOLDER_KEY_ROLE)
        item.setEditable(False)
        window.placeholder_folder_model.appendRow(item)
    window.folder_view.setModel(window.placeholder_folder_model)
    # Several accounts: choose whose folders the pane shows (hidden with one account).
    window.account_combo = QComboBox(window)
    window.account_combo.setObjectName("accountCombo")
    window.account_combo.hide()
    window.folder_pane = QWidget(window)
    window.folder_pane.setObjectName("folderPane")
    folder_layout = QVBoxLayout(window.folder_pane)
    folder_layout.setContentsMargins(0, 0, 0, 0)
    folder_layout.setSpacing(2)
    folder_layout.addWidget(window.account_combo)
    folder_layout.addWidget(window.folder_view)

    window.message_view = MessageListView(window)  # laid out on demand (see ui/message_list_view.py)
    window.message_view.setObjectName("messageView")
    window.message_view.setAlternatingRowColors(True)
    window.message_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    window.marks_delegate = MarksDelegate(window.message_view)
    window.subject_delegate = SubjectDelegate(window.message_view)  # official markings as badges
    window.message_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    window.placeholder_message_model = QStandardItemModel(0, 3, window)
    window.message_view.setModel(window.placeholder_message_model)
    header = window.message_view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the subject takes the room
    window.message_view.setColumnWidth(1, 220)
    window.message_view.setColumnWidth(2, 150)

    window.preview_pane = QWidget(window)
    window.preview_pane.setObjectName("previewPane")
    window.preview_placeholder = QLabel(window.preview_pane)
    window.preview_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.preview_placeholder.setWordWrap(True)
    window.preview_placeholder.setEnabled(False)  # drawn greyed: nothing to read yet
    window.preview_view = PreviewPane(window.preview_pane)
    window.preview_view.hide()
    # The same minimum whatever the pane shows: showing a message never moves the splitter.
    window.preview_pane.setMinimumHeight(window.preview_view.minimumSizeHint().height())
    preview_layout = QVBoxLayout(window.preview_pane)
    preview_layout.setContentsMargins(0, 0, 0, 0)
    preview_layout.addWidget(window.preview_placeholder)
    preview_layout.addWidget(window.preview_view)

    # Above the preview: the folder's list under the quick filter bar, or the search view
    # (ui/quick_filter.py, ui/search_view.py; ui/search_controller.py switches them).
    window.quick_filter_bar = QuickFilterBar(window)
    window.list_page = QWidget(window)
    window.list_page.setObjectName("listPage")
    list_layout = QVBoxLayout(window.list_page)
    list_layout.setContentsMargins(0, 0, 0, 0)
    list_layout.setSpacing(0)
    list_layout.addWidget(window.quick_filter_bar)
    list_layout.addWidget(window.message_view, 1)
    window.search_view = SearchView(window)
    window.list_pages = QStackedWidget(window)
    window.list_pages.setObjectName("listPages")
    window.list_pages.addWidget(window.list_page)
    window.list_pages.addWidget(window.search_view)

    window.list_splitter = QSplitter(Qt.Orientation.Vertical, window)
    window.list_splitter.setObjectName("listSplitter")
    window.list_splitter.setChildrenCollapsible(False)
    window.list_splitter.addWidget(window.list_pages)
    window.list_splitter.addWidget(window.preview_pane)
    window.list_splitter.setStretchFactor(0, 2)
    window.list_splitter.setStretchFactor(1, 3)

    window.main_splitter = QSplitter(Qt.Orientation.Horizontal, window)
    window.main_splitter.setObjectName("mainSplitter")
    window.main_splitter.addWidget(window.folder_pane)
    window.main_splitter.addWidget(window.list_splitter)
    window.main_splitter.setStretchFactor(0, 0)
    window.main_splitter.setStretchFactor(1, 1)
    window.main_splitter.setChildrenCollapsible(False)
    window.main_splitter.setSizes(list(DEFAULT_PANE_SIZES[:2]))
    window.list_splitter.setSizes(list(DEFAULT_PANE_SIZES[2:]))
    window.setCentralWidget(window.main_splitter)
    QWidget.setTabOrder(window.account_combo, window.folder_view)
    QWidget.setTabOrder(window.folder_view, window.message_view)
    QWidget.setTabOrder(window.message_view, window.preview_view.body)
    window.focus_folders_action.triggered.connect(window.folder_view.setFocus)
    window.focus_messages_action.triggered.connect(window.message_view.setFocus)

    window.message_context_menu = QMenu(window.message_view)
    window.message_context_menu.setObjectName("messageContextMenu")
    window.message_context_menu.setToolTipsVisible(True)
    for action in window.reply_actions:
        window.message_context_menu.addAction(action)
    window.message_context_menu.addSeparator()
    for action in (window.toggle_read_action, window.toggle_flag_action):
        window.message_context_menu.addAction(action)
    window.message_context_menu.addSeparator()
    window.message_context_menu.addMenu(window.move_menu)
    window.message_context_menu.addAction(window.archive_action)
    window.message_context_menu.addAction(window.delete_action)
    window.message_context_menu.addAction(window.delete_permanently_action)


def show_folder_model(window: MainWindow, model: QAbstractItemModel) -> None:
    """An account's folder tree in the folder pane; messages dragged from the list drop on it."""
    set_icons = getattr(model, "set_icon_provider", None)
    if set_icons is not None:
        set_icons(folder_icon)
    window.folder_view.setModel(model)
    window.folder_view.setRootIsDecorated(True)
    window.folder_view.setAcceptDrops(True)
    window.folder_view.setDropIndicatorShown(True)
    window.folder_view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
    window.folder_view.setDefaultDropAction(Qt.DropAction.MoveAction)
    window.folder_view.expandAll()


def show_message_model(window: MainWindow, model: QAbstractItemModel) -> None:
    """A message list model in the list; columns sort by a click on their header.

    The sort indicator is set to the model's own order *before* sorting is
    enabled: enabling it sorts by the indicator at once, and the matching
    order makes that a no-op instead of a re-query.
    """
    view = window.message_view
    view.setModel(model)
    header = view.header()
    sort_column = getattr(model, "sort_column", None)
    if sort_column is not None:
        descending = getattr(model, "descending", True)
        header.setSortIndicator(
            sort_column(), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        view.setSortingEnabled(True)
        header.setSectionsClickable(True)
        header.setStretchLastSection(False)
        if model.columnCount() >= 5:  # marks, subject, from, date, size
            view.setItemDelegateForColumn(0, window.marks_delegate)
            view.setItemDelegateForColumn(1, window.subject_delegate)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
            view.setColumnWidth(0, 44)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            view.setColumnWidth(2, 200)
            view.setColumnWidth(3, 140)
            view.setColumnWidth(4, 70)
    view.setDragEnabled(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    view.setDefaultDropAction(Qt.DropAction.MoveAction)
