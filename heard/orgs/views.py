from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heard.orgs import roster_parsing, selectors
from heard.orgs.access import (
    OrgRequest,
    admin_required,
    get_for_org_or_404,
    manager_required,
)
from heard.orgs.forms import (
    PersonForm,
    PrivacySettingsForm,
    RosterMappingForm,
    RosterUploadForm,
    TeamForm,
)
from heard.orgs.models import Person, RosterImport, Team
from heard.orgs.services import invitations, people, roster, setup


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@manager_required
def people_list(request: OrgRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "active")
    team_id = request.GET.get("team", "")
    visible = selectors.people_visible_to(request.person)
    found = selectors.people_search(
        visible,
        query=query,
        team_id=int(team_id) if team_id.isdigit() else None,
        status=status,
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "status": status,
        "team_id": team_id,
        "teams": Team.objects.for_org(request.org),
        "total": found.count(),
    }
    # htmx live search asks for the results alone.
    template = "orgs/people_list.html#results" if request.headers.get("HX-Request") else None
    return render(request, template or "orgs/people_list.html", context)


def _visible_person(request: OrgRequest, person_id: int) -> Person:
    return get_for_org_or_404(
        selectors.people_visible_to(request.person), request.org, pk=person_id
    )


@require_GET
@manager_required
def person_detail(request: OrgRequest, person_id: int) -> HttpResponse:
    person = _visible_person(request, person_id)
    context = {
        "subject": person,
        "invitation": selectors.latest_invitation(person),
        "reports": person.reports.filter(is_active=True),
    }
    return render(request, "orgs/person_detail.html", context)


def _person_form_save(
    request: OrgRequest, form: PersonForm, person: Person | None
) -> Person | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return people.person_save(
            org=request.org,
            person=person,
            acting=request.person,
            name=data["name"],
            email=data["email"],
            team=data["team"],
            manager=data["manager"],
            role=data["role"],
            start_date=data["start_date"],
            location=data["location"],
            role_family=data["role_family"],
            customer_facing=data["customer_facing"],
        )
    except ValidationError as error:
        _add_service_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
@admin_required
def person_create(request: OrgRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, org=request.org)
    if request.method == "POST" and (saved := _person_form_save(request, form, None)):
        messages.success(request, f"{saved.name} was added.")
        return redirect("orgs:person_detail", person_id=saved.pk)
    return render(request, "orgs/person_form.html", {"form": form, "subject": None})


@require_http_methods(["GET", "POST"])
@admin_required
def person_edit(request: OrgRequest, person_id: int) -> HttpResponse:
    person = get_for_org_or_404(Person.objects.all(), request.org, pk=person_id)
    initial = {
        "name": person.name,
        "email": person.email,
        "team": person.team,
        "manager": person.manager,
        "role": person.role,
        "start_date": person.start_date,
        "location": person.location,
        "role_family": person.role_family,
        "customer_facing": person.customer_facing,
    }
    form = PersonForm(request.POST or None, org=request.org, person=person, initial=initial)
    if request.method == "POST" and (saved := _person_form_save(request, form, person)):
        messages.success(request, f"{saved.name}'s details were saved.")
        return redirect("orgs:person_detail", person_id=saved.pk)
    return render(request, "orgs/person_form.html", {"form": form, "subject": person})


