"""An objective title holds a number that reads as a target: numbers belong in key results.

**What it does.** Reads an objective title word by word and flags the first number that states an amount:
a percentage (`20%`, `20 percent`), money (`$2M`, `€500k`), a multiple, magnitude or measure (`10x`,
`5k`, `3bn`, `2 million`, `200ms`, `2h`, `50+`), a range (`5-10`), or a plain count (`Hire 5 engineers`,
`from 5 to 2`). Numbers that are part of a name are not amounts and are left alone:

- words that mix letters and digits: periods and labels such as `Q4`, `H2`, `FY27`, `B2B`, `P0`, `v2`, `3D`;
- a year (`2027`, any four-digit number from 1900 to 2099);
- a number right after a capitalised word that is not the title's first: a product, standard or version
  name such as `Python 3`, `SOC 2`, `ISO 27001`, `Fortune 500` (but `ARR 20 percent` is still an amount);
- a number after `version`, `release`, `phase`, `wave`, `series`, `gen` or `generation`;
- the idioms `24/7` and `24x7`.

**Why it matters.** The objective is the qualitative, inspiring direction; its key results say how much.
A target in the objective usually means a key result has been promoted by mistake.

**Example** (fails)

```yaml
title: Grow revenue by 15%
```

**Use instead**

```yaml
title: Grow revenue faster than the market
key_results:
  - {id: revenue, title: Increase annual revenue by 15%, start: 0, target: 15, unit: "%"}
```

These pass: `Win the Q4 enterprise push`, `Make SOC 2 compliance boring`, `Own the 24/7 support experience`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.rules.base import LintContext, at, objectives

CODE = "OKR104"
NAME = "number-in-objective"
SEVERITY = "warning"

# One word that is a number: an optional sign or rank mark, an optional currency, digits (with separators),
# an optional second number of a range, and an optional unit of amount. Every part is a bounded or
# single-class repetition, each followed by a different character class, so a match is linear in the
# word (no nested or adjacent overlapping repeats): no input makes it backtrack quadratically.
_AMOUNT = re.compile(
    r"[~+±≈<>≥≤#-]?(?P<currency>[$€£¥₹])?[0-9][0-9,.]*(?:[-–][0-9][0-9,.]*)?"
    r"(?P<unit>%|x|×|k|m|mm|bn|b|t|ms|s|sec|min|mins|h|hr|hrs|mb|gb|tb)?\+?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_AMOUNT_WORDS = frozenset(
    [
        "%",
        "percent",
        "percentage",
        "pct",
        "pp",
        "x",
        "times",
        "fold",
        "k",
        "thousand",
        "m",
        "mm",
        "million",
        "b",
        "bn",
        "billion",
        "trillion",
        "points",
        "pts",
    ]
)
_VERSION_WORDS = frozenset(["version", "release", "phase", "wave", "series", "gen", "generation"])
_IDIOMS = frozenset(["24/7", "24x7"])
_PUNCTUATION = "\"'()[]{}.,;:!?…“”‘’"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, objective in objectives(file):
        amount = first_amount(objective.title)
        if amount is not None:
            message = f"objective {objective.id!r} title holds a number ({amount!r}): move it to a key result"
            yield at(file, (*loc, "title"), message)


def first_amount(title: str) -> str | None:
    """The first word of `title` that states an amount (see the rule's documentation), or None."""
    words = [word.strip(_PUNCTUATION) for word in title.split()]
    for index, word in enumerate(words):
        if not any(character.isdigit() for character in word) or word.lower() in _IDIOMS:
            continue
        match = _AMOUNT.fullmatch(word)
        if match is None:
            continue  # letters and digits mixed: a name or a label such as Q4, B2B, v2
        if match["currency"] or match["unit"] or word.endswith("+") or "-" in word[1:] or "–" in word:
            return word
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if following in _AMOUNT_WORDS:
            return word
        if _YEAR.fullmatch(word):
            continue
        previous = words[index - 1] if index > 0 else ""
        if (index > 1 and previous[:1].isupper()) or previous.lower() in _VERSION_WORDS:
            continue  # Python 3, SOC 2, ISO 27001, version 2
        return word
    return None
