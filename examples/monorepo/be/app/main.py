"""A tiny HTTP API for the example backend (standard library only)."""
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from app.stats import average_population

SAMPLE = [{"city": "Seoul", "population": 9_400_000}, {"city": "Busan", "population": 3_300_000}]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/health":
            body = {"status": "ok"}
        else:
            body = {"averagePopulation": average_population(SAMPLE)}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
