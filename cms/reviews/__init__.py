"""Medical reviews coming due: the editors' list, and the worker's reminders."""
