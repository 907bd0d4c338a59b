// Galley downloads are sent by the catalog's serving code, shared with the workflow's preview.
export { contentDisposition, parseRange, sendGalley, type ByteRange } from '../catalog/index.ts';
