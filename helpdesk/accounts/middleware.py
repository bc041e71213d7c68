import zoneinfo

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Show pages in the signed-in user's language and time zone.

    Runs after LocaleMiddleware: an explicit choice from the language switcher is
    saved on the user, so the profile is the single source for signed-in users.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.locale:
                translation.activate(user.locale)
                request.LANGUAGE_CODE = translation.get_language()
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
