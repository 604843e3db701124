"""heard_nlp: Heard's offline text analysis. Plain Python, no Django.

    from heard_nlp import analyze, score_reply, redact, themes

The names load their modules on first use, so `import heard_nlp` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "analyze": "heard_nlp.analyze",
    "score_reply": "heard_nlp.reply",
    "redact": "heard_nlp.redact",
    "themes": "heard_nlp.themes",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'heard_nlp' has no attribute {name!r}")
