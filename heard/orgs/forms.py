from __future__ import annotations

from typing import Any

from django import forms

from heard.orgs import roster_parsing
from heard.orgs.models import Organization, Person, Role, Team


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100)
    parent = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="(top level)",
        label="Part of",
    )
    manager = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, empty_label="(no manager)"
    )

    def __init__(self, *args: Any, org: Organization, team: Team | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parents = Team.objects.for_org(org)
        if team is not None:
            parents = parents.exclude(pk=team.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["manager"].queryset = Person.objects.for_org(org).active()  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    manager = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    role = forms.ChoiceField(
        choices=Role.choices,
        initial=Role.EMPLOYEE,
        help_text="Admins manage people and see everything; managers see their teams.",
    )
    start_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Start date"
    )
    location = forms.CharField(max_length=100, required=False)
    role_family = forms.CharField(
        max_length=100,
        required=False,
        label="Role family",
        help_text="Used only for grouped results, e.g. Engineering, Sales, Support.",
    )
    customer_facing = forms.BooleanField(
        required=False,
        label="Customer-facing",
        help_text="Talks with customers (enables emotional-load views for them later).",
    )

    def __init__(
        self, *args: Any, org: Organization, person: Person | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.for_org(org)  # type: ignore[attr-defined]
        managers = Person.objects.for_org(org).active()
        if person is not None:
            managers = managers.exclude(pk=person.pk)
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file (CSV)",
        help_text="Any spreadsheet saved as CSV; up to 10 MB and 50,000 rows.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )


class RosterMappingForm(forms.Form):
    date_format = forms.ChoiceField(
        choices=list(roster_parsing.DATE_FORMATS.items()), label="Dates in the file look like"
    )

    def __init__(self, *args: Any, headers: list[str], samples: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", "(not in this file)")]
        for index, header in enumerate(headers):
            sample = f" (e.g. {samples[index][:30]})" if samples[index] else ""
            choices.append((str(index), f"{header}{sample}"))
        for name in roster_parsing.FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                choices=choices,
                required=name in roster_parsing.REQUIRED_FIELDS,
                label=roster_parsing.FIELD_LABELS[name],
            )
        # Put the date format last, after the columns.
        self.order_fields([f"map_{n}" for n in roster_parsing.FIELDS] + ["date_format"])

    def mapping(self) -> dict[str, int | None]:
        return {
            name: int(self.cleaned_data[f"map_{name}"])
            if self.cleaned_data.get(f"map_{name}") not in (None, "")
            else None
            for name in roster_parsing.FIELDS
        }

    @staticmethod
    def initial_for(mapping: dict[str, int | None], date_format: str) -> dict[str, str]:
        initial = {
            f"map_{name}": "" if mapping.get(name) is None else str(mapping[name])
            for name in roster_parsing.FIELDS
        }
        initial["date_format"] = date_format
        return initial


class PrivacySettingsForm(forms.Form):
    min_group_size = forms.IntegerField(
        label="Minimum group size for results",
        min_value=3,
        max_value=50,
        help_text=(
            "No score is shown for fewer people than this (never below 3). Comments need "
            "twice as many, and at least 10."
        ),
    )
