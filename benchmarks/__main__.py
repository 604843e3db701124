"""`make bench [BENCH=group]`: run Heard's benchmarks and merge their figures into
benchmarks/results.json as {"name": {"value": number, "unit": "..."}}.

Each group runs against a fresh database (a temporary SQLite file unless BENCH_DATABASE_URL
names another), never against the database `make run` uses.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.customers import bench_customers
from benchmarks.surveys import bench_surveys

RESULTS = Path(__file__).resolve().parent / "results.json"
Figures = dict[str, dict[str, float | str]]


def _setup_django(tmp: Path) -> None:
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_seed() -> Figures:
    """Build the large demo organisation (5,000 people) the dashboards are measured on."""
    from heard.orgs.demo import build_demo
    from heard.orgs.models import Organization, Person

    Organization.objects.filter(slug="maple").delete()
    started = time.perf_counter()
    org = build_demo(people=5000)
    seconds = time.perf_counter() - started
    assert Person.objects.for_org(org).count() == 5000
    return {"seed_demo_5000_people_seconds": {"value": round(seconds, 2), "unit": "s"}}


def bench_roster() -> Figures:
    """Upload, check and import a 50,000-row roster (the largest file allowed)."""
    from heard.orgs.models import Organization, Person, Role
    from heard.orgs.services.roster import (
        roster_import_apply,
        roster_import_upload,
    )

    org = Organization.objects.create(name="Roster bench", slug="roster-bench")
    admin = Person.objects.create(
        organization=org, name="Admin", email="admin@bench.example", role=Role.ADMIN
    )
    lines = ["name,email,team,manager email,start date,location,customer facing"]
    for n in range(50_000):
        manager = "" if n < 100 else f"p{n % 100}@bench.example"
        lines.append(
            f"Person {n},p{n}@bench.example,Team {n % 250},{manager},2023-01-{1 + n % 28:02d},"
            f"City {n % 7},{'yes' if n % 3 == 0 else 'no'}"
        )
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    roster_import = roster_import_upload(
        org=org, uploaded_by=admin, filename="bench.csv", data=data
    )
    checked = time.perf_counter()
    assert roster_import.status == "ready", roster_import.errors[:3]
    summary = roster_import_apply(roster_import=roster_import, acting=admin)
    done = time.perf_counter()
    assert summary["created"] == 50_000
    again = roster_import_upload(org=org, uploaded_by=admin, filename="bench.csv", data=data)
    assert again.summary["unchanged"] == 50_000
    return {
        "roster_50000_rows_check_seconds": {"value": round(checked - started, 2), "unit": "s"},
        "roster_50000_rows_import_seconds": {"value": round(done - checked, 2), "unit": "s"},
    }


def bench_nlp() -> Figures:
    """Text analysis on 2,000 realistic texts: model and lexicon backends, and VADER alone.

    nlp_<backend>_texts_per_s is the full pipeline (language, scores, intensity and urgency with
    reasons) as `heard-nlp analyze` runs it; *_explained_* adds the word-level evidence;
    nlp_lexicon_scores_texts_per_s is the lexicon backend's scoring alone (VADER + lexicon)."""
    import subprocess

    figures: Figures = {}
    runs = [("vader", False), ("lexicon-scores", False), ("lexicon", False), ("lexicon", True),
            ("model", False), ("model", True)]  # fmt: skip
    for which, explain in runs:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.nlp_probe", which]
            + (["--explain"] if explain else []),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"   {which} did not run: {done.stderr.strip().splitlines()[-1:]}")
            continue
        probe = json.loads(done.stdout.strip().splitlines()[-1])
        name = f"nlp_{which.replace('-', '_')}{'_explained' if explain else ''}"
        figures[f"{name}_texts_per_s"] = {"value": probe["texts_per_s"], "unit": "texts/s"}
        if which == "model" and not explain:
            figures["nlp_model_peak_rss_mb"] = {"value": probe["peak_rss_mb"], "unit": "MB"}
    return figures


GROUPS: dict[str, Callable[[], Figures]] = {
    "seed": bench_seed,
    "roster": bench_roster,
    "nlp": bench_nlp,
    "surveys": bench_surveys,
    "customers": bench_customers,
}


def main(argv: list[str]) -> int:
    wanted = argv or list(GROUPS)
    unknown = [name for name in wanted if name not in GROUPS]
    if unknown:
        print(f"Unknown benchmark group(s): {', '.join(unknown)}. Known: {', '.join(GROUPS)}")
        return 2
    results: Figures = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        if any(name != "nlp" for name in wanted):
            _setup_django(Path(tmp))
        for name in wanted:
            print(f"== {name}: {(GROUPS[name].__doc__ or '').splitlines()[0]}")
            figures = GROUPS[name]()
            for key, figure in figures.items():
                print(f"   {key} = {figure['value']} {figure['unit']}")
            results.update(figures)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"Wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
