"""Rendering: the only layer that imports ipywidgets. Widgets render results from the other layers and wire
callbacks; they decide nothing. HTML comes from render.py, figures are shown by display.py."""
