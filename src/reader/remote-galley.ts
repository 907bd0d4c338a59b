// Where a remote galley may send a reader: the catalog's rule, shared with the workflow's preview.
export { remoteGalleyTarget } from '../catalog/index.ts';
