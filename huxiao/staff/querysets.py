"""Scope of the staff register, composed from the kernel (`schools.scope.school_scope_q`).

The register and its background checks are read by the school that keeps them (`Cap.STAFF_MANAGE`
in a school or kindergarten unit) and by its 学区 (`Cap.STAFF_DECIDE` in a 学区管理中心) — the
kinds filter makes a 街道 leader or a 平安办 coordinator holding the same role see nothing. The
派出所 and the 公安分局 see the guards and 门卫 only, and only their licence columns
(`guards_visible_to`; pages never show them a check). The 系统管理员 holds none of these.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Exists, Max, OuterRef, Q, Value, When
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.schools.scope import DISTRICT_KINDS, POLICE_KINDS, SCHOOL_KINDS, school_scope_q
from huxiao.staff.choices import GUARD_ROLES, CheckKind, CheckResult, Decision, StaffRole, Standing

# The kinds of check that clear a person for work at a school.
CLEARING_KINDS = (CheckKind.CRIMINAL, CheckKind.SEXUAL)
EXPIRING_DAYS = 30


def register_scope_q(user, prefix: str = "") -> Q:
    """Rows of the schools whose register the user keeps (the school) or checks (its 学区)."""
    return school_scope_q(user, Cap.STAFF_MANAGE, prefix, kinds=SCHOOL_KINDS) | school_scope_q(
        user, Cap.STAFF_DECIDE, prefix, kinds=DISTRICT_KINDS
    )


def police_scope_q(user, prefix: str = "") -> Q:
    """Rows of the schools a police unit of the user's reaches (for the guards' licence status)."""
    return school_scope_q(user, Cap.SCHOOL_VIEW, prefix, kinds=POLICE_KINDS)


def open_adverse_q() -> Q:
    """A 有异常 check not yet settled: undecided, or decided and not yet carried out."""
    return Q(result=CheckResult.ADVERSE) & (
        Q(decision="") | (~Q(decision=Decision.RETAIN) & Q(completed_on__isnull=True))
    )


def licence_valid_q(on: dt.date, prefix: str = "") -> Q:
    """A 保安员证 recorded, issued by `on`, not past its validity (none given: long-term) — the one
    definition of a valid licence in SQL (`StaffMember.licence_valid` is the same in Python)."""
    return (
        ~Q(**{f"{prefix}licence_number": ""})
        & (Q(**{f"{prefix}licence_issued_on__isnull": True}) | Q(**{f"{prefix}licence_issued_on__lte": on}))
        & (
            Q(**{f"{prefix}licence_valid_until__isnull": True})
            | Q(**{f"{prefix}licence_valid_until__gte": on})
        )
    )


class StaffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The register: the school's own, and its 学区's."""
        return self.filter(register_scope_q(user, prefix="school__"))

    def guards_visible_to(self, user):
        """Guards and 门卫: those of the register, and those of the police's schools."""
        return self.filter(role__in=GUARD_ROLES).filter(
            register_scope_q(user, prefix="school__") | police_scope_q(user, prefix="school__")
        )

    def on_duty(self, on: dt.date | None = None):
        """In post at the end of `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))

    def with_standing(self, on: dt.date | None = None):
        """Each person annotated with `check_until` (the last day a clearing check is valid) and
        `standing` (a `Standing` value as of `on`)."""
        from huxiao.staff.models import BackgroundCheck

        on = on or timezone.localdate()
        checks = BackgroundCheck.objects.filter(member=OuterRef("pk"), requested_on__lte=on)
        return self.annotate(
            check_until=Max(
                "checks__valid_until",
                filter=Q(
                    checks__kind__in=CLEARING_KINDS,
                    checks__result=CheckResult.CLEAR,
                    checks__result_on__lte=on,
                ),
            ),
            # answered 有异常 by `on` and not settled (decisions are read as they stand now)
            open_adverse=Exists(checks.filter(open_adverse_q(), result_on__lte=on)),
            # a clearing check asked for and not answered by `on`
            pending=Exists(
                checks.filter(kind__in=CLEARING_KINDS).filter(
                    Q(result=CheckResult.PENDING) | Q(result_on__gt=on)
                )
            ),
        ).annotate(
            standing=Case(
                When(open_adverse=True, then=Value(Standing.ADVERSE)),
                When(check_until__gte=on + dt.timedelta(days=EXPIRING_DAYS), then=Value(Standing.VALID)),
                When(check_until__gte=on, then=Value(Standing.EXPIRING)),
                When(pending=True, then=Value(Standing.PENDING)),
                When(check_until__isnull=False, then=Value(Standing.EXPIRED)),
                default=Value(Standing.NONE),
            )
        )

    def qualified_guards(self, on: dt.date | None = None):
        """On-duty 专职保安员 (not 门卫) who may be counted as such (seed: 经岗前培训后持证上岗, 严格审查): a
        valid 保安员证, the 岗前培训 recorded, a valid clearing check with nothing open — and no
        有异常 clearing check ever, unless the 学区 decided 继续任用 (调换岗位 moves a person off
        the guard post; until the school changes the post he is not counted)."""
        from huxiao.staff.models import BackgroundCheck

        on = on or timezone.localdate()
        flagged = BackgroundCheck.objects.filter(
            member=OuterRef("pk"), kind__in=CLEARING_KINDS, result=CheckResult.ADVERSE, result_on__lte=on
        ).exclude(decision=Decision.RETAIN)
        return (
            self.on_duty(on)
            .with_standing(on)
            .filter(role=StaffRole.GUARD, standing__in=(Standing.VALID, Standing.EXPIRING))
            .filter(licence_valid_q(on), pretraining_on__lte=on)
            .exclude(Exists(flagged))
        )


class CheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(register_scope_q(user, prefix="member__school__"))

    def open_adverse(self):
        return self.filter(open_adverse_q())

    def expiring_between(self, first: dt.date, last: dt.date):
        """Clearing checks whose validity ends in [first, last] and that no later clearing check
        of the same person replaces."""
        later = self.model.objects.filter(
            member=OuterRef("member"),
            kind__in=CLEARING_KINDS,
            result=CheckResult.CLEAR,
            valid_until__gt=OuterRef("valid_until"),
        )
        return self.filter(
            kind__in=CLEARING_KINDS, result=CheckResult.CLEAR, valid_until__range=(first, last)
        ).exclude(Exists(later))


class TrainingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(register_scope_q(user, prefix="member__school__"))


class EquipmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The equipment of every school the user sees (it names nobody)."""
        return self.filter(school_scope_q(user, Cap.SCHOOL_VIEW, prefix="school__"))

    def current(self, on: dt.date | None = None):
        """The latest check of each kind at each school, as of the end of `on` (today)."""
        on = on or timezone.localdate()
        known = self.model.objects.filter(
            school=OuterRef("school"), kind=OuterRef("kind"), checked_on__lte=on
        )
        newer = known.filter(checked_on__gt=OuterRef("checked_on"))
        same_day_later = known.filter(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk"))
        return self.filter(checked_on__lte=on).exclude(Exists(newer)).exclude(Exists(same_day_later))


class NightDutyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The night roster names people of the register: its readers only."""
        return self.filter(register_scope_q(user, prefix="school__"))
