import assert from "node:assert/strict";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { createCertificateFetcher } from "../../reactor/sns";
import { generateKeys, makeCertificate } from "./support/signing";

describe("reactor/sns createCertificateFetcher (HTTPS on loopback)", () => {
  let server: https.Server;
  let base: string;
  let ca: string;
  const hung: import("node:http").ServerResponse[] = [];

  before(async () => {
    const tls = makeCertificate({
      keys: generateKeys(),
      cn: "localhost",
      dns: ["localhost"],
      ip: ["127.0.0.1"],
    });
    ca = tls.pem;
    server = https.createServer(
      { key: tls.privateKey.export({ type: "pkcs8", format: "pem" }), cert: tls.pem },
      (req, res) => {
        if (req.url === "/ok.pem") res.end("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        else if (req.url === "/big.pem") {
          res.write("x".repeat(40 * 1024));
          res.end("x".repeat(40 * 1024));
        } else if (req.url === "/declared-big.pem") {
          res.writeHead(200, { "content-length": String(10 * 1024 * 1024) });
          res.write("x");
          hung.push(res);
        } else if (req.url === "/redirect.pem") {
          res.writeHead(301, { location: "/ok.pem" });
          res.end();
        } else if (req.url === "/hang.pem") hung.push(res);
        else {
          res.writeHead(404);
          res.end();
        }
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const fetcher = (timeoutMs = 5_000) => createCertificateFetcher({ timeoutMs, maxBytes: 64 * 1024, ca });

  it("returns the body of a 200", async () => {
    assert.match(await fetcher()(new URL(`${base}/ok.pem`)), /BEGIN CERTIFICATE/);
  });

  it("rejects any other status, redirects included", async () => {
    await assert.rejects(fetcher()(new URL(`${base}/missing.pem`)), /HTTP 404/);
    await assert.rejects(fetcher()(new URL(`${base}/redirect.pem`)), /HTTP 301/);
  });

  it("stops reading past the size cap", async () => {
    await assert.rejects(fetcher()(new URL(`${base}/big.pem`)), /over 65536 bytes/);
  });

  it("rejects a declared length over the cap without reading it", async () => {
    await assert.rejects(fetcher()(new URL(`${base}/declared-big.pem`)), /10485760 bytes, over 65536/);
  });

  it("gives up on a server that never answers", async () => {
    await assert.rejects(fetcher(200)(new URL(`${base}/hang.pem`)), /timed out after 200 ms/);
  });

  it("refuses a server whose certificate it does not trust", async () => {
    const untrusting = createCertificateFetcher({ timeoutMs: 5_000, maxBytes: 1024 });
    await assert.rejects(untrusting(new URL(`${base}/ok.pem`)), /self.signed|unable to verify/i);
  });
});
