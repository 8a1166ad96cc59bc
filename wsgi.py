"""Entry point for gunicorn and `flask --app wsgi`."""

from rechtenverkenner import create_app

app = create_app()
