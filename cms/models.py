"""Every mapped model, imported in one place for alembic and the app."""

from cms.articles.models import Article, ArticleStatus, Revision
from cms.delivery.models import DeliveryState, PublishedArticle, PublishedCondition

__all__ = [
    "Article",
    "ArticleStatus",
    "DeliveryState",
    "PublishedArticle",
    "PublishedCondition",
    "Revision",
]
