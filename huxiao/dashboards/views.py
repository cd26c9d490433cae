"""The home page (工作台): per role, what needs attention."""

from django.shortcuts import render

from huxiao.dashboards.selectors import home_cards


def home(request):
    memberships = request.user.memberships.active().select_related("organisation")
    return render(
        request, "dashboards/home.html", {"cards": home_cards(request.user), "memberships": memberships}
    )
