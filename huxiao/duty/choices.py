"""Choices of the 护学岗与巡逻 app."""

from django.db import models


class PeriodKind(models.TextChoices):
    MORNING = "morning", "早高峰"
    NOON = "noon", "午间"
    AFTERNOON = "afternoon", "晚高峰"


# Default peak windows for a new post (configurable per post afterwards).
DEFAULT_PERIODS = [
    (PeriodKind.MORNING, "07:20", "08:10"),
    (PeriodKind.NOON, "11:40", "12:20"),
    (PeriodKind.AFTERNOON, "16:10", "17:00"),
]

WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
MON_TO_FRI = 0b0011111  # bit w set = the period runs on weekday w (Monday = 0)

# The staffing kinds a record counts, in display order: (field on DutyRecord, label, unit).
COUNT_FIELDS = [
    ("police", "民警", "人"),
    ("aux_police", "辅警", "人"),
    ("guards", "保安", "人"),
    ("teachers", "教师", "人"),
    ("volunteers", "家长志愿者", "人"),
    ("cars", "警车", "台次"),
]

# The minimums a standard or a post override sets: (field, label).
MINIMUM_FIELDS = [
    ("min_police", "民警"),
    ("min_police_or_aux", "民警或辅警（合计）"),
    ("min_guards", "保安"),
    ("min_teachers", "教师"),
    ("min_volunteers", "家长志愿者"),
]

# The platform default when neither the post nor any region up the tree sets a standard:
# 民警或辅警 ≥ 1, 保安 ≥ 1 (research/regulations.md: 护学岗 with police presence and guards).
DEFAULT_MINIMUMS = {
    "min_police": 0,
    "min_police_or_aux": 1,
    "min_guards": 1,
    "min_teachers": 0,
    "min_volunteers": 0,
}


# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "duty.post_create": "设置护学岗",
    "duty.post_update": "修改护学岗",
    "duty.post_new_token": "更换护学岗二维码",
    "duty.check_in": "护学岗签到",
    "duty.check_out": "护学岗签退",
    "duty.record_update": "填写执勤情况",
    "duty.backfill": "补录执勤记录",
    "duty.standard_set": "设置护学岗力量标准",
    "duty.export": "导出执勤记录",
    "duty.patrol_group_create": "新建巡逻小组",
    "duty.patrol_group_update": "修改巡逻小组",
    "duty.patrol_log_create": "登记巡逻",
}
