"""Small builders for the education tests (through the services, as a user would)."""

from __future__ import annotations

import datetime as dt

from huxiao.education import services
from huxiao.education.choices import Audience, Occasion, Topic
from huxiao.education.models import CounsellorAppointment, EducationActivity
from huxiao.testsupport.clock import SHANGHAI

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)  # a Thursday of the autumn semester
TODAY = NOW.date()
TERM = (dt.date(2026, 9, 1), dt.date(2028, 8, 31))


def appoint(
    cast, school=None, *, officer=None, by=None, starts_on=TERM[0], ends_on=TERM[1], number: str = ""
) -> CounsellorAppointment:
    """`by` (the 蒲吕派出所's officer `police` by default) appoints `officer` (`police` himself by
    default) 法治辅导员 at `school` (青松中学 by default)."""
    school = school or cast.qingsong
    return services.counsellor_appoint(
        acting_user=by or cast.police,
        school=school,
        officer=officer or cast.police,
        starts_on=starts_on,
        ends_on=ends_on,
        letter_number=number or f"蒲吕派出所聘〔2026〕{school.pk}-{starts_on:%m%d}号",
    )


def activity(user, school, **changes) -> EducationActivity:
    values = dict(
        acting_user=user,
        school=school,
        held_on=dt.date(2026, 11, 9),
        occasion=Occasion.FIRE_DAY,
        topics=[Topic.FIRE, Topic.ELECTRICITY],
        audiences=[Audience.STUDENTS, Audience.TEACHERS],
        head_count=1200,
        speaker="区消防救援支队 李峰",
        title="消防疏散演练",
    )
    values.update(changes)
    return services.activity_record(**values)
