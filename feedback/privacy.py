"""Data protection: what this app exports about a customer and how it forgets them."""
