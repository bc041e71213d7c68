"""Steps every browser test takes."""

from tests.factories import PASSWORD


def sign_in(page, base_url, email, password=PASSWORD):
    """Sign in on the login page and wait until the home page has loaded."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
