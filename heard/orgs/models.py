"""Organisations (tenants), their teams and their people.

Every row that belongs to an organisation carries an `organization` foreign key, and every
read goes through `.for_org(org)`: a user of one organisation never reaches another's rows.
"""

from __future__ import annotations

import datetime
import secrets
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    # Minimum group size for any score shown (the privacy engine's k; never below 3).
    min_group_size = models.PositiveSmallIntegerField(default=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=3), name="org_min_group_size_at_least_3"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrgScopedQuerySet[M: models.Model](models.QuerySet[M]):
    def for_org(self, org: Organization) -> Self:
        return self.filter(organization=org)


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    EMPLOYEE = "employee", "Employee"


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    manager = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[OrgScopedQuerySet[Team]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="team_name_unique_in_org_ci"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Team]:
        """Parents from the nearest up; stops on a cycle rather than looping."""
        chain: list[Team] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class PersonQuerySet(OrgScopedQuerySet["Person"]):
    def active(self) -> Self:
        return self.filter(is_active=True)


class Person(models.Model):
    """Someone on the organisation's roster. They may or may not have a sign-in yet."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EMPLOYEE)
    start_date = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=100, blank=True)
    role_family = models.CharField(max_length=100, blank=True)
    customer_facing = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[PersonQuerySet] = PersonQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("email"), name="person_email_unique_in_org_ci"
            )
        ]
        indexes = [models.Index(fields=["organization", "team"], name="person_org_team_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER)

    def tenure_band(self, today: datetime.date | None = None) -> str:
        """The segment used in results; bands are wide on purpose (privacy)."""
        if self.start_date is None:
            return "Unknown"
        today = today or timezone.localdate()
        months = (today.year - self.start_date.year) * 12 + today.month - self.start_date.month
        if months < 12:
            return "Under 1 year"
        if months < 36:
            return "1 to 3 years"
        if months < 72:
            return "3 to 6 years"
        return "6 years or more"


def new_invitation_nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """A single-use, expiring invitation for a person to create their sign-in.

    The link carries a signed (id, nonce) pair; nothing secret is stored, so the email task can
    rebuild the link from the id, and sending a new invitation revokes the old link.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    nonce = models.CharField(max_length=32, default=new_invitation_nonce, editable=False)
    invited_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[OrgScopedQuerySet[Invitation]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.person}"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class RosterImport(models.Model):
    """One uploaded roster file and what became of it.

    The decoded file is kept until it is imported, so the admin can map columns and fix the
    mapping without uploading again; it is cleared once imported.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Waiting for column mapping"
        INVALID = "invalid", "Has row errors"
        READY = "ready", "Ready to import"
        IMPORTED = "imported", "Imported"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="roster_imports"
    )
    uploaded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    encoding = models.CharField(max_length=40)
    delimiter = models.CharField(max_length=4)
    row_count = models.PositiveIntegerField(default=0)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    # Where each row starts in the file and how many cells it had (for row-level errors).
    row_lines = models.JSONField(default=list)
    row_widths = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    date_format = models.CharField(max_length=8, default="iso")
    errors = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[OrgScopedQuerySet[RosterImport]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class AuditEvent(models.Model):
    """A sensitive action, kept for the organisation's admins and auditors: who did what, when.

    Written only through `heard.orgs.services.audit.audit_record`."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    subject = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[OrgScopedQuerySet[AuditEvent]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject}"
