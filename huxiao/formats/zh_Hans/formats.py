"""Our overrides of Django's zh-hans formats (everything else falls through to Django's).

A date field renders its value with the *first* input format. Django's zh-hans list starts
with `2026/11/29`, which `<input type="date">` cannot read (it wants ISO `2026-11-29`), so an
edit form would show a saved date as empty and saving could erase it. ISO first; the others
are still accepted as input. Pages show dates as 2026年11月29日 through `cn_date`.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
]
