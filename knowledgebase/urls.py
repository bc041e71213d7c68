from django.urls import path

from knowledgebase.views import desk, public

app_name = "knowledgebase"

urlpatterns = [
    # Public knowledge base: no sign-in needed
    path("kb/", public.home, name="home"),
    path("kb/search/", public.search_view, name="search"),
    path("kb/suggest/", public.suggest, name="suggest"),
    path("kb/answered/", public.deflect, name="deflect"),
    path("kb/categories/<slug:slug>/", public.category_view, name="category"),
    path("kb/articles/<slug:slug>/", public.article_detail, name="article"),
    path("kb/articles/<slug:slug>/vote/", public.article_vote, name="vote"),
    # Agents
    path("desk/kb/", desk.article_list, name="desk-list"),
    path("desk/kb/new/", desk.article_create, name="desk-create"),
    path("desk/kb/preview/", desk.article_preview, name="desk-preview"),
    path("desk/kb/link-search/", desk.link_search, name="desk-link-search"),
    path("desk/kb/gaps/", desk.content_gaps, name="desk-gaps"),
    path("desk/kb/<int:pk>/", desk.article_edit, name="desk-edit"),
    path("desk/kb/<int:pk>/publish/", desk.article_publish, name="desk-publish"),
    path("desk/kb/<int:pk>/archive/", desk.article_archive, name="desk-archive"),
    path("desk/kb/<int:pk>/draft/", desk.article_unpublish, name="desk-unpublish"),
    path("desk/kb/<int:pk>/revisions/", desk.revision_list, name="desk-revisions"),
    path("desk/kb/<int:pk>/revisions/<int:number>/", desk.revision_detail, name="desk-revision"),
]
