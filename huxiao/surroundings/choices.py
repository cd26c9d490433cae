"""Choices of the 周边与交通 app: venue kinds and their default departments, check results,
traffic facilities and congestion levels."""

from django.db import models

from huxiao.core.choices import OrgKind


class VenueKind(models.TextChoices):
    INTERNET_CAFE = "internet_cafe", "网吧"
    ARCADE = "arcade", "游戏厅"
    ENTERTAINMENT = "entertainment", "娱乐场所"
    RENTAL = "rental", "出租屋"
    SHOP = "shop", "商铺"
    HOTEL = "hotel", "旅馆"
    STALL = "stall", "小摊点"
    OTHER = "other", "其他"


# Which kind of department is responsible for a venue by default: public-order venues
# (网吧, 游戏厅, 娱乐场所, 旅馆, 出租屋) fall to the 派出所 (治安管理, 流动人口); shops and stalls
# selling to pupils to 市场监管; anything else to the subdistrict's 平安办.
KIND_DEPARTMENT: dict[str, str] = {
    VenueKind.INTERNET_CAFE: OrgKind.POLICE_STATION,
    VenueKind.ARCADE: OrgKind.POLICE_STATION,
    VenueKind.ENTERTAINMENT: OrgKind.POLICE_STATION,
    VenueKind.RENTAL: OrgKind.POLICE_STATION,
    VenueKind.HOTEL: OrgKind.POLICE_STATION,
    VenueKind.SHOP: OrgKind.MARKET_REGULATION,
    VenueKind.STALL: OrgKind.MARKET_REGULATION,
    VenueKind.OTHER: OrgKind.SAFETY_OFFICE,
}

# Kinds of organisation that may be named as a venue's or traffic point's responsible department.
DEPARTMENT_KINDS = (
    OrgKind.POLICE_STATION,
    OrgKind.MARKET_REGULATION,
    OrgKind.TRAFFIC_POLICE,
    OrgKind.SAFETY_OFFICE,
    OrgKind.SUBDISTRICT_OFFICE,
    OrgKind.EMERGENCY,
    OrgKind.HEALTH,
    OrgKind.FIRE,
    OrgKind.PUBLIC_SECURITY_BUREAU,
)


class VenueStatus(models.TextChoices):
    OPEN = "open", "正常经营"
    RECTIFYING = "rectifying", "责令整改"
    CLOSED = "closed", "停业"
    BANNED = "banned", "已取缔"


class CheckResult(models.TextChoices):
    OK = "ok", "正常"
    PROBLEM = "problem", "发现问题"


class Facility(models.TextChoices):
    SIGNS = "signs", "警示标志"
    SIGNALS = "signals", "信号灯"
    SPEED_BUMPS = "speed_bumps", "减速带"
    CROSSING = "crossing", "人行横道"
    DROP_OFF = "drop_off", "临时停车区/即停即走区"
    BARRIER = "barrier", "隔离护栏"


class Congestion(models.TextChoices):
    CLEAR = "clear", "畅通"
    SLOW = "slow", "缓行"
    CONGESTED = "congested", "拥堵"
    SEVERE = "severe", "严重拥堵"


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "surroundings.venue_create": "登记周边场所",
    "surroundings.venue_update": "修改周边场所",
    "surroundings.venue_check": "周边场所检查",
    "surroundings.point_create": "设置校门交通点位",
    "surroundings.point_update": "修改校门交通点位",
    "surroundings.traffic_observe": "校门交通秩序检查",
}
