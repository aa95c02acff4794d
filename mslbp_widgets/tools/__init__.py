"""Pure clinical tools (conduction model, DN4 scorer, red-flag triage, feature checklist, pathways, sorting
exercises, prevalence tables): data files in, results out. No widgets."""
