"""Who reads the education records: everyone who reaches the school (the school itself, its 学区,
its 派出所, the 街道, the district), never the outsider from 巴川 or the three administrators."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.education import services
from huxiao.education.models import CounsellorAppointment, CounsellorVisit, EducationActivity
from huxiao.education.tests.builders import NOW, activity, appoint

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]

SEE_QINGSONG = {"official", "safety_officer", "police", "centre_officer", "qingsong_lead", "observer"}
EVERYONE = sorted(SEE_QINGSONG | {"mingde_lead", "sysadmin", "auditor", "secadmin", "outsider"})


@pytest.mark.parametrize("who", EVERYONE)
def test_who_reads_a_schools_activities_counsellors_and_visits(cast, who):
    appointment = appoint(cast)
    activity(cast.qingsong_lead, cast.qingsong)
    services.visit_record(
        acting_user=cast.police, appointment=appointment, visited_on=dt.date(2026, 11, 20), content="法治讲座"
    )
    user = getattr(cast, who)
    sees = who in SEE_QINGSONG
    assert EducationActivity.objects.visible_to(user).exists() == sees
    assert CounsellorAppointment.objects.visible_to(user).exists() == sees
    assert CounsellorVisit.objects.visible_to(user).exists() == sees


def test_a_school_reads_only_its_own_activities(cast):
    activity(cast.qingsong_lead, cast.qingsong)
    mine = activity(cast.mingde_lead, cast.mingde)
    assert list(EducationActivity.objects.visible_to(cast.mingde_lead)) == [mine]
    assert EducationActivity.objects.visible_to(cast.police).count() == 2
