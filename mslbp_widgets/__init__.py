"""mslbp_widgets: the package behind the MS & low back pain teaching notebooks.

Logic modules (cases, evaluate, progress, aggregate, charts, tools) never import ipywidgets; the widgets live in
`mslbp_widgets.ui` and only render results and wire callbacks.
"""

__version__ = "0.1.0"

EDUCATION_NOTICE = (
    "This course is for education only. It is not medical advice and must not be used to diagnose or treat "
    "anyone. Every patient in it is synthetic (invented for teaching)."
)
