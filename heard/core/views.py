from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from heard.core.selectors import health_report, recent_task_results
from heard.orgs.selectors import admin_overview, people_visible_to
from heard.surveys.selectors import latest_results_for, surveys_waiting_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    person = getattr(request, "person", None)
    if person is None:
        return render(request, "core/no_organisation.html", status=200)
    context: dict[str, object] = {
        "waiting": surveys_waiting_for(person),
        "latest_results": latest_results_for(person),
    }
    if person.is_admin:
        context["overview"] = admin_overview(person.organization)
    if person.is_manager:
        context["my_people"] = (
            people_visible_to(person).filter(is_active=True).exclude(pk=person.pk).count()
        )
    return render(request, "core/home.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database_ok, report = health_report()
    return JsonResponse(report, status=200 if database_ok else 503)


@require_GET
def ops_tasks(request: HttpRequest) -> HttpResponse:
    """For the operators of this installation (staff), not for an organisation's admins."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise Http404("Not found")
    status = request.GET.get("status", "FAILED")
    context = {"results": recent_task_results(status=status), "status": status}
    return render(request, "core/ops_tasks.html", context)
