// Kept free of imports: the lean PDF Lambda (workflows/render-certificate-pdfs) bundles this file.
export const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** The public verification page of a certificate, as printed in its QR code. */
export const verificationUrl = (publicBaseUrl: string, code: string) => `${withoutTrailingSlash(publicBaseUrl)}/v/${code}`;

/** The credential's own URL (GET /certificates/{code}/credential). */
export const credentialUrl = (publicBaseUrl: string, code: string) => `${withoutTrailingSlash(publicBaseUrl)}/certificates/${code}/credential`;

/** The public page of a certification in its register: France compétences for RNCP and RS codes, the ledger's catalogue otherwise. */
export function registerUrl(publicBaseUrl: string, rncp: string): string {
  const match = /^(RNCP|RS)(\d+)$/.exec(rncp);
  if (match) return `https://www.francecompetences.fr/recherche/${match[1]!.toLowerCase()}/${match[2]}/`;
  return `${withoutTrailingSlash(publicBaseUrl)}/certifications/${rncp}`;
}
