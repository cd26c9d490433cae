"""Template filters: Chinese dates, field rendering."""

from django import template

from huxiao.lib.dates import cn_date as _cn_date
from huxiao.lib.dates import cn_datetime as _cn_datetime

register = template.Library()


@register.filter
def cn_date(value):
    """`2026年11月29日`"""
    return _cn_date(value)


@register.filter
def cn_datetime(value):
    """`2026年11月29日 08:05`"""
    return _cn_datetime(value)
