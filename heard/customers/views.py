from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heard.customers import selectors, services
from heard.customers.models import Customer, Item
from heard.customers.outline import reply_outline
from heard.orgs.access import OrgRequest, customer_work_required, get_for_org_or_404
from heard.orgs.views import _error_text

MAX_REPLY_CHARS = 20_000


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
    item = get_for_org_or_404(Item.objects.select_related("customer"), request.org, pk=item_id)
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
        "score": _score(item.text, item.reply_text) if item.reply_text else None,
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
    context = {"item": item, "score": _score(item.text, draft) if draft.strip() else None}
    return render(request, "customers/item_detail.html#score", context)
