"""`okrctl notify`: events computed from the goal files and their git history, sent to Slack, Microsoft Teams
or any webhook, each exactly once without a state file.

- `events`: what happened — a KPI entering amber or red and recovering, going stale, an objective falling off
  track, a goal post moved (OKR401–405), owners to remind — each with a stable fingerprint and its cause (a
  measurement, a check-in, a commit, or time passing), so `--since REV` keeps exactly the new ones;
- `payloads`: one message per channel per run, in Slack's blocks, a Teams Adaptive Card, or a versioned JSON
  body with Alertmanager's field names;
- `delivery`: POST with timeouts and retries (`okrctl.http`); a failure exits 3 once the others are sent.
"""
