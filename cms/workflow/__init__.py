"""Editorial workflow: draft, review, medical sign-off, publication."""