@require_POST
@admin_required
def person_set_active(request: OrgRequest, person_id: int) -> HttpResponse:
    person = get_for_org_or_404(Person.objects.select_related("user"), request.org, pk=person_id)
    active = request.POST.get("active") == "1"
    try:
        people.person_set_active(person=person, active=active, acting=request.person)
        messages.success(
            request, f"{person.name} was {'reactivated' if active else 'deactivated'}."
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("orgs:person_detail", person_id=person.pk)


@require_POST
@admin_required
def person_invite(request: OrgRequest, person_id: int) -> HttpResponse:
    person = get_for_org_or_404(Person.objects.all(), request.org, pk=person_id)
    try:
        invitations.invitation_send(person=person, invited_by=request.person)
        messages.success(request, f"An invitation is on its way to {person.email}.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("orgs:person_detail", person_id=person.pk)


@require_POST
@admin_required
def invite_all(request: OrgRequest) -> HttpResponse:
    sent = invitations.invitations_send_to_uninvited(invited_by=request.person)
    messages.success(request, f"{sent} invitation(s) are on their way.")
    return redirect("orgs:people_list")


@require_GET
@manager_required
def team_list(request: OrgRequest) -> HttpResponse:
    return render(request, "orgs/team_list.html", {"nodes": selectors.team_tree(request.org)})


def _team_form(request: OrgRequest, team: Team | None) -> HttpResponse:
    initial = {"name": team.name, "parent": team.parent, "manager": team.manager} if team else {}
    form = TeamForm(request.POST or None, org=request.org, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = people.team_save(org=request.org, team=team, **form.cleaned_data)
            messages.success(request, f"Team “{saved.name}” was saved.")
            return redirect("orgs:team_list")
        except ValidationError as error:
            _add_service_errors(form, error)
    return render(request, "orgs/team_form.html", {"form": form, "team": team})


@require_http_methods(["GET", "POST"])
@admin_required
def team_create(request: OrgRequest) -> HttpResponse:
    return _team_form(request, None)


@require_http_methods(["GET", "POST"])
@admin_required
def team_edit(request: OrgRequest, team_id: int) -> HttpResponse:
    return _team_form(request, get_for_org_or_404(Team.objects.all(), request.org, pk=team_id))


@require_http_methods(["GET", "POST"])
@admin_required
def roster_upload(request: OrgRequest) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > roster_parsing.MAX_BYTES:
            form.add_error(
                "file",
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 10 MB. "
                "Split it into smaller files.",
            )
        else:
            try:
                roster_import = roster.roster_import_upload(
                    org=request.org,
                    uploaded_by=request.person,
                    filename=upload.name or "roster.csv",
                    data=upload.read(),
                )
                return redirect("orgs:roster_import", import_id=roster_import.pk)
            except roster_parsing.RosterFileError as error:
                form.add_error("file", error.message)
    recent = RosterImport.objects.for_org(request.org).defer("rows")[:5]
    return render(request, "orgs/roster_upload.html", {"form": form, "recent": recent})


@require_http_methods(["GET", "POST"])
@admin_required
def roster_import(request: OrgRequest, import_id: int) -> HttpResponse:
    roster_import = get_for_org_or_404(RosterImport.objects.all(), request.org, pk=import_id)
    preview = roster_import.rows[:5]
    samples = [
        next((row[i] for row in preview if row[i]), "") for i in range(len(roster_import.headers))
    ]
    form = RosterMappingForm(
        request.POST or None,
        headers=roster_import.headers,
        samples=samples,
        initial=RosterMappingForm.initial_for(roster_import.mapping, roster_import.date_format),
    )
    if request.method == "POST" and form.is_valid():
        try:
            roster.roster_import_check(
                roster_import=roster_import,
                mapping=form.mapping(),
                date_format=form.cleaned_data["date_format"],
                acting=request.person,
            )
            return redirect("orgs:roster_import", import_id=roster_import.pk)
        except roster_parsing.RosterFileError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "roster_import": roster_import,
        "form": form,
        "preview": preview,
        "upload_form": RosterUploadForm(),
    }
    return render(request, "orgs/roster_import.html", context)


@require_POST
@admin_required
def roster_import_apply(request: OrgRequest, import_id: int) -> HttpResponse:
    roster_import = get_for_org_or_404(RosterImport.objects.all(), request.org, pk=import_id)
    try:
        summary = roster.roster_import_apply(roster_import=roster_import, acting=request.person)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("orgs:roster_import", import_id=roster_import.pk)
    notes = " ".join(summary["notes"])
    messages.success(
        request,
        f"Roster imported: {summary['created']} added, {summary['updated']} updated, "
        f"{summary['unchanged']} unchanged. {notes}".strip(),
    )
    return redirect("orgs:people_list")


@require_http_methods(["GET", "POST"])
@admin_required
def privacy_settings(request: OrgRequest) -> HttpResponse:
    form = PrivacySettingsForm(
        request.POST or None, initial={"min_group_size": request.org.min_group_size}
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup.organization_privacy_set(
                org=request.org,
                min_group_size=form.cleaned_data["min_group_size"],
                actor=request.person,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Saved. Every page, export and count uses the new size.")
            return redirect("orgs:privacy_settings")
    k = request.org.min_group_size
    context = {"form": form, "k": k, "comment_threshold": max(10, 2 * k)}
    return render(request, "orgs/privacy_settings.html", context)
