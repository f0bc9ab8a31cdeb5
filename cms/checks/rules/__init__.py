"""The rule catalogue, one module per family; importing this package registers them all.

Rules register in the order of the catalogue (docs/checks.md), which is also the
order findings are reported in.
"""

# ruff: noqa: I001, F401 - the import order is the catalogue's order
from cms.checks.rules import risks
from cms.checks.rules import citations
from cms.checks.rules import references
from cms.checks.rules import people
from cms.checks.rules import review_dates
from cms.checks.rules import evidence
from cms.checks.rules import claims
from cms.checks.rules import advice
from cms.checks.rules import regulatory
from cms.checks.rules import advertising
from cms.checks.rules import testimonials
from cms.checks.rules import language
from cms.checks.rules import junk
from cms.checks.rules import markup
from cms.checks.rules import translation
