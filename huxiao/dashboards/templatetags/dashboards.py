"""`{% chart c %}` renders a chart built by `huxiao.dashboards.charts`; `|n` prints a coordinate."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from huxiao.dashboards.charts import Chart, _n

register = template.Library()


@register.simple_tag
def chart(c: Chart) -> SafeString:
    """The chart's SVG, from `templates/dashboards/charts/<kind>.html` (labels autoescaped)."""
    return SafeString(render_to_string(c.template, {"c": c}))


@register.filter
def n(value) -> str:
    """A number as an SVG coordinate: at most two decimals (`12.5`, `0`)."""
    return _n(float(value or 0))
