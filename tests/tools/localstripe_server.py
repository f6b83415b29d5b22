"""A local Stripe-compatible API for Obole's tests: localstripe 1.15.10 on 127.0.0.1 only.

localstripe's own entry point listens on every interface and saves its store to one shared
file in /tmp; tests run several at once, each on loopback, keeping its store in memory.
Usage: python localstripe_server.py PORT
"""
import sys

from aiohttp import web
from localstripe import resources
from localstripe.server import app

resources.Store.dump_to_disk = lambda self: None

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
