from __future__ import annotations

from typing import Any

from heard.orgs.models import AuditEvent, Organization, Person


def audit_record(
    *,
    org: Organization,
    actor: Person | None,
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one entry of the organisation's audit log."""
    return AuditEvent.objects.create(
        organization=org, actor=actor, action=action, subject=subject, detail=detail or {}
    )
