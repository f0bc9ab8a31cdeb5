"""Content arriving as files: fixture import and the fixture JSON Schema."""
