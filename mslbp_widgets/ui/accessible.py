"""Small widgets that ipywidgets 8 does not offer (it sets no ARIA roles or live regions, and its FileUpload adds a
count, "(0)", to its label): :class:`ChoiceGroup` (a question's options as one group named by the question),
:class:`LiveHTML` (feedback announced politely), :class:`Slider` (a slider named by its label; ipywidgets' sliders
have no accessible name), :class:`UploadButton` (a file upload labelled with words only) and :class:`DownloadButton`
(a file made by the kernel only when the learner asks for it).

All are :class:`ScriptWidget` widgets whose front end is a few lines of JavaScript shipped with the package
(``static/choices.js``, ``static/live.js`` ...); they only render and report clicks, like every widget of the
course.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import ClassVar

import ipywidgets
import traitlets

from ..logic.errors import MslbpError

__all__ = ["ChoiceGroup", "DownloadButton", "LiveHTML", "ScriptWidget", "Slider", "UploadButton"]


@cache
def _script(name: str) -> str:
    return files(__package__).joinpath("static", name).read_text(encoding="utf-8")


@cache
def anywidget_version_range() -> str:
    """The versions of anywidget's front end a widget asks for, as ``anywidget.AnyWidget`` asks: ``~0.11.*`` for
    the installed 0.11.0 (a pre-release asks for itself exactly)."""
    from importlib.metadata import version

    major, minor, rest = version("anywidget").split(".", 2)
    return f"{major}.{minor}.{rest}" if ("a" in rest or "b" in rest) else f"~{major}.{minor}.*"


class ScriptWidget(ipywidgets.DOMWidget):
    """A widget drawn by a script of the package's ``static/`` folder (``script``, read when the class's first
    widget is made), through the front end of anywidget (installed with it in JupyterLab, Notebook and Voila).

    It sends what ``anywidget.AnyWidget`` sends (the ``AnyModel`` and ``AnyView`` of the ``anywidget`` front-end
    module, the script as ``_esm``, the class's name as ``_anywidget_id``; ``tests/test_ui_accessible.py`` compares the
    two), without importing anywidget's Python side: its file watching, ``psygnal`` signals and Colab set-up cost
    about 8 ms at the import of every notebook's first cell, and none of it is used here.
    """

    #: The file in ``mslbp_widgets/ui/static/`` that draws the widget (an ES module exporting ``render``).
    script: ClassVar[str] = ""

    _model_name = traitlets.Unicode("AnyModel").tag(sync=True)
    _model_module = traitlets.Unicode("anywidget").tag(sync=True)
    _model_module_version = traitlets.Unicode().tag(sync=True)
    _view_name = traitlets.Unicode("AnyView").tag(sync=True)
    _view_module = traitlets.Unicode("anywidget").tag(sync=True)
    _view_module_version = traitlets.Unicode().tag(sync=True)
    _anywidget_id = traitlets.Unicode().tag(sync=True)
    _esm = traitlets.Unicode().tag(sync=True)

    @traitlets.default("_model_module_version")
    def _model_version(self) -> str:
        return anywidget_version_range()

    @traitlets.default("_view_module_version")
    def _view_version(self) -> str:
        return anywidget_version_range()

    @traitlets.default("_anywidget_id")
    def _class_id(self) -> str:
        return f"{type(self).__module__}.{type(self).__name__}"

    @traitlets.default("_esm")
    def _front_end(self) -> str:
        return _script(self.script)

    def __repr__(self) -> str:  # as anywidget's: the default repr would serialise every trait, the script too
        return object.__repr__(self)


class ChoiceGroup(ScriptWidget):
    """The options of one question: radio buttons (``multiple=False``) or checkboxes, drawn as one group
    (``role=radiogroup`` or ``role=group``) whose accessible name is ``label_html`` (the question, HTML already
    made safe, shown above the options). Radio buttons share a name: one Tab stop, the arrow keys move between
    them (also in JupyterLab, whose command-mode shortcuts the group suppresses).

    ``options``: (text, id) pairs in display order. ``value``: the chosen id or None (radio buttons), or the
    ticked ids in display order (checkboxes). ``disabled`` greys out every option. :meth:`focus` moves the
    keyboard focus to the chosen option, or the first.
    """

    script = "choices.js"
    options = traitlets.List(traitlets.Tuple(traitlets.Unicode(), traitlets.Unicode())).tag(sync=True)
    multiple = traitlets.Bool(False).tag(sync=True)
    label_html = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    value = traitlets.Any(None).tag(sync=True)

    def __init__(self, options: list[tuple[str, str]], label_html: str, multiple: bool = False, **kwargs):
        super().__init__(options=list(options), label_html=label_html, multiple=multiple,
                         value=[] if multiple else None, **kwargs)

    @traitlets.validate("value")
    def _valid_value(self, proposal: dict):
        ids = [oid for _text, oid in self.options]
        value = proposal["value"]
        if self.multiple:
            ticked = set(value or ())
            unknown = ticked - set(ids)
            if unknown:
                raise traitlets.TraitError(f"not options of this question: {sorted(unknown)}")
            return [oid for oid in ids if oid in ticked]  # display order, no repeats
        if value is not None and value not in ids:
            raise traitlets.TraitError(f"{value!r} is not an option of this question")
        return value

    def selection(self) -> tuple[str, ...]:
        """The chosen ids, in display order (empty when nothing is chosen)."""
        if self.multiple:
            return tuple(self.value)
        return () if self.value is None else (self.value,)

    def clear(self) -> None:
        """Choose nothing."""
        self.value = [] if self.multiple else None


class LiveHTML(ScriptWidget):
    """HTML (already made safe) in a polite live region (``aria-live="polite"``): the region stays on the page
    and screen readers announce each new ``value`` when the learner pauses. A drop-in for ``widgets.HTML`` where
    the content is feedback."""

    script = "live.js"
    value = traitlets.Unicode("").tag(sync=True)

    def __init__(self, value: str = "", **kwargs):
        super().__init__(value=value, **kwargs)


class UploadButton(ScriptWidget):
    """A button that opens the file chooser, labelled ``description`` and nothing else (a labelled native file
    input: Tab reaches it, Space or Enter opens it). ``value`` is a tuple of the chosen files, each a dict with
    ``name``, ``type``, ``size``, ``last_modified`` and ``content`` (bytes), as ipywidgets' FileUpload gives them;
    set it to ``()`` to be ready for the next upload."""

    script = "upload.js"
    description = traitlets.Unicode("Upload").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    multiple = traitlets.Bool(False).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    value = traitlets.Tuple().tag(sync=True)

    @traitlets.validate("value")
    def _files(self, proposal: dict) -> tuple:
        files = []
        for item in proposal["value"] or ():
            item = dict(item)
            content = item.get("content", b"")
            item["content"] = content.tobytes() if isinstance(content, memoryview) else bytes(content)
            files.append(item)
        return tuple(files)


class DownloadButton(ScriptWidget):
    """A button that saves a file made only when it is pressed: ``prepare()`` returns the file's name, MIME type
    and content (bytes), sent to the browser in one message and saved there under that name (a link with a
    ``download`` attribute, which also stays beside the button, named by the file, in case the browser did not save
    it at once). Nothing is sent before the learner asks, so a file that changes with every answer costs nothing
    until it is wanted. A native ``<button>`` labelled ``description``: Tab reaches it, Enter or Space presses it;
    "Preparing…", then the file's name, are announced politely.

    :meth:`mark_changed` says the content has changed (the link of an earlier file is then taken away; one small
    message, only when a file was sent since the last change). :meth:`payload` is what a press sends (for tests).
    """

    script = "download.js"
    description = traitlets.Unicode("Download").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)

    def __init__(self, description: str, prepare: Callable[[], tuple[str, str, bytes]], tooltip: str = "",
                 **kwargs):
        super().__init__(description=description, tooltip=tooltip, **kwargs)
        self._prepare = prepare
        self._sent = False
        self.on_msg(self._asked)

    def payload(self) -> tuple[str, str, bytes]:
        """(file name, MIME type, content) as a press would send them now."""
        return self._prepare()

    def mark_changed(self) -> None:
        """The file would be different now: the browser drops the link to the one it saved last."""
        if self._sent:
            self._sent = False
            self.version += 1

    def _asked(self, _widget: object, content: dict, _buffers: list) -> None:
        if not isinstance(content, dict) or content.get("do") != "download":
            return
        try:
            name, mime, data = self.payload()
        except (MslbpError, OSError, ValueError) as exc:
            self.send({"do": "failed", "message": f"The file could not be prepared: {exc}"})
            return
        self._sent = True
        self.send({"do": "save", "name": name, "mime": mime}, buffers=[data])


class Slider(ScriptWidget):
    """A slider whose visible ``description`` is its accessible name (a native range input with a ``<label>``),
    its value written beside it with ``decimals`` places. Arrow keys move it (also in JupyterLab's command mode).
    ``value`` changes when the learner lets go; it is kept within ``min`` and ``max``."""

    script = "slider.js"
    description = traitlets.Unicode("").tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(100.0).tag(sync=True)
    step = traitlets.Float(1.0).tag(sync=True)
    decimals = traitlets.Int(0).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    value = traitlets.Float(0.0).tag(sync=True)

    @traitlets.validate("value")
    def _within(self, proposal: dict) -> float:
        return min(self.max, max(self.min, float(proposal["value"])))
