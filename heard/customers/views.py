from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heard.customers import api, dashboard, outreach, selectors, services, themes, webhooks
from heard.customers.analysis import MAX_REPLY_CHARS
from heard.customers.models import ApiToken, Customer, CustomerTheme, FollowUp, Item, Webhook
from heard.customers.outline import reply_outline
from heard.orgs.access import (
    OrgRequest,
    admin_required,
    customer_work_required,
    get_for_org_or_404,
)
from heard.orgs.models import Person
from heard.orgs.views import _error_text
from heard_nlp.labels import GROUPS

MECHANISMS = {
    "emotional_reaction": "Acknowledging the feeling",
    "interpretation": "Showing you understood",
    "exploration": "Asking to learn more",
    "ownership": "Owning it",
    "next_step": "A concrete next step",
}


@require_GET
@customer_work_required
def customer_list(request: OrgRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    at_risk = request.GET.get("at_risk") == "1"
    customers = selectors.customers_list(request.org, query=query, at_risk=at_risk)
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "at_risk": at_risk}
    return render(request, "customers/customer_list.html", context)


@require_GET
@customer_work_required
def customer_detail(request: OrgRequest, customer_id: int) -> HttpResponse:
    customer = get_for_org_or_404(Customer.objects.all(), request.org, pk=customer_id)
    items, summary = selectors.customer_timeline(customer)
    context = {"customer": customer, "items": items, "summary": summary}
    return render(request, "customers/customer_detail.html", context)


