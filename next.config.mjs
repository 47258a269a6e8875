// Security headers (README "Security"): a CSP and framing ban for the console only, so the public /genesys API
// and the widget stay usable from other origins; nosniff and the referrer policy everywhere; HSTS over TLS.
//
// Next.js's App Router streams its data in inline <script> tags. Without a proxy/middleware there is no nonce
// to allow them by, so script-src needs 'unsafe-inline'; every other source stays 'self' and nothing may frame
// the console, post forms elsewhere, or rebase its URLs. React `style` props need style-src 'unsafe-inline'.
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["better-sqlite3", "pino", "pino-pretty", "prom-client"],
  poweredByHeader: false,
  compress: false,
  // GMS clients call /genesys/... with and without trailing slashes.
  skipTrailingSlashRedirect: true,
  // forbidden() in console pages: a real 403 for a role too low (lib/auth/session.ts).
  experimental: { authInterrupts: true },
  // the widget demo page (README "Embedding the widget") is a static file under public/widgets
  async rewrites() {
    return [{ source: "/widgets/demo", destination: "/widgets/demo.html" }];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      {
        // everything but the public API and the embeddable widget files
        source: "/((?!genesys(?:/|$)|widgets(?:/|$)).*)",
        headers: [
          { key: "Content-Security-Policy", value: CONSOLE_CSP },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      {
        // the embeddable widget scripts: no content hash in their URL, so a short cache and revalidation keep
        // embedding sites current after a deploy; any origin may load them with crossorigin (SRI)
        source: "/widgets/:file([\\w.-]+\\.js)",
        headers: [
          { key: "Content-Type", value: "text/javascript; charset=utf-8" },
          { key: "Cache-Control", value: "public, max-age=600, stale-while-revalidate=86400" },
          { key: "Access-Control-Allow-Origin", value: "*" },
        ],
      },
      {
        // HSTS only means something over TLS: sent when the TLS-terminating proxy says the request was https
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000" }],
      },
    ];
  },
};
export default nextConfig;
