from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("mine/", views.my_gifts, name="my_gifts"),
    path("queue/", views.offline_queue, name="offline_queue"),
    path("stripe-events/", views.stripe_events, name="stripe_events"),
    path("projects/<id:pk>/give/", views.give, name="give"),
    path("payments/<id:pk>/", views.payment_detail, name="payment_detail"),
    path("payments/<id:pk>/pay/", views.pay, name="pay"),
    path("payments/<id:pk>/<slug:action>/", views.payment_action, name="payment_action"),
    path("receipts/<id:pk>/", views.receipt_pdf, name="receipt_pdf"),
    path("choices/<id:pk>/", views.choice_detail, name="choice_detail"),
    path("funders/people/<id:pk>/", views.funder_person, name="funder_person"),
    path("funders/organisations/<id:pk>/", views.funder_organisation, name="funder_organisation"),
    path("projects/<id:pk>/ledger.csv", views.project_ledger_csv, name="project_ledger_csv"),
    path("gifts.csv", views.gifts_csv, name="gifts_csv"),
]
