"""Loads the demo district idempotently: running it twice changes nothing the second time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from huxiao.accounts import directory
from huxiao.accounts import services as account_services
from huxiao.accounts.models import Membership, User
from huxiao.core import registry
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organisation, Region
from huxiao.demo import data
from huxiao.demo.hazards import load_demo_hazards, photo
from huxiao.hazards.escalation import escalate_overdue
from huxiao.schools import services as school_services
from huxiao.schools.models import School, SecurityProfile


def _regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, level, parent, official in data.REGIONS:
        region = Region.objects.filter(code=code).first() or directory.region_create(
            acting_user=None,
            code=code,
            name=name,
            level=level,
            parent=regions[parent] if parent else None,
            code_official=official,
        )
        regions[code] = region
    return regions


def _organisations(regions: dict[str, Region]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for name, short, kind, home, jurisdiction in data.ORGANISATIONS:
        org = Organisation.objects.filter(name=name).first() or directory.organisation_create(
            acting_user=None,
            name=name,
            short_name=short,
            kind=kind,
            region=regions[home],
            jurisdiction=[regions[c] for c in jurisdiction],
        )
        orgs[name] = org
    return orgs


def _schools(regions, orgs) -> dict[str, School]:
    schools: dict[str, School] = {}
    for spec in data.SCHOOLS:
        fields = dict(spec)
        fields["region"] = regions[fields["region"]]
        fields["police_station"] = orgs[fields["police_station"]]
        fields["school_district"] = orgs[fields["school_district"]]
        school = School.objects.filter(name=fields["name"]).first()
        if school is None:
            school = school_services.school_create(acting_user=None, **fields)
        if school.organisation_id is None:
            kind = OrgKind.KINDERGARTEN if school.school_type == "kindergarten" else OrgKind.SCHOOL
            own = Organisation.objects.filter(name=school.name).first() or directory.organisation_create(
                acting_user=None,
                name=school.name,
                kind=kind,
                region=school.region,
                parent=school.school_district,
            )
            school_services.school_link_organisation(acting_user=None, school=school, organisation=own)
        orgs[school.name] = school.organisation
        schools[school.name] = school
    return schools


def _accounts(orgs) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, full_name, org_name, role, title, _ in data.ACCOUNTS:
        user = User.objects.filter(username=username).first() or account_services.account_create(
            acting_user=None,
            username=username,
            full_name=full_name,
            password=data.DEMO_PASSWORD,
            is_demo=True,
        )
        if not Membership.objects.filter(user=user, organisation=orgs[org_name], role=role).exists():
            account_services.membership_grant(
                acting_user=None, user=user, organisation=orgs[org_name], role=role, title=title
            )
        users[username] = user
    return users


def _profiles(schools, users) -> None:
    for name, versions in data.PROFILES.items():
        school = schools[name]
        if SecurityProfile.objects.filter(school=school).exists():
            continue
        filer = (
            users["anquan"]
            if name == "蒲吕青松中学"
            else users["xuequ"]
            if name.startswith("蒲吕")
            else users["bachuan"]
        )
        base = None
        for values in versions:
            values = dict(values)
            note = values.pop("change_note", "")
            profile = school_services.profile_file(
                acting_user=filer, school=school, base_version=base, change_note=note, **values
            )
            base = profile.version
            # filed when the story says, not on the day the demo loads: the monthly 统计表 of past
            # months reads the profile current at each month's end
            SecurityProfile.objects.filter(pk=profile.pk).update(created_at=_filed_at(note, profile.version))


# The day the demo's story was written (a Sunday). Stories with calendar dates — the campaign in
# progress, its meetings, alerts and 验收 — are told relative to it and moved to the day the demo
# is loaded (`DemoContext.day`), so `make run` a year from now still shows a campaign in 验收,
# reports due and hazards overdue. The other apps' demos count back from today directly.
STORY_DAY = dt.date(2026, 11, 29)


def story_shift(today: dt.date) -> dt.timedelta:
    """Whole weeks from STORY_DAY to the last day on or before `today` with STORY_DAY's weekday:
    the story keeps its weekdays (a meeting on a Wednesday stays on a Wednesday) and never lies
    in the future."""
    return dt.timedelta(weeks=(today - STORY_DAY).days // 7)


@dataclass
class DemoContext:
    regions: dict[str, Region]
    orgs: dict[str, Organisation]
    schools: dict[str, School]
    users: dict[str, User]
    today: dt.date
    shift: dt.timedelta = dt.timedelta(0)

    def day(self, story_date: dt.date) -> dt.date:
        """A date of the story (written for STORY_DAY) on the day the demo is loaded."""
        return story_date + self.shift

    @staticmethod
    def photo(kind: str, seed: int):
        """A synthetic site photo for an app's demo ("before": cluttered, "after": tidy)."""
        return photo(kind, seed)

    @property
    def story_day(self) -> dt.date:
        """STORY_DAY moved: the story's "today", at most six days before the real one."""
        return self.day(STORY_DAY)


def _filed_at(note: str, version: int) -> dt.datetime:
    """2021's 摸排 filings in May 2021; every other filing at the start of the 2025 autumn term."""
    day = dt.date(2021, 5, 10) if "2021" in note else dt.date(2025, 9, 1) + dt.timedelta(days=version)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create whatever of the demo district is missing; return counts of what exists."""
    regions = _regions()
    orgs = _organisations(regions)
    schools = _schools(regions, orgs)
    users = _accounts(orgs)
    _profiles(schools, users)
    hazards = load_demo_hazards(users)
    counts = {
        "regions": len(regions),
        "organisations": len(orgs),
        "schools": len(schools),
        "accounts": len(users),
        "hazards": hazards,
    }
    today = timezone.localdate()
    ctx = DemoContext(
        regions=regions, orgs=orgs, schools=schools, users=users, today=today, shift=story_shift(today)
    )
    for module in registry.demo_steps():  # each app's demo (core.registry.register_demo)
        counts.update(import_module(module).load(ctx))
    escalate_overdue(today)  # after every app's hazards exist
    return counts
