/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  compress: false,
  // GMS clients call /genesys/... with and without trailing slashes.
  skipTrailingSlashRedirect: true,
  // forbidden() in console pages: a real 403 for a role too low (lib/auth/session.ts).
  experimental: { authInterrupts: true },
};
export default nextConfig;
