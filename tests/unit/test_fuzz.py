"""The fuzzer (tests/fuzzing.py) as a test: a sample in the fast layer, 10,000 cases in the slow one."""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest
from fuzzing import Failure, check_range

FAST_CASES = 150
SLOW_CASES = 10_000


def _verdict(failures: list[Failure]) -> str:
    """One line per kind of failure, with the first case that shows it and how to replay it."""
    kinds: Counter[tuple[str, str]] = Counter((f.command, f.problem[:120]) for f in failures)
    first: dict[tuple[str, str], int] = {}
    for failure in failures:
        first.setdefault((failure.command, failure.problem[:120]), failure.index)
    lines = [f"{count}× okrctl {command}: {problem} (case {first[command, problem]})" for (command, problem), count
             in kinds.most_common()]  # fmt: skip
    return "\n".join([*lines, "replay one with: .venv/bin/python tests/fuzzing.py CASE /tmp/case"])


def test_fuzz_sample() -> None:
    failures = check_range(0, FAST_CASES)
    assert not failures, _verdict(failures)


@pytest.mark.slow
def test_fuzz_ten_thousand_cases() -> None:
    workers = max(1, min(4, os.cpu_count() or 1))
    bounds = [FAST_CASES + SLOW_CASES * w // workers for w in range(workers + 1)]
    with ProcessPoolExecutor(workers) as pool:
        shares = pool.map(check_range, bounds[:-1], bounds[1:])
        failures = [failure for share in shares for failure in share]
    assert not failures, _verdict(failures)
