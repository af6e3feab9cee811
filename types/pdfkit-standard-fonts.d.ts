declare module 'pdfkit/standard-fonts/Helvetica' {
  const font: unknown;
  export default font;
}
declare module 'pdfkit/standard-fonts/HelveticaBold' {
  const font: unknown;
  export default font;
}
declare module 'pdfkit/standard-fonts/Courier' {
  const font: unknown;
  export default font;
}
declare module 'pdfkit/standard-fonts/CourierBold' {
  const font: unknown;
  export default font;
}
