"""Roster import: upload, map and check, then import in one transaction.

The file is parsed and checked by `heard.orgs.roster_parsing` (no Django); this module turns
checked rows into a plan (who is added, who changes and how) and applies it. The same plan is
shown to the admin before they confirm, so what they see is what gets written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from heard.orgs import roster_parsing
from heard.orgs.models import Organization, Person, RosterImport, Team
from heard.orgs.roster_parsing import RosterRow, RosterTable, RowError

# Fields a roster column can set on a person, besides manager (resolved in a second pass).
PERSON_FIELDS = ("name", "team", "start_date", "location", "customer_facing", "role", "role_family")
MAX_ERRORS_KEPT = 500
STALE_UPLOAD_AGE = timedelta(days=7)


@dataclass
class RosterPlan:
    to_create: list[RosterRow] = field(default_factory=list)
    to_update: dict[str, list[str]] = field(default_factory=dict)  # email -> changed fields
    unchanged: int = 0
    new_teams: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "created": len(self.to_create),
            "updated": len(self.to_update),
            "unchanged": self.unchanged,
            "teams_created": self.new_teams,
            "notes": self.notes,
        }


def _table(roster_import: RosterImport) -> RosterTable:
    return RosterTable(
        encoding=roster_import.encoding,
        delimiter=roster_import.delimiter,
        headers=list(roster_import.headers),
        rows=[list(row) for row in roster_import.rows],
        lines=list(roster_import.row_lines),
        widths=list(roster_import.row_widths),
    )


def _mapped_fields(mapping: dict[str, int | None]) -> set[str]:
    return {name for name, column in mapping.items() if column is not None}


def roster_import_upload(
    *, org: Organization, uploaded_by: Person, filename: str, data: bytes
) -> RosterImport:
    """Read the file (raises RosterFileError with a clear message) and check it at once with
    the guessed column mapping, so a well-formed file needs no extra step."""
    table = roster_parsing.read_roster_file(data)
    roster_imports_purge_stale(org=org)
    roster_import = RosterImport.objects.create(
        organization=org,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        encoding=table.encoding,
        delimiter=table.delimiter,
        row_count=len(table.rows),
        headers=table.headers,
        rows=table.rows,
        row_lines=table.lines,
        row_widths=table.widths,
        mapping=roster_parsing.guess_mapping(table.headers),
    )
    mapping = roster_import.mapping
    if all(mapping.get(name) is not None for name in roster_parsing.REQUIRED_FIELDS):
        roster_import_check(
            roster_import=roster_import, mapping=mapping, date_format="iso", acting=uploaded_by
        )
    return roster_import


def roster_imports_purge_stale(*, org: Organization) -> int:
    """Uploaded files that were never imported hold people's names and emails: keep them a
    week (time to fix and retry), then delete them."""
    cutoff = timezone.now() - STALE_UPLOAD_AGE
    stale = RosterImport.objects.for_org(org).exclude(status=RosterImport.Status.IMPORTED)
    deleted, _ = stale.filter(created_at__lt=cutoff).delete()
    return deleted


def _existing_emails(org: Organization) -> frozenset[str]:
    return frozenset(e.lower() for e in Person.objects.for_org(org).values_list("email", flat=True))


def roster_import_check(
    *,
    roster_import: RosterImport,
    mapping: dict[str, int | None],
    date_format: str,
    acting: Person,
) -> RosterPlan | None:
    """Validate with this mapping; store the row errors or the plan. Returns the plan when the
    file is ready to import."""
    if roster_import.status == RosterImport.Status.IMPORTED:
        raise ValidationError("This file has already been imported.")
    if date_format not in roster_parsing.DATE_FORMATS:
        raise ValidationError("Choose a date format from the list.")
    org = roster_import.organization
    rows, errors = roster_parsing.validate_rows(
        _table(roster_import),
        mapping,
        date_format=date_format,
        existing_emails=_existing_emails(org),
    )
    if "manager_email" in _mapped_fields(mapping):
        errors += _manager_loop_errors(org=org, rows=rows)
        looped = {e.line for e in errors}
        rows = [row for row in rows if row.line not in looped]
    roster_import.mapping = mapping
    roster_import.date_format = date_format
    roster_import.errors = [
        {"line": e.line, "field": e.field, "value": e.value[:200], "message": e.message}
        for e in errors[:MAX_ERRORS_KEPT]
    ]
    plan = None
    if errors:
        roster_import.status = RosterImport.Status.INVALID
        roster_import.summary = {"error_count": len(errors), "valid_rows": len(rows)}
    else:
        plan = roster_plan(org=org, rows=rows, mapped=_mapped_fields(mapping), acting=acting)
        roster_import.status = RosterImport.Status.READY
        roster_import.summary = plan.summary()
    roster_import.save(update_fields=["mapping", "date_format", "errors", "status", "summary"])
    return plan


def _manager_loop_errors(*, org: Organization, rows: list[RosterRow]) -> list[RowError]:
    """A reporting line must end somewhere: refuse rows that would make A manage B manage A."""
    people = Person.objects.for_org(org).values_list("pk", "email", "manager_id")
    email_by_id = {pk: email.lower() for pk, email, _ in people}
    manager_of = {email.lower(): email_by_id.get(m or 0, "") for _, email, m in people}
    manager_of.update({row.email: row.manager_email for row in rows})
    line_of = {row.email: row.line for row in rows}
    errors: list[RowError] = []
    for row in rows:
        seen = {row.email}
        boss = manager_of.get(row.email, "")
        while boss and boss not in seen:
            seen.add(boss)
            boss = manager_of.get(boss, "")
        if boss == row.email:
            chain = " → ".join(sorted(seen - {row.email}))
            errors.append(
                RowError(
                    line=line_of[row.email],
                    field="manager_email",
                    value=row.manager_email,
                    message=f"This makes a reporting loop ({row.email} → {chain} → back). "
                    "Someone in the chain needs a different manager.",
                )
            )
    return errors


def _desired(row: RosterRow, mapped: set[str], teams: dict[str, Team | None]) -> dict[str, Any]:
    values: dict[str, Any] = {"name": row.name}
    if "team" in mapped:
        values["team"] = teams.get(row.team.lower()) if row.team else None
    if "start_date" in mapped:
        values["start_date"] = row.start_date
    if "location" in mapped:
        values["location"] = row.location
    if "role_family" in mapped:
        values["role_family"] = row.role_family
    if "customer_facing" in mapped and row.customer_facing is not None:
        values["customer_facing"] = row.customer_facing
    if "role" in mapped and row.role is not None:
        values["role"] = row.role
    return values


def roster_plan(
    *, org: Organization, rows: list[RosterRow], mapped: set[str], acting: Person | None
) -> RosterPlan:
    plan = RosterPlan()
    existing = {p.email.lower(): p for p in Person.objects.for_org(org).select_related("team")}
    email_by_id = {p.pk: email for email, p in existing.items()}
    teams: dict[str, Team | None] = {t.name.lower(): t for t in Team.objects.for_org(org)}
    for row in rows:
        if row.team and row.team.lower() not in teams:
            teams[row.team.lower()] = None
            plan.new_teams.append(row.team)
    for row in rows:
        person = existing.get(row.email)
        if person is None:
            plan.to_create.append(row)
            continue
        changed = [
            name
            for name, value in _desired(row, mapped, teams).items()
            if name != "team" and getattr(person, name) != value
        ]
        if "team" in mapped:
            current = person.team.name.lower() if person.team else ""
            if current != row.team.lower():
                changed.append("team")
        if "manager_email" in mapped:
            current_manager = email_by_id.get(person.manager_id or 0, "")
            if current_manager != row.manager_email:
                changed.append("manager")
        if not person.is_active:
            changed.append("is_active")
        if "role" in changed and acting is not None and person.pk == acting.pk:
            changed.remove("role")
            plan.notes.append(f"Line {row.line}: your own role was left as admin.")
        if changed:
            plan.to_update[row.email] = changed
        else:
            plan.unchanged += 1
    return plan


def roster_import_apply(*, roster_import: RosterImport, acting: Person) -> dict[str, Any]:
    """Import every row in one transaction: all rows land, or none do."""
    org = roster_import.organization
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if locked.status == RosterImport.Status.IMPORTED:
            raise ValidationError("This file has already been imported.")
        if locked.status != RosterImport.Status.READY:
            raise ValidationError("Fix the row errors before importing.")
        mapping = locked.mapping
        rows, errors = roster_parsing.validate_rows(
            _table(locked),
            mapping,
            date_format=locked.date_format,
            existing_emails=_existing_emails(org),
        )
        if errors:  # the roster changed since the check; make the admin look again
            raise ValidationError("The roster changed since this file was checked; check it again.")
        mapped = _mapped_fields(mapping)
        plan = roster_plan(org=org, rows=rows, mapped=mapped, acting=acting)
        _write_plan(org=org, rows=rows, mapped=mapped, plan=plan)
        summary = plan.summary()
        locked.status = RosterImport.Status.IMPORTED
        locked.summary = summary
        locked.imported_at = timezone.now()
        # The people are in the roster now; do not keep a second copy of their details.
        locked.rows, locked.row_lines, locked.row_widths = [], [], []
        locked.save(
            update_fields=["status", "summary", "imported_at", "rows", "row_lines", "row_widths"]
        )
    return summary


def _write_plan(
    *, org: Organization, rows: list[RosterRow], mapped: set[str], plan: RosterPlan
) -> None:
    now = timezone.now()
    Team.objects.bulk_create([Team(organization=org, name=name) for name in plan.new_teams])
    teams: dict[str, Team | None] = {t.name.lower(): t for t in Team.objects.for_org(org)}
    by_row = {row.email: row for row in rows}

    Person.objects.bulk_create(
        [
            Person(organization=org, email=row.email, **_desired(row, mapped, teams))
            for row in plan.to_create
        ],
        batch_size=1000,
    )
    people = {p.email.lower(): p for p in Person.objects.for_org(org)}
    updated: list[Person] = []
    update_fields: set[str] = set()
    for email, changes in plan.to_update.items():
        person = people[email]
        desired = _desired(by_row[email], mapped, teams)
        for name in changes:
            if name == "is_active":
                person.is_active = True
            elif name != "manager":
                setattr(person, name, desired[name])
        update_fields.update(c for c in changes if c != "manager")
        person.updated_at = now
        updated.append(person)
    if updated and update_fields:
        Person.objects.bulk_update(updated, [*sorted(update_fields), "updated_at"], batch_size=1000)

    if "manager_email" in mapped:
        # One UPDATE per manager rather than a 50,000-branch CASE: rosters have few managers.
        by_manager: dict[int | None, list[int]] = defaultdict(list)
        for row in rows:
            person = people[row.email]
            manager = people.get(row.manager_email) if row.manager_email else None
            manager_id = manager.pk if manager else None
            if person.manager_id != manager_id:
                by_manager[manager_id].append(person.pk)
        for manager_id, person_ids in by_manager.items():
            for start in range(0, len(person_ids), 900):
                Person.objects.filter(pk__in=person_ids[start : start + 900]).update(
                    manager_id=manager_id, updated_at=now
                )
    # Accounts of people brought back by the roster may sign in again.
    from heard.accounts.models import User

    reactivated = [people[e].user_id for e, c in plan.to_update.items() if "is_active" in c]
    User.objects.filter(pk__in=[u for u in reactivated if u]).update(is_active=True)
