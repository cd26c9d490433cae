"""Turns a profile into labelled rows for pages and documents (one place for display rules)."""

from __future__ import annotations

from typing import Any

from huxiao.schools.choices import AntiRam, CameraArea, GuardEquipment
from huxiao.schools.models import SecurityProfile

UNKNOWN = "未填报"


def display_value(profile: SecurityProfile, name: str) -> str:
    """Human-readable value of one profile field; None is always shown as 未填报."""
    value: Any = getattr(profile, name)
    if name == "guard_equipment":
        return "、".join(GuardEquipment(v).label for v in value if v in GuardEquipment.values) or "无"
    if name == "gate_anti_ram":
        return "、".join(AntiRam(v).label for v in value if v in AntiRam.values) or "无"
    if name == "camera_coverage":
        if not value:
            return UNKNOWN
        covered = [CameraArea(k).label for k, v in value.items() if v and k in CameraArea.values]
        missing = [CameraArea(k).label for k, v in value.items() if not v and k in CameraArea.values]
        text = "已覆盖：" + ("、".join(covered) or "无")
        return text + (f"；未覆盖：{'、'.join(missing)}" if missing else "")
    if name == "perimeter_barrier":
        return profile.get_perimeter_barrier_display() if value else UNKNOWN
    if value is None or value == "":
        return UNKNOWN
    if value is True:
        return "是"
    if value is False:
        return "否"
    if name == "perimeter_height_m":
        return f"{value} 米"
    if name == "cctv_retention_days":
        return f"{value} 天"
    if name == "gatehouse_staffed_hours":
        return f"{value} 小时"
    if name == "last_drill_date":
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def field_label(name: str) -> str:
    """The Chinese label of a profile field."""
    field = SecurityProfile._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def profile_rows(profile: SecurityProfile) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """[(group, [(label, value, is_unknown), …]), …] in the order of `SecurityProfile.GROUPS`."""
    rows = []
    for group, names in SecurityProfile.GROUPS.items():
        items = []
        for name in names:
            text = display_value(profile, name)
            items.append((field_label(name), text, text == UNKNOWN))
        rows.append((group, items))
    return rows
