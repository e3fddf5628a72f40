"""Serving the server functions bundle (dist-functions/) on your own machine.

`islandgen build` writes dist-functions/app.py, which needs only the standard library:
    uvicorn --app-dir dist-functions app:asgi_app          (ASGI)
    gunicorn --chdir dist-functions app:wsgi_app           (WSGI)
    handler: app.lambda_handler                            (AWS Lambda, zip: build --zip)
This script runs the WSGI app with the standard library alone, for a quick try.
"""

import sys
from pathlib import Path
from wsgiref.simple_server import make_server

sys.path.insert(0, str(Path("dist-functions").resolve()))
from app import wsgi_app  # after the path change: the bundle is not installed

with make_server("127.0.0.1", 8000, wsgi_app) as server:
    print("server functions at http://127.0.0.1:8000/_fn/")
    server.serve_forever()
