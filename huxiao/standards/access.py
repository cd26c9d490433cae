"""Single objects for views: 404 outside the user's scope, 403 without the right."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.schools.access import access_school
from huxiao.standards.models import Evaluation, Rule, Ruleset
from huxiao.standards.services import can_manage


def access_evaluation(user, school_pk, evaluation_pk=None) -> Evaluation | None:
    """A school's latest evaluation (or the one asked for), after the school's scope check."""
    school = access_school(user, school_pk, cap=Cap.SCHOOL_VIEW)
    qs = Evaluation.objects.filter(school=school)
    evaluation = qs.filter(pk=evaluation_pk).first() if evaluation_pk else qs.filter(is_latest=True).first()
    if evaluation_pk and evaluation is None:
        raise Http404("该评估记录不存在。")
    return evaluation


def require_reader(user) -> None:
    """Rulesets are published standards, read by everyone who works with schools (and by the
    superusers who keep the national baseline) — not by the administrators of 三员分立."""
    if not (user.is_superuser or scope_of(user).has(Cap.SCHOOL_VIEW)):
        raise PermissionDenied("您的角色没有此项权限。")


def access_ruleset(user, pk, *, write: bool = False) -> Ruleset:
    """A ruleset for its readers (`require_reader`); writing needs STANDARDS_MANAGE over the
    ruleset's region (the national baseline: superusers)."""
    require_reader(user)
    ruleset = Ruleset.objects.filter(pk=pk).first()
    if ruleset is None:
        raise Http404("规则集不存在。")
    if write and not can_manage(user, ruleset):
        raise PermissionDenied("您无权修改该规则集。")
    return ruleset


def access_rule(user, pk) -> Rule:
    rule = Rule.objects.select_related("version__ruleset").filter(pk=pk).first()
    if rule is None:
        raise Http404("规则不存在。")
    access_ruleset(user, rule.version.ruleset_id, write=True)
    return rule
