"""The start notebook's environment check: versions, and a small widget that proves widgets respond."""

from __future__ import annotations

import ipywidgets as widgets

from ..logic.environment import course_data_warning, data_folder_warning, data_stamp, problems, versions
from ..logic.paths import data_dir
from .render import esc


def environment_check() -> widgets.VBox:
    """A table of versions, any problems with the fix, and a button to click to see that widgets respond."""
    found = versions()
    rows = "".join(
        f"<tr><td>{esc(name)}</td><td>{esc(v) if v else '<strong>missing</strong>'}</td></tr>"
        for name, v in found.items()
    )
    issues = problems(found)
    for warning in (data_folder_warning(), course_data_warning(found)):
        if warning:
            issues.append(warning)
    status = (
        "<p><strong>Everything the course needs is installed.</strong></p>"
        if not issues
        else "<p><strong>Problems:</strong></p><ul>" + "".join(f"<li>{esc(p)}</li>" for p in issues) + "</ul>"
    )
    stamp = data_stamp()
    written_for = f" (written for course package {esc(stamp)})" if stamp else " (no version stamp)"
    where = f"<p>Course data (cases, tables, references): <code>{esc(str(data_dir()))}</code>{written_for}</p>"
    table = widgets.HTML(
        "<table><thead><tr><th>Package</th><th>Version</th></tr></thead><tbody>" + rows + "</tbody></table>"
        + where + status
    )
    button = widgets.Button(description="Test the widgets", tooltip="Click to check that widgets respond",
                            layout=widgets.Layout(width="auto"))
    reply = widgets.Label(value="Not clicked yet.")
    clicks = {"n": 0}

    def on_click(_: widgets.Button) -> None:
        clicks["n"] += 1
        times = "time" if clicks["n"] == 1 else "times"
        reply.value = f"Widgets work: you clicked {clicks['n']} {times}."

    button.on_click(on_click)
    return widgets.VBox([table, widgets.HBox([button, reply])])
