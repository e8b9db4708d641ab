/**
 * Signing certificates: fetched over HTTPS with bounded time and size, checked (X.509, issued to
 * SNS, within validity), and cached as parsed public keys per URL and per fetcher. Parsing the
 * PEM for every message would cost several times the signature check itself.
 */
import { X509Certificate, type KeyObject } from "node:crypto";
import * as https from "node:https";
import { SnsVerificationError, type SnsCheck } from "./errors";

/** The `SnsVerificationError` codes raised here. */
export type CertificateCheck = Extract<
  SnsCheck,
  "cert_fetch" | "cert_unavailable" | "cert_rate_limited" | "cert_invalid" | "cert_subject" | "cert_validity"
>;

/** A fetch answered with an HTTP status other than 200. */
export class CertificateHttpError extends Error {
  override readonly name = "CertificateHttpError";
  constructor(readonly statusCode: number) {
    super(`HTTP ${statusCode}`);
  }
}

/**
 * Fetches of certificate URLs not in the cache, as a token bucket: a burst of `capacity`, then one
 * per `refillMs`. On the public HTTP path every such URL is attacker-chosen until the signature is
 * checked, so this bounds how often an unauthenticated caller can make the function fetch.
 */
export class FetchLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) / this.refillMs);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * A URL whose fetch failed is not fetched again for this long: a short negative cache, so a burst
 * of messages naming it (forged, or one genuine message redelivered) costs one fetch, while a
 * passing failure is retried soon. Keys are never cached on failure (DESIGN: reactor, step 1).
 */
export const FAILED_FETCH_TTL_MS = 30_000;
const MAX_FAILED_URLS = 256;

function fail(code: CertificateCheck, message: string, cause?: unknown): never {
  throw new SnsVerificationError(code, message, cause === undefined ? undefined : { cause });
}

interface CachedKey {
  readonly key: KeyObject;
  readonly notBefore: number;
  readonly notAfter: number;
}

interface KeyCache {
  readonly ready: Map<string, CachedKey>;
  readonly inFlight: Map<string, Promise<CachedKey>>;
  /** URL → until when (epoch ms) its last failure stands, and which check it failed. */
  readonly failed: Map<
    string,
    { readonly until: number; readonly code: CertificateCheck; readonly message: string }
  >;
}

/** SNS rotates certificates rarely and under new URLs, so a handful of entries is plenty. */
const MAX_CACHED_KEYS = 16;

/**
 * One cache per fetcher, so a test's (or a caller's) certificate source never answers for
 * another's. Only successes are stored; a failed fetch or a bad certificate is retried next time.
 */
const caches = new WeakMap<(url: URL) => Promise<string>, KeyCache>();

function cacheFor(fetcher: (url: URL) => Promise<string>): KeyCache {
  let cache = caches.get(fetcher);
  if (cache === undefined) {
    cache = { ready: new Map(), inFlight: new Map(), failed: new Map() };
    caches.set(fetcher, cache);
  }
  return cache;
}

/** The cached key for `certUrl`, checked against `now`; undefined when there is none yet. */
export function cachedKey(
  certUrl: string,
  fetcher: (url: URL) => Promise<string>,
  now: number,
): KeyObject | undefined {
  const cache = cacheFor(fetcher);
  const entry = cache.ready.get(certUrl);
  if (entry === undefined) return undefined;
  if (now < entry.notBefore || now > entry.notAfter) {
    cache.ready.delete(certUrl);
    fail("cert_validity", "the signing certificate is not valid now");
  }
  return entry.key;
}

