"""Figure builders: data in, ``(plotly figure, text alternative)`` out. No widgets, no display: ui/ shows them."""
