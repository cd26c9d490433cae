"""The chart kit: geometry in proportion to the figures, empty data handled, labels escaped,
each chart one accessible image with the figures in its label."""

import datetime as dt
import itertools
import math
import re

import pytest
from django.template import Context, Template

from huxiao.dashboards import charts
from huxiao.dashboards.charts import Datum


def render(chart) -> str:
    return Template("{% load dashboards %}{% chart c %}").render(Context({"c": chart}))


def test_horizontal_bars_are_proportional_to_their_values():
    c = charts.hbar("在办隐患", [Datum("人防", 10), Datum("消防", 5), Datum("交通", 0)])
    full, half, zero = (b.w for b in c.bars)
    assert full > 0 and half == pytest.approx(full / 2) and zero == 0
    assert {b.x for b in c.bars} == {c.baseline}
    # rows do not overlap, and every bar stays inside the viewBox
    ys = [b.y for b in c.bars]
    assert all(b - a >= charts.BAR_H for a, b in itertools.pairwise(ys))
    assert all(b.x + b.w <= c.width and b.y + b.h <= c.height for b in c.bars)


def test_a_fixed_scale_caps_bars_at_the_maximum():
    c = charts.hbar("达标率", [Datum("甲", 50), Datum("乙", 100), Datum("丙", 130)], max_value=100)
    track = c.axis_end - c.baseline
    assert [round(b.w / track, 3) for b in c.bars] == [0.5, 1.0, 1.0]


def test_vertical_columns_are_proportional_and_share_a_baseline():
    c = charts.vbar("按月", [Datum("1月", 4), Datum("2月", 2), Datum("3月", 0)])
    assert c.bars[1].h == pytest.approx(c.bars[0].h / 2)
    assert c.bars[2].h == 0
    assert {round(b.y + b.h, 6) for b in c.bars} == {round(c.baseline, 6)}


def test_all_zero_values_draw_no_bars_and_do_not_divide_by_zero():
    c = charts.hbar("在办隐患", [Datum("人防", 0), Datum("物防", 0)])
    assert [b.w for b in c.bars] == [0, 0]
    v = charts.vbar("按月", [Datum("1月", 0)])
    assert v.bars[0].h == 0


@pytest.mark.parametrize(
    "chart",
    [
        charts.hbar("空", []),
        charts.vbar("空", []),
        charts.stacked("空", [("重大", "bad")], []),
        charts.line("空", [], []),
        charts.timeline("空", [], dt.date(2026, 11, 29)),
    ],
    ids=["hbar", "vbar", "stacked", "line", "timeline"],
)
def test_empty_data_says_so(chart):
    assert chart.empty
    html = render(chart)
    assert "暂无" in html and "暂无" in chart.summary


def test_a_donut_divides_the_whole_circle_by_share():
    c = charts.donut("状态", [Datum("待整改", 3), Datum("已销号", 1), Datum("不予立案", 0)])
    circumference = 2 * math.pi * c.r
    lengths = [float(a.dash.split()[0]) for a in c.arcs]
    assert len(c.arcs) == 2  # a zero share draws no arc, but stays in the legend
    assert lengths[0] == pytest.approx(circumference * 0.75, abs=0.01)
    assert sum(lengths) == pytest.approx(circumference, abs=0.02)
    # the second arc starts where the first ends
    assert -c.arcs[1].offset == pytest.approx(lengths[0], abs=0.01)
    assert c.centre_value == "4"
    assert [lg.value for lg in c.legend] == ["3", "1", "0"]


def test_an_empty_donut_is_marked_empty():
    c = charts.donut("状态", [Datum("待整改", 0)])
    assert c.empty and not c.arcs and c.centre_value == "0"


def test_stacked_rows_share_one_scale_and_segments_add_up():
    c = charts.stacked("风险", [("重大", "bad"), ("一般", "")], [("甲校", [2, 2], ""), ("乙校", [0, 2], "")])
    first, second = c.rows
    assert first.total == 4 and second.total == 2
    first_len = sum(s.w for s in first.segments)
    second_len = sum(s.w for s in second.segments)
    assert second_len == pytest.approx(first_len / 2)
    assert first.segments[0].w == pytest.approx(first.segments[1].w)
    assert first.segments[1].x == pytest.approx(first.segments[0].x + first.segments[0].w)
    assert [s.label for s in second.segments] == ["一般"]  # no zero-width segment
    assert "甲校 共4项" not in c.summary and "甲校 共4（重大 2、一般 2）" in c.summary


