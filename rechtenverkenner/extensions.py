"""Extension objects, created unbound; `create_app` binds them with `init_app`."""

from flask_babel import Babel
from flask_smorest import Api

api = Api()
babel = Babel()
