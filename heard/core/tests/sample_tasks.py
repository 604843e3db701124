"""Tasks used by the tests of the task machinery."""

from __future__ import annotations

from heard.core.tasks import heard_task

CALLS: list[str] = []
_FAILURES: dict[str, int] = {}


@heard_task()
def flaky(key: str, failures: int) -> str:
    """Fails `failures` times for this key, then succeeds."""
    CALLS.append(key)
    seen = _FAILURES.get(key, 0)
    if seen < failures:
        _FAILURES[key] = seen + 1
        raise RuntimeError(f"failure {seen + 1} for {key}")
    return "done"
