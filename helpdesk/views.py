from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from helpdesk import desk
from helpdesk.accounts import selectors
from helpdesk.accounts.roles import agent_required, home_url_name, is_agent, is_customer
from helpdesk.mail import services as mail_services
from helpdesk.textsearch import search_terms

SEARCH_PAGE_SIZE = 10


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for where a page names no icon (the admin, a download): our SVG icon."""
    path = finders.find("img/favicon.svg")
    with open(path, "rb") as icon:  # type: ignore[arg-type]  # the file is part of the project's static files
        response = HttpResponse(icon.read(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def home(request):
    """Send each person to their own home; anonymous visitors get the portal landing page."""
    if request.user.is_authenticated:
        return redirect(home_url_name(request.user))
    return render(request, "portal/landing.html")


@login_required
def portal_home(request):
    user = request.user
    if is_agent(user) and not is_customer(user):
        return redirect("desk-home")
    context = {
        "organization": user.organization,
        "colleagues": selectors.colleagues_of(user),
        "support_email": mail_services.support_address(),
        "panels": desk.render_panels(desk.portal_panels, request),
    }
    return render(request, "portal/home.html", context)


@agent_required
def desk_home(request):
    context = {
        "panels": desk.render_panels(desk.home_panels, request),
        "counts": selectors.organization_counts(),
        "customer_count": selectors.customers().count(),
        "my_organizations": selectors.organizations_managed_by(request.user)[:20],
        "recent_customers": selectors.recent_customers(),
    }
    return render(request, "desk/home.html", context)


@agent_required
@require_GET
def desk_search(request):
    """The desk search: tickets, customers, organisations and articles the agent may see, one group each."""
    text = request.GET.get("q", "").strip()
    for group in desk.search_groups:
        target = group.jump(request, text) if group.jump and text else None
        if target:
            return redirect(target)
    terms = search_terms(text)
    groups = []
    if text and not terms.is_empty:
        for group in desk.search_groups:
            param = f"{group.key}_page"
            page = Paginator(group.search(request, terms), SEARCH_PAGE_SIZE).get_page(request.GET.get(param))

            def page_url(number, param=param):
                query = request.GET.copy()
                query[param] = number
                return "?" + query.urlencode()

            groups.append({
                "key": group.key,
                "title": group.title,
                "page": page,
                "rows": group.describe(request, page.object_list, terms),
                "filters_template": group.filters_template,
                "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
                "next_url": page_url(page.next_page_number()) if page.has_next() else "",
            })
    context = {"q": text, "search_q": text, "groups": groups, "status": request.GET.get("status", "")}
    return render(request, "desk/search.html", context)


@require_POST
def set_language(request):
    """The language switcher: remember the choice on the profile of a signed-in user too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and check_for_language(language):
        request.user.locale = language
        request.user.save(update_fields=["locale"])
    return response
