"""The model card page of the text analysis (reads only: heard.customers.model_card)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from heard.customers.model_card import BIAS_MEAN_GAP_LIMIT, model_card_for_org
from heard.orgs.access import OrgRequest, customer_work_required


@require_GET
@customer_work_required
def model_card(request: OrgRequest) -> HttpResponse:
    context = {"card": model_card_for_org(request.org), "bias_limit": BIAS_MEAN_GAP_LIMIT}
    return render(request, "customers/model_card.html", context)
