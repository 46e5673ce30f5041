"""`okrctl site`: a static HTML report of the goals (overview, owners, KPIs, alignment), built from a scored
report with Jinja2 templates and inline SVG charts; it needs no network to be read."""
