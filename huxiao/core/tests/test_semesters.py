import datetime as dt

from huxiao.core.semesters import current_or_last, is_school_day, school_days, semester_of


def test_autumn_semester_runs_into_january():
    sem = semester_of(dt.date(2027, 1, 15))
    assert sem is not None
    assert (sem.name, sem.start, sem.end) == ("秋季学期", dt.date(2026, 9, 1), dt.date(2027, 1, 31))
    assert sem.label == "2026—2027学年秋季学期"


def test_spring_semester_label_belongs_to_the_school_year_begun_before():
    sem = semester_of(dt.date(2026, 3, 2))
    assert sem is not None and sem.label == "2025—2026学年春季学期"


def test_vacations_are_not_semesters():
    assert semester_of(dt.date(2026, 8, 10)) is None
    assert semester_of(dt.date(2026, 2, 1)) is not None
    assert current_or_last(dt.date(2026, 8, 10)).name == "春季学期"


def test_school_days_skip_weekends_holidays_and_vacation():
    # 2026-10-01..07 is the National Day holiday; 10-10 (Saturday) is a make-up working day in 2026
    days = school_days(dt.date(2026, 9, 28), dt.date(2026, 10, 11))
    assert dt.date(2026, 10, 1) not in days
    assert dt.date(2026, 10, 3) not in days
    assert dt.date(2026, 9, 28) in days
    assert not is_school_day(dt.date(2026, 8, 3))  # a Monday in the summer vacation
    assert is_school_day(dt.date(2026, 11, 27))  # a Friday in term
