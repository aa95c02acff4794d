"""Text from files made safe (logic/text.py): the HTML escaper, lone surrogates, control characters shown visibly."""

from __future__ import annotations

import json

from mslbp_widgets.logic.text import clean, esc, forbidden_characters, visible


def test_esc_escapes_markup_and_quotes() -> None:
    assert esc("<img src=x onerror='alert(1)'>") == "&lt;img src=x onerror=&#x27;alert(1)&#x27;&gt;"
    assert esc('"a" & b', quote=False) == '"a" &amp; b'


def test_lone_surrogates_become_replacement_characters_that_can_be_sent() -> None:
    """A lone surrogate (from JSON "\\udc80") once stopped the class tally: the kernel could not send it."""
    text = json.loads('"key \\udc80 and \\ud800"')
    assert clean(text) == "key \ufffd and \ufffd" and esc(text).encode("utf-8")


def test_visible_writes_control_format_and_surrogate_characters_as_code_points() -> None:
    assert visible("a\x1b[2J\x07b\u202ec\udc80") == "a[U+001B][2J[U+0007]b[U+202E]c[U+DC80]"
    assert visible("line 1\nline 2\tx", keep="\n") == "line 1\nline 2[U+0009]x"
    assert visible("Lhermitte's sign — naïve ✓") == "Lhermitte's sign — naïve ✓"


def test_forbidden_characters_allow_line_breaks_and_tabs_only() -> None:
    assert forbidden_characters("fine\ttext\r\nwith breaks") == []
    assert forbidden_characters("\x1b]0;title\x07\x1b") == ["[U+001B]", "[U+0007]"]
    assert forbidden_characters("abc\u202egnp.exe") == ["[U+202E]"]
    assert forbidden_characters("zero\u200dwidth joiner") == []  # emoji sequences need it


def test_forbidden_characters_match_their_definition_on_every_code_point() -> None:
    """The one-pattern scan finds exactly the characters defined by category (Cc, Cs but tab and line breaks) and
    the bidirectional controls, over the whole of Unicode, each once and in order of first appearance."""
    import unicodedata

    from mslbp_widgets.logic.text import _FORBIDDEN_FORMAT

    every = "".join(map(chr, range(0x110000)))
    expected = [f"[U+{ord(ch):04X}]" for ch in every if ch not in "\t\n\r" and (
        unicodedata.category(ch) in ("Cc", "Cs") or ch in _FORBIDDEN_FORMAT)]
    assert forbidden_characters(every) == expected and len(expected) == 62 + 2048 + 9
    assert forbidden_characters("b\x07a\x07\n\x1b") == ["[U+0007]", "[U+001B]"]
