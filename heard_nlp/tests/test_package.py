"""heard_nlp stands alone: no Django, usable from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = (
    "heard_nlp", "heard_nlp.analyze", "heard_nlp.cli", "heard_nlp.reply", "heard_nlp.redact",
    "heard_nlp.themes", "heard_nlp.language", "heard_nlp.urgency", "heard_nlp.lexicon",
    "heard_nlp.bias", "heard_nlp.evaluate", "heard_nlp.model", "heard_nlp.encoder",
)  # fmt: skip


def test_it_imports_and_analyses_without_django() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "from heard_nlp.analyze import analyze\n"
        + "analyze(['The refund never came and I am furious.'], backend='lexicon')\n"
        + "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        + "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.strip() == "[]"
