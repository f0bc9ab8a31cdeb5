"""Articles: the editorial store (documents, revisions, drafts) and the editors' routes."""
