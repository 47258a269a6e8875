/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  compress: false,
  // GMS clients call /genesys/... with and without trailing slashes.
  skipTrailingSlashRedirect: true,
};
export default nextConfig;
