"""Articles: the editorial side (documents, revisions, publishing)."""
