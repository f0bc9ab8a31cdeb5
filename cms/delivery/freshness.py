"""What the delivery cache reads, per request, to know whether public content changed."""

from __future__ import annotations

from cms.db import Database

GENERATION_SQL = "SELECT generation FROM delivery_state WHERE id = 1"


class DatabaseFreshness:
    """The delivery generation, read on the process's probe connection."""

    def __init__(self, database: Database):
        self._probe = database.probe()

    def generation(self) -> int:
        return int(self._probe.rows(GENERATION_SQL)[0][0])

    def changes_since(self, generation: int) -> set[str] | None:
        return None
