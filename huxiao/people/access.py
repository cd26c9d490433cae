"""The only way a view gets a key person or a dispute. The registers are invisible to anyone
without `Cap.SENSITIVE_VIEW` in a police or 政法 unit: for them every people URL is a 404 (the
register's existence is not leaked either); a record outside the user's scope is a 404; a
writing action without the capability at the record's station is a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation
from huxiao.people.models import Dispute, KeyPerson
from huxiao.people.querysets import PEOPLE_UNIT_KINDS

NOT_FOUND = "记录不存在或不在您的管辖范围内。"


def sees_registers(user) -> bool:
    """Whether the user holds SENSITIVE_VIEW in a police or 政法 unit."""
    return bool(scope_of(user).org_ids(Cap.SENSITIVE_VIEW, kinds=PEOPLE_UNIT_KINDS))


# Units that see the counts (never a name): the registers' own units, the 街道 and its 平安办, the 学区.
OVERVIEW_KINDS = frozenset(
    {*PEOPLE_UNIT_KINDS, OrgKind.SUBDISTRICT_OFFICE, OrgKind.SAFETY_OFFICE, OrgKind.SCHOOL_DISTRICT}
)


def sees_overview(user) -> bool:
    """涉校稳定态势 (counts by school and category): police, 政法, 街道, 平安办, 学区 — not schools."""
    return bool(scope_of(user).org_ids(Cap.SCHOOL_VIEW, kinds=OVERVIEW_KINDS))


def reads_register_audit(user) -> bool:
    """Who may read the registers' audit events (查看完整信息 reasons, exports): those who see
    the registers, and the 安全审计员 (who watches who looked at what)."""
    from huxiao.accounts.roles import RoleCode

    scope = scope_of(user)
    return sees_registers(user) or (RoleCode.AUDITOR in scope.roles and scope.has(Cap.AUDIT_VIEW))


def require_overview(user) -> None:
    if not sees_overview(user):
        raise Http404(NOT_FOUND)


def require_registers(user) -> None:
    """404 for everyone who may not know the registers' contents."""
    if not sees_registers(user):
        raise Http404(NOT_FOUND)


def own_stations(user) -> QuerySet[Organisation]:
    """The 派出所 whose registers the user keeps (PEOPLE_MANAGE there)."""
    return Organisation.objects.filter(
        pk__in=scope_of(user).org_ids(Cap.PEOPLE_MANAGE, kind=OrgKind.POLICE_STATION)
    ).order_by("name")


def manages_any(user) -> bool:
    """Whether the user keeps the registers of a 派出所 (may register, export)."""
    return bool(scope_of(user).org_ids(Cap.PEOPLE_MANAGE, kind=OrgKind.POLICE_STATION))


def station_orgs(user, record: KeyPerson | Dispute, cap: str) -> list[int]:
    """The user's units holding `cap` that are the record's responsible station."""
    return scope_of(user).acting_orgs(cap, units=[record.station_id], kinds={OrgKind.POLICE_STATION})


def may_manage(user, record: KeyPerson | Dispute) -> bool:
    return bool(station_orgs(user, record, Cap.PEOPLE_MANAGE))


def may_approve(user, record: KeyPerson | Dispute) -> bool:
    return bool(station_orgs(user, record, Cap.PEOPLE_APPROVE))


def may_reveal(user, record: KeyPerson | Dispute) -> bool:
    """查看完整信息: the responsible station, and the 区委政法委 over the record's region."""
    scope = scope_of(user)
    return bool(
        station_orgs(user, record, Cap.SENSITIVE_VIEW)
        or scope.acting_orgs(Cap.SENSITIVE_VIEW, path=record.region.path, kinds={OrgKind.POLITICAL_LEGAL})
    )


def access_person(user, pk, *, manage: bool = False, approve: bool = False) -> KeyPerson:
    require_registers(user)
    person = (
        KeyPerson.objects.visible_to(user)
        .select_related("station", "officer", "region", "category")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404(NOT_FOUND)
    if manage and not may_manage(user, person):
        raise PermissionDenied("只有责任派出所的民警可以维护该人员档案。")
    if approve and not may_approve(user, person):
        raise PermissionDenied("撤销列管须由责任派出所领导审批。")
    return person


def access_dispute(user, pk, *, manage: bool = False) -> Dispute:
    require_registers(user)
    dispute = Dispute.objects.visible_to(user).select_related("station", "region").filter(pk=pk).first()
    if dispute is None:
        raise Http404(NOT_FOUND)
    if manage and not may_manage(user, dispute):
        raise PermissionDenied("只有责任派出所的民警可以维护该矛盾纠纷。")
    return dispute
