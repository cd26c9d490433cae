"""Single posts, records and patrols for views — 404 outside the user's scope (existence is not
leaked), 403 when the user's role there lacks the capability — and the question "for which of
the user's units does the user act at this post?"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import OrgKind
from huxiao.duty.models import DutyPost, DutyRecord, PatrolGroup, PatrolLog
from huxiao.schools.scope import school_org_ids


def post_org_ids(user, post: DutyPost, cap: str) -> list[int]:
    """The user's units whose memberships carry `cap` and reach the post's school or run the post."""
    return school_org_ids(user, post.school, cap, also=[post.police_station_id])


def station_org_ids(user, post: DutyPost, cap: str) -> list[int]:
    """Of `post_org_ids`, those that are police stations (backfill is the station's job)."""
    stations = set(scope_of(user).org_ids(cap, kind=OrgKind.POLICE_STATION))
    return [i for i in post_org_ids(user, post, cap) if i in stations]


def can_post(user, post: DutyPost, cap: str) -> bool:
    return bool(post_org_ids(user, post, cap))


def _post_qs(user):
    return DutyPost.objects.visible_to(user).select_related("school__region", "police_station")


def access_post(user, pk, *, cap: str | None = None) -> DutyPost:
    post = _post_qs(user).filter(pk=pk).first()
    if post is None:
        raise Http404("护学岗不存在或不在您的管辖范围内。")
    if cap is not None and not can_post(user, post, cap):
        raise PermissionDenied("您的角色不能对该护学岗进行此项操作。")
    return post


def access_post_by_token(user, token: str) -> DutyPost:
    """The post a QR code names — only if the user may see it."""
    post = _post_qs(user).filter(token=token).first()
    if post is None:
        raise Http404("二维码对应的护学岗不存在、已停用或不在您的管辖范围内。")
    return post


def access_record(user, pk, *, post: DutyPost | None = None) -> DutyRecord:
    """A record in scope; with `post`, only a record *of that post* (a QR page cannot reach
    another post's records by changing the id)."""
    records = DutyRecord.objects.visible_to(user).select_related("post__school__region", "period")
    if post is not None:
        records = records.filter(post=post)
    record = records.filter(pk=pk).first()
    if record is None:
        raise Http404("执勤记录不存在或不在您的管辖范围内。")
    return record


def access_group(user, pk) -> PatrolGroup:
    group = PatrolGroup.objects.visible_to(user).select_related("station__region").filter(pk=pk).first()
    if group is None:
        raise Http404("巡逻小组不存在或不在您的管辖范围内。")
    return group


def access_patrol(user, pk) -> PatrolLog:
    log = (
        PatrolLog.objects.visible_to(user)
        .select_related("group__station__region", "created_by")
        .filter(pk=pk)
        .first()
    )
    if log is None:
        raise Http404("巡逻记录不存在或不在您的管辖范围内。")
    return log


def group_org_ids(user, group: PatrolGroup, cap: str) -> list[int]:
    """The user's units with `cap` that lead the group or whose regions hold its station."""
    return scope_of(user).acting_orgs(cap, path=group.station.region.path, units=[group.station_id])


RECORD_WRITERS = "只有本时段已签到的人员或护学岗管理单位可以填写执勤情况。"


def may_update_record(user, record: DutyRecord) -> bool:
    """执勤情况 is written by someone checked in at the record, or by the unit managing the post."""
    return record.checkins.filter(user=user).exists() or bool(
        post_org_ids(user, record.post, Cap.DUTY_MANAGE)
    )
