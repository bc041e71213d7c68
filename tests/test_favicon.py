"""/favicon.ico answers with the product's icon, for the pages that name none (the admin, downloads)."""


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "max-age" in response["Cache-Control"]


def test_every_page_names_the_icon(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


def test_the_favicon_is_get_only(client, db):
    assert client.post("/favicon.ico").status_code == 405
