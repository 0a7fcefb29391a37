#!/usr/bin/env python3
"""A GDELT mirror on 127.0.0.1 for the tests of `bilat update` (standard library only).

  mirror.py make SRC OUT SLOT...   export files made from the real export SRC: for each slot
                                   YYYYMMDDHHMMSS, OUT/SLOT.export.CSV.zip holds its own share of
                                   SRC's rows with DATEADDED set to the slot (as GDELT's files
                                   have it), so every file has distinct content; prints
                                   "NAME SIZE MD5" per file
  mirror.py serve ROOT PORTFILE LOG
                                   serve ROOT over HTTP/1.1 on a free port of 127.0.0.1 (written
                                   to PORTFILE); one line per request in LOG: "METHOD PATH RANGE
                                   STATUS" (RANGE is '-' when none; PATH keeps the host when the
                                   request came as to a proxy)

ROOT/rules, read again for every request, changes how files are served, one rule a line:
  cut NAME N          the first N whole-file requests for NAME send the headers and half of
                      the body, then close the connection (a transfer cut short)
  error NAME N CODE   the first N requests for NAME get the HTTP status CODE
  stall NAME          send the headers and half of the body, then nothing for 60 s
  slow BYTES          send every body at BYTES per second
  norange             ignore Range headers (answer 200 with the whole file)
The counters of the rules start again whenever the file changes. Range requests "bytes=N-" get
206 with Content-Range, or 416 when N is past the end. A request line with an absolute URI (a
client using this server as its HTTP proxy) is served the file of the URI's last segment.
"""
import hashlib
import http.server
import io
import os
import sys
import threading
import time
import urllib.parse
import zipfile


def make(src, out, slots):
    with open(src, "rb") as f:
        rows = f.read().splitlines(keepends=True)
    os.makedirs(out, exist_ok=True)
    share = len(rows) // len(slots)
    for i, slot in enumerate(slots):
        part = rows[i * share:(i + 1) * share]
        fixed = []
        for r in part:
            cols = r.rstrip(b"\n").split(b"\t")
            cols[59] = slot.encode()  # DATEADDED, column 60 of GDELT 2.0
            fixed.append(b"\t".join(cols) + b"\n")
        name = slot + ".export.CSV.zip"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo(slot + ".export.CSV", date_time=(2018, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, b"".join(fixed))
        data = buf.getvalue()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(name, len(data), hashlib.md5(data).hexdigest())


class State:
    lock = threading.Lock()
    counts = {}
    rules = ""
    root = "."
    log = None


def rules():
    """The rules; their counters start again whenever the file changes."""
    try:
        with open(os.path.join(State.root, "rules")) as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    with State.lock:
        if text != State.rules:
            State.rules = text
            State.counts = {}
    return [l.split() for l in text.splitlines() if l.strip()]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        rng = self.headers.get("Range") or "-"
        with State.lock:
            State.log.write("%s %s %s %d\n" % (self.command, self.path, rng.replace(" ", ""), status))
            State.log.flush()

    def count(self, key):
        with State.lock:
            State.counts[key] = State.counts.get(key, 0) + 1
            return State.counts[key]

    def send_simple(self, code, extra=None):
        body = (b"%d\n" % code)
        self.send_response(code)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.note(code)

    def do_GET(self):
        path = self.path
        if "://" in path:  # proxy form http://host/dir/name: served from ROOT/name
            path = "/" + path.rsplit("/", 1)[1]
        name = urllib.parse.unquote(path.split("?", 1)[0].lstrip("/"))
        rs = rules()
        for r in rs:
            if r[0] == "error" and r[1] == name and self.count("error " + name) <= int(r[2]):
                return self.send_simple(int(r[3]))
        full = os.path.join(State.root, name)
        if "/" in name or name.startswith(".") or not os.path.isfile(full):
            return self.send_simple(404)
        with open(full, "rb") as f:
            data = f.read()
        size = len(data)
        start = 0
        rng = self.headers.get("Range")
        norange = any(r[0] == "norange" for r in rs)
        status = 200
        if rng and not norange and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= size:
                return self.send_simple(416, {"Content-Range": "bytes */%d" % size})
            status = 206
        body = data[start:]
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
        self.end_headers()
        self.note(status)
        cut = stall = False
        rate = 0
        for r in rs:
            if r[0] == "cut" and r[1] == name and status == 200 and self.count("cut " + name) <= int(r[2]):
                cut = True
            if r[0] == "stall" and r[1] == name:
                stall = True
            if r[0] == "slow":
                rate = int(r[1])
        if cut or stall:
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            if stall:
                time.sleep(60)
            self.close_connection = True
            return
        if rate:
            step = max(1, rate // 10)
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self.wfile.write(body)


def serve(root, portfile, log):
    State.root = root
    State.log = open(log, "a")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
