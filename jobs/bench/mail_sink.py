#!/usr/bin/env python3
"""A counting SMTP sink for jobs/bench/bench_mail.sh (aiosmtpd 1.4.6).

Accepts every message and keeps none: it only counts them and notes when the first and the
last arrived, so that the sink stays faster than the sender it measures. Twice a second it
writes `count first last` (Unix seconds) to the status file.

Usage: mail_sink.py PORT STATUS_FILE
"""

import os
import sys
import time

from aiosmtpd.controller import Controller


class Count:
    def __init__(self):
        self.count = 0
        self.first = 0.0
        self.last = 0.0

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        if self.count == 0:
            self.first = now
        self.count += 1
        self.last = now
        return "250 OK"


def main():
    port, status = int(sys.argv[1]), sys.argv[2]
    handler = Count()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(0.5)
            with open(status + ".tmp", "w") as out:
                out.write(f"{handler.count} {handler.first:.6f} {handler.last:.6f}\n")
            os.replace(status + ".tmp", status)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
