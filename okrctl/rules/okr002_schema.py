"""A field is missing, unknown, or has the wrong type or form.

**What it does.** Validates every goal file against the format: required fields, no unknown fields (with
a did-you-mean), types, identifiers (`^[a-z0-9][a-z0-9_-]{0,63}$`), periods, dates (`YYYY-MM-DD`) and
references. A near-miss `kind` (`okr`, `KPI`) is reported here too. The loader raises it.

**Why it matters.** A typo such as `taget:` would otherwise be ignored and the key result scored wrongly.

**Example** (fails: unknown field)

```yaml
key_results:
  - id: churn
    title: Cut monthly churn from 5% to 2%
    start: 5
    taget: 2
```

**Use instead**

```yaml
    target: 2
```
"""

CODE = "OKR002"
NAME = "schema"
SEVERITY = "error"
