"""Background work through Django's tasks framework (see docs/decisions/0002-task-backend.md).

Every Heard task is declared with `heard_task`: it takes ids (JSON values), must be idempotent,
and is retried with exponential back-off when it raises. A task that fails on its last attempt
stays FAILED in the task table, where an operator sees it (/ops/tasks/ and Django's admin).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.tasks import Task, TaskContext, task
from django.utils import timezone

logger = logging.getLogger(__name__)

ATTEMPT_KWARG = "_attempt"


class RetryScheduled(Exception):
    """This attempt failed and another one is queued; the original error is its __cause__."""


def backoff_seconds(attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt`: 10 s, 40 s, 2.7 min, 10.7 min..."""
    return int(10 * 4 ** (attempt - 1))


def heard_task(
    *, max_attempts: int | None = None, priority: int = 0
) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    def decorate(func: Callable[..., Any]) -> Task[Any, Any]:
        @functools.wraps(func)
        def run(context: TaskContext[Any, Any], *args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                limit = max_attempts or settings.TASK_MAX_ATTEMPTS
                if attempt >= limit:
                    logger.exception("Task %s failed for good on attempt %d", func, attempt)
                    raise
                this_task = context.task_result.task
                retry_kwargs = {**kwargs, ATTEMPT_KWARG: attempt + 1}
                delay = backoff_seconds(attempt)
                if this_task.get_backend().supports_defer:
                    this_task = this_task.using(run_after=timezone.now() + timedelta(seconds=delay))
                retry = this_task.enqueue(*args, **retry_kwargs)
                raise RetryScheduled(
                    f"Attempt {attempt} of {limit} failed ({exc!r}); attempt {attempt + 1} "
                    f"is queued as {retry.id} to run in about {delay} s."
                ) from exc

        # Django checks the signature for a leading `context` argument: do not let it follow
        # __wrapped__ to `func`. The names stay, so the task path still points at this task.
        del run.__wrapped__
        return task(takes_context=True, priority=priority)(run)

    return decorate
