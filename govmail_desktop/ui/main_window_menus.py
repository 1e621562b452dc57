"""The main window's menu bar and toolbar, built from the window's actions.

The actions themselves, their texts and their enabled states belong to
:class:`~govmail_desktop.ui.main_window.MainWindow`; these functions only lay them
out (and set the window's menu and toolbar attributes). Their titles are set by
``MainWindow.retranslate_ui``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLineEdit, QMenu, QSizePolicy, QToolBar, QWidget

if TYPE_CHECKING:
    from govmail_desktop.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """File, Edit, View (with Language), Message (with Move To) and Help."""
    bar = window.menuBar()
    window.file_menu = bar.addMenu("")
    window.file_menu.addAction(window.refresh_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.add_account_action)
    window.file_menu.addAction(window.special_folders_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.quit_action)

    window.edit_menu = bar.addMenu("")
    window.edit_menu.addAction(window.find_action)
    window.edit_menu.addAction(window.quick_filter_action)
    window.edit_menu.addAction(window.find_in_message_action)
    window.edit_menu.addSeparator()
    window.edit_menu.addAction(window.contacts_action)
    window.edit_menu.addAction(window.signatures_action)
    window.edit_menu.addAction(window.identities_action)
    window.edit_menu.addAction(window.settings_action)

    window.view_menu = bar.addMenu("")
    window.view_menu.addAction(window.preview_action)
    window.view_menu.addAction(window.threading_action)
    window.view_menu.addSeparator()
    window.view_menu.addAction(window.focus_folders_action)
    window.view_menu.addAction(window.focus_messages_action)
    window.view_menu.addAction(window.focus_preview_action)
    window.view_menu.addSeparator()
    window.language_menu = QMenu(window.view_menu)
    window.language_menu.addActions(window.language_group.actions())
    window.view_menu.addMenu(window.language_menu)

    window.message_menu = bar.addMenu("")
    window.message_menu.addAction(window.compose_action)
    window.message_menu.addSeparator()
    window.message_menu.addAction(window.reply_action)
    window.message_menu.addAction(window.reply_all_action)
    window.message_menu.addAction(window.forward_action)
    window.message_menu.addAction(window.forward_attachment_action)
    window.message_menu.addAction(window.edit_as_new_action)
    window.message_menu.addSeparator()
    window.message_menu.addAction(window.toggle_read_action)
    window.message_menu.addAction(window.toggle_flag_action)
    window.message_menu.addSeparator()
    # Filled by the mailbox controller each time it opens (the folders of the account).
    window.move_menu = QMenu(window.message_menu)
    window.move_menu.setObjectName("moveMenu")
    window.move_menu.menuAction().setEnabled(False)
    window.message_menu.addMenu(window.move_menu)
    window.message_menu.addAction(window.move_action)
    window.message_menu.addAction(window.archive_action)
    window.message_menu.addAction(window.delete_action)
    window.message_menu.addAction(window.delete_permanently_action)

    window.help_menu = bar.addMenu("")
    window.help_menu.addAction(window.about_action)
    for menu in (window.file_menu, window.edit_menu, window.view_menu, window.message_menu, window.help_menu):
        menu.setToolTipsVisible(True)  # a disabled item says why


def build_toolbar(window: MainWindow) -> None:
    """The mail actions with their icons, and the search field at the right end."""
    window.toolbar = QToolBar(window)
    window.toolbar.setObjectName("mainToolbar")
    window.toolbar.setMovable(False)
    window.toolbar.setIconSize(QSize(22, 22))
    window.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.toolbar.addAction(window.refresh_action)
    window.toolbar.addAction(window.compose_action)
    window.toolbar.addSeparator()
    window.toolbar.addAction(window.reply_action)
    window.toolbar.addAction(window.reply_all_action)
    window.toolbar.addAction(window.forward_action)
    window.toolbar.addSeparator()
    window.toolbar.addAction(window.archive_action)
    window.toolbar.addAction(window.delete_action)
    # The search field at the right end (Enter: the search view; ui/search_controller.py).
    spacer = QWidget(window.toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    window.toolbar.addWidget(spacer)
    window.search_field = QLineEdit(window.toolbar)
    window.search_field.setObjectName("toolbarSearchField")
    window.search_field.setClearButtonEnabled(True)
    window.search_field.setMinimumWidth(220)
    window.search_field.setMaximumWidth(360)
    window.search_field.setEnabled(False)
    window.toolbar.addWidget(window.search_field)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, window.toolbar)
