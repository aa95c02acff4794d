"""Logic: cases, evaluation, attempts, the learner's progress log, the export format, references, data files. Plain
Python: no widgets, no plotly."""
