from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, is_valid_path, resolve
from django.utils import translation
from django.utils.translation import gettext

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def chosen_language(request):
    """The language a request is answered in: CMS pages carry theirs in the URL (/en/…); everything
    else follows the visitor's choice (the switcher's cookie), else the district's language."""
    language = translation.get_language_from_path(request.path_info)
    if language is None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
    return language


class ChosenLanguageMiddleware(LocaleMiddleware):
    """zh-hans unless the visitor chose otherwise (switcher cookie or, later, their profile).

    The browser's Accept-Language is deliberately ignored: the portal is Chinese
    first, and an English browser in the district should not flip it silently.
    """

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if response.status_code == 404 and translation.get_language_from_path(request.path_info) is not None:
            return self._unprefixed_view(request, response)
        # A visitor who chose English and opens a Chinese CMS address is sent to its English translation.
        if response.status_code == 404 and translation.get_language_from_path(request.path_info) is None:
            language = translation.get_language()
            # Only when no route took the path (an API's or a view's own 404 stays as it is).
            if language != settings.LANGUAGE_CODE and not is_valid_path(
                request.path_info, getattr(request, "urlconf", None)
            ):
                prefixed = f"/{language}{request.path_info}"
                if is_valid_path(prefixed, getattr(request, "urlconf", None)):
                    return HttpResponseRedirect(request.get_full_path().replace(request.path_info, prefixed, 1))
        return super().process_response(request, response)

    @staticmethod
    def _unprefixed_view(request, response):
        """/en/needs/ (a link someone wrote by analogy with the CMS pages' /en/…): the portal's own views
        live at one address in every language, so go there with the language chosen."""
        language = translation.get_language_from_path(request.path_info)
        unprefixed = request.path_info[len(language) + 1 :] or "/"
        try:
            match = resolve(unprefixed, getattr(request, "urlconf", None))
        except Resolver404:
            return response
        if match.url_name == "wagtail_serve":
            return response  # a CMS page: its 404 in that language is the right answer
        redirect = HttpResponseRedirect(request.get_full_path().replace(request.path_info, unprefixed, 1))
        redirect.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return redirect


class RefuseControlCharactersMiddleware:
    """A query string with a control character (`?q=%00`) answers 400 before any view runs.

    Such values are never meaningful filters, and PostgreSQL refuses NUL in a query
    parameter with an error that would otherwise surface as a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from portal.core.text import find_control_character

        from .views import error_response

        for values in request.GET.lists():
            if any(find_control_character(v) for v in [values[0], *values[1]]):
                return error_response(
                    request, 400, gettext("The address contains an invisible control character."), "control_character"
                )
        return self.get_response(request)
