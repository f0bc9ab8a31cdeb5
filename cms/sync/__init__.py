"""The delta-sync feed for mobile apps: every published article once, then only what changed."""
