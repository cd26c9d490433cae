"""The seed's categories of key persons (§四（二）三) with their 统计表 group — put in place by
migration 0002 (which keeps its own frozen copy) and restored by `ensure_defaults()` wherever the
table may have been emptied (a flushed test database, a demo loaded into an emptied database)."""

from __future__ import annotations

from huxiao.people.choices import StatGroup

DEFAULTS = [
    ("严重精神障碍患者（易肇事肇祸）", StatGroup.MENTAL),
    ("重点上访人员", StatGroup.PETITION),
    ("吸毒人员", StatGroup.DRUG),
    ("心理失衡/对社会不满人员", StatGroup.OTHER),
    ("曾因涉校违法犯罪被打击处理人员", StatGroup.RELEASED),
    ("其他", StatGroup.OTHER),
]


def ensure_defaults() -> None:
    """Create any missing default category (an existing one, perhaps edited, is left alone)."""
    from huxiao.people.models import Category

    for order, (name, group) in enumerate(DEFAULTS):
        Category.objects.get_or_create(name=name, defaults={"stat_group": group, "order": order})
