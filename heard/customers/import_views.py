"""Pages for importing customer items from a file: upload, match columns, follow progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from heard.customers import importing, imports
from heard.customers.models import Channel, CustomerImport, RatingScale
from heard.orgs.access import OrgRequest, admin_required, get_for_org_or_404


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File (CSV or JSON Lines)",
        help_text="Up to 200 MB. One row (or one JSON object per line) per ticket, review or "
        "survey answer, with a header row naming the columns.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.tsv,.txt,.jsonl,.ndjson,.json,text/csv"}
        ),
    )


class ImportMappingForm(forms.Form):
    source = forms.CharField(
        max_length=imports.MAX_SOURCE_LENGTH,
        widget=forms.TextInput(attrs={"list": "source-suggestions"}),
        help_text="Where these items come from, e.g. zendesk. Items are matched by source and "
        "external id: use the same name each time you import from the same system.",
    )
    default_channel = forms.ChoiceField(
        choices=Channel.choices, help_text="For rows without a channel column or value."
    )
    rating_scale = forms.ChoiceField(
        choices=RatingScale.choices, required=False, label="Ratings are"
    )

    def __init__(self, *args: Any, headers: list[str], samples: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —")] + [
            (header, f"{header} (e.g. {sample[:40]})" if sample else header)
            for header, sample in zip(headers, samples, strict=True)
        ]
        settings_fields = dict(self.fields)  # the columns come first on the page
        self.fields = {}
        for name in importing.FIELDS:
            required = name in importing.REQUIRED_FIELDS
            label = importing.FIELD_LABELS[name] + ("" if required else " (optional)")
            self.fields[f"column_{name}"] = forms.ChoiceField(
                choices=choices, required=required, label=label
            )
        self.fields.update(settings_fields)

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"column_{name}") or "" for name in importing.FIELDS}


def _import(request: OrgRequest, import_id: int) -> CustomerImport:
    return get_for_org_or_404(CustomerImport.objects.all(), request.org, pk=import_id)


@require_http_methods(["GET", "POST"])
@admin_required
def import_upload(request: OrgRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size and upload.size > importing.MAX_BYTES:
            form.add_error("file", importing.size_message(upload.size))
        else:
            try:
                customer_import = imports.customer_import_upload(
                    org=request.org,
                    uploaded_by=request.person,
                    filename=Path(upload.name or "items.csv").name,
                    chunks=upload.chunks(),
                )
                return redirect("customer_imports:mapping", import_id=customer_import.pk)
            except importing.ImportFileError as error:
                form.add_error("file", error.message)
    recent = CustomerImport.objects.for_org(request.org).defer("preview", "errors")[:10]
    return render(request, "customers/import_upload.html", {"form": form, "recent": recent})


@require_http_methods(["GET", "POST"])
@admin_required
def import_mapping(request: OrgRequest, import_id: int) -> HttpResponse:
    customer_import = _import(request, import_id)
    if customer_import.status != CustomerImport.Status.UPLOADED:
        return redirect("customer_imports:detail", import_id=customer_import.pk)
    headers = list(customer_import.headers)
    samples = [
        next((row[i] for row in customer_import.preview if i < len(row) and row[i]), "")
        for i in range(len(headers))
    ]
    initial: dict[str, Any] = {
        f"column_{name}": column for name, column in customer_import.mapping.items()
    }
    initial |= {
        "source": customer_import.source,
        "default_channel": customer_import.default_channel,
        "rating_scale": customer_import.rating_scale,
    }
    form = ImportMappingForm(
        request.POST or None, headers=headers, samples=samples, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            imports.customer_import_set_mapping(
                customer_import=customer_import,
                mapping=form.mapping(),
                rating_scale=form.cleaned_data["rating_scale"],
                source=form.cleaned_data["source"],
                default_channel=form.cleaned_data["default_channel"],
            )
            imports.customer_import_start(customer_import=customer_import)
            return redirect("customer_imports:detail", import_id=customer_import.pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error)
    context = {
        "customer_import": customer_import,
        "form": form,
        "source_suggestion": Path(customer_import.filename).stem[: imports.MAX_SOURCE_LENGTH],
    }
    return render(request, "customers/import_mapping.html", context)


@require_GET
@admin_required
def import_detail(request: OrgRequest, import_id: int) -> HttpResponse:
    customer_import = _import(request, import_id)
    context = {
        "customer_import": customer_import,
        "percent": imports.customer_import_progress(customer_import),
        "polling": customer_import.status
        in (CustomerImport.Status.QUEUED, CustomerImport.Status.RUNNING),
        "file_kept_days": imports.STALE_UPLOAD_AGE.days,
    }
    # htmx polling asks for the progress block alone.
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    template = "customers/import_detail.html" + ("#progress" if partial else "")
    return render(request, template, context)


@require_GET
@admin_required
def import_errors_csv(request: OrgRequest, import_id: int) -> HttpResponse:
    customer_import = _import(request, import_id)
    response = HttpResponse(
        imports.customer_import_errors_csv(customer_import), content_type="text/csv"
    )
    name = f"import-{customer_import.pk}-errors.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
