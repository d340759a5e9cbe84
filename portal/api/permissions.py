from rest_framework.permissions import BasePermission


class RulesPermission(BasePermission):
    """Checks the django-rules permission named for the view's action.

    Views declare `permission_map = {"create": "app.add_x", "verify": "app.verify_x", ...}`;
    actions absent from the map are allowed (read access is filtered by the queryset).
    Object permissions are checked against the object.
    """

    def _perm(self, view):
        return getattr(view, "permission_map", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view):
        perm = self._perm(view)
        if perm is None:
            return True
        if getattr(view, "detail", False):
            return True  # decided against the object in has_object_permission
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(view)
        return perm is None or request.user.has_perm(perm, obj)
