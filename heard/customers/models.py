"""Customers and what they said: tickets, reviews and survey answers, each analysed by
heard_nlp. Customer texts may be analysed one by one (unlike employees' comments)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from heard.orgs.models import Organization, OrgScopedQuerySet, Person


class Customer(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="customers"
    )
    # How items find their customer: the external customer id, else the email (lower-cased),
    # else the name. Unique per organisation.
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    first_seen = models.DateTimeField(null=True, blank=True)
    last_contact = models.DateTimeField(null=True, blank=True)
    at_risk = models.BooleanField(default=False)
    at_risk_reason = models.CharField(max_length=300, blank=True)

    objects: ClassVar[OrgScopedQuerySet[Customer]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="customer_key_unique")
        ]
        indexes = [
            models.Index(fields=["organization", "at_risk"], name="customer_at_risk_idx"),
            models.Index(fields=["organization", "last_contact"], name="customer_last_contact_idx"),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.key


class CustomerTheme(models.Model):
    """A theme Heard's text analysis found in an organisation's recent customer messages
    (heard_nlp.themes), named by its key phrases. Found again, at most daily, by the worker
    (heard.customers.themes); every recent item is then put into one theme or none."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)  # its top key phrases: "courier · late · tracking"
    key_phrases = models.JSONField(default=list)  # ranked, as written
    examples = models.JSONField(default=list)  # three texts that show it best
    position = models.PositiveSmallIntegerField(default=0)  # 0 = the biggest when found
    sample_size = models.PositiveIntegerField(default=0)  # texts the search read
    found_at = models.DateTimeField()

    objects: ClassVar[OrgScopedQuerySet[CustomerTheme]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    TICKET = "ticket", "Support ticket"
    REVIEW = "review", "Review"
    SURVEY = "survey", "Survey answer"
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat"
    OTHER = "other", "Other"


class RatingScale(models.TextChoices):
    NONE = "", "No rating"
    STARS5 = "stars5", "1 to 5 (CSAT, stars)"
    NPS10 = "nps10", "0 to 10 (NPS)"


class Item(models.Model):
    """One thing a customer said. Idempotent by (organisation, source, external id): the same
    item imported twice, or by the API and a file, is one row."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=80)  # "csv", "api", a helpdesk name...
    external_id = models.CharField(max_length=200)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.TICKET)
    occurred_at = models.DateTimeField()
    text = models.TextField()
    rating = models.SmallIntegerField(null=True, blank=True)
    rating_scale = models.CharField(max_length=8, choices=RatingScale.choices, blank=True)
    agent = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent_name = models.CharField(max_length=200, blank=True)
    thread_id = models.CharField(max_length=200, blank=True)
    reply_text = models.TextField(blank=True)  # the reply the agent sent, when recorded
    replied_at = models.DateTimeField(null=True, blank=True)
    # heard_nlp.score_reply of the recorded reply, 0..100. Shown only in aggregate (by team,
    # with enough agents) or to the agent who wrote it: never as a score of a person.
    reply_empathy = models.SmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Analysis by heard_nlp (null until analysed). `model_version` says which models did it,
    # so that a new model re-analyses what the old one read.
    analysed_at = models.DateTimeField(null=True, blank=True)
    model_version = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=8, blank=True)
    not_analysed_reason = models.CharField(max_length=200, blank=True)
    sentiment = models.CharField(max_length=8, blank=True)  # positive, neutral, negative
    sentiment_score = models.FloatField(null=True, blank=True)
    emotions = models.JSONField(default=dict, blank=True)  # label -> probability
    emotion_labels = models.JSONField(default=list, blank=True)
    frustration = models.FloatField(null=True, blank=True)
    urgency = models.CharField(max_length=6, blank=True)  # low, medium, high
    urgency_score = models.FloatField(null=True, blank=True)
    intensity = models.CharField(max_length=6, blank=True)
    # The strongest of Heard's feeling groups among the labels found (frustration, worry,
    # sadness, confusion, gratitude, joy), or "" when none: for the weekly feelings trend.
    feeling = models.CharField(max_length=12, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # urgency and intensity reasons
    evidence = models.JSONField(default=list, blank=True)  # [{"text", "start", "end", "supports"}]
    # A person's correction of the analysis wins over the model's: {"sentiment": "negative"}.
    corrected = models.JSONField(default=dict, blank=True)
    theme = models.ForeignKey(
        CustomerTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    objects: ClassVar[OrgScopedQuerySet[Item]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "external_id"], name="item_source_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "occurred_at"], name="item_org_time_idx"),
            models.Index(fields=["customer", "occurred_at"], name="item_customer_time_idx"),
            models.Index(fields=["organization", "analysed_at"], name="item_analysed_idx"),
            models.Index(fields=["theme", "occurred_at"], name="item_theme_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"

    @property
    def shown_sentiment(self) -> str:
        return str(self.corrected.get("sentiment", self.sentiment))


class LabelCorrection(models.Model):
    """A person corrected what the text analysis said about an item; counted on the model
    card ("corrections") and kept when the item is analysed again."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=20)  # sentiment, urgency, theme
    model_value = models.CharField(max_length=200, blank=True)
    corrected_value = models.CharField(max_length=200)
    model_version = models.CharField(max_length=80, blank=True)
    corrected_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[OrgScopedQuerySet[LabelCorrection]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"{self.field}: {self.model_value} -> {self.corrected_value}"


class CustomerImport(models.Model):
    """One uploaded file of customer items (CSV or JSON Lines) and how far its import got.

    The file stays on disk (`path`) until the import is done; the worker reads it as a stream
    and records, after every batch it commits, how many rows are done (`rows_done`), so a
    killed worker's successor carries on from there."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Waiting for column mapping"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    size = models.BigIntegerField(default=0)
    file_format = models.CharField(max_length=6, default="csv")  # csv or jsonl
    encoding = models.CharField(max_length=40, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    headers = models.JSONField(default=list)
    preview = models.JSONField(default=list)  # the first rows, for the mapping page
    mapping = models.JSONField(default=dict)  # field -> column
    source = models.CharField(max_length=80, default="csv")
    default_channel = models.CharField(
        max_length=8, choices=Channel.choices, default=Channel.TICKET
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.UPLOADED)
    rating_scale = models.CharField(max_length=8, choices=RatingScale.choices, blank=True)
    rows_done = models.PositiveIntegerField(default=0)  # rows read and committed
    bytes_done = models.BigIntegerField(default=0)  # how far into the file, for the progress bar
    rows_created = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)  # already there (same external id)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first errors: [{"row": n, "message": ...}]
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[OrgScopedQuerySet[CustomerImport]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class RuleKind(models.TextChoices):
    STRONGLY_NEGATIVE = "negative", "Strongly negative"
    FRUSTRATION = "frustration", "Frustration above a level"
    REPEAT_CONTACT = "repeat", "Repeated contact within N days"
    LOW_RATING = "rating", "Low rating"
    NO_REPLY = "no_reply", "No reply for N hours"


class OutreachRule(models.Model):
    """When Heard suggests reaching out. Admins tune the thresholds; each rule can be off."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=RuleKind.choices)
    enabled = models.BooleanField(default=True)
    # negative: sentiment score at or below -threshold; frustration: probability at or above;
    # repeat: contacts within `threshold` days (with `count`); rating: at or below; no_reply: hours
    threshold = models.FloatField()
    count = models.PositiveSmallIntegerField(default=3)

    objects: ClassVar[OrgScopedQuerySet[OutreachRule]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="one_rule_per_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUp(models.Model):
    """A suggestion to reach out to a customer, and what came of it. Created by a rule; a
    person decides, contacts the customer themselves, and records the outcome."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONTACTED = "contacted", "Contacted"
        RESOLVED = "resolved", "Resolved"
        NOT_RECOVERED = "lost", "Not recovered"

    ACTIVE: ClassVar[tuple[str, ...]] = (Status.OPEN, Status.CONTACTED)
    CLOSED: ClassVar[tuple[str, ...]] = (Status.RESOLVED, Status.NOT_RECOVERED)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="follow_ups")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="follow_ups")
    rule = models.CharField(max_length=12, choices=RuleKind.choices)
    why = models.CharField(max_length=300)  # the evidence, in words
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)  # sent to the webhook

    objects: ClassVar[OrgScopedQuerySet[FollowUp]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # One open suggestion per customer: new evidence joins it, not a second row.
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(status__in=["open", "contacted"]),
                name="one_active_follow_up_per_customer",
            )
        ]
        indexes = [models.Index(fields=["organization", "status"], name="follow_up_status_idx")]

    def __str__(self) -> str:
        return f"Follow up {self.customer}"


class ApiToken(models.Model):
    """A token another system uses to send customer items to Heard's ingestion API. Only a
    hash is stored; the token is shown once, when it is created."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)  # shown in lists: "hrd_ab12cd34"
    token_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[OrgScopedQuerySet[ApiToken]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class IdempotencyKey(models.Model):
    """The answer the API gave to a request with an Idempotency-Key, replayed to a repeat."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Webhook(models.Model):
    """Where Heard tells the organisation's own systems (a chat channel, a helpdesk) that a
    customer needs attention. It only notifies: it never contacts the customer."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64)  # signs each body (HMAC-SHA256)
    enabled = models.BooleanField(default=True)
    last_status = models.CharField(max_length=200, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.url


# --- The dashboard's daily figures ---------------------------------------------------------
# Counting 250,000 messages on every view of the dashboard is too slow on SQLite, so the
# figures are kept per day (heard.customers.rollups): a change to an item marks its day
# (DirtyDay), and the days marked are counted again, by the dashboard when they are few,
# by the worker after analysis otherwise.


class DayFigures(models.Model):
    """One day of an organisation's customer messages, counted."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    analysed = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    frustration_sum = models.FloatField(default=0.0)
    frustration_n = models.PositiveIntegerField(default=0)
    feelings = models.JSONField(default=dict)  # feeling group -> messages
    stars = models.PositiveIntegerField(default=0)  # 1-5 ratings
    happy = models.PositiveIntegerField(default=0)  # of them, 4 or 5
    nps = models.PositiveIntegerField(default=0)  # 0-10 ratings
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    urgent_unreplied = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organization", "day"], name="dayfigures_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.day}: {self.items}"


class ThemeDay(models.Model):
    """One theme's analysed messages on one day."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(CustomerTheme, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organization", "day"], name="themeday_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.day}: {self.items}"


class ReplyDay(models.Model):
    """Recorded replies with an empathy score, by agent and day: read only to make team
    figures (shown for teams with at least k agents), never shown per agent."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(Person, null=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    replies = models.PositiveIntegerField(default=0)
    empathy_sum = models.FloatField(default=0.0)

    class Meta:
        indexes = [models.Index(fields=["organization", "day"], name="replyday_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.day}: {self.replies}"


class DirtyDay(models.Model):
    """A day whose items changed since its figures were counted."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="dirtyday_unique")
        ]

    def __str__(self) -> str:
        return str(self.day)
