from .accounts import UserFactory, grant
from .organisations import OrganisationFactory, valid_uscc
from .regions import build_tree

__all__ = ["OrganisationFactory", "UserFactory", "build_tree", "grant", "valid_uscc"]
