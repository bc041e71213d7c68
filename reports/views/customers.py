"""Customer 360, the customer directory and the at-risk list (desk, under /desk/customers/)."""

urlpatterns = []
