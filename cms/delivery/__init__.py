"""Public delivery: published snapshots served as pre-serialized JSON."""
