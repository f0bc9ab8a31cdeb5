"""The append-only audit log: who did what, to which article and revision, when, from where."""
