"""Live refit: every edit of the model refits it, on one worker thread, newest edit wins.

An edit calls :meth:`Refitter.request`. The worker fits the model as it is when the fit starts;
when it finishes, the result is published only if no newer edit arrived meanwhile, otherwise it
is dropped and the newest model is fitted at once. So a burst of edits costs at most one fit
that is thrown away, the kernel stays free to take messages while fitting, and there is no fixed
wait: a small model's numbers are on the diagram a few milliseconds after the edit. (A fit is
not interrupted halfway: the optimizer gives no safe point to stop, and a CB-SEM or PLS fit of
a model drawn by hand takes milliseconds to a few hundred.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Refitter:
    """Runs ``compute()`` then ``publish(result)`` for the newest request, on a worker thread.

    Parameters
    ----------
    compute : callable
        Fits the current model; returns what ``publish`` takes. Exceptions propagate to
        ``failed``.
    publish : callable
        Shows a result; called with the lock held, so :meth:`request` (taken by every edit) and
        publishing never interleave: a result never lands on a model edited after its fit began.
    failed : callable
        Called with the exception of a fit of the newest model.
    """

    def __init__(
        self,
        compute: Callable[[], Any],
        publish: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self._compute = compute
        self._publish = publish
        self._failed = failed
        self.lock = threading.RLock()
        self._generation = 0
        self._done_generation = 0
        self._worker: threading.Thread | None = None
        self._idle = threading.Condition(self.lock)
        #: How many finished fits were dropped because a newer edit had arrived (for tests).
        self.superseded = 0

    def request(self) -> None:
        """Ask for a fit of the model as it is now; a fit already running will be dropped."""
        with self.lock:
            self._generation += 1
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="semwidget-refit",
                                                daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            with self.lock:
                generation = self._generation
                if generation == self._done_generation:
                    self._worker = None
                    self._idle.notify_all()
                    return
            try:
                result = self._compute()
                error: BaseException | None = None
            except Exception as err:  # noqa: BLE001 - handed to `failed`, which reports it
                result, error = None, err
            with self.lock:
                if generation != self._generation:
                    self.superseded += 1
                    continue  # a newer edit arrived while fitting: fit that one instead
                self._done_generation = generation
                if error is None:
                    self._publish(result)
                else:
                    self._failed(error)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no fit is pending; ``False`` if ``timeout`` seconds passed first."""
        with self.lock:
            return self._idle.wait_for(lambda: self._worker is None, timeout)
