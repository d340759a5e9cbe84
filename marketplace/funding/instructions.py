"""Where offline gifts go and who issues receipts: a setting editors keep in the CMS (Settings → Payment
instructions), shown on the pledge page, in the pledge's message and on every receipt."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.core.languages import localized_name
from portal.organisations.uscc import validate_uscc


@register_setting(icon="tasks")
class PaymentInstructions(BaseGenericSetting):
    payee = models.CharField(_("payee (account name)"), max_length=120, blank=True)
    payee_en = models.CharField(_("payee in English"), max_length=200, blank=True)
    bank = models.CharField(_("bank and branch"), max_length=120, blank=True)
    bank_en = models.CharField(_("bank and branch in English"), max_length=200, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    office_address = models.CharField(_("office address for cash gifts"), max_length=200, blank=True)
    office_address_en = models.CharField(_("office address in English"), max_length=300, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=120, blank=True)
    office_hours_en = models.CharField(_("office hours in English"), max_length=200, blank=True)
    issuer = models.CharField(_("receipts issued by"), max_length=120, blank=True)
    issuer_en = models.CharField(_("receipts issued by, in English"), max_length=200, blank=True)
    issuer_uscc = models.CharField(
        _("issuer's unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("payee"),
                FieldPanel("payee_en"),
                FieldPanel("bank"),
                FieldPanel("bank_en"),
                FieldPanel("account_number"),
            ],
            heading=_("Bank transfer"),
        ),  # fmt: skip
        MultiFieldPanel(
            [
                FieldPanel("office_address"),
                FieldPanel("office_address_en"),
                FieldPanel("office_hours"),
                FieldPanel("office_hours_en"),
            ],
            heading=_("Cash at the office"),
        ),  # fmt: skip
        MultiFieldPanel(
            [FieldPanel("issuer"), FieldPanel("issuer_en"), FieldPanel("issuer_uscc")], heading=_("Receipts")
        ),
    ]

    class Meta:
        verbose_name = _("payment instructions")

    def in_reader_language(self):
        """The values in the active language (English ones where given, else the Chinese)."""
        return {
            "payee": localized_name(self.payee, self.payee_en),
            "bank": localized_name(self.bank, self.bank_en),
            "account_number": self.account_number,
            "office_address": localized_name(self.office_address, self.office_address_en),
            "office_hours": localized_name(self.office_hours, self.office_hours_en),
            "issuer": localized_name(self.issuer, self.issuer_en),
            "issuer_uscc": self.issuer_uscc,
        }

    @property
    def has_bank(self):
        return bool(self.payee and self.account_number)

    def as_text(self, pledge_number):
        """The instructions as one paragraph in the active language (messages and e-mails); "" if none are set."""
        where = self.in_reader_language()
        parts = []
        if self.has_bank:
            parts.append(
                gettext("Bank transfer to %(payee)s, %(bank)s, account %(account)s, quoting “pledge %(number)s”.")
                % {
                    "payee": where["payee"],
                    "bank": where["bank"],
                    "account": where["account_number"],
                    "number": pledge_number,
                }
            )
        if where["office_address"]:
            parts.append(
                gettext("Or bring it in cash to %(address)s (%(hours)s).")
                % {"address": where["office_address"], "hours": where["office_hours"]}
            )
        return " ".join(parts)
