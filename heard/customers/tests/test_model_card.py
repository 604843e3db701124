"""The model card of the text analysis: the reading in use, eval.json's figures, intended
use, and the organisation's corrections (counted, never attributed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from heard.customers import model_card
from heard.customers.analysis import model_version
from heard.customers.model_card import ModelCard
from heard.customers.models import Item, LabelCorrection
from heard.customers.services import item_correct
from heard.customers.tests.helpers import make_item
from heard.orgs.models import Organization

URL = "/customers/model/"
EVAL = {
    "bias_mean_sentiment_gap": {"unit": "score points (of 2)", "value": 0.0321},
    "goemotions_dev_macro_f1": {"unit": "ratio", "value": 0.4711},
    "lexicon_goemotions_dev_macro_f1": {"unit": "ratio", "value": 0.4433},
    "sst2_dev_accuracy": {"unit": "ratio", "value": 0.7654},
    "uci_amazon_accuracy": {"unit": "ratio", "value": 0.9123},
    "reply_spearman": {"unit": "rho", "value": 0.8345},
    "measured_at": "2026-11-20",
    "bias_gaps": {
        "value": [
            {"dimension": "dialect", "measure": "sentiment", "mean": 0.0876, "largest": 0.2345},
            {"dimension": "name", "measure": "frustration", "mean": 0.0067, "largest": 0.0891},
        ]
    },
}


@pytest.fixture
def eval_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "eval.json"
    path.write_text(json.dumps(EVAL))
    monkeypatch.setattr(model_card, "EVAL_JSON", path)
    return path


def analysed(org: Organization, sentiment: str = "positive", **fields: Any) -> Item:
    """An item as the analysis leaves it, without running the models."""
    return make_item(
        org,
        analysed_at=timezone.now(),
        model_version=fields.pop("model_version", model_version()),
        sentiment=sentiment,
        urgency="low",
        **fields,
    )


def card_of(response: Any) -> ModelCard:
    card: ModelCard = response.context["card"]
    return card


def test_it_counts_corrections_made_through_the_correction_service(
    world: World, employee_client: Client, eval_json: Path
) -> None:
    happy, calm, other = analysed_three(world.org)
    item_correct(item=happy, field="sentiment", value="negative", by=world.manager)
    item_correct(item=calm, field="sentiment", value="negative", by=world.manager)
    item_correct(item=calm, field="urgency", value="high", by=world.admin)
    response = employee_client.get(URL)
    assert response.status_code == 200
    corrections = card_of(response).corrections
    assert (corrections.total, corrections.current_version) == (3, 3)
    assert [(f.field, f.total) for f in corrections.by_field] == [("sentiment", 2), ("urgency", 1)]
    top = corrections.most_common[0]
    assert (top.field, top.model_value, top.corrected_value, top.count) == (
        "sentiment",
        "positive",
        "negative",
        2,
    )
    assert (corrections.items_corrected, corrections.items_analysed) == (2, 3)
    assert corrections.items_corrected_percent == 66.7
    page = response.content.decode()
    assert '<span class="stat">3</span> corrections in all' in page
    assert "<td>Sentiment</td><td>positive</td><td>negative</td><td>2</td>" in page
    assert "66.7%" in page and "(2 of 3)" in page

    # One more, through the item page as a person would: the card follows.
    employee_client.post(
        f"/customers/items/{other.pk}/",
        {"action": "correct", "field": "urgency", "value": "medium"},
    )
    again = employee_client.get(URL)
    assert card_of(again).corrections.total == 4
    assert '<span class="stat">4</span> corrections in all' in again.content.decode()


def analysed_three(org: Organization) -> tuple[Item, Item, Item]:
    return analysed(org), analysed(org), analysed(org, "neutral")


def test_it_never_says_who_corrected(world: World, employee_client: Client) -> None:
    item = analysed(world.org)
    item_correct(item=item, field="sentiment", value="negative", by=world.manager)
    page = employee_client.get(URL).content.decode()
    assert "<td>Sentiment</td><td>positive</td><td>negative</td><td>1</td>" in page
    assert "Mo Manager" not in page and world.manager.email not in page


def test_it_separates_corrections_of_older_versions(world: World, admin_client: Client) -> None:
    old = analysed(world.org, model_version="lexicon:old")
    new = analysed(world.org)
    item_correct(item=old, field="sentiment", value="negative", by=world.admin)
    item_correct(item=new, field="urgency", value="high", by=world.admin)
    card = card_of(admin_client.get(URL))
    assert (card.corrections.total, card.corrections.current_version) == (2, 1)
    assert {(f.field, f.total, f.current_version) for f in card.corrections.by_field} == {
        ("sentiment", 1, 0),
        ("urgency", 1, 1),
    }
    assert (card.items_analysed, card.items_current_version, card.items_due) == (2, 1, 1)


def test_it_counts_only_the_viewers_organisation(
    world: World, employee_client: Client, outsider_client: Client
) -> None:
    mine = analysed(world.org)
    item_correct(item=mine, field="sentiment", value="neutral", by=world.employee)
    theirs = [analysed(world.other_org) for _ in range(3)]
    for item in theirs:
        item_correct(item=item, field="urgency", value="high", by=world.outsider)
    make_item(world.other_org)  # due there, not here

    card = card_of(employee_client.get(URL))
    assert card.corrections.total == 1
    assert [f.field for f in card.corrections.by_field] == ["sentiment"]
    assert (card.items_total, card.items_analysed, card.items_due) == (1, 1, 0)
    assert card.corrections.items_analysed == 1

    outsider = card_of(outsider_client.get(URL))
    assert outsider.corrections.total == 3
    assert (outsider.items_total, outsider.items_due) == (4, 1)
    assert LabelCorrection.objects.count() == 4


def test_it_shows_the_reading_in_use_and_the_items_due(
    world: World, manager_client: Client
) -> None:
    from heard_nlp.analyze import model_status

    analysed(world.org)
    make_item(world.org)  # never analysed
    analysed(world.org, "", not_analysed_reason="language not covered (fr)", language="fr")
    response = manager_client.get(URL)
    card = card_of(response)
    available, _ = model_status()
    assert card.backend == ("model" if available else "lexicon")
    assert card.model_version == model_version()
    assert (card.items_total, card.items_analysed, card.items_not_covered, card.items_due) == (
        3,
        1,
        1,
        1,
    )
    page = response.content.decode()
    assert (
        "<h1>Model card: Heard's text analysis" in page and '<span class="badge">AI</span>' in page
    )
    assert f"<code>{model_version()}</code>" in page
    assert '<span class="stat">1</span> due for analysis' in page


def test_it_names_why_the_model_does_not_run(
    world: World, manager_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import heard_nlp.analyze

    monkeypatch.setattr(
        heard_nlp.analyze, "model_status", lambda: (False, "model.onnx not found in /models")
    )
    response = manager_client.get(URL)
    assert card_of(response).backend == "lexicon"
    page = response.content.decode()
    assert "<strong>lexicon</strong> backend" in page and "model.onnx not found in /models" in page


def test_it_shows_the_figures_that_eval_json_holds(
    world: World, employee_client: Client, eval_json: Path
) -> None:
    response = employee_client.get(URL)
    measured = card_of(response).measured
    assert measured.problem == "" and measured.measured_on == "2026-11-20"
    figures = {f.name: f for f in measured.figures}
    emotions = figures["Emotions: GoEmotions dev, 28 labels"]
    assert (emotions.value, emotions.lexicon_value, emotions.goal) == (0.4711, 0.4433, 0.46)
    assert emotions.reached is True
    assert figures["Sentiment: SST-2 dev"].reached is False
    assert figures["Sentiment: UCI Amazon sentences"].reached is True
    assert figures["Sentiment: UCI Yelp sentences"].value is None  # not in the file
    assert measured.bias_mean_gap == 0.0321 and measured.bias_within_limit is True
    page = response.content.decode()
    for shown in ("0.471", "0.443", "0.765", "0.912", "0.835", "≥ 0.46", "≥ 0.88", "≥ 0.90"):
        assert shown in page
    assert "measured 2026-11-20" in page and "0.0321" in page
    assert "<td>dialect</td><td>sentiment</td><td>0.0876</td><td>0.2345</td>" in page
    assert "docs/models/bias-audit.md" in page and "docs/models/emotions.md" in page
    assert "not measured here" not in page


def test_it_shows_the_repositorys_own_eval_json(world: World, employee_client: Client) -> None:
    """The real file, read as it is: every figure it holds reaches the page."""
    data = json.loads(model_card.EVAL_JSON.read_text())
    page = employee_client.get(URL).content.decode()
    assert f"{data['goemotions_dev_macro_f1']['value']:.3f}" in page
    assert f"{data['bias_mean_sentiment_gap']['value']:.4f}" in page


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]"])
def test_it_says_not_measured_without_a_readable_eval_json(
    world: World,
    employee_client: Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: str | None,
) -> None:
    path = tmp_path / "eval.json"
    if content is not None:
        path.write_text(content)
    monkeypatch.setattr(model_card, "EVAL_JSON", path)
    response = employee_client.get(URL)
    assert response.status_code == 200
    measured = card_of(response).measured
    assert measured.figures == () and measured.bias_mean_gap is None
    page = response.content.decode()
    assert "not measured here (run make eval)" in page
    assert "≥ 0.46" not in page and "<td>0." not in page


def test_it_states_intended_and_not_intended_use_from_heard_nlp(
    world: World, employee_client: Client
) -> None:
    from heard_nlp.cards import INTENDED

    response = employee_client.get(URL)
    card = card_of(response)
    assert len(card.intended_use) == INTENDED.split("## Not intended use")[0].count("\n- ")
    assert len(card.not_intended_use) == INTENDED.split("## Not intended use")[1].count("\n- ")
    assert any("only in aggregate" in line for line in card.intended_use)
    assert any("individual employee" in line for line in card.not_intended_use)
    page = response.content.decode()
    assert "Scoring, ranking or judging an individual employee" in page
    assert "**" not in page


def test_it_is_linked_from_an_analysed_item(world: World, employee_client: Client) -> None:
    item = analysed(world.org)
    page = employee_client.get(f"/customers/items/{item.pk}/").content.decode()
    assert f'href="{URL}"' in page


def test_it_keeps_the_card_from_people_who_do_not_work_with_customers(
    world: World, client: Client
) -> None:
    from tests.factories import make_person

    office = make_person(world.org, login=True)  # an employee, not customer-facing
    assert world.client_for(office).get(URL).status_code == 404
    assert world.client_for(office).get("/customers/").status_code == 404  # the same answer
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and "signin" in anonymous["Location"]


def test_it_takes_a_bounded_number_of_queries(
    world: World, employee_client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        item = analysed(world.org)
        item_correct(item=item, field="urgency", value=("medium", "high")[n % 2], by=world.employee)
    employee_client.get(URL)  # warm the session and the model
    with django_assert_max_num_queries(10):
        assert employee_client.get(URL).status_code == 200
