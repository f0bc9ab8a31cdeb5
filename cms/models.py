"""Every mapped model, imported in one place for alembic and the app."""

from cms.articles.models import Article, ArticleCondition, ArticleStatus, Revision
from cms.audit.models import AuditEvent
from cms.auth.models import ApiToken, AuthFailure
from cms.checks.models import CheckWaiver
from cms.delivery.models import (
    DeliveryChange,
    DeliveryState,
    PublishedArticle,
    PublishedCondition,
    Tombstone,
)
from cms.observability.models import ReadinessProbe
from cms.outbox.models import OutboxEvent
from cms.publishing.models import Schedule
from cms.search.models import SearchDocument
from cms.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from cms.workflow.models import Approval

__all__ = [
    "ApiToken",
    "Approval",
    "Article",
    "ArticleCondition",
    "ArticleStatus",
    "AuditEvent",
    "AuthFailure",
    "CheckWaiver",
    "DeliveryChange",
    "DeliveryState",
    "OutboxEvent",
    "PublishedArticle",
    "PublishedCondition",
    "ReadinessProbe",
    "Revision",
    "Schedule",
    "SearchDocument",
    "Tombstone",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
