"""The one HTML escaper of the course, and the one "did you mean" of its error messages (:func:`closest`).
Plain text from a file (case text, feedback, citations, learners' exports) becomes safe to put inside HTML
elements, quoted attributes and plotly labels (which read a little HTML)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable


def clean(text: object) -> str:
    """Any value as text a browser can be sent: lone surrogates (invalid in UTF-8) become U+FFFD."""
    return str(text).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def esc(text: object, quote: bool = True) -> str:
    """Any value as text safe inside HTML elements and quoted attributes (``& < > " '`` escaped; with
    ``quote=False`` quotes are kept, for plotly labels, which are never attributes)."""
    return html.escape(clean(text), quote=quote)


#: Unicode categories written out as [U+XXXX] by :func:`visible`: control characters (ESC starts the ANSI and OSC
#: sequences that clear a terminal, retitle its window or write its clipboard), format characters (a right-to-left
#: override makes "x.json" read "nosj.x") and lone surrogates.
_CODE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
#: Characters a data file's text may not hold (:func:`forbidden_characters`): control characters other than tab,
#: line feed and carriage return, and the bidirectional overrides, embeddings and isolates used to disguise text.
_FORBIDDEN_FORMAT = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def visible(text: object, keep: str = "") -> str:
    """Text safe to print on a terminal or in a report: every control, format or lone-surrogate character except
    those in `keep` (e.g. ``"\\n"`` for a multi-line preview) is written as ``[U+XXXX]``, so it shows instead of
    acting."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(f"[U+{ord(ch):04X}]" if ch not in keep and unicodedata.category(ch) in _CODE_CATEGORIES else ch
                   for ch in text)


#: The same characters as one pattern: category Cc is exactly U+0000-001F and U+007F-009F, and Cs exactly
#: U+D800-DFFF (Unicode never changes either), less tab, line feed and carriage return, plus the bidirectional
#: controls. One scan in C instead of a category lookup per character (a case file's text has line breaks, so it
#: is never all printable): about 1.4 ms a case file. ``tests/test_logic_text.py`` checks it on every code point.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def forbidden_characters(text: str) -> list[str]:
    """The characters of `text` a data file may not hold (see :data:`_FORBIDDEN_FORMAT`), each once, as [U+XXXX]."""
    if text.isprintable():
        return []
    return [f"[U+{ord(ch):04X}]" for ch in dict.fromkeys(_FORBIDDEN.findall(text))]


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like a mistyped word (difflib's ratio at least ``cutoff``), or None: the "did you mean"
    of every error message. difflib is imported here, when a message is worded, not when the package is."""
    import difflib

    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return near[0] if near else None
