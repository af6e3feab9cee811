// Lambda bundles only (esbuild --alias:png-js): pdfkit decodes PNG images with png-js; the certificates embed no
// raster image (the QR code is drawn as vector squares, certificate-pdf.ts), so a PNG is refused, not bundled.
export default class PNG {
  constructor() {
    throw new Error('PNG images are not bundled: the certificates draw no raster image');
  }
}
