from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class ChosenLanguageMiddleware(LocaleMiddleware):
    """zh-hans unless the visitor chose otherwise (switcher cookie or, later, their profile).

    The browser's Accept-Language is deliberately ignored: the portal is Chinese
    first, and an English browser in the district should not flip it silently.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
