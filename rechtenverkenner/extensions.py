"""Extension objects, created unbound; `create_app` binds them with `init_app`."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api

api = Api()
babel = Babel()
# Counts live in Redis when REDIS_URL is set (shared by every worker and host), else in the
# worker's memory (one machine, `make run`).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
