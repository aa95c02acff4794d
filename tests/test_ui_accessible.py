"""The accessible group of options and the polite live region (mslbp_widgets.ui.accessible), headless."""

from __future__ import annotations

import pytest
import traitlets
from helpers import press_download

from mslbp_widgets.ui.accessible import ChoiceGroup, DownloadButton, LiveHTML, Slider, UploadButton

OPTIONS = [("First option", "a"), ("Second option", "b"), ("Third option", "c")]


def test_radio_group_value_is_one_id_or_none() -> None:
    group = ChoiceGroup(OPTIONS, "<p>Question: which?</p>")
    assert group.value is None and group.selection() == () and not group.multiple
    group.value = "b"
    assert group.selection() == ("b",)
    group.clear()
    assert group.value is None
    with pytest.raises(traitlets.TraitError, match="'z' is not an option"):
        group.value = "z"


def test_checkbox_group_keeps_display_order_and_refuses_unknown_ids() -> None:
    group = ChoiceGroup(OPTIONS, "<p>Question: which?</p>", multiple=True)
    assert group.value == [] and group.selection() == ()
    group.value = ["c", "a", "c"]
    assert group.selection() == ("a", "c")
    with pytest.raises(traitlets.TraitError, match="not options of this question"):
        group.value = ["a", "x"]
    group.clear()
    assert group.value == []


def test_front_end_names_the_group_by_the_question_and_shares_one_name() -> None:
    """The script draws role=radiogroup/group labelled by the question (aria-labelledby), radios sharing a name
    (one Tab stop), and keeps JupyterLab's command-mode shortcuts from taking the arrow keys."""
    script = ChoiceGroup(OPTIONS, "")._esm
    for needle in ('"radiogroup"', '"group"', '"aria-labelledby"', "input.name = uid",
                   '"data-lm-suppress-shortcuts"', 'msg.do === "focus"', "span.textContent = text"):
        assert needle in script, needle


def test_focus_is_sent_to_the_front_end(monkeypatch) -> None:
    group = ChoiceGroup(OPTIONS, "")
    sent = []
    monkeypatch.setattr(group, "send", lambda content, buffers=None: sent.append(content))
    group.focus()
    assert sent == [{"do": "focus"}]


def test_live_region_is_polite_and_keeps_its_element() -> None:
    live = LiveHTML("<p>first</p>")
    assert live.value == "<p>first</p>"
    live.value = "<p>second</p>"
    assert live.value == "<p>second</p>"
    assert 'el.setAttribute("aria-live", "polite")' in live._esm and "el.innerHTML" in live._esm


def test_upload_button_is_labelled_with_words_only_and_gives_bytes() -> None:
    """ipywidgets' FileUpload reads "Upload (0)"; this button reads its description, and the files arrive as
    FileUpload gives them (content as bytes, also from the browser's memoryview)."""
    button = UploadButton(description="Load an earlier download to resume", accept=".json", multiple=False)
    assert button.value == ()
    button.value = ({"name": "a.json", "content": memoryview(b"{}"), "size": 2},)
    assert button.value[0]["content"] == b"{}" and button.value[0]["name"] == "a.json"
    button.value = ()
    assert button.value == ()
    for needle in ('input.type = "file"', "label.htmlFor = uid", 'label.textContent = model.get("description")',
                   "new DataView(await f.arrayBuffer())"):
        assert needle in button._esm, needle


def test_slider_is_named_by_its_label_and_keeps_within_its_range() -> None:
    slider = Slider(description="Body temperature (°C)", min=35.0, max=40.0, step=0.1, decimals=1, value=37.0)
    assert slider.value == 37.0
    slider.value = 41.0
    assert slider.value == 40.0
    slider.value = 30
    assert slider.value == 35.0
    for needle in ('input.type = "range"', "label.htmlFor = uid", 'label.textContent = model.get("description")',
                   '"data-lm-suppress-shortcuts"', 'addEventListener("change"'):
        assert needle in slider._esm, needle


def test_download_button_sends_the_file_only_when_pressed_and_says_why_it_failed() -> None:
    calls = []

    def prepare():
        calls.append(1)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        return "notes.json", "application/json", '{"é": 1}\n'.encode()

    button = DownloadButton("Download my notes (JSON)", prepare, "Save the notes")
    assert calls == [] and button.description == "Download my notes (JSON)" and button.tooltip == "Save the notes"
    button.mark_changed()
    assert button.version == 0, "nothing was sent, so nothing to retire"
    assert press_download(button) == ({"do": "save", "name": "notes.json", "mime": "application/json"},
                                      '{"é": 1}\n'.encode())
    button.mark_changed()
    button.mark_changed()
    assert button.version == 1
    msg, data = press_download(button)
    assert msg["do"] == "failed" and "could not be prepared" in msg["message"] and "Input/output" in msg["message"]
    assert data == b""
    button.send = lambda *a, **k: (_ for _ in ()).throw(AssertionError("sent on a message it does not know"))
    button._handle_custom_msg({"do": "something else"}, [])
    assert len(calls) == 2
    for needle in ('document.createElement("button")', 'status.setAttribute("aria-live", "polite")',
                   "link.download = msg.name", "new Blob(buffers", 'model.send({ do: "download" })',
                   'model.on("change:version", forget)'):
        assert needle in button._esm, needle


def test_script_widgets_send_what_anywidget_sends() -> None:
    """The course's script widgets are drawn by anywidget's front end without importing its Python side
    (ScriptWidget): what they send must stay what an ``anywidget.AnyWidget`` sends, or they stop rendering."""
    import anywidget

    from mslbp_widgets.ui.accessible import ScriptWidget
    from mslbp_widgets.ui.identity import LearnerIdentity

    class Reference(anywidget.AnyWidget):
        _esm = "export default { render() {} }"

    ours, theirs = LiveHTML("<p>Right.</p>"), Reference()
    protocol = ("_model_name", "_model_module", "_model_module_version", "_view_name", "_view_module",
                "_view_module_version")
    assert {k: ours.get_state()[k] for k in protocol} == {k: theirs.get_state()[k] for k in protocol}
    assert set(theirs.get_state()) - set(ours.get_state()) == set()  # nothing anywidget sends is missing
    assert ours.get_state()["_anywidget_id"] == "mslbp_widgets.ui.accessible.LiveHTML"
    for cls in (ChoiceGroup, LiveHTML, UploadButton, DownloadButton, Slider, LearnerIdentity):
        assert issubclass(cls, ScriptWidget) and cls.script, cls
    assert "export" in ours._esm and ours._esm == LiveHTML()._esm  # the class's script, read once
    assert "localStorage" in LearnerIdentity()._esm
    assert repr(ours).startswith("<mslbp_widgets.ui.accessible.LiveHTML object")  # no trait serialised
