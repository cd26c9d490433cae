"""The only way a view gets a person or a check of the staff register. Outside the register's
scope every staff URL is a 404 (the police reach the guards' licence page only); a writing action
without the capability is a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.schools.models import School
from huxiao.schools.scope import DISTRICT_KINDS, POLICE_KINDS, SCHOOL_KINDS, school_org_ids
from huxiao.staff.models import BackgroundCheck, StaffMember

NOT_FOUND = "人员不存在或不在您的管辖范围内。"


def keeps_register(user) -> bool:
    """Whether the user keeps a school's staff register (its safety lead, its principal)."""
    return bool(scope_of(user).org_ids(Cap.STAFF_MANAGE, kinds=SCHOOL_KINDS))


def checks_registers(user) -> bool:
    """Whether the user reads and decides for a 学区's schools."""
    return bool(scope_of(user).org_ids(Cap.STAFF_DECIDE, kinds=DISTRICT_KINDS))


def sees_register(user) -> bool:
    return keeps_register(user) or checks_registers(user)


def sees_guards(user) -> bool:
    """The 保卫力量 page: the register's readers and the police."""
    return sees_register(user) or bool(scope_of(user).org_ids(Cap.SCHOOL_VIEW, kinds=POLICE_KINDS))


def reads_staff_audit(user) -> bool:
    """Who may read the register's audit events (查看完整信息 reasons, checks, decisions): its
    readers (the school, the 学区) and the 安全审计员 — not the police, who see licences only."""
    from huxiao.accounts.roles import RoleCode

    scope = scope_of(user)
    return sees_register(user) or (RoleCode.AUDITOR in scope.roles and scope.has(Cap.AUDIT_VIEW))


def keeping_orgs(user, school: School) -> list[int]:
    """The user's school units that keep this school's register."""
    return school_org_ids(user, school, Cap.STAFF_MANAGE, kinds=SCHOOL_KINDS)


def deciding_orgs(user, school: School) -> list[int]:
    """The user's 学区 units that decide for this school."""
    return school_org_ids(user, school, Cap.STAFF_DECIDE, kinds=DISTRICT_KINDS)


def may_keep(user, school: School) -> bool:
    return bool(keeping_orgs(user, school))


def may_decide(user, school: School) -> bool:
    return bool(deciding_orgs(user, school))


def require_register(user) -> None:
    if not sees_register(user):
        raise Http404(NOT_FOUND)


def access_member(user, pk, *, keep: bool = False) -> StaffMember:
    """A person of the register; `keep=True` for a change (the school's own keepers only)."""
    require_register(user)
    member = StaffMember.objects.visible_to(user).select_related("school__region").filter(pk=pk).first()
    if member is None:
        raise Http404(NOT_FOUND)
    if keep and not may_keep(user, member.school):
        raise PermissionDenied("只有本校（园）的安全负责人和校长可以维护教职员工登记。")
    return member


def access_check(user, pk, *, keep: bool = False, decide: bool = False) -> BackgroundCheck:
    """A check of the register; `keep` for the school's steps, `decide` for the 学区's decision."""
    require_register(user)
    check = (
        BackgroundCheck.objects.visible_to(user)
        .select_related("member__school__region", "decided_by", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise Http404("审查记录不存在或不在您的管辖范围内。")
    if keep and not may_keep(user, check.member.school):
        raise PermissionDenied("只有本校（园）的安全负责人和校长可以登记审查结果。")
    if decide and not may_decide(user, check.member.school):
        raise PermissionDenied("有异常的审查由学区管理中心作出处理决定。")
    return check
