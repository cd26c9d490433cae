"""Masks for personal data shown in lists and pages (DESIGN §4.7): enough to recognise a record,
not enough to identify a person."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****1234: the first three and last four characters of a long number (11 or more), the
    first two and last two of a shorter one (a 7–10 digit landline: at least three hidden), the
    rest starred."""
    phone = (phone or "").strip()
    if len(phone) >= 11:
        return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
    if len(phone) >= 7:
        return f"{phone[:2]}{'*' * (len(phone) - 4)}{phone[-2:]}"
    return "*" * len(phone)


def mask_name(name: str) -> str:
    """张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明, 张 → *; spaces inside do not count
    ("张 三" is 张*)."""
    name = "".join((name or "").split())
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(number: str) -> str:
    """500151199001011234 → 5001**********1234."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_text(text: str) -> str:
    """An address or a note: only that it is filled in."""
    return "（已登记，查看完整信息可见）" if text else ""
