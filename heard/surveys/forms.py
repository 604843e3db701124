from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from heard.orgs.models import Organization, Team
from heard.surveys import library
from heard.surveys.models import Audience, FocusSession, Kind, Mode, Question, Recurrence
from heard.surveys.services import MAX_COMMENT_CHARS, CleanAnswer

LIKERT_LABELS = (
    _("Strongly disagree"),
    _("Disagree"),
    _("Neither"),
    _("Agree"),
    _("Strongly agree"),
)
WHO5_LABELS = (
    _("At no time"),
    _("Some of the time"),
    _("Less than half of the time"),
    _("More than half of the time"),
    _("Most of the time"),
    _("All of the time"),
)
CBI_LABELS = (_("Always"), _("Often"), _("Sometimes"), _("Seldom"), _("Never or almost never"))


def scale_choices(question: Question) -> list[tuple[int, str]]:
    """The (value, label) pairs a question offers, in the order shown, in the active language
    (the survey's, on the answer page)."""
    if question.kind == Kind.LIKERT5:
        return [(value, str(label)) for value, label in enumerate(LIKERT_LABELS, start=1)]
    if question.kind == Kind.SCALE10:
        return [(v, str(v)) for v in range(11)]
    if question.kind == Kind.WHO5:
        return list(enumerate(question.options or [str(label) for label in WHO5_LABELS]))
    if question.kind == Kind.CBI:
        return list(enumerate(question.options or [str(label) for label in CBI_LABELS]))
    if question.kind in (Kind.SINGLE, Kind.MULTI):
        return list(enumerate(question.options))
    return []


def parse_answers(
    questions: Sequence[Question], data: QueryDict
) -> tuple[dict[int, CleanAnswer], dict[int, str]]:
    """Answers from a submitted answer form, and an error per question that has one."""
    answers: dict[int, CleanAnswer] = {}
    errors: dict[int, str] = {}
    for question in questions:
        name = f"q{question.pk}"
        allowed = {value for value, _ in scale_choices(question)}
        if question.kind == Kind.TEXT:
            text = data.get(name, "").strip()
            if len(text) > MAX_COMMENT_CHARS:
                errors[question.pk] = gettext(
                    "Please keep this under %(limit)s characters (it has %(length)s)."
                ) % {"limit": f"{MAX_COMMENT_CHARS:,}", "length": f"{len(text):,}"}
            elif text:
                answers[question.pk] = CleanAnswer(question, text=text)
            elif question.required:
                errors[question.pk] = gettext("Please write an answer.")
            continue
        if question.kind == Kind.MULTI:
            raw = data.getlist(name)
            picked = sorted({int(v) for v in raw if v.isdigit() and int(v) in allowed})
            if len(picked) != len(set(raw)):
                errors[question.pk] = gettext("Choose from the options shown.")
            elif picked:
                answers[question.pk] = CleanAnswer(question, choices=tuple(picked))
            elif question.required:
                errors[question.pk] = gettext("Choose at least one option.")
            continue
        raw_value = data.get(name, "")
        if raw_value == "":
            if question.required:
                errors[question.pk] = gettext("Please choose an answer.")
            continue
        if not raw_value.lstrip("-").isdigit() or int(raw_value) not in allowed:
            errors[question.pk] = gettext("Choose one of the answers shown.")
            continue
        answers[question.pk] = CleanAnswer(question, value=int(raw_value))
    return answers, errors


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200)
    template = forms.ChoiceField()
    mode = forms.ChoiceField(
        choices=Mode.choices,
        initial=Mode.ANONYMOUS,
        help_text=(
            "Anonymous: no link from an answer to a person, ever. Confidential: Heard keeps the "
            "link, never shows it, and logs any look-up."
        ),
    )
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(
        initial="en",
        help_text=(
            "The language of the questions, the answer page and the emails. The full audit is "
            "in English only (its wellbeing and burnout scales are shipped in their official "
            "English wording)."
        ),
    )
    recurrence = forms.ChoiceField(choices=Recurrence.choices, initial=Recurrence.NONE)
    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.EVERYONE)
    audience_teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, org: Organization, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        template = self.fields["template"]
        assert isinstance(template, forms.ChoiceField)
        template.choices = [(key, t.name) for key, t in library.templates().items()] + [
            ("custom", "Start empty (your own questions)")
        ]
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = list(library.LANGUAGES.items())
        self.fields["audience_teams"].queryset = Team.objects.for_org(org)  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices[:5])
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For choice questions: one option per line.",
    )
    required = forms.BooleanField(required=False)


class ConfidentialLookupForm(forms.Form):
    reason = forms.CharField(max_length=500)


class FocusSessionForm(forms.Form):
    format = forms.ChoiceField(choices=FocusSession.Format.choices)
    held_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(max_length=200)
    participants = forms.IntegerField(
        min_value=0, max_value=500, initial=0, help_text="How many took part. No names needed."
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "One point per line works best for the themes. Names from your roster, emails and "
            "phone numbers are removed when you save."
        ),
    )
