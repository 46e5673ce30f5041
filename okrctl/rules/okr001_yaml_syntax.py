"""The file cannot be read as a goal file: broken YAML, or not a single UTF-8 YAML mapping.

**What it does.** Reports files that are not parseable YAML, whose top level is not a mapping, that repeat
a key, use anchors or aliases, are not UTF-8 text, are binary, or are over 1 MiB. The loader raises it.

**Why it matters.** Nothing else can be checked or scored until the file reads cleanly; duplicate keys
silently drop data in most YAML tools, and aliases make files hard to edit safely.

**Example** (fails: duplicate key)

```yaml
kind: okrs
owner: sales
owner: marketing
```

**Use instead**

```yaml
kind: okrs
owner: sales
```
"""

CODE = "OKR001"
NAME = "yaml-syntax"
SEVERITY = "error"
