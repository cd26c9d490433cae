"""Choices for regions and organisations."""

from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "地市级"
    COUNTY = "county", "区县级"
    TOWNSHIP = "township", "街道乡镇"
    VILLAGE = "village", "社区村"


class OrgKind(models.TextChoices):
    SUBDISTRICT_OFFICE = "subdistrict", "街道办事处"
    SAFETY_OFFICE = "safety_office", "平安办"
    POLICE_STATION = "police_station", "派出所"
    SCHOOL_DISTRICT = "school_district", "学区管理中心"
    SCHOOL = "school", "学校"
    KINDERGARTEN = "kindergarten", "幼儿园"
    TRAFFIC_POLICE = "traffic_police", "交巡警"
    EMERGENCY = "emergency", "应急管理"
    MARKET_REGULATION = "market_regulation", "市场监管"
    HEALTH = "health", "卫健"
    FIRE = "fire", "消防"
    EDUCATION_BUREAU = "education_bureau", "教委"
    POLITICAL_LEGAL = "political_legal", "政法委"
    PUBLIC_SECURITY_BUREAU = "public_security_bureau", "公安分局"


# Kinds whose own unit is a school; such organisations cover exactly their school.
SCHOOL_KINDS = frozenset({OrgKind.SCHOOL, OrgKind.KINDERGARTEN})
