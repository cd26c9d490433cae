"""The columns of the school register spreadsheet, shared by export and import so a
downloaded register can be edited and imported back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str  # Chinese header exactly as it appears in row 1
    field: str  # School field (or pseudo-field resolved by the importer)
    required: bool = False
    width: int = 14


COLUMNS: list[Column] = [
    Column("学校名称", "name", True, 28),
    Column("学校标识码", "code", False, 14),
    Column("学校类型", "school_type", True, 10),
    Column("办学性质", "ownership", True, 8),
    Column("是否寄宿制", "is_boarding", True, 8),
    Column("在校学生数", "students", True, 10),
    Column("寄宿生数", "boarders", False, 8),
    Column("教职工数", "staff", True, 8),
    Column("校长（园长）", "principal_name", False, 10),
    Column("校长电话", "principal_phone", False, 14),
    Column("分管安全负责人", "safety_lead_name", False, 12),
    Column("安全负责人电话", "safety_lead_phone", False, 14),
    Column("所在区划代码", "region", True, 14),
    Column("地址", "address", False, 30),
    Column("纬度", "latitude", False, 10),
    Column("经度", "longitude", False, 10),
    Column("责任派出所", "police_station", False, 16),
    Column("学区管理中心", "school_district", False, 16),
]

HEADERS = [c.header for c in COLUMNS]
