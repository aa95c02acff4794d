"""Small shared pieces of the course's widgets: layouts, the button every widget uses, keyboard focus."""

from __future__ import annotations

import sys

import ipywidgets as widgets

#: A control as wide as its column.
WIDE = widgets.Layout(width="100%")
#: Description labels sized to their text, never cut off.
LABEL_STYLE = {"description_width": "initial"}


def button(description: str, tooltip: str, disabled: bool = False) -> widgets.Button:
    """A button labelled with words (Voila's offline pages have no icon font), as wide as its label."""
    return widgets.Button(description=description, tooltip=tooltip, disabled=disabled,
                          layout=widgets.Layout(width="auto"))


def focus(widget: widgets.Widget) -> None:
    """Move keyboard focus to a widget in the browser (ipywidgets 8); harmless when no front end is attached."""
    widget.focus()


def send_now() -> None:
    """Let the widget changes made so far leave the kernel before slow work (saving an answer durably). In a Jupyter
    kernel they are sent by a background thread, which needs the interpreter lock that the slow work would hold for
    milliseconds; flushing the kernel's stdout waits until that thread has sent everything queued before it. Outside
    a kernel this only flushes stdout."""
    sys.stdout.flush()
