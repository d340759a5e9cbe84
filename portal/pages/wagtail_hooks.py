from wagtail import hooks

from .choosers import project_chooser_viewset


@hooks.register("register_admin_viewset")
def register_project_chooser():
    return project_chooser_viewset