def test_line_points_scale_from_zero_to_the_largest_value():
    c = charts.line("趋势", ["1月", "2月", "3月"], [("发现", [0, 5, 10], "")])
    ys = [p.y for p in c.series[0].points]
    assert ys[0] == pytest.approx(c.bottom)
    assert ys[0] - ys[1] == pytest.approx(ys[1] - ys[2])
    xs = [p.x for p in c.series[0].points]
    assert xs[0] == pytest.approx(c.left) and xs[-1] == pytest.approx(c.right)
    assert c.series[0].polyline.count(",") == 3


def test_a_sparkline_has_no_axes_and_a_single_point_is_centred():
    c = charts.sparkline("趋势", ["11月"], [3])
    assert c.small and not c.ticks and not c.legend
    assert c.series[0].points[0].x == pytest.approx(c.width / 2)
    assert "<line" not in render(c)


@pytest.mark.parametrize(
    ("rate", "share", "tone"),
    [(100, 1.0, "ch-ok"), (95, 0.95, "ch-warn"), (40, 0.4, "ch-bad"), (130, 1.0, "ch-ok")],
)
def test_a_gauge_fills_its_half_ring_in_proportion(rate, share, tone):
    c = charts.gauge("封闭化管理", rate)
    filled, rest = (float(x) for x in c.value_dash.split())
    assert filled == pytest.approx(rest * share, abs=0.01)
    assert c.css == tone


def test_a_gauge_without_data_says_so_and_does_not_pass():
    c = charts.gauge("护学岗设置率", None)
    assert c.empty and c.shown == "无数据" and c.css == ""
    assert "无数据" in render(c) and "ch-arc" not in render(c)


def test_a_timeline_places_phases_by_date_and_marks_today():
    phases = [
        ("摸排", dt.date(2026, 1, 1), dt.date(2026, 5, 25), 100.0),
        ("整改", dt.date(2026, 5, 26), dt.date(2026, 11, 25), 80.0),
        ("验收", dt.date(2026, 11, 26), dt.date(2027, 1, 31), None),
    ]
    c = charts.timeline("2026年专项行动", phases, dt.date(2026, 11, 29))
    a, b, v = c.bands
    assert a.x == pytest.approx(c.left)
    assert b.x == pytest.approx(a.x + a.w)  # contiguous phases touch
    assert v.x + v.w == pytest.approx(c.right)
    assert b.progress_w == pytest.approx(b.w * 0.8)
    assert v.progress is None and v.progress_w == 0
    assert [x.current for x in c.bands] == [False, False, True]
    assert v.x <= c.today_x <= v.x + v.w
    assert c.today_label == "今天 11月29日"
    assert "完成80%" in c.summary


def test_a_timeline_without_today_in_range_draws_no_marker():
    c = charts.timeline(
        "2021年", [("摸排", dt.date(2021, 4, 1), dt.date(2021, 5, 25), 100.0)], dt.date(2026, 11, 29)
    )
    assert c.today_x is None and "ch-today" not in render(c)


def test_labels_are_escaped():
    evil = '<script>alert("x")</script>'
    for c in (
        charts.hbar(evil, [Datum(evil, 1)]),
        charts.donut(evil, [Datum(evil, 1)]),
        charts.stacked(evil, [(evil, "")], [(evil, [1], "")]),
        charts.timeline(evil, [(evil, dt.date(2026, 1, 1), dt.date(2026, 2, 1), None)], dt.date(2026, 1, 5)),
    ):
        html = render(c)
        assert "<script>" not in html and "&lt;script&gt;" in html


def test_every_chart_is_one_accessible_scalable_image_with_its_figures():
    c = charts.hbar("在办隐患类别", [Datum("消防", 3), Datum("交通", 1)], unit="项")
    html = render(c)
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg and 'viewBox="0 0 400 ' in svg and "style=" not in html
    assert 'aria-label="在办隐患类别：消防 3项，交通 1项"' in svg
    assert "Noto Sans CJK SC" in svg
    assert f'<title id="{c.uid}-t">' in html


def test_chinese_text_is_measured_wider_than_latin():
    assert charts.text_width("消防安全", 10) == 40
    assert charts.text_width("ab12", 10) == pytest.approx(24)