/** Fetches and checks the certificate, once for all concurrent callers; caches only success. */
export async function loadSharedKey(
  certUrl: string,
  fetcher: (url: URL) => Promise<string>,
  now: number,
  limiter?: FetchLimiter,
): Promise<KeyObject> {
  const cache = cacheFor(fetcher);
  let pending = cache.inFlight.get(certUrl);
  if (pending === undefined) {
    const failed = cache.failed.get(certUrl);
    if (failed !== undefined && now < failed.until) fail(failed.code, `${failed.message} (recently)`);
    if (limiter !== undefined && !limiter.take(now)) {
      fail("cert_rate_limited", "too many signing certificates to fetch right now");
    }
    pending = loadKey(certUrl, fetcher, now);
    cache.inFlight.set(certUrl, pending);
    pending.then(
      (loaded) => {
        cache.inFlight.delete(certUrl);
        cache.failed.delete(certUrl);
        if (cache.ready.size >= MAX_CACHED_KEYS) cache.ready.delete(cache.ready.keys().next().value!);
        cache.ready.set(certUrl, loaded);
      },
      (error: unknown) => {
        cache.inFlight.delete(certUrl);
        if (cache.failed.size >= MAX_FAILED_URLS) cache.failed.delete(cache.failed.keys().next().value!);
        const e = error as SnsVerificationError;
        cache.failed.set(certUrl, {
          until: now + FAILED_FETCH_TTL_MS,
          code: e.code as CertificateCheck,
          message: e.message,
        });
      },
    );
  }
  const entry = await pending;
  // A caller that joined a fetch started by another may have a different `now`.
  if (now < entry.notBefore || now > entry.notAfter) {
    cache.ready.delete(certUrl);
    fail("cert_validity", "the signing certificate is not valid now");
  }
  return entry.key;
}

async function loadKey(
  certUrl: string,
  fetcher: (url: URL) => Promise<string>,
  now: number,
): Promise<CachedKey> {
  let pem: string;
  try {
    pem = await fetcher(new URL(certUrl));
  } catch (error) {
    // A 4xx will not change on a retry (no such certificate); anything else may pass.
    const status = error instanceof CertificateHttpError ? error.statusCode : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      fail("cert_unavailable", `the signing certificate URL answers HTTP ${status}`, error);
    }
    fail("cert_fetch", "could not fetch the signing certificate", error);
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    fail("cert_invalid", "the signing certificate is not a valid X.509 certificate", error);
  }
  if (cert.publicKey.asymmetricKeyType !== "rsa")
    fail("cert_invalid", "the signing certificate has no RSA key");
  // Commercial-region certificates name sns.amazonaws.com; China-region ones name their own host.
  const host = new URL(certUrl).hostname;
  if (cert.checkHost("sns.amazonaws.com") === undefined && cert.checkHost(host) === undefined) {
    fail("cert_subject", "the signing certificate is not issued to sns.amazonaws.com");
  }
  const entry = {
    key: cert.publicKey,
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
  };
  if (!(now >= entry.notBefore && now <= entry.notAfter)) {
    fail("cert_validity", "the signing certificate is not valid now");
  }
  return entry;
}

export interface CertificateFetcherOptions {
  /** Whole-request deadline (connect, TLS, headers, body). */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Extra trust roots; only tests need this (a loopback server with its own certificate). */
  readonly ca?: string;
}

/** An HTTPS GET of a PEM: status 200 only, no redirects, bounded time and size. */
export function createCertificateFetcher(opts: CertificateFetcherOptions): (url: URL) => Promise<string> {
  return (url) =>
    new Promise<string>((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | undefined, value?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(value!);
      };
      const timer = setTimeout(
        () => settle(new Error(`timed out after ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
      const req = https.get(
        url,
        { ...(opts.ca ? { ca: opts.ca } : {}), headers: { accept: "*/*" } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            settle(new CertificateHttpError(res.statusCode ?? 0));
            return;
          }
          const declared = Number(res.headers["content-length"] ?? "0");
          if (declared > opts.maxBytes) {
            settle(new Error(`certificate is ${declared} bytes, over ${opts.maxBytes}`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > opts.maxBytes) settle(new Error(`certificate is over ${opts.maxBytes} bytes`));
            else chunks.push(chunk);
          });
          res.on("end", () => settle(undefined, Buffer.concat(chunks).toString("utf8")));
          res.on("error", (e) => settle(e));
          res.on("close", () => settle(new Error("connection closed before the certificate was read")));
        },
      );
      req.on("error", (e) => settle(e));
    });
}

export const defaultFetchCertificate = createCertificateFetcher({ timeoutMs: 3000, maxBytes: 64 * 1024 });
