"""Every mapped model, imported in one place for alembic and the app."""

from cms.articles.models import Article, ArticleCondition, ArticleStatus, Revision
from cms.audit.models import AuditEvent
from cms.auth.models import ApiToken
from cms.delivery.models import DeliveryState, PublishedArticle, PublishedCondition
from cms.observability.models import ReadinessProbe
from cms.workflow.models import Approval

__all__ = [
    "ApiToken",
    "Approval",
    "Article",
    "ArticleCondition",
    "ArticleStatus",
    "AuditEvent",
    "DeliveryState",
    "PublishedArticle",
    "PublishedCondition",
    "ReadinessProbe",
    "Revision",
]
