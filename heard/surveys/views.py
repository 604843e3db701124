from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heard.orgs.access import OrgRequest, admin_required, get_for_org_or_404, manager_required
from heard.orgs.services.audit import audit_record
from heard.orgs.views import _add_service_errors, _error_text
from heard.surveys import exports, library, selectors, services
from heard.surveys import results as results_module
from heard.surveys.forms import (
    FocusSessionForm,
    QuestionForm,
    SurveyForm,
    parse_answers,
    scale_choices,
)
from heard.surveys.models import FocusSession, Kind, Status, Survey, SurveyInvitation


@require_GET
@manager_required
def survey_list(request: OrgRequest) -> HttpResponse:
    surveys = (
        Survey.objects.for_org(request.org)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
        )
        .order_by("-opens_on", "-pk")
    )
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
@admin_required
def survey_create(request: OrgRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                org=request.org,
                title=data["title"],
                template=data["template"],
                mode=data["mode"],
                language=data["language"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                recurrence=data["recurrence"],
                audience=data["audience"],
                audience_teams=data["audience_teams"],
                created_by=request.person,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Draft saved. Check the questions, then open it.")
            return redirect("surveys:survey_detail", survey_id=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@admin_required
def survey_detail(request: OrgRequest, survey_id: int) -> HttpResponse:
    survey = get_for_org_or_404(Survey.objects.all(), request.org, pk=survey_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                survey=survey,
                kind=data["kind"],
                text=data["text"],
                options=data["options"].splitlines(),
                required=data["required"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("surveys:survey_detail", survey_id=survey.pk)
    context = {
        "survey": survey,
        "questions": survey.questions.all(),
        "form": form,
        "participation": selectors.participation(survey, request.person),
        "language_name": library.LANGUAGES.get(survey.language, survey.language),
    }
    return render(request, "surveys/survey_detail.html", context)


@require_POST
@admin_required
def question_remove(request: OrgRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = get_for_org_or_404(Survey.objects.all(), request.org, pk=survey_id)
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404("Not found")
    try:
        services.question_remove(question=question)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("surveys:survey_detail", survey_id=survey.pk)


@require_POST
@admin_required
def survey_action(request: OrgRequest, survey_id: int, action: str) -> HttpResponse:
    survey = get_for_org_or_404(Survey.objects.all(), request.org, pk=survey_id)
    try:
        if action == "open":
            invited = services.survey_open(survey=survey)
            messages.success(request, f"Open. {invited} people get their own link by email.")
        elif action == "remind":
            waiting = services.survey_remind(survey=survey)
            messages.success(request, f"A reminder goes to the {waiting} who have not answered.")
        elif action == "close":
            services.survey_close(survey=survey)
            messages.success(request, "Closed. Results are final.")
        else:
            raise Http404("Not found")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("surveys:survey_detail", survey_id=survey.pk)


@require_GET
@admin_required
def survey_links(request: OrgRequest, survey_id: int) -> HttpResponse:
    survey = get_for_org_or_404(Survey.objects.all(), request.org, pk=survey_id)
    if survey.status != Status.OPEN:
        raise Http404("Not found")
    audit_record(
        org=request.org,
        actor=request.person,
        action="survey.links_viewed",
        subject=f"survey {survey.pk}",
    )
    invitations = survey.invitations.select_related("person").order_by("person__name")
    rows = [(inv.person, services.link_url(inv)) for inv in invitations]
    return render(request, "surveys/survey_links.html", {"survey": survey, "rows": rows})


# --- answering: no sign-in, the link is the key ------------------------------------------------


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_from_link(token)
    if invitation is None:
        raise Http404("This link is not valid.")
    # The answer page, its messages and labels speak the survey's language.
    with translation.override(invitation.survey.language):
        return _answer(request, token, invitation)


def _answer(request: HttpRequest, token: str, invitation: SurveyInvitation) -> HttpResponse:
    survey = invitation.survey
    org = survey.organization
    context: dict[str, object] = {
        "survey": survey,
        "org": org,
        "policy": results_module.policy_for(org),
    }
    if invitation.answered:
        return render(request, "surveys/answer_done.html", {**context, "again": True})
    if survey.status != Status.OPEN:
        return render(request, "surveys/answer_closed.html", context, status=410)
    questions = list(survey.questions.all())
    answers: dict[int, services.CleanAnswer] = {}
    errors: dict[int, str] = {}
    preview: list[tuple[str, str]] = []
    if request.method == "POST":
        answers, errors = parse_answers(questions, request.POST)
        comments = [a for a in answers.values() if a.question.kind == Kind.TEXT]
        if not errors and comments and request.POST.get("step") != "send":
            names = services.roster_names(org)
            preview = [(a.question.text, services.comment_redact(a.text, names)) for a in comments]
        elif not errors:
            try:
                services.response_submit(invitation=invitation, answers=answers)
            except services.AlreadyAnswered:
                return render(request, "surveys/answer_done.html", {**context, "again": True})
            except services.SurveyNotOpen:
                return render(request, "surveys/answer_closed.html", context, status=410)
            return redirect("surveys:answer_done", token=token)
    rows = [
        {
            "question": q,
            "choices": scale_choices(q),
            "error": errors.get(q.pk),
            "value": answers[q.pk].value if q.pk in answers else None,
            "picked": answers[q.pk].choices if q.pk in answers else (),
            "text": answers[q.pk].text if q.pk in answers else "",
        }
        for q in questions
    ]
    context.update(rows=rows, errors=errors, preview=preview, token=token)
    return render(request, "surveys/answer.html", context, status=400 if errors else 200)


@require_GET
def answer_done(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_from_link(token)
    if invitation is None:
        raise Http404("This link is not valid.")
    org = invitation.survey.organization
    context = {"survey": invitation.survey, "org": org, "policy": results_module.policy_for(org)}
    with translation.override(invitation.survey.language):
        return render(request, "surveys/answer_done.html", context)


def _results(
    request: OrgRequest, survey_id: int, *, with_insights: bool
) -> tuple[Survey, results_module.Results]:
    """A survey's results for the viewer, scope and rows the request asks for, or 404."""
    survey = get_for_org_or_404(
        Survey.objects.exclude(status=Status.DRAFT), request.org, pk=survey_id
    )
    results = results_module.survey_results(
        survey,
        request.person,
        scope_key=request.GET.get("scope", results_module.SCOPE),
        by=request.GET.get("by", "teams"),
        with_insights=with_insights,
    )
    if results is None:
        raise Http404("Not found")
    return survey, results


@require_GET
@manager_required
def survey_results(request: OrgRequest, survey_id: int) -> HttpResponse:
    # What the comments say is worked out by the text models: the page asks for it
    # separately (htmx, or a plain link without JavaScript), so the numbers never wait.
    insights = request.GET.get("part") == "insights"
    survey, results = _results(request, survey_id, with_insights=insights)
    context = {
        "survey": survey,
        "results": results,
        "by_choices": results_module.BY_CHOICES,
    }
    if insights and request.headers.get("HX-Request"):
        return render(request, "surveys/survey_results.html#insights", context)
    context["participation"] = selectors.participation(survey, request.person)
    context["show_insights"] = insights
    return render(request, "surveys/survey_results.html", context)


@require_GET
@manager_required
def survey_results_export(request: OrgRequest, survey_id: int, fmt: str) -> HttpResponse:
    """The results page's numbers as CSV or PDF: the same selector, so the same engine."""
    if fmt not in ("csv", "pdf"):
        raise Http404("Not found")
    survey, results = _results(request, survey_id, with_insights=False)
    audit_record(
        org=request.org,
        actor=request.person,
        action="survey.results_exported",
        subject=f"survey {survey.pk}",
        detail={"format": fmt, "scope": results.scope_key, "by": results.by},
    )
    name = f"heard-results-{survey.pk}-{results.by}"
    if fmt == "csv":
        response = HttpResponse(
            exports.results_csv(results), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(exports.results_pdf(results), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
@admin_required
def focus_sessions(request: OrgRequest) -> HttpResponse:
    form = FocusSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.focus_session_record(
                org=request.org,
                recorded_by=request.person,
                format=data["format"],
                held_on=data["held_on"],
                topic=data["topic"],
                participants=data["participants"],
                notes=data["notes"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Notes saved, with names and contact details removed.")
            return redirect("surveys:focus_sessions")
    context = {
        "form": form,
        "sessions": FocusSession.objects.for_org(request.org),
        "themes": selectors.focus_themes(request.org),
    }
    return render(request, "surveys/focus_sessions.html", context)


@require_GET
@admin_required
def focus_guide(request: OrgRequest, which: str) -> HttpResponse:
    if which not in ("focus-group", "interview"):
        raise Http404("Not found")
    return render(request, f"surveys/guide_{which.replace('-', '_')}.html")
