"""The backend's cache through a real Redis: korea build starts one and sets REDIS_URL (see korea.yaml)."""
import os
import socket
import unittest
import urllib.parse
import uuid


def command(sock, *args):
    """Sends one RESP command and returns the raw reply (small replies only)."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    sock.sendall(b"".join(parts))
    return sock.recv(4096)


class RedisCacheTest(unittest.TestCase):
    def test_writes_and_reads_a_key(self):
        url = os.environ.get("REDIS_URL")
        self.assertTrue(url, "REDIS_URL is not set: run the tests with korea build, which starts Redis")
        parsed = urllib.parse.urlparse(url)
        key = "korea-example-" + uuid.uuid4().hex
        with socket.create_connection((parsed.hostname, parsed.port), timeout=5) as sock:
            self.assertEqual(command(sock, "SET", key, "서울"), b"+OK\r\n")
            self.assertEqual(command(sock, "GET", key), b"$6\r\n" + "서울".encode() + b"\r\n")
            self.assertEqual(command(sock, "DEL", key), b":1\r\n")


if __name__ == "__main__":
    unittest.main()