@require_http_methods(["GET", "POST"])
@customer_work_required
def item_detail(request: OrgRequest, item_id: int) -> HttpResponse:
    item = get_for_org_or_404(
        Item.objects.select_related("customer", "theme"), request.org, pk=item_id
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "correct":
                services.item_correct(
                    item=item,
                    field=request.POST.get("field", ""),
                    value=request.POST.get("value", ""),
                    by=request.person,
                )
                messages.success(request, "Thank you: your correction is kept and counted.")
            else:
                services.item_record_reply(
                    item=item, text=request.POST.get("reply", ""), by=request.person
                )
                messages.success(request, "Reply recorded. Heard did not send anything.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("customers:item_detail", item_id=item.pk)
    context = {
        "item": item,
        "outline": reply_outline(item),
        "feelings": selectors.top_feelings(item),
        "item_theme": selectors.item_theme(item),
        "themes": CustomerTheme.objects.for_org(request.org),
        "mechanisms": MECHANISMS,
        # A recorded reply's empathy score is shown to the agent who wrote it, never to
        # others: no AI score of an individual employee (team figures are aggregates).
        "own_reply": bool(item.reply_text) and item.agent_id == request.person.pk,
        "score": _score(item.text, item.reply_text)
        if item.reply_text and item.agent_id == request.person.pk
        else None,
    }
    return render(request, "customers/item_detail.html", context)


def _score(message: str, reply: str) -> object:
    from heard_nlp.reply import score_reply

    return score_reply(message, reply[:MAX_REPLY_CHARS])


@require_POST
@customer_work_required
def reply_score(request: OrgRequest, item_id: int) -> HttpResponse:
    """The live empathy score of a draft reply (htmx, as the agent types)."""
    item = get_for_org_or_404(Item.objects.all(), request.org, pk=item_id)
    draft = request.POST.get("reply", "")
    context = {
        "item": item,
        "score": _score(item.text, draft) if draft.strip() else None,
        "mechanisms": MECHANISMS,
    }
    return render(request, "customers/item_detail.html#score", context)


@require_GET
@customer_work_required
def outreach_queue(request: OrgRequest) -> HttpResponse:
    show = request.GET.get("show", "active")
    follow_ups = FollowUp.objects.for_org(request.org).select_related("customer", "item", "owner")
    if show == "mine":
        follow_ups = follow_ups.filter(owner=request.person).exclude(status__in=FollowUp.CLOSED)
    elif show == "closed":
        follow_ups = follow_ups.filter(status__in=FollowUp.CLOSED).order_by("-closed_at")
    else:
        follow_ups = follow_ups.filter(status__in=FollowUp.ACTIVE)
    page = Paginator(follow_ups, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "recovery": outreach.recovery_by_team(request.org),
        "statuses": FollowUp.Status.choices,
    }
    return render(request, "customers/outreach_queue.html", context)


@require_POST
@customer_work_required
def follow_up_update(request: OrgRequest, follow_up_id: int) -> HttpResponse:
    follow_up = get_for_org_or_404(FollowUp.objects.all(), request.org, pk=follow_up_id)
    owner_id = request.POST.get("owner", "")
    owner = (
        Person.objects.for_org(request.org).filter(pk=int(owner_id)).first()
        if owner_id.isdigit()
        else None
    )
    outreach.follow_up_update(
        follow_up=follow_up,
        status=request.POST.get("status", follow_up.status),
        notes=request.POST.get("notes", follow_up.notes),
        owner=owner,
        by=request.person,
    )
    messages.success(request, f"Follow-up for {follow_up.customer} saved.")
    return redirect(request.POST.get("next") or "customers:outreach_queue")


@require_http_methods(["GET", "POST"])
@admin_required
def outreach_rules(request: OrgRequest) -> HttpResponse:
    rules = outreach.rules_for(request.org)
    if request.method == "POST" and request.POST.get("action") == "webhook":
        try:
            webhooks.webhook_save(
                org=request.org,
                url=request.POST.get("url", ""),
                enabled=request.POST.get("enabled") == "on",
            )
            messages.success(request, "Webhook saved.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("customers:outreach_rules")
    if request.method == "POST":
        for kind, rule in rules.items():
            rule.enabled = request.POST.get(f"{kind}-enabled") == "on"
            try:
                rule.threshold = float(request.POST.get(f"{kind}-threshold", rule.threshold))
                rule.count = max(2, int(request.POST.get(f"{kind}-count", rule.count)))
            except ValueError:
                messages.error(request, f"“{rule}”: give numbers for its threshold.")
                return redirect("customers:outreach_rules")
            rule.save(update_fields=["enabled", "threshold", "count"])
        created = outreach.follow_ups_generate(request.org)
        messages.success(request, f"Rules saved. {created} new follow-up(s) suggested.")
        return redirect("customers:outreach_rules")
    context = {
        "rules": list(rules.values()),
        "webhook": Webhook.objects.filter(organization=request.org).first(),
    }
    return render(request, "customers/outreach_rules.html", context)


@require_GET
@customer_work_required
def customer_dashboard(request: OrgRequest) -> HttpResponse:
    d = dashboard.customer_dashboard(request.org)
    context = {
        "d": d,
        "feelings": list(GROUPS),
        "feeling_charts": [(name, d.chart[f"feeling_{name}"]) for name in GROUPS],
        "move_points": dashboard.MOVE_POINTS,
        "min_messages": themes.MIN_MESSAGES,
    }
    return render(request, "customers/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def api_tokens(request: OrgRequest) -> HttpResponse:
    new_token = ""
    if request.method == "POST":
        if request.POST.get("revoke", "").isdigit():
            token = get_for_org_or_404(
                ApiToken.objects.all(), request.org, pk=request.POST["revoke"]
            )
            api.api_token_revoke(token=token)
            messages.success(request, f"Revoked {token}. Requests with it now get 401.")
            return redirect("customers:api_tokens")
        _, new_token = api.api_token_create(
            org=request.org, name=request.POST.get("name", ""), by=request.person
        )
    context = {
        "tokens": ApiToken.objects.for_org(request.org).order_by("-created_at"),
        "new_token": new_token,
        "endpoint": request.build_absolute_uri("/api/v1/customer-items/"),
    }
    return render(request, "customers/api_tokens.html", context)
