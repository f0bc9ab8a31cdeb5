"""Roles and what each may do.

Separation of duties: the medical sign-off (``review``) belongs to reviewers;
a publisher may publish but not approve. Only ``admin`` holds both. Either may
withdraw a live article in an emergency (a reviewer who finds it unsafe must not
have to wait for a publisher).
"""

from __future__ import annotations

import enum


class Permission(enum.StrEnum):
    READ = "read"  # read drafts, revisions, previews, checks
    EDIT = "edit"  # create and edit drafts, submit, restore a revision into a draft
    REVIEW = "review"  # approve, request changes: the medical sign-off
    PUBLISH = "publish"  # publish, unpublish, archive, schedule
    WITHDRAW = "withdraw"  # emergency withdrawal of a live article
    TRASH = "trash"  # move to and restore from the trash
    MANAGE_TOKENS = "manage_tokens"
    READ_AUDIT = "read_audit"
    IMPORT = "import"
    MANAGE_WEBHOOKS = "manage_webhooks"  # endpoints, their secrets and delivery log


class Role(enum.StrEnum):
    EDITOR = "editor"
    REVIEWER = "reviewer"
    PUBLISHER = "publisher"
    ADMIN = "admin"


_EDITING = frozenset({Permission.READ, Permission.EDIT})

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.EDITOR: _EDITING,
    Role.REVIEWER: _EDITING | {Permission.REVIEW, Permission.WITHDRAW},
    Role.PUBLISHER: _EDITING | {Permission.PUBLISH, Permission.TRASH, Permission.WITHDRAW},
    Role.ADMIN: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def roles_with(permission: Permission) -> list[Role]:
    return [role for role in Role if allows(role, permission)]
