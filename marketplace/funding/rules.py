import rules

from portal.accounts.roles import ADMINISTRATIVE_ROLES, in_scope


def _owns(user, owner_id):
    """Never `None == None`: an anonymous visitor owns nothing, and neither does anyone a record without an owner."""
    user_id = getattr(user, "pk", None)
    return user_id is not None and owner_id is not None and owner_id == user_id


@rules.predicate
def is_donor(user, payment):
    return payment is not None and _owns(user, payment.donor_id)


@rules.predicate
def is_payment_staff(user, payment):
    """Community, street or district staff whose area holds the project the gift is for."""
    return payment is not None and in_scope(user, payment.project.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_receipt_donor(user, receipt):
    return receipt is not None and _owns(user, receipt.payment.donor_id)


@rules.predicate
def is_receipt_staff(user, receipt):
    return receipt is not None and in_scope(user, receipt.payment.project.region, ADMINISTRATIVE_ROLES)


# Anyone logged in may give (the service refuses projects not open for gifts).
rules.add_perm("funding.add_payment", rules.is_authenticated)
rules.add_perm("funding.view_payment", is_donor | is_payment_staff | rules.is_superuser)
rules.add_perm("funding.confirm_payment", is_payment_staff | rules.is_superuser)
rules.add_perm("funding.refund_payment", is_payment_staff | rules.is_superuser)
rules.add_perm("funding.cancel_payment", is_donor | is_payment_staff | rules.is_superuser)
rules.add_perm("funding.view_receipt", is_receipt_donor | is_receipt_staff | rules.is_superuser)


@rules.predicate
def is_choice_donor(user, choice):
    return choice is not None and _owns(user, choice.payment.donor_id)


@rules.predicate
def is_choice_staff(user, choice):
    return choice is not None and in_scope(user, choice.project.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_project_money_staff(user, project):
    """Community, street or district staff whose area holds the project."""
    return project is not None and in_scope(user, project.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def has_money_scope(user):
    from portal.accounts.roles import scope_regions

    return bool(getattr(user, "is_authenticated", False) and scope_regions(user, ADMINISTRATIVE_ROLES))


# A gift's deadline choice is the donor's alone: staff see it, they do not make it (a superuser neither:
# `has_perm` answers yes to a superuser whatever the rule, so the service asks `deadlines.may_choose`).
rules.add_perm("funding.choose_deadline_option", is_choice_donor)
# Staff of the area may apply the default (the refund) on the donor's behalf; it is recorded as such.
rules.add_perm("funding.apply_deadline_default", is_choice_staff | rules.is_superuser)
rules.add_perm("funding.view_deadline_choice", is_choice_donor | is_choice_staff | rules.is_superuser)
# Offline refunds handed back by the office: the staff who may refund record it.
rules.add_perm("funding.record_return", is_payment_staff | rules.is_superuser)
# CSV exports: a project's ledger for staff of its area; every gift in their area for any such staff.
rules.add_perm("funding.export_project_ledger", is_project_money_staff | rules.is_superuser)
rules.add_perm("funding.export_gifts", has_money_scope | rules.is_superuser)
