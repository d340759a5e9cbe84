"""StreamField blocks shared by the free-form pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms.choosers import URLOrAbsolutePathValidator
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "pages/blocks/document_link.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    # A page of the portal (/projects/3/) or another site.
    url = blocks.CharBlock(label=_("link"), validators=[URLOrAbsolutePathValidator()])

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "pages/blocks/call_to_action.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("answer"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        label = _("Question")
        template = "pages/blocks/question.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="pages/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    document = DocumentLinkBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        label = _("Body")


class FAQBlock(blocks.StreamBlock):
    question = QuestionBlock()
