"""The Content-Security-Policy: no inline script on the portal's own pages.

Public and member pages allow scripts from our own origin only (and one carrying the
request's nonce, should a template ever need one): an HTML injection, if one is ever
found, runs nothing. The Wagtail and Django admins keep what their own scripts need,
on their own paths only. A page that needs another origin (Stripe.js on the payment
page) says so with django-csp's `csp_update` decorator.
"""

from csp.middleware import CSPMiddleware

# Paths whose pages are the admins' own, with their inline scripts.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_SCRIPT_SRC = ["'self'", "'unsafe-inline'", "'unsafe-eval'"]


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            # A nonce in the header would make browsers ignore 'unsafe-inline': none for the admins.
            parts.nonce = None
            parts.replace = {**(parts.replace or {}), "script-src": ADMIN_SCRIPT_SRC}
        return parts
