"""Guard for the class "rich text from message data", checked on the source tree.

Qt renders text as HTML wherever it guesses so: every tooltip, and QLabel /
QMessageBox with their default ``Qt.AutoText``; freedesktop notification
servers may render markup too. Text from a message, a server, the policy or a
file name must reach those only through ``govmail_desktop/models/plain_text.py``.
This test reads the Qt-side source (ui/, models/, services/, wiring/, app.py) and reports
every call that hands Qt such text otherwise:

* **tooltips** — ``setToolTip``, ``setWhatsThis``, ``QToolTip/QWhatsThis.showText``,
  ``setData(…, ToolTipRole)``, and what an ``if role == …ToolTipRole`` branch
  returns (a model's ``data``): own text, or ``plain_tooltip(…)``;
* **label texts** — ``setText``, ``setInformativeText``, ``setLabelText``,
  ``setTitle``, ``setSubTitle``, the static ``QMessageBox.information/…``, and
  ``QLabel("…")``: own text, or a receiver made plain in the same class
  (``plain_label(…)``, ``setTextFormat(…PlainText)``, or a method returning such a label);
* **notifications** — ``showMessage``: own text, or ``notification_text(…)``.

"Own text" is text data cannot reach: literals; ``tr``/``translate`` of a
literal; ``_qt_text(…)`` (a catalogue message's source); numbers (``len()``,
an ``int``/``float``/``bool`` parameter, ``f"{n:,}"``); module constants
(UPPER_CASE, ``__dunder__``); and ``.format``, ``+``, f-strings and
conditionals built only from these. Local variables are followed to their
assignments in the same function. Anything else counts as data.

Not checked, because Qt shows them as plain text whatever they hold: window
titles, menu and action texts in menus, combo box items, line edits,
QPlainTextEdit, an item view's DisplayRole. ``QLabel(x)`` with a bare name is
taken to be ``QLabel(parent)``.

The checker runs on small planted sources too, so each rule is proven to catch
what it is for.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "govmail_desktop"
SCANNED = ("ui", "models", "services", "wiring", "app.py")

TOOLTIP_SINKS = {"setToolTip", "setWhatsThis"}
LABEL_SINKS = {"setText", "setInformativeText", "setLabelText", "setTitle", "setSubTitle"}
NOTIFICATION_SINKS = {"showMessage"}
MESSAGE_BOX_STATICS = {"information", "warning", "critical", "question", "about"}
RICH_ROLES = ("ToolTipRole", "WhatsThisRole")

TOOLTIP = "tooltip"
LABEL = "label"
NOTIFICATION = "notification"
SANITIZERS = {TOOLTIP: {"plain_tooltip"}, LABEL: set(), NOTIFICATION: {"notification_text"}}
HOW_TO_FIX = {
    TOOLTIP: "wrap it in plain_tooltip()",
    LABEL: "make the label plain_label() where it is created",
    NOTIFICATION: "wrap it in notification_text()",
}

NUMERIC_CALLS = {"len", "int", "float", "round", "abs", "bool", "sum"}
NUMERIC_ANNOTATIONS = {"int", "float", "bool"}

#: Values data cannot reach that the rules above cannot see: (file, function, argument) → why.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("ui/main_window.py", "_create_actions", "autonym"):
        "QAction.setText in a menu (plain); LANGUAGE_AUTONYMS is a constant table of language names",
    ("ui/main_window.py", "_show_connection_state", "text"):
        "unpacked from the texts dict right above, tr() literals only",
    ("ui/main_window.py", "_show_connection_state", "tip"):
        "unpacked from the texts dict right above, tr() literals only",
    ("ui/about_box.py", "open_about_box", "about_html(policy_origins, policy_ok)"):
        "rich text on purpose (heading, paragraphs); about_html escapes every part, the policy "
        "file path included (tests/gui/test_about_box.py plants <, > and & in it)",
    ("ui/preview_pane.py", "_set_recipients", "text"):
        "the label argument is self.to_label or self.cc_label, both made by the plain _label() factory",
    ("ui/setup_wizard.py", "_fill_servers", "imap.host"):
        "QLineEdit.setText (an input field shows plain text); a built-in profile's server",
    ("ui/setup_wizard.py", "_fill_servers", "smtp_host"):
        "QLineEdit.setText (an input field shows plain text); a built-in profile's server",
    ("ui/link_guard.py", "hovered", "('⚠ ' if verdict.risky else '') + shown"):
        "QStatusBar.showMessage paints plain text (the link's real destination, shown exactly)",
    ("ui/message_window.py", "_saved", "self.tr('Saved: {path}').format(path=path)"):
        "QStatusBar.showMessage paints plain text; the path the user chose",
    ("ui/message_window.py", "retranslate_ui", "text"):
        "QAction.setText, unpacked from the texts tuple right above, tr() literals only",
    ("ui/message_window.py", "retranslate_ui", "tip"):
        "unpacked from the texts tuple right above, tr() literals only",
    ("ui/tray.py", "_update", "self._tooltip"):
        "APP_NAME and a translated unread count, built on the lines before",
    ("ui/setup_wizard.py", "_apply_locks", "str(value)"):
        "QLineEdit.setText (an input field shows plain text); the policy's locked host name",
    ("ui/composer/recipients.py", "set_text", "text"):
        "QLineEdit.setText (an input field shows plain text); the draft's recipients",
    ("ui/composer/signatures.py", "_on_current", "value"):
        "QLineEdit.setText (an input field shows plain text); the fields of the signature being edited",
    ("ui/composer/window.py", "_load", "d.subject"):
        "QLineEdit.setText (an input field shows plain text); the draft's subject",
    ("ui/composer/identities.py", "_on_current", "value"):
        "QLineEdit.setText (an input field shows plain text); the name and address of the identity being edited",
    ("ui/search_view.py", "set_query", "text"):
        "QLineEdit.setText (an input field shows plain text); the query typed or saved by the user",
    ("ui/search_view.py", "show_error", "text"):
        "rich text on purpose (the bad part of the query underlined): built by error_html and the line "
        "above it from html.escape()d pieces only",
    ("ui/provisioned_page.py", "__init__", "account.display_name"):
        "QLineEdit.setText (an input field shows plain text); the name from the OS account",
    ("ui/provisioned_page.py", "_read_only", "text"):
        "QLineEdit.setText (a read-only input field shows plain text); the provisioned address",
    ("ui/provisioned_page.py", "retranslate_ui", "self._server_text(server)"):
        "QLineEdit.setText (a read-only input field shows plain text); the policy's server and port",
    ("ui/composer/identities.py", "_store_current", "self._label(entry)"):
        "QListWidgetItem.setText (a list item shows plain text); the identity's name and address",
}


@dataclass
class Finding:
    where: str
    function: str
    argument: str
    rule: str

    def __str__(self) -> str:
        return f"{self.where} in {self.function}(): {self.argument!r} — {HOW_TO_FIX[self.rule]}"


def _name_of(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _constant_name(name: str) -> bool:
    bare = name.strip("_")
    return (name.startswith("__") and name.endswith("__")) or (bool(bare) and bare.isupper())


def _numeric_spec(spec: ast.expr | None) -> bool:
    """``f"{x:,}"``, ``f"{x:.1f}"``: formats that only numbers accept."""
    if not isinstance(spec, ast.JoinedStr) or not all(isinstance(v, ast.Constant) for v in spec.values):
        return False
    text = "".join(str(v.value) for v in spec.values)  # type: ignore[attr-defined]
    return bool(text) and ("," in text or text[-1] in "bcdeEfFgGnoxX%")


@dataclass
class FunctionScope:
    """Parameters and local assignments of the function a call is in."""

    name: str
    numeric_params: set[str] = field(default_factory=set)
    assigned: dict[str, list[ast.expr]] = field(default_factory=dict)
    opaque: set[str] = field(default_factory=set)  # loop variables, with-targets, params: data
    plain_locals: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, node: ast.FunctionDef | ast.AsyncFunctionDef | None) -> FunctionScope:
        scope = cls(node.name if node is not None else "<module>")
        if node is None:
            return scope
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
            if annotation in NUMERIC_ANNOTATIONS:
                scope.numeric_params.add(arg.arg)
            else:
                scope.opaque.add(arg.arg)
        for sub in _own_nodes(node):
            if isinstance(sub, ast.Assign):
                for target in sub.targets:
                    scope._bind(target, sub.value)
            elif isinstance(sub, (ast.AnnAssign, ast.AugAssign)) and sub.value is not None:
                scope._bind(sub.target, sub.value)
            elif isinstance(sub, (ast.For, ast.AsyncFor, ast.comprehension)):
                scope._opaque(sub.target)
            elif isinstance(sub, ast.withitem) and sub.optional_vars is not None:
                scope._opaque(sub.optional_vars)
            elif isinstance(sub, ast.NamedExpr):
                scope._bind(sub.target, sub.value)
        return scope

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                for t, v in zip(target.elts, value.elts, strict=True):
                    self._bind(t, v)
            else:
                self._opaque(target)

    def _opaque(self, target: ast.expr) -> None:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                self.opaque.add(sub.id)


def _own_nodes(function: ast.AST):
    """The nodes of a function, not those of functions defined inside it."""
    for child in ast.iter_child_nodes(function):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield child
        yield from _own_nodes(child)


def is_own_text(expr: ast.expr | None, scope: FunctionScope, rule: str, _seen: frozenset[str] = frozenset()) -> bool:
    """True when no data can reach ``expr`` (see the module docstring)."""
    if expr is None or isinstance(expr, ast.Constant):
        return True

    def own(e: ast.expr | None) -> bool:
        return is_own_text(e, scope, rule, _seen)

    if isinstance(expr, ast.JoinedStr):
        return all(
            isinstance(v, ast.Constant)
            or (isinstance(v, ast.FormattedValue) and (own(v.value) or _numeric_spec(v.format_spec)))
            for v in expr.values
        )
    if isinstance(expr, ast.Name):
        name = expr.id
        if _constant_name(name) or name in scope.numeric_params:
            return True
        if name in scope.opaque or name in _seen or name not in scope.assigned:
            return False
        return all(is_own_text(v, scope, rule, _seen | {name}) for v in scope.assigned[name])
    if isinstance(expr, ast.Attribute):
        return _constant_name(expr.attr)
    if isinstance(expr, ast.Call):
        func = _name_of(expr.func)
        if func == "tr":
            return bool(expr.args) and isinstance(expr.args[0], ast.Constant)
        if func == "translate":
            return len(expr.args) >= 2 and isinstance(expr.args[1], ast.Constant)
        if func == "_qt_text" or func in SANITIZERS[rule]:
            return True
        if func == "format" and isinstance(expr.func, ast.Attribute):
            return own(expr.func.value) and all(map(own, expr.args)) and all(own(k.value) for k in expr.keywords)
        if func in NUMERIC_CALLS:
            return True
        if func in ("str", "min", "max"):
            return all(map(own, expr.args))
        return False
    if isinstance(expr, ast.IfExp):
        return own(expr.body) and own(expr.orelse)
    if isinstance(expr, ast.BoolOp):
        return all(map(own, expr.values))
    if isinstance(expr, ast.BinOp):
        return own(expr.left) and own(expr.right)
    if isinstance(expr, ast.UnaryOp):
        return own(expr.operand)
    if isinstance(expr, ast.Compare):
        return True  # a bool
    if isinstance(expr, ast.Subscript):  # an item of a container of own texts
        return own(expr.value)
    if isinstance(expr, ast.Dict):
        return all(map(own, expr.values))
    if isinstance(expr, (ast.Tuple, ast.List)):
        return all(map(own, expr.elts))
    return False


def _is_plain_format(call: ast.Call) -> bool:
    return _name_of(call.func) == "setTextFormat" and bool(call.args) and "PlainText" in ast.unparse(call.args[0])


def _plain_factories(tree: ast.AST) -> set[str]:
    """Functions and methods of a module that return a label made plain."""
    factories = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        plain_names: set[str] = set()
        for sub in _own_nodes(node):
            is_call = isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call)
            if is_call and _name_of(sub.value.func) == "plain_label":
                plain_names.update(t.id for t in sub.targets if isinstance(t, ast.Name))
            if isinstance(sub, ast.Call) and _is_plain_format(sub) and isinstance(sub.func, ast.Attribute):
                if isinstance(sub.func.value, ast.Name):
                    plain_names.add(sub.func.value.id)
        for sub in _own_nodes(node):
            if isinstance(sub, ast.Return) and sub.value is not None:
                value = sub.value
                if (isinstance(value, ast.Name) and value.id in plain_names) or (
                    isinstance(value, ast.Call) and _name_of(value.func) == "plain_label"
                ):
                    factories.add(node.name)
    return factories


class SinkChecker(ast.NodeVisitor):
    def __init__(self, relpath: str, tree: ast.Module) -> None:
        self.relpath = relpath
        self.findings: list[Finding] = []
        self.used_allowances: set[tuple[str, str, str]] = set()
        self.factories = _plain_factories(tree)
        self.scopes: list[FunctionScope] = [FunctionScope.of(None)]
        self.class_plain: list[set[str]] = [self._plain_receivers(tree)]
        self.local_plain: list[set[str]] = [set()]
        self.exempt: set[int] = set()  # QLabel(...) calls wrapped in plain_label(...)

    # -- which receivers are plain -------------------------------------------------
    def _makes_plain(self, value: ast.expr) -> bool:
        return isinstance(value, ast.Call) and (
            _name_of(value.func) == "plain_label" or _name_of(value.func) in self.factories
        )

    def _plain_receivers(self, node: ast.AST, *, names: bool = False) -> set[str]:
        """``self.x`` (class-wide) or local names (one function) made plain in ``node``."""
        found = set()
        nodes = _own_nodes(node) if names else ast.walk(node)
        for sub in nodes:
            if isinstance(sub, ast.Assign) and self._makes_plain(sub.value):
                targets = sub.targets
            elif isinstance(sub, ast.Call) and _is_plain_format(sub) and isinstance(sub.func, ast.Attribute):
                targets = [sub.func.value]
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name) == names:
                    found.add(ast.unparse(target))
        return found

    # -- walking -------------------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.class_plain.append(self._plain_receivers(node))
        self.generic_visit(node)
        self.class_plain.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes.append(FunctionScope.of(node))
        self.local_plain.append(self._plain_receivers(node, names=True))
        self.generic_visit(node)
        self.scopes.pop()
        self.local_plain.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        if any(role in ast.unparse(node.test) for role in RICH_ROLES):
            for statement in node.body:
                for sub in [statement, *_own_nodes(statement)]:
                    if isinstance(sub, ast.Return):
                        self._check(sub.value, TOOLTIP, sub)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = _name_of(node.func)
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        receiver_name = ast.unparse(receiver) if receiver is not None else ""
        if func == "plain_label":
            self.exempt.update(id(a) for a in node.args)
        if func in TOOLTIP_SINKS and node.args:
            self._check(node.args[0], TOOLTIP, node)
        elif func == "showText" and receiver_name in ("QToolTip", "QWhatsThis") and len(node.args) >= 2:
            self._check(node.args[1], TOOLTIP, node)
        elif func == "setData" and len(node.args) >= 2 and any(r in ast.unparse(node.args[1]) for r in RICH_ROLES):
            self._check(node.args[0], TOOLTIP, node)
        elif func in NOTIFICATION_SINKS:
            for arg in node.args[:2]:
                self._check(arg, NOTIFICATION, node)
        elif func in MESSAGE_BOX_STATICS and receiver_name == "QMessageBox" and len(node.args) >= 3:
            self._check(node.args[2], LABEL, node)
        elif func in LABEL_SINKS and node.args and receiver is not None:
            if not self._plain(receiver):
                self._check(node.args[0], LABEL, node)
        elif func == "QLabel" and node.args and id(node) not in self.exempt:
            if not isinstance(node.args[0], (ast.Name, ast.Attribute)):  # a bare name is the parent
                self._check(node.args[0], LABEL, node)
        self.generic_visit(node)

    def _plain(self, receiver: ast.expr) -> bool:
        text = ast.unparse(receiver)
        if isinstance(receiver, ast.Name):
            return text in self.local_plain[-1]
        return text in self.class_plain[-1]

    def _check(self, value: ast.expr | None, rule: str, node: ast.AST) -> None:
        scope = self.scopes[-1]
        if is_own_text(value, scope, rule):
            return
        argument = ast.unparse(value) if value is not None else ""
        if (self.relpath, scope.name, argument) in ALLOWED:
            self.used_allowances.add((self.relpath, scope.name, argument))
            return
        self.findings.append(Finding(f"{self.relpath}:{node.lineno}", scope.name, argument, rule))  # type: ignore[attr-defined]


def scanned_files(root: Path) -> list[Path]:
    files = []
    for part in SCANNED:
        path = root / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else [])
    return files


def check_tree(root: Path) -> tuple[list[Finding], set[tuple[str, str, str]]]:
    """Findings under ``root`` and the allowances they used."""
    findings: list[Finding] = []
    used: set[tuple[str, str, str]] = set()
    for path in scanned_files(root):
        relpath = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        checker = SinkChecker(relpath, tree)
        checker.visit(tree)
        findings.extend(checker.findings)
        used |= checker.used_allowances
    return findings, used


def test_text_from_data_reaches_qt_only_through_the_plain_text_helpers():
    findings, used = check_tree(PACKAGE)
    assert scanned_files(PACKAGE), "no source files found"
    assert [str(f) for f in findings] == []
    assert set(ALLOWED) - used == set(), "allowances no longer needed: remove them"


# ---------------------------------------------------------------- planted instances

PLANTED_BAD = {
    "model tooltip of a subject": (
        "models/list.py",
        (
            "def data(self, index, role):\n"
            "    if role == Qt.ItemDataRole.ToolTipRole:\n"
            "        return row.subject\n"
        ),
        TOOLTIP,
    ),
    "translated tooltip quoting a folder name": (
        "models/tree.py",
        (
            "def data(self, index, role):\n"
            "    if role == Qt.ItemDataRole.ToolTipRole and node.unread:\n"
            "        return self.tr('{name}: {count} unread').format(name=node.full_name, count=node.unread)\n"
        ),
        TOOLTIP,
    ),
    "widget tooltip of a file name": (
        "ui/pane.py",
        "def show(self, attachment):\n    self.label.setToolTip(attachment.filename)\n",
        TOOLTIP,
    ),
    "tooltip of a plain label (a plain label does not make its tooltip plain)": (
        "ui/pane.py",
        (
            "class Pane:\n"
            "    def __init__(self):\n        self.label = plain_label(QLabel(self))\n"
            "    def show(self, text):\n        self.label.setToolTip(text)\n"
        ),
        TOOLTIP,
    ),
    "QToolTip.showText of a subject": (
        "ui/view.py",
        "def hover(self, pos, summary):\n    QToolTip.showText(pos, summary.subject)\n",
        TOOLTIP,
    ),
    "item tooltip through setData": (
        "ui/list.py",
        "def add(self, item, folder):\n    item.setData(folder.name, Qt.ItemDataRole.ToolTipRole)\n",
        TOOLTIP,
    ),
    "AutoText label showing a server error": (
        "ui/status.py",
        (
            "class Bar:\n"
            "    def __init__(self):\n        self.notice = QLabel(self)\n"
            "    def show(self, error):\n        self.notice.setText(error.user_text('th'))\n"
        ),
        LABEL,
    ),
    "label plain in another class only": (
        "ui/two.py",
        (
            "class A:\n    def __init__(self):\n        self.label = plain_label(QLabel(self))\n"
            "class B:\n    def __init__(self):\n        self.label = QLabel(self)\n"
            "    def show(self, name):\n        self.label.setText(name)\n"
        ),
        LABEL,
    ),
    "local label made plain in another function only": (
        "ui/local.py",
        (
            "def a(parent):\n    label = plain_label(QLabel(parent))\n"
            "def b(parent, subject):\n    label = QLabel(parent)\n    label.setText(subject)\n"
        ),
        LABEL,
    ),
    "message box text quoting a host": (
        "ui/box.py",
        "def warn(self, host):\n    QMessageBox.warning(self, self.tr('Server'), self.tr('Host {h}').format(h=host))\n",
        LABEL,
    ),
    "QLabel built with a display name": (
        "ui/card.py",
        "def card(self, sender):\n    return QLabel(sender.name + ' <' + sender.email + '>', self)\n",
        LABEL,
    ),
    "local variable holding message data": (
        "ui/local2.py",
        "def show(self, summary):\n    text = 'From: ' + summary.sender\n    self.label.setText(text)\n",
        LABEL,
    ),
    "an item of a table that holds message data": (
        "ui/table2.py",
        (
            "def show(self, m, key):\n"
            "    texts = {'from': m.sender, 'title': self.tr('Title')}\n"
            "    self.label.setText(texts[key])\n"
        ),
        LABEL,
    ),
    "string formatting of a name with a text format spec": (
        "ui/spec.py",
        "def show(self, name):\n    self.label.setText(f'{name:>20}')\n",
        LABEL,
    ),
    "tray notification with a subject": (
        "ui/tray.py",
        "def notify(self, subject):\n    self.tray.showMessage(self.tr('New mail'), subject, self.icon, 10000)\n",
        NOTIFICATION,
    ),
    "tooltip escaped with the wrong helper": (
        "ui/tray2.py",
        "def notify(self, subject):\n    self.tray.showMessage('New mail', plain_tooltip(subject))\n",
        NOTIFICATION,
    ),
}


@pytest.mark.parametrize("case", PLANTED_BAD)
def test_a_planted_instance_is_reported(tmp_path, case):
    relpath, source, rule = PLANTED_BAD[case]
    target = tmp_path / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    findings, _ = check_tree(tmp_path)
    assert len(findings) == 1, findings
    assert findings[0].rule == rule and findings[0].where.startswith(relpath + ":")


PLANTED_GOOD = {
    "model tooltip through the helper": (
        "models/list.py",
        (
            "def data(self, index, role):\n"
            "    if role == Qt.ItemDataRole.ToolTipRole:\n"
            "        return plain_tooltip(self._tooltip(row))\n"
            "    if role == Qt.ItemDataRole.ToolTipRole and column == 0:\n"
            "        return self.tr('Flag and attachment')\n"
        ),
    ),
    "labels made plain directly, by setTextFormat and by a factory method": (
        "ui/pane.py",
        (
            "class Pane:\n"
            "    def __init__(self):\n"
            "        self.a = plain_label(QLabel(self))\n"
            "        self.b = QLabel(self)\n"
            "        self.b.setTextFormat(Qt.TextFormat.PlainText)\n"
            "        self.c = self._label('c')\n"
            "    def _label(self, name):\n"
            "        label = plain_label(QLabel(self))\n"
            "        return label\n"
            "    def show(self, m):\n"
            "        self.a.setText(m.subject)\n        self.b.setText(m.sender)\n        self.c.setText(m.to)\n"
            "        local = plain_label(QLabel(self))\n        local.setText(m.cc)\n"
        ),
    ),
    "own text: translations, numbers, constants, locals built from them": (
        "ui/own.py",
        (
            "def show(self, count: int, uids, done, total):\n"
            "    self.label.setText(self.tr('Delete {n} message(s)?').format(n=len(uids)))\n"
            "    self.label.setText(f'{APP_NAME} — ' + self.tr('{count} unread').format(count=f'{count:,}'))\n"
            "    tip = self.tr('Offline') if count else QCoreApplication.translate('Ctx', 'Online')\n"
            "    self.icon.setToolTip(tip)\n"
            "    self.label.setText(f'{done:,}/{total:,}')\n"
            "    self.box.setText(f'<h3>{APP_NAME}</h3>' + self.tr('Version {v}').format(v=__version__))\n"
            "    item.setText(_qt_text(name))\n"
        ),
    ),
    "an item of a table of translations": (
        "ui/table.py",
        (
            "def retranslate(self, key):\n"
            "    labels = {'sent': self.tr('&Sent:'), 'trash': self.tr('&Trash:')}\n"
            "    self.label.setText(labels[key])\n"
            "    self.label.setText((self.tr('One'), self.tr('Two'))[key])\n"
        ),
    ),
    "helpers for tooltips and notifications": (
        "ui/helpers.py",
        (
            "def show(self, m):\n"
            "    self.label.setToolTip(plain_tooltip(m.subject))\n"
            "    QToolTip.showText(pos, plain_tooltip(m.sender))\n"
            "    self.tray.showMessage(notification_text(m.title), notification_text(m.text), icon, 1000)\n"
        ),
    ),
    "QLabel(parent) and plain_label(QLabel(text))": (
        "ui/ctor.py",
        "def make(self, parent, name):\n    a = QLabel(parent)\n    b = plain_label(QLabel(name.title(), parent))\n",
    ),
}


@pytest.mark.parametrize("case", PLANTED_GOOD)
def test_text_through_the_helpers_or_the_apps_own_passes(tmp_path, case):
    relpath, source = PLANTED_GOOD[case]
    target = tmp_path / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    findings, _ = check_tree(tmp_path)
    assert [str(f) for f in findings] == []
