"""One way to show a character that must not be printed, whichever output it reaches: a report line, a file
name, a usage error, a JUnit report."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrctl.cli import app
from okrctl.loader import display_path, printable
from okrctl.reporters.junit import xml_safe
from okrctl.reporters.safe_text import escaped, one_line

NOT_UTF8 = b"bad\xff.yaml".decode("utf-8", "surrogateescape")  # how Python names such a file: "bad\udcff.yaml"


def _usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exited:
        app([*args], prog_name="okrctl")
    assert exited.value.code == 2
    return capsys.readouterr().err


def test_a_character_is_shown_as_python_escapes_it_and_a_byte_that_is_not_utf8_as_that_byte() -> None:
    assert [escaped(c) for c in "\n\t\x1b\x7f\x9b\u202e\U000e0001"] == [
        "\\n",
        "\\t",
        "\\x1b",
        "\\x7f",
        "\\x9b",
        "\\u202e",
        "\\U000e0001",
    ]
    assert escaped("\udcff") == "\\xff"
    assert escaped("\ud800") == "\\ud800"  # a lone surrogate that no file name decodes to


def test_printable_escapes_without_folding_and_one_line_folds() -> None:
    assert printable("a\tb\nc\x1b") == "a\\tb\\nc\\x1b"
    assert one_line("a\tb\nc\x1b") == "a b c\\x1b"
    assert printable(NOT_UTF8) == one_line(NOT_UTF8) == "bad\\xff.yaml"  # one_line never leaves a surrogate
    assert printable("Café 🚀") == "Café 🚀"


def test_the_loader_still_offers_printable_and_shows_paths_with_it() -> None:
    assert display_path(Path(NOT_UTF8)) == printable(NOT_UTF8) == "bad\\xff.yaml"


def test_a_usage_error_shows_a_byte_that_is_not_utf8_as_file_names_show_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _usage_error(capsys, "lint", f"--{NOT_UTF8}")
    assert "--bad\\xff.yaml" in err
    assert "\udcff" not in err and "\\udcff" not in err


def test_junit_escapes_what_xml_cannot_hold_as_everywhere_else() -> None:
    assert xml_safe(f"a\x1bb {NOT_UTF8} \ufffe\ttab\nline") == "a\\x1bb bad\\xff.yaml \\ufffe\ttab\nline"
