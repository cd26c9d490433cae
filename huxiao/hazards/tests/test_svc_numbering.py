"""Document numbers (DESIGN §5): gapless per issuing organisation, kind and year, in the
organisation's format, allocated without races; a rolled-back issue gives its number back."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from huxiao.accounts import directory
from huxiao.accounts.models import User
from huxiao.accounts.roles import RoleCode
from huxiao.core.models import Organisation
from huxiao.hazards import services
from huxiao.hazards.choices import DocKind
from huxiao.hazards.models import DocumentCounter, Hazard, NumberingRule, RectificationNotice
from huxiao.hazards.numbering import allocate
from huxiao.hazards.tests.factories import FROZEN_AT
from huxiao.schools.models import School
from huxiao.testsupport.cast import make_user
from huxiao.testsupport.clock import at
from huxiao.testsupport.concurrency import race, skip_unless_parallel_connections
from huxiao.testsupport.hazards import bachuan_school, make_hazard

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def pulv_police(cast):
    """蒲吕派出所 with its short name for document numbers."""
    if not cast.pulv_police.short_name:
        directory.organisation_update(acting_user=None, organisation=cast.pulv_police, short_name="蒲吕派")
    return Organisation.objects.get(pk=cast.pulv_police.pk)


def issue(cast, issuer, *, school=None, by=None, hazards=None):
    school = school or cast.qingsong
    return services.notice_issue(
        acting_user=by or cast.police,
        issuer=issuer,
        school=school,
        hazards=hazards or [make_hazard(cast, school)],
        deadline=dt.date.today() + dt.timedelta(days=20),
    )


@pytest.mark.usefixtures("frozen")
def test_notices_are_numbered_one_two_three_in_the_official_format(cast, pulv_police):
    numbers = [issue(cast, pulv_police).number for _ in range(3)]
    assert numbers == [
        "蒲吕派整字〔2026〕第0001号",
        "蒲吕派整字〔2026〕第0002号",
        "蒲吕派整字〔2026〕第0003号",
    ]
    assert list(RectificationNotice.objects.order_by("seq").values_list("year", "seq")) == [
        (2026, 1),
        (2026, 2),
        (2026, 3),
    ]
    assert DocumentCounter.objects.get(organisation=pulv_police, kind=DocKind.NOTICE, year=2026).last == 3


@pytest.mark.usefixtures("frozen")
def test_each_issuer_has_its_own_sequence(cast, pulv_police):
    bachuan_officer = make_user("bachuan_police", cast.bachuan_police, RoleCode.POLICE)
    school = bachuan_school(cast)
    assert issue(cast, pulv_police).number.endswith("第0001号")
    bachuan = issue(cast, cast.bachuan_police, school=school, by=bachuan_officer)
    assert bachuan.number == "巴川派出所整字〔2026〕第0001号"  # no short name: the full name
    assert issue(cast, pulv_police).number.endswith("第0002号")


def test_each_year_starts_again_at_one(cast, pulv_police, frozen):
    frozen.move_to(at(dt.date(2026, 12, 31)))
    assert issue(cast, pulv_police).number == "蒲吕派整字〔2026〕第0001号"
    assert issue(cast, pulv_police).number == "蒲吕派整字〔2026〕第0002号"
    frozen.move_to(at(dt.date(2027, 1, 4)))
    assert issue(cast, pulv_police).number == "蒲吕派整字〔2027〕第0001号"
    frozen.move_to(at(dt.date(2026, 12, 31)))  # a clock set back does not reuse a number
    assert issue(cast, pulv_police).number == "蒲吕派整字〔2026〕第0003号"


@pytest.mark.usefixtures("frozen")
def test_each_kind_has_its_own_sequence(cast, pulv_police):
    issue(cast, pulv_police)
    issue(cast, pulv_police)
    with transaction.atomic():
        assert allocate(pulv_police, DocKind.SUPERVISION, 2026) == (1, "蒲吕派督字〔2026〕第0001号")
        assert allocate(pulv_police, DocKind.INTERVIEW, 2026) == (1, "蒲吕派约谈〔2026〕第0001号")
        assert allocate(pulv_police, DocKind.LISTING, 2026) == (1, "蒲吕派挂牌〔2026〕第0001号")
        assert allocate(pulv_police, DocKind.NOTICE, 2026) == (3, "蒲吕派整字〔2026〕第0003号")


@pytest.mark.usefixtures("frozen")
def test_an_organisation_can_set_its_own_format(cast, pulv_police):
    NumberingRule.objects.create(
        organisation=pulv_police, kind=DocKind.NOTICE, pattern="{short}限改〔{year}〕{seq}号"
    )
    assert issue(cast, pulv_police).number == "蒲吕派限改〔2026〕1号"


@pytest.mark.usefixtures("frozen")
def test_a_rolled_back_issue_gives_its_number_back(cast, pulv_police):
    assert issue(cast, pulv_police).number.endswith("第0001号")
    hazard = make_hazard(cast)
    with pytest.raises(RuntimeError), transaction.atomic():
        taken = issue(cast, pulv_police, hazards=[hazard])
        assert taken.number.endswith("第0002号")
        raise RuntimeError("the rest of the request failed")
    assert issue(cast, pulv_police, hazards=[hazard]).number.endswith("第0002号")
    assert RectificationNotice.objects.count() == 2


@pytest.mark.usefixtures("frozen")
def test_a_refused_issue_takes_no_number(cast, pulv_police):
    other_school = make_hazard(cast, cast.mingde)
    with pytest.raises(ValidationError):
        issue(cast, pulv_police, hazards=[make_hazard(cast), other_school])
    assert not DocumentCounter.objects.filter(organisation=pulv_police, last__gt=0).exists()
    assert issue(cast, pulv_police).number.endswith("第0001号")


@pytest.mark.django_db(transaction=True)
def test_allocate_refuses_to_run_outside_a_transaction(cast):
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        allocate(cast.pulv_police, DocKind.NOTICE, 2026)


THREADS = 8
PER_THREAD = 2


@pytest.mark.django_db(transaction=True)
def test_parallel_issuers_get_exactly_one_to_n(cast, pulv_police):
    """8 officers press "issue" at the same moment, twice each, each in its own connection and
    transaction, starting before any counter row exists: 1…16, no duplicate, no gap."""
    skip_unless_parallel_connections()
    with time_machine.travel(FROZEN_AT, tick=False):
        hazard_ids = [make_hazard(cast).pk for _ in range(THREADS * PER_THREAD)]

        def officer(ids):
            def run():
                user = User.objects.get(username="police")
                issuer = Organisation.objects.get(pk=pulv_police.pk)
                school = School.objects.get(pk=cast.qingsong.pk)
                return [
                    services.notice_issue(
                        acting_user=user,
                        issuer=issuer,
                        school=school,
                        hazards=[Hazard.objects.get(pk=pk)],
                        deadline=dt.date(2026, 4, 30),
                    ).seq
                    for pk in ids
                ]

            return run

        results = race(*(officer(hazard_ids[i::THREADS]) for i in range(THREADS)))

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    seqs = sorted(s for r in results for s in r)
    assert seqs == list(range(1, THREADS * PER_THREAD + 1))
    numbers = list(RectificationNotice.objects.values_list("number", flat=True))
    assert len(set(numbers)) == THREADS * PER_THREAD
    assert DocumentCounter.objects.get(organisation=pulv_police, kind=DocKind.NOTICE, year=2026).last == 16
