"""Test kit for fetch-coco: a synthetic COCO-shaped dataset, a real nginx on 127.0.0.1, a fault server.

The dataset is made of real zip files holding JPEG-ish files and real instances_*.json annotations;
its manifest pins their sizes and SHA-256 exactly like the bundled one pins the real COCO archives.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import threading
import time
import zipfile
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

IMAGE_BYTES = 256 * 1024
PACED_RATE = 256 * 1024  # bytes per second per connection for the paced fault mode


def jpeg_bytes(rng: random.Random, size: int) -> bytes:
    return b"\xff\xd8\xff\xe0" + rng.randbytes(size - 6) + b"\xff\xd9"


def image_name(year: str, split: str, image_id: int) -> str:
    return f"COCO_{split}_{image_id:012d}.jpg" if year == "2014" else f"{image_id:012d}.jpg"


def annotations(year: str, split: str, ids: list[int]) -> dict:
    """Real-shaped instances JSON: crowd, degenerate, duplicate and unknown-category boxes included."""
    images = [{"id": i, "file_name": image_name(year, split, i), "width": 640, "height": 480,
               "license": 1, "coco_url": ""} for i in ids]
    anns, aid = [], 1
    for n, i in enumerate(ids):
        if n % 5 == 4:
            continue  # a background image: no annotation at all
        boxes = [(18, [10.0, 20.0, 100.0, 50.0], 0), (1, [0.5, 0.25, 639.0, 479.5], 0),
                 (90, [200, 100, 33.3, 77.7], 0), (1, [5, 5, 10, 10], 1), (3, [300, 300, 0, 12], 0),
                 (12, [1, 1, 2, 2], 0), (18, [10.0, 20.0, 100.0, 50.0], 0)]
        if n % 5 == 3:
            boxes = [(1, [5, 5, 10, 10], 1)]  # only a crowd box: no label file
        for cat, bbox, crowd in boxes:
            anns.append({"id": aid, "image_id": i, "category_id": cat, "bbox": bbox, "iscrowd": crowd,
                         "area": 1.0, "segmentation": [[1, 2, 3, 4, 5, 6]]})
            aid += 1
    cats = [{"id": c, "name": str(c), "supercategory": "x"} for c in (1, 3, 18, 90)]
    return {"info": {"year": int(year), "description": "synthetic [test] {\"x\"}"}, "licenses": [],
            "images": images, "annotations": anns, "categories": cats}


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def build_dataset(root: Path, base_url: str = "http://127.0.0.1:9/") -> dict:
    """Mirror tree under root/www (zips/, annotations/) and root/manifest.yaml; returns the manifest data."""
    rng = random.Random(20240501)
    www = root / "www"
    (www / "zips").mkdir(parents=True, exist_ok=True)
    (www / "annotations").mkdir(parents=True, exist_ok=True)
    counts = {"train": 32, "val": 10}
    years: dict[str, dict] = {}
    for year in ("2014", "2017"):
        archives = []
        ann_members = {}
        first = 1
        for part, count in counts.items():
            split = f"{part}{year}"
            ids = list(range(first, first + count))
            first += count
            members = {f"{split}/{image_name(year, split, i)}": jpeg_bytes(rng, IMAGE_BYTES) for i in ids}
            write_zip(www / "zips" / f"{split}.zip", members)
            archives.append(_entry(www, f"zips/{split}.zip", part, split, "images", count))
            ann_members[f"annotations/instances_{split}.json"] = json.dumps(annotations(year, split, ids)).encode()
        write_zip(www / "annotations" / f"annotations_trainval{year}.zip", ann_members)
        archives.append(_entry(www, f"annotations/annotations_trainval{year}.zip", "annotations", "", ".", 0))
        years[year] = {"holdout": 3 if year == "2014" else 0, "archives": archives}
    data = {"schema": 1, "official": base_url, "years": years}
    (root / "manifest.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return data


def _entry(www: Path, rel: str, part: str, split: str, extract_to: str, images: int) -> dict:
    blob = (www / rel).read_bytes()
    return {"name": os.path.basename(rel), "path": rel, "part": part, "split": split, "extract_to": extract_to,
            "size": len(blob), "images": images, "sha256": hashlib.sha256(blob).hexdigest(),
            "md5": hashlib.md5(blob).hexdigest()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


NGINX_CONF = """
user root;
worker_processes 2;
pid {d}/nginx.pid;
events {{ worker_connections 256; }}
http {{
  default_type application/octet-stream;
  log_format bytes '$uri $status $body_bytes_sent "$http_range"';
  access_log {d}/access.log bytes;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  sendfile on;
  server {{
    listen 127.0.0.1:{port};
    root {www};
    location /capped/ {{ alias {www}/; limit_rate 1m; }}
    location /slow/ {{ alias {www}/; limit_rate 512k; }}
  }}
}}
"""


class Nginx:
    """nginx (daemon off) in the foreground as our child, with its own config, log and port."""

    def __init__(self, workdir: Path, www: Path) -> None:
        self.dir, self.www, self.port = workdir, www, free_port()
        workdir.mkdir(parents=True, exist_ok=True)
        conf = workdir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(d=workdir, port=self.port, www=www))
        self.log = workdir / "access.log"
        self.proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(workdir), "-e", str(workdir / "error.log"),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_port(self.port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def served(self, uri_suffix: str) -> list[tuple[int, int, str]]:
        """(status, body bytes, Range header) of every logged request whose URI ends with uri_suffix."""
        out = []
        for line in self.log.read_text().splitlines():
            uri, status, sent, rng = line.split(" ", 3)
            if uri.endswith(uri_suffix):
                out.append((int(status), int(sent), rng.strip('"')))
        return out

    def stop(self) -> None:
        self.proc.terminate()  # SIGTERM: fast shutdown
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class FaultHandler(BaseHTTPRequestHandler):
    """/<mode>/<path>: modes ok, drop, wrong, html, forbidden, missing, norange, stall, flaky, paced, trickle
    (1 byte a second), quota (the first quota_left["n"] requests served, then 200 with an HTML quota page)."""

    protocol_version = "HTTP/1.1"
    www: Path
    served: Counter
    flaky_left: dict
    quota_left: dict

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        _, mode, rel = self.path.split("/", 2)
        if mode == "forbidden":
            return self._plain(403, b"Forbidden")
        if mode == "missing":
            return self._plain(404, b"Not Found")
        if mode == "quota":
            self.quota_left["n"] = self.quota_left.get("n", 0) - 1
            if self.quota_left["n"] < 0:
                mode = "html"
        if mode == "html":
            return self._plain(200, b"<!DOCTYPE html><html><body>Daily quota exceeded</body></html>",
                               "text/html; charset=utf-8")
        path = self.www / rel
        if not path.is_file():
            return self._plain(404, b"Not Found")
        blob = path.read_bytes()
        if mode == "wrong":
            blob = blob[:64] + bytes(b ^ 0x5A for b in blob[64:])
        start, end = 0, len(blob) - 1
        rng = self.headers.get("Range")
        if rng and mode != "norange":
            a, b = rng.split("=")[1].split("-")
            start, end = int(a), min(int(b) if b else len(blob) - 1, len(blob) - 1)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(blob)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "none" if mode == "norange" else "bytes")
        self.end_headers()
        self._body(mode, blob[start:end + 1], start)

    def _body(self, mode: str, body: bytes, start: int) -> None:
        limit = len(body)
        if mode == "drop" or (mode == "flaky" and self.flaky_left.get("n", 0) > 0 and start > 0):
            self.flaky_left["n"] = self.flaky_left.get("n", 0) - 1
            limit = min(limit, 100 * 1024)
        if mode == "trickle":
            return self._trickle(body)
        step = 16 * 1024 if mode == "paced" else 64 * 1024
        if mode == "paced":  # small send buffer: bytes counted as sent are close to bytes the client read
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16 * 1024)
        sent = 0
        for i in range(0, limit, step):
            chunk = body[i:min(i + step, limit)]
            if mode == "paced":
                time.sleep(step / PACED_RATE)
            if mode == "stall" and start + i >= 512 * 1024:
                time.sleep(30)
                return
            try:
                self.wfile.write(chunk)
            except OSError:
                break
            sent += len(chunk)
            if mode == "paced":
                self.served[mode] += len(chunk)
        if mode != "paced":
            self.served[mode] += sent
        if limit < len(body):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

    def _trickle(self, body: bytes) -> None:
        """One byte a second, at most 60 s (the test server stops by itself)."""
        self.served["trickle-open"] += 1
        try:
            for i in range(min(60, len(body))):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass
        finally:
            self.served["trickle-open"] -= 1
        self.close_connection = True

    def _plain(self, status: int, body: bytes, ctype: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class FaultServer:
    def __init__(self, www: Path) -> None:
        handler = type("Handler", (FaultHandler,), {"www": www, "served": Counter(), "flaky_left": {},
                                                     "quota_left": {}})
        self.handler = handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that hung up is no test output
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{mode}/"

    @property
    def served(self) -> Counter:
        return self.handler.served

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def copy_manifest(src: Path, dst: Path, official: str) -> Path:
    data = yaml.safe_load(src.read_text())
    data["official"] = official
    dst.write_text(yaml.safe_dump(data, sort_keys=False))
    return dst


__all__ = ["FaultServer", "Nginx", "build_dataset", "copy_manifest", "shutil"]


def entry(dataset: tuple, name: str, year: str = "2017") -> dict:
    """The manifest entry of archive `name` in a dataset of the `dataset` fixture (root, build_dataset's answer)."""
    return next(a for a in dataset[1]["years"][year]["archives"] if a["name"] == name)
