"""Serve a functions bundle's `wsgi_app` with the standard library, one thread per request.

Usage: python -S wsgi_server.py BUNDLE PORT (run by the tests; stops on SIGTERM).
"""

import signal
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, sys.argv[1])

from app import wsgi_app


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 64


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


server = make_server("127.0.0.1", int(sys.argv[2]), wsgi_app, ThreadingWSGIServer, QuietHandler)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
try:
    server.serve_forever()
finally:
    server.server_close()
