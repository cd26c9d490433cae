"""Single inspections, answers, photos and plans for views (404 outside scope, 403 without the
right), and the rules of who may start which kind of inspection.

* Anyone who can see the school can read its inspections.
* Answering and submitting: a member of the inspection team (or whoever started it) who holds
  `Cap.INSPECTION_PERFORM` over the school, while the inspection is a draft.
* A school's own staff start only 自查; a 自查 is started only by the school's own unit; a 核查
  only by a 派出所 / 公安分局 or a 学区管理中心.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation
from huxiao.inspections.choices import Kind, State
from huxiao.inspections.models import Answer, AnswerPhoto, Inspection, InspectionPlan
from huxiao.lib.dates import cn_datetime
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids

VERIFY_ORG_KINDS = {OrgKind.POLICE_STATION, OrgKind.PUBLIC_SECURITY_BUREAU, OrgKind.SCHOOL_DISTRICT}
POLICE_ORG_KINDS = {OrgKind.POLICE_STATION, OrgKind.PUBLIC_SECURITY_BUREAU}


class InspectionLocked(Exception):
    """The inspection is submitted: it is read-only."""

    def __init__(self, inspection: Inspection):
        when = cn_datetime(inspection.submitted_at)
        who = inspection.submitted_by or "检查组"
        self.message = f"该检查已由{who}于{when}提交，不能再修改。"
        super().__init__(self.message)


def access_inspection(user, pk, *, cap: str | None = None) -> Inspection:
    """The inspection if its school is in the user's scope; with `cap`, 403 unless the user
    holds it over the school."""
    inspection = (
        Inspection.objects.visible_to(user)
        .select_related(
            "school__region",
            "school__organisation",
            "checklist__template",
            "lead_org",
            "created_by",
            "submitted_by",
            "verifies",
        )
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404("检查不存在或不在您的管辖范围内。")
    if cap is not None and not school_org_ids(user, inspection.school, cap):
        raise PermissionDenied("您的角色不能对该学校进行此项操作。")
    return inspection


def is_team_member(user, inspection: Inspection) -> bool:
    return inspection.created_by_id == user.pk or inspection.team.filter(pk=user.pk).exists()


def can_answer(user, inspection: Inspection) -> bool:
    return (
        inspection.state == State.DRAFT
        and is_team_member(user, inspection)
        and bool(school_org_ids(user, inspection.school, Cap.INSPECTION_PERFORM))
    )


def require_answer(user, inspection: Inspection) -> None:
    """Raise InspectionLocked (submitted) or PermissionDenied unless the user may answer now."""
    if inspection.state != State.DRAFT:
        raise InspectionLocked(inspection)
    if not school_org_ids(user, inspection.school, Cap.INSPECTION_PERFORM):
        raise PermissionDenied("您的角色不能对该学校开展检查。")
    if not is_team_member(user, inspection):
        raise PermissionDenied("您不是该检查的检查组成员，不能填写。")


def access_answer(user, pk) -> Answer:
    answer = Answer.objects.filter(pk=pk).select_related("item", "inspection").first()
    access_inspection(user, answer.inspection_id if answer else None)
    assert answer is not None  # access_inspection answered 404 otherwise
    return answer


def access_photo(user, pk) -> AnswerPhoto:
    photo = AnswerPhoto.objects.filter(pk=pk).select_related("answer").first()
    access_inspection(user, photo.answer.inspection_id if photo else None)
    assert photo is not None
    return photo


def allowed_kinds(user, school: School) -> dict[str, list[int]]:
    """The kinds the user may start at `school`, each with the organisations it may be led by."""
    org_ids = school_org_ids(user, school, Cap.INSPECTION_PERFORM)
    kinds: dict[str, list[int]] = {}
    if not org_ids:
        return kinds
    org_kinds = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "kind"))
    own = [o for o in org_ids if o == school.organisation_id]
    others = [o for o in org_ids if o != school.organisation_id]
    if own:
        kinds[Kind.SELF] = own
    if others:
        kinds[Kind.SPOT] = others
        verifiers = [o for o in others if org_kinds.get(o) in VERIFY_ORG_KINDS]
        if verifiers:
            kinds[Kind.VERIFY] = verifiers
        kinds[Kind.JOINT] = others
        kinds[Kind.SUPERVISION] = others
    return kinds


def access_plan(user, pk, *, write: bool = False) -> InspectionPlan:
    """A plan is visible to members of its owner and to anyone who sees one of its schools;
    only the owner's members with `Cap.INSPECTION_PLAN` change it."""
    plan = InspectionPlan.objects.visible_to(user).select_related("owner_org").filter(pk=pk).first()
    if plan is None:
        raise Http404("计划不存在或不在您的管辖范围内。")
    if write and not plan_editable(user, plan):
        raise PermissionDenied("只有制定计划的单位可以修改该计划。")
    return plan


def plan_editable(user, plan: InspectionPlan) -> bool:
    """Only the owner's members with `Cap.INSPECTION_PLAN` change a plan."""
    return plan.owner_org_id in scope_of(user).org_ids(Cap.INSPECTION_PLAN)


def plan_owned(user, plan: InspectionPlan) -> bool:
    """Whether the plan belongs to one of the user's units (who then see every entry)."""
    return plan.owner_org_id in scope_of(user).org_ids()
