"""The rule registry: every rule by code, in code order. An unknown code is a loud error."""

from __future__ import annotations

import importlib

from okrctl.rules.base import LintContext, Rule

__all__ = ["RULES", "LintContext", "Rule", "matching_codes"]

# The explicit list of rule modules, in code order (yamllint's habit: no magic discovery).
_MODULES = (
    "okr001_yaml_syntax",
    "okr002_schema",
    "okr003_duplicate_id",
    "okr004_unknown_reference",
    "okr005_alignment_cycle",
    "okr006_key_result_kind",
    "okr007_zero_range",
    "okr008_band_order",
    "okr101_too_many_objectives",
    "okr102_key_result_count",
    "okr103_output_not_outcome",
    "okr104_number_in_objective",
    "okr105_long_objective",
    "okr106_grade_without_note",
    "okr201_kpi_definition",
    "okr202_too_many_kpis",
    "okr301_stale_key_result",
    "okr302_stale_kpi",
    "okr303_date_out_of_period",
    "okr304_missed_commitment",
    "okr305_too_easy",
    "okr401_target_moved",
    "okr402_key_result_dropped_or_reweighted",
    "okr403_backdated_checkin",
    "okr404_rewritten_value",
    "okr405_band_moved",
)


def _build() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for name in _MODULES:
        rule = Rule.from_module(importlib.import_module(f"okrctl.rules.{name}"))
        if rule.code in rules:
            raise RuntimeError(f"two rules share the code {rule.code}")
        if not name.startswith(rule.code.lower()):
            raise RuntimeError(f"module {name} declares the code {rule.code}")
        rules[rule.code] = rule
    return rules


RULES: dict[str, Rule] = _build()


def matching_codes(selector: str) -> list[str]:
    """Codes selected by a code or a code prefix (`OKR1` selects OKR101…OKR106), as ruff selects."""
    return [code for code in RULES if code.startswith(selector.upper())] if selector else []
