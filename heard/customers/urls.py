from django.urls import path

from heard.customers import model_card_views, views

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/dashboard/", views.customer_dashboard, name="dashboard"),
    path("customers/model/", model_card_views.model_card, name="model_card"),
    path("customers/api-tokens/", views.api_tokens, name="api_tokens"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("customers/items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("customers/items/<int:item_id>/score/", views.reply_score, name="reply_score"),
    path("customers/outreach/", views.outreach_queue, name="outreach_queue"),
    path("customers/outreach/rules/", views.outreach_rules, name="outreach_rules"),
    path(
        "customers/outreach/<int:follow_up_id>/",
        views.follow_up_update,
        name="follow_up_update",
    ),
]
