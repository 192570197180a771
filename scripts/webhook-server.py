#!/usr/bin/env python3
"""A webhook peer for scripts/webhooks-e2e.sh: HTTPS on loopback with a certificate issued by the CA under test.
It verifies step's signature (X-Smallstep-Signature: hex HMAC-SHA256 of the body, key = the base64-decoded secret
of the webhook named in X-Smallstep-Webhook-ID, read from SECRETS/<id>), records every request as a JSON line in
LOG, and answers by path:
  /enrich/<anything>  {"allow": true, "data": {"role": "eng", "cn": <the CSR's common name>, "path": <the path>}}
  /deny               {"allow": false}
  /slow               sleeps 30 s
  /broken             HTTP 500
  /garbage            200 with a body that is not JSON
A request whose signature does not verify gets 401 (and is logged with "signature": false).
  webhook-server.py PORT CERT KEY SECRETS LOG"""
import base64, hashlib, hmac, http.server, json, os, ssl, sys, time

port, cert, key, secrets, log = sys.argv[1:6]

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        hook = self.headers.get("X-Smallstep-Webhook-ID", "")
        try:
            secret = base64.b64decode(open(os.path.join(secrets, os.path.basename(hook))).read().strip())
            expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
            signed = hmac.compare_digest(expected, self.headers.get("X-Smallstep-Signature", ""))
        except OSError:
            signed = False
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        with open(log, "a") as out:
            out.write(json.dumps({"path": self.path, "signature": signed, "authorization": self.headers.get("Authorization"),
                                  "request": request}) + "\n")
        if not signed:
            return self.answer(401, {"error": "bad signature"})
        if self.path.startswith("/enrich"):
            cn = request["x509CertificateRequest"]["subject"].get("commonName", "")
            return self.answer(200, {"allow": True, "data": {"role": "eng", "cn": cn, "path": self.path}})
        if self.path == "/deny":
            return self.answer(200, {"allow": False})
        if self.path == "/slow":
            time.sleep(30)
            return self.answer(200, {"allow": True})
        if self.path == "/broken":
            return self.answer(500, {"error": "down"})
        if self.path == "/garbage":
            return self.answer(200, b"<html>not json</html>")
        return self.answer(404, {"error": "no such hook"})

server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
