"""The one HTML escaper of the course. Plain text from a file (case text, feedback, citations, learners' exports)
becomes safe to put inside HTML elements, quoted attributes and plotly labels (which read a little HTML)."""

from __future__ import annotations

import html


def clean(text: object) -> str:
    """Any value as text a browser can be sent: lone surrogates (invalid in UTF-8) become U+FFFD."""
    return str(text).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def esc(text: object, quote: bool = True) -> str:
    """Any value as text safe inside HTML elements and quoted attributes (``& < > " '`` escaped; with
    ``quote=False`` quotes are kept, for plotly labels, which are never attributes)."""
    return html.escape(clean(text), quote=quote)
