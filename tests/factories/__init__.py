from .accounts import UserFactory, grant
from .needs import NeedFactory, category
from .organisations import OrganisationFactory, valid_uscc
from .regions import build_tree

__all__ = ["NeedFactory", "OrganisationFactory", "UserFactory", "build_tree", "category", "grant", "valid_uscc"]
