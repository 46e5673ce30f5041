"""The positional YAML reader: positions, YAML 1.2 core-schema scalars, and what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrctl.yamlread import MAX_NESTING, YamlMap, YamlSeq, YamlSyntaxError, parse_yaml

TEXT = """\
kind: okrs   # a comment
objectives:
  - id: acquire
    title: "Drive ‘new’ acquisition"
    key_results:
      - {id: deals, start: 0}
      -
        id: churn
"""


def test_every_key_and_item_keeps_its_line_and_column() -> None:
    data = parse_yaml(TEXT)
    assert isinstance(data, YamlMap)
    assert data.pos == (1, 1)
    assert data.key_pos == {"kind": (1, 1), "objectives": (2, 1)}
    objectives = data["objectives"]
    assert isinstance(objectives, YamlSeq)
    assert objectives.item_pos == [(3, 5)]
    objective = objectives[0]
    assert objective.key_pos == {"id": (3, 5), "title": (4, 5), "key_results": (5, 5)}
    key_results = objective["key_results"]
    assert key_results.item_pos == [(6, 9), (8, 9)]
    assert key_results[0].key_pos == {"id": (6, 10), "start": (6, 21)}
    assert objective["title"] == "Drive ‘new’ acquisition"


def test_columns_count_characters_not_bytes() -> None:
    data = parse_yaml("titre: «été» €\nnext: [é, {k: v}]\n")
    assert data["next"].item_pos == [(2, 8), (2, 11)]
    assert data["next"][1].key_pos == {"k": (2, 12)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("Off", "Off"),
        ("true", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("052", 52),
        ("0o17", 15),
        ("0x1F", 31),
        ("+12", 12),
        ("-3", -3),
        ("0.70", 0.7),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("-.inf", float("-inf")),
        ("1_000", "1_000"),
        ("1:30", "1:30"),
        ("2026-11-02", "2026-11-02"),
        ("'12'", "12"),
        ('"true"', "true"),
        ("!!str 5", "5"),
        ("!!int '7'", 7),
        ("!!float 3", 3.0),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    assert parse_yaml(f"a: {text}\n")["a"] == value
    assert type(parse_yaml(f"a: {text}\n")["a"]) is type(value)


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_integers_read_back_exactly(number: int) -> None:
    assert parse_yaml(f"n: {number}\n")["n"] == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_back_exactly(number: float) -> None:
    text = repr(number)
    if "e" in text and "." not in text.split("e")[0]:
        text = text.replace("e", ".0e")  # YAML 1.2 wants a mantissa point only in our regex's sense
    assert parse_yaml(f"x: {text}\n")["x"] == number


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30))
def test_double_quoted_text_is_always_a_string(text: str) -> None:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    assert parse_yaml(f'a: "{escaped}"\n')["a"] == text


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a: 1\na: 2\n", 2, 1, "duplicate key 'a' (first defined at line 1)"),
        ("a: &x 1\nb: *x\n", 1, 4, "anchor '&x': anchors and aliases are not allowed"),
        ("a: *x\n", 1, 4, "alias '*x': anchors and aliases are not allowed"),
        ("a: !custom 1\n", 1, 4, "the tag '!custom' is not allowed in goal files"),
        ("a: !!int x\n", 1, 4, "'x' is not a valid int"),
        ("? [a]\n: 1\n", 1, 3, "a mapping key must be a plain value, not a list or mapping"),
        ("a: 1\n---\nb: 2\n", 2, 1, "a second YAML document: a goal file holds exactly one"),
        ("a: [1\n", 2, 1, "did not find expected ',' or ']' (while parsing a flow sequence)"),
    ],
)
def test_refusals_carry_a_position(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text)
    assert (caught.value.line, caught.value.column, caught.value.message) == (line, column, message)


def test_an_empty_stream_is_none() -> None:
    assert parse_yaml("") is None
    assert parse_yaml("# only a comment\n") is None


@pytest.mark.parametrize("depth", [MAX_NESTING, 5_000])
def test_nesting_is_limited_by_okrctl_not_by_libyaml(depth: int) -> None:
    # libyaml 0.2.6 stops at 1000 flow levels with its own message, older ones never: the finding is ours.
    flow = "[" * depth + "]" * depth
    if depth <= MAX_NESTING:
        assert parse_yaml(flow) is not None
        return
    for text in (flow, "k: " + "{a: " * depth + "}" * depth, "".join(" " * i + "- \n" for i in range(depth))):
        with pytest.raises(YamlSyntaxError, match=f"nested more than {MAX_NESTING} levels deep"):
            parse_yaml(text)
    with pytest.raises(YamlSyntaxError) as error:
        parse_yaml(flow)
    assert (error.value.line, error.value.column) == (1, MAX_NESTING + 1)
