"""TERM stops a batch as an exception, except in the middle of starting a worker process (a
fork request to the forkserver cut off halfway made it print a traceback): then the stop
comes as soon as the start is done."""
from __future__ import annotations

import os
import signal

import pytest

from checker.batch.interrupts import Interrupted, held, terminate_as_interrupt
from checker.batch.pool import _context


def test_a_stop_outside_a_start_is_raised_at_once():
    with terminate_as_interrupt():
        with pytest.raises(Interrupted):
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):  # the handler runs between two bytecodes, soon after the signal
                pass


def test_a_stop_while_a_worker_starts_waits_for_the_start_to_end():
    steps = []
    with terminate_as_interrupt():
        with pytest.raises(Interrupted):
            with held():
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(1000):
                    pass
                steps.append("the start went on")
            steps.append("after the start")  # not reached: the stop is raised as the block ends
    assert steps == ["the start went on"]


def test_the_pools_processes_start_held():
    process = _context().Process(target=print)
    assert type(process).start.__qualname__.startswith("_Held")
    assert "held" in type(process).start.__code__.co_names
