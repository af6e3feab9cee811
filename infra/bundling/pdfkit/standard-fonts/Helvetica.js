export { default } from '../../../../node_modules/pdfkit/js/standard-fonts/Helvetica.mjs';
