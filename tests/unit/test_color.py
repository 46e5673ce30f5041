"""`--color auto`: the terminal, NO_COLOR and FORCE_COLOR as no-color.org and force-color.org define them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from okrctl.cli import _color


@contextmanager
def stdout_on(terminal: bool, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """stdout on a real pseudo-terminal, or into a real pipe (set in the test: pytest's capture resets it)."""
    reader, writer = os.openpty() if terminal else os.pipe()
    with open(writer, "w") as stream:  # noqa: PTH123 (a file descriptor, not a path)
        monkeypatch.setattr(sys, "stdout", stream)
        yield
    os.close(reader)


@pytest.fixture(autouse=True)
def no_color_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, True),
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": ""}, True),  # set but empty: not a request for no colour
        ({"NO_COLOR": "", "TERM": "dumb"}, False),
    ],
)
def test_auto_on_a_terminal(environment: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with stdout_on(True, monkeypatch):
        assert _color("auto") is expected


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": ""}, False),  # set but empty: not a request for colour
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # a request for no colour wins
    ],
)
def test_auto_into_a_pipe(environment: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with stdout_on(False, monkeypatch):
        assert _color("auto") is expected


def test_always_and_never_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert _color("always") is True
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _color("never") is False
