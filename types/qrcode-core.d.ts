// qrcode's encoder alone (lib/core/qrcode.js), without the renderers its main entry brings (PNG through pngjs):
// the certificate draws the modules itself, as vector squares.
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode';
}
