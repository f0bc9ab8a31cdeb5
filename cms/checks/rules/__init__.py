"""The rule catalogue, one module per family; importing this package registers them all.

The order here is the order findings are reported in.
"""

from cms.checks.rules import (  # noqa: F401
    citations,
    claims,
    evidence,
    junk,
    language,
    markup,
    people,
    references,
    review_dates,
    risks,
)
