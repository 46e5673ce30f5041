"""okrctl: OKRs and KPIs as YAML files in git: lint, score, report and edit them."""

__version__ = "0.1.0"
