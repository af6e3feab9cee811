// Lambda bundles only (esbuild --alias:@noble/ciphers/aes): pdfkit encrypts a document with AES only when it is given
// a password; the ledger's certificates are public documents, never encrypted, so the cipher is refused, not bundled.
const refused = (): never => {
  throw new Error('PDF encryption is not bundled: the certificates are not encrypted');
};
export const cbc = refused;
export const ecb = refused;
