"""Who reaches which part of the gate log, and the only way a view gets one entry. Outside the
school's own keepers every record URL is a 404 (existence is not leaked); the counts page is a
404 for anyone but the 学区 and the police."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap, RoleCode
from huxiao.accounts.scope import scope_of
from huxiao.core.models import Organisation
from huxiao.gate.choices import EntryKind
from huxiao.gate.models import VehicleEntry, VisitorEntry
from huxiao.schools.models import School
from huxiao.schools.scope import COUNTING_KINDS, POLICE_KINDS, SCHOOL_KINDS, school_org_ids

NOT_FOUND = "门卫登记不存在或不在您的管辖范围内。"
MODELS = {EntryKind.VISITOR: VisitorEntry, EntryKind.VEHICLE: VehicleEntry}


def keeps_log(user) -> bool:
    """Whether the user keeps a school's gate log (its 门卫, safety lead or principal)."""
    return bool(scope_of(user).org_ids(Cap.GATE_LOG, kinds=SCHOOL_KINDS))


def reviews_log(user) -> bool:
    """A keeper who also reads the school's records (safety lead, principal): the month filter.
    The 门卫 holds the gate log alone and gets today's page only."""
    return keeps_log(user) and bool(scope_of(user).org_ids(Cap.SCHOOL_VIEW, kinds=SCHOOL_KINDS))


def sees_counts(user) -> bool:
    """The counts page: a 学区 or a police unit reaching schools."""
    return bool(scope_of(user).org_ids(Cap.SCHOOL_VIEW, kinds=COUNTING_KINDS))


def searches(user) -> bool:
    """The plate / 身份证号 search: police units only."""
    return bool(scope_of(user).org_ids(Cap.SCHOOL_VIEW, kinds=POLICE_KINDS))


def reads_gate_audit(user) -> bool:
    """Who may read the gate log's audit events (the searches with their masked keys): the
    school's keepers, the police and the 安全审计员."""
    scope = scope_of(user)
    return (
        keeps_log(user) or searches(user) or (RoleCode.AUDITOR in scope.roles and scope.has(Cap.AUDIT_VIEW))
    )


def logging_orgs(user, school: School) -> list[int]:
    """The user's school units that keep this school's gate log."""
    return school_org_ids(user, school, Cap.GATE_LOG, kinds=SCHOOL_KINDS)


def may_log(user, school: School) -> bool:
    return bool(logging_orgs(user, school))


def search_unit(user) -> Organisation | None:
    """The police unit a search is recorded against (the user's first)."""
    ids = scope_of(user).org_ids(Cap.SCHOOL_VIEW, kinds=POLICE_KINDS)
    return Organisation.objects.select_related("region").filter(pk__in=ids).order_by("pk").first()


def require_log(user) -> None:
    if not keeps_log(user):
        raise Http404(NOT_FOUND)


def require_counts(user) -> None:
    if not sees_counts(user):
        raise Http404(NOT_FOUND)


def access_entry(user, kind: str, pk) -> VisitorEntry | VehicleEntry:
    """A visitor or a vehicle of the user's school log, for 离校 (the keepers write what they read)."""
    model = MODELS.get(kind)  # type: ignore[call-overload]
    if model is None:
        raise Http404(NOT_FOUND)
    entry = model.objects.visible_to(user).select_related("school__region").filter(pk=pk).first()
    if entry is None:
        raise Http404(NOT_FOUND)
    if not may_log(user, entry.school):
        raise PermissionDenied("只有本校（园）的门卫、安全负责人和校长可以登记离校。")
    return entry
