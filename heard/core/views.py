from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from heard.core.selectors import health_report, recent_task_results
from heard.orgs.selectors import admin_overview, people_visible_to


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    person = getattr(request, "person", None)
    if person is None:
        return render(request, "core/no_organisation.html", status=200)
    context: dict[str, object] = {}
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
@staff_member_required
def ops_tasks(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "FAILED")
    context = {"results": recent_task_results(status=status), "status": status}
    return render(request, "core/ops_tasks.html", context)
